/**
 * Image references as containerd normalizes them (`docker.io/library/nginx:latest`), and the
 * kubelet's own parse failure (`InvalidImageName`).
 *
 * @example
 * parseReference("nginx");          // { ok: true, ref: { domain: "docker.io", path: "library/nginx", tag: "latest", … } }
 * parseReference("NGINX").ok;        // false: "couldn't parse image name \"NGINX\": invalid reference format: …"
 */

/** A normalized image reference. */
export interface ImageRef {
  domain: string;
  /** Repository path without the domain, e.g. `library/nginx`. */
  path: string;
  tag?: string;
  digest?: string;
  /** `docker.io/library/nginx:1.27` (or `…@sha256:…` when pinned by digest). */
  full: string;
  /** `docker.io/library/nginx`. */
  repository: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

/** docker/distribution's `ParseNormalizedNamed` + default tag, with its error wording. */
export function parseReference(image: string): { ok: true; ref: ImageRef } | { ok: false; message: string } {
  const fail = (why: string) => ({ ok: false as const, message: `couldn't parse image name "${image}": ${why}` });
  if (image === "") return fail("invalid reference format");
  const at = image.indexOf("@");
  const named = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const slash = named.lastIndexOf("/");
  const colon = named.indexOf(":", slash + 1);
  const name = colon >= 0 ? named.slice(0, colon) : named;
  const tag = colon >= 0 ? named.slice(colon + 1) : undefined;
  const parts = name.split("/");
  const hasDomain = parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === "localhost");
  const domain = hasDomain ? parts[0] : "docker.io";
  let path = (hasDomain ? parts.slice(1) : parts).join("/");
  if (domain === "docker.io" && !path.includes("/")) path = `library/${path}`;
  if (path.toLowerCase() !== path) return fail(`invalid reference format: repository name (${path}) must be lowercase`);
  if (!path.split("/").every((c) => COMPONENT.test(c))) return fail("invalid reference format");
  if (tag !== undefined && !/^\w[\w.-]{0,127}$/.test(tag)) return fail("invalid reference format");
  if (digest !== undefined && !/^sha256:[a-f0-9]{64}$/.test(digest)) return fail("invalid reference format");
  const repository = `${domain}/${path}`;
  const effectiveTag = tag ?? (digest ? undefined : "latest");
  const full = digest ? `${repository}@${digest}` : `${repository}:${effectiveTag}`;
  return { ok: true, ref: { domain, path, tag: effectiveTag, digest, full, repository } };
}
