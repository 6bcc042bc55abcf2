/**
 * A node's containerd image store: the images it has pulled (what `crictl images` lists and
 * the Node's `status.images` reports), and pulls, which containerd's CRI runs one at a time as
 * the kubelet asks (serialized image pulls), each taking virtual time and failing as the
 * registry answers: unknown tag NotFound, unknown repository access denied, unknown host.
 *
 * @example
 * const pull = store.pull(ref, now, rng); // { doneAt, pullMs, waitedMs, image } or { doneAt, error }
 * store.add(pull.image, ref);              // when doneAt comes
 */
import type { Rng } from "../../util/rng";
import type { CatalogImage, ImageCatalog } from "../images/catalog";
import type { ImageRef } from "../images/reference";

/** A pulled image and the references it is known by. */
export interface StoredImage {
  image: CatalogImage;
  /** `docker.io/library/nginx:1.27` … */
  tags: Set<string>;
  pulledAt: number;
}

export type PullResult = { doneAt: number; pullMs: number; waitedMs: number } & ({ image: CatalogImage } | { error: string });

const KNOWN_REGISTRIES = new Set(["docker.io", "registry.k8s.io", "ghcr.io", "quay.io", "gcr.io"]);

/** The registry's answer for a reference the catalog does not hold. */
function registryError(ref: ImageRef, catalog: ImageCatalog): string {
  const head = `failed to pull and unpack image "${ref.full}": failed to resolve reference "${ref.full}"`;
  if (!KNOWN_REGISTRIES.has(ref.domain)) {
    const [name, tag] = [ref.path, ref.tag ?? ref.digest ?? "latest"];
    return `rpc error: code = Unknown desc = ${head}: failed to do request: Head "https://${ref.domain}/v2/${name}/manifests/${tag}": dial tcp: lookup ${ref.domain.replace(/:\d+$/, "")} on 127.0.0.53:53: no such host`;
  }
  if (ref.domain === "docker.io" && !catalog.hasRepository(ref.repository)) {
    return `rpc error: code = Unknown desc = ${head}: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`;
  }
  return `rpc error: code = NotFound desc = ${head}: ${ref.full}: not found`;
}

export class ImageStore {
  private readonly images = new Map<string, StoredImage>();
  /** Bumped whenever the images held (or their tags) change: the node status lists them. */
  revision = 0;
  /** Images with a pull queued or running, and when it ends (a second pull of one is a cache hit). */
  private readonly pending = new Map<string, number>();
  private busyUntil = 0;

  constructor(private readonly catalog: ImageCatalog) {}

  /** The local image a reference names, if pulled. */
  find(ref: ImageRef): CatalogImage | undefined {
    for (const stored of this.images.values()) {
      if (ref.digest ? stored.image.repository === ref.repository && stored.image.digest === ref.digest : stored.tags.has(ref.full)) return stored.image;
    }
    return undefined;
  }

  /** Records an image as present under a reference. */
  add(image: CatalogImage, ref: ImageRef, now: number): void {
    const stored = this.images.get(image.id) ?? { image, tags: new Set<string>(), pulledAt: now };
    if (ref.tag) stored.tags.add(ref.full);
    this.revision++;
    this.images.set(image.id, stored);
  }

  /** Pre-pulls an image under every one of its tags (what kubeadm does before the lab starts). */
  preload(image: CatalogImage, now: number): void {
    this.revision++;
    this.images.set(image.id, { image, tags: new Set(image.tags.map((t) => `${image.repository}:${t}`)), pulledAt: now });
  }

  list(): StoredImage[] {
    return [...this.images.values()];
  }

  /** Starts a pull behind any pull already running; the caller commits it at `doneAt`. */
  pull(ref: ImageRef, now: number, rng: Rng): PullResult {
    const image = this.catalog.find(ref);
    const start = Math.max(now, this.busyUntil);
    const waitedMs = start - now;
    const jitter = 0.85 + rng.next() * 0.3;
    const cached = image && (this.find(ref) || (this.pending.get(image.id) ?? 0) > now);
    const pullMs = Math.round((image ? (cached ? 450 : image.pullMs) : 600) * jitter);
    const doneAt = start + pullMs;
    this.busyUntil = doneAt;
    if (image) this.pending.set(image.id, Math.max(doneAt, this.pending.get(image.id) ?? 0));
    return image ? { doneAt, pullMs, waitedMs, image } : { doneAt, pullMs, waitedMs, error: registryError(ref, this.catalog) };
  }

  /** A reboot empties no disk, but a pull in flight is lost. */
  cancelPulls(): void {
    this.busyUntil = 0;
    this.pending.clear();
  }
}
