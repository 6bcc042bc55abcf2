/**
 * `-f FILENAME` as kubectl's resource builder reads it: files, directories (`.json`, `.yaml`,
 * `.yml`, sorted; sub-directories only with `-R`), `-` for standard input (named `STDIN` in
 * messages), multi-document YAML, JSON, and `kind: List` flattened into its items. Every
 * document is decoded and checked on its own, so one bad document does not hide the others;
 * the failures come back worded as kubectl prints them.
 *
 * @example
 * const { items, errors } = readManifests(ctx.shell, ["web.yaml"], { recursive: false, validate: true });
 * items[0].info.kind;   // "Deployment"
 * items[0].source;      // "web.yaml"
 */
import { ApiError, type KubeObject, type ResourceInfo, resourceForObject } from "../api";
import type { CommandContext } from "../shell";
import type { KubectlContext } from "./types";
import { KubectlError } from "./errors";
import { type Decoded, decodeJSON, decodeYAML, splitDocuments } from "./yaml-decode";

/** One object read from a manifest, with where it came from. */
export interface ManifestItem {
  /** The path as the user wrote it (joined under a directory), or `STDIN`. */
  readonly source: string;
  readonly object: KubeObject;
  readonly info: ResourceInfo;
}

/** A manifest object that may be of a kind the server does not serve (`--local` edits any kind). */
export interface LocalItem {
  readonly source: string;
  readonly object: KubeObject;
}

/** What reading produced: the objects in order, and the errors met on the way. */
export interface ManifestRead {
  items: ManifestItem[];
  /** Every decoded object, served kinds or not, for `--local` verbs that never ask the server. */
  local: LocalItem[];
  errors: Error[];
}

const EXTENSIONS = [".json", ".yaml", ".yml"];

/** The files a `-f` value stands for, or the error kubectl gives for it. */
function expand(shell: CommandContext, value: string, recursive: boolean): { path: string; source: string }[] {
  if (value === "-") return [{ path: "-", source: "STDIN" }];
  if (/^https?:\/\//.test(value)) {
    const host = /^https?:\/\/([^/:]+)/.exec(value)?.[1] ?? value;
    throw new KubectlError(`unable to read URL "${value}", server reported dial tcp: lookup ${host} on 127.0.0.53:53: no such host`);
  }
  const path = shell.resolve(value);
  if (!shell.fs.exists(path)) throw new KubectlError(`the path "${value}" does not exist`);
  if (!shell.fs.isDirectory(path)) return [{ path, source: value }];
  const out: { path: string; source: string }[] = [];
  const walk = (dir: string, shown: string) => {
    for (const name of [...shell.fs.list(dir)].sort()) {
      const full = `${dir.replace(/\/$/, "")}/${name}`;
      const label = `${shown.replace(/\/$/, "")}/${name}`;
      if (shell.fs.isDirectory(full)) {
        if (recursive) walk(full, label);
      } else if (EXTENSIONS.some((ext) => name.endsWith(ext))) out.push({ path: full, source: label });
    }
  };
  walk(path, value);
  return out;
}

/** `validation.getObjectKind`'s complaints about a decoded document. */
function kindProblems(value: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (typeof value.kind !== "string" || value.kind === "") problems.push("kind not set");
  if (typeof value.apiVersion !== "string" || value.apiVersion === "") problems.push("apiVersion not set");
  return problems;
}

/** `resource mapping not found …`: the kind is not served (or not at that version). */
function noMatch(source: string, value: KubeObject): Error {
  const name = value.metadata?.name ?? "";
  const ns = value.metadata?.namespace ?? "";
  return new KubectlError(
    `resource mapping not found for name: "${name}" namespace: "${ns}" from "${source}": no matches for kind "${value.kind}" in version "${value.apiVersion}"\nensure CRDs are installed first`,
  );
}

/** Decodes one document into items (a List yields its items); errors go to `errors`. */
function decodeDocument(source: string, decoded: Decoded, validate: boolean, out: ManifestRead & { unknown: Error[] }, isJSON: boolean): void {
  if (!decoded.ok) {
    out.errors.push(new KubectlError(isJSON ? `error parsing ${source}: ${decoded.error}` : `error parsing ${source}: error converting YAML to JSON: ${decoded.error}`));
    return;
  }
  const value = decoded.value;
  if (value === null || value === undefined) return;
  const suffix = "; if you choose to ignore these errors, turn validation off with --validate=false";
  if (typeof value !== "object" || Array.isArray(value)) {
    const what = Array.isArray(value) ? "array" : typeof value === "string" ? "string" : typeof value;
    out.errors.push(
      new KubectlError(
        validate
          ? `error validating "${source}": error validating data: invalid object to validate${suffix}`
          : `unable to decode "${source}": json: cannot unmarshal ${what} into Go value of type unstructured.detector`,
      ),
    );
    return;
  }
  const record = value as Record<string, unknown>;
  const problems = kindProblems(record);
  if (problems.length > 0) {
    const text = problems.length === 1 ? problems[0] : `[${problems.join(", ")}]`;
    out.errors.push(
      new KubectlError(
        validate
          ? `error validating "${source}": error validating data: ${text}${suffix}`
          : `unable to decode "${source}": Object '${problems[0].startsWith("kind") ? "Kind" : "apiVersion"}' is missing in '${JSON.stringify(record)}'`,
      ),
    );
    return;
  }
  if (record.kind === "List" || (typeof record.kind === "string" && record.kind.endsWith("List") && Array.isArray(record.items))) {
    for (const item of (record.items as unknown[]) ?? []) decodeDocument(source, { ok: true, value: item }, validate, out, isJSON);
    return;
  }
  const object = { ...record, metadata: (record.metadata as KubeObject["metadata"]) ?? {} } as KubeObject;
  out.local.push({ source, object });
  const info = resourceForObject(object.apiVersion, object.kind);
  if (!info) {
    const error = noMatch(source, object);
    out.errors.push(error);
    out.unknown.push(error);
  }
  else out.items.push({ source, object, info });
}

/** Reads every `-f` value in order. Throws only for a path that does not exist. */
export function readManifests(
  shell: CommandContext,
  filenames: readonly string[],
  options: { recursive: boolean; validate: boolean; /** `--local`: kinds the server does not serve are fine. */ local?: boolean },
): ManifestRead {
  const out: ManifestRead & { unknown: Error[] } = { items: [], local: [], errors: [], unknown: [] };
  for (const value of filenames) {
    for (const file of expand(shell, value, options.recursive)) {
      const text = file.path === "-" ? shell.stdin : shell.fs.readFile(file.path);
      // YAMLOrJSONDecoder: a stream that opens with `{` is JSON, anything else YAML documents.
      if (/^\s*\{/.test(text)) {
        decodeDocument(file.source, decodeJSON(text), options.validate, out, true);
        continue;
      }
      for (const doc of splitDocuments(text)) decodeDocument(file.source, decodeYAML(doc), options.validate, out, false);
    }
  }
  return { items: out.items, local: out.local, errors: options.local ? out.errors.filter((e) => !out.unknown.includes(e)) : out.errors };
}

/**
 * The builder's namespace handling for a manifest object: a namespaced object without one gets
 * the request namespace; one naming another namespace than an explicit `-n` is refused.
 */
export function placeInNamespace(ctx: KubectlContext, info: ResourceInfo, object: KubeObject): KubeObject {
  if (!info.namespaced) return object;
  const ns = object.metadata.namespace;
  if (ns && ctx.namespaceExplicit && ns !== ctx.namespace) {
    throw new KubectlError(
      `the namespace from the provided object "${ns}" does not match the namespace "${ctx.namespace}". You must pass '--namespace=${ns}' to perform this operation.`,
    );
  }
  return ns ? object : { ...object, metadata: { ...object.metadata, namespace: ctx.namespace } };
}

/** `cmdutil.AddSourceToErr`: `error when creating "web.yaml": …` inside the server's message. */
export function withSource(verb: string, source: string, error: unknown): unknown {
  if (!source) return error;
  if (error instanceof ApiError) {
    const Ctor = error.constructor as new (status: ApiError["status"]) => ApiError;
    return new Ctor({ ...error.status, message: `error when ${verb} "${source}": ${error.status.message}` });
  }
  if (error instanceof Error) return new KubectlError(`error when ${verb} "${source}": ${error.message}`);
  return error;
}
