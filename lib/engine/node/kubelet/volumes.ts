/**
 * The kubelet's volume manager for one pod: each volume becomes a directory under
 * `/var/lib/kubelet/pods/<uid>/volumes/kubernetes.io~<plugin>/<name>` on the node (hostPath
 * volumes are the node path itself), laid out as the real plugins do: ConfigMap, Secret,
 * projected and downwardAPI volumes with the atomic writer's `..data` symlink and timestamped
 * directory, emptyDir empty. Containers then bind-mount these directories. A missing
 * ConfigMap or Secret fails the mount with the kubelet's FailedMount message.
 *
 * NFS volumes (inline, or a PersistentVolumeClaim bound to an NFS PersistentVolume) are real
 * mounts: the kubelet runs `mount -t nfs` from the node's own namespace (storage/mount.ts: TCP
 * 2049 through the packet walker, the server's export table), and the volume's directory on
 * the node becomes the export itself. A failed mount is the kubelet's "exit status 32" event
 * with mount.nfs's output, retried with back-off; tearing the pod down unmounts before it
 * removes the pod's directory, so the export's files stay on the server.
 *
 * @example
 * const r = setUpVolumes({ pod, store, fs, now, caCert, token });
 * if (!r.ok) events.record(pod, "Warning", "FailedMount", r.message, source);
 */
import type { ConfigMap, ObjectStore, PersistentVolume, PersistentVolumeClaim, Pod, Secret, Stored, Volume } from "../../api";
import type { FileSystem } from "../../shell";
import { force, type Lazy } from "../../util/lazy";
import { mountNfs } from "../../storage";
import { base64Text } from "../bytes";
import { MountedFileSystem } from "../container/mounted-fs";
import type { Dialer } from "../programs";

export interface VolumeContext {
  pod: Stored<Pod>;
  store: ObjectStore;
  fs: FileSystem;
  now: number;
  /** The cluster CA (`ca.crt` of the service account volume). */
  caCert: string;
  /** The projected service account token (a recipe: signed when first read). */
  token: () => Lazy<string>;
  podIP: string;
  nodeName: string;
  /** How the node reaches the network (its own namespace mounts NFS exports). */
  dial: Dialer;
}

export type VolumeResult = { ok: true; paths: Map<string, string> } | { ok: false; message: string };

class MountError extends Error {
  /** The whole event message (the volume manager's own errors), rather than a SetUp failure. */
  constructor(message: string, readonly whole = false, readonly volume?: string) {
    super(message);
  }
}

export const podDir = (uid: string) => `/var/lib/kubelet/pods/${uid}`;

/** Removes a directory tree (rm -rf), unmounting what is mounted in it first (umount, then rmdir). */
export function removeTree(fs: FileSystem, path: string): void {
  if (fs instanceof MountedFileSystem) fs.unmount(path);
  if (!fs.exists(path) && !isLink(fs, path)) return;
  if (fs.lstat(path).kind === "dir") {
    for (const name of fs.list(path)) removeTree(fs, `${path}/${name}`);
    fs.rmdir(path);
  } else {
    fs.unlink(path);
  }
}

function isLink(fs: FileSystem, path: string): boolean {
  try {
    return fs.lstat(path).kind === "symlink";
  } catch {
    return false;
  }
}

/**
 * The atomic writer (`pkg/volume/util/atomic_writer.go`): files in `..<timestamp>/`, `..data`
 * pointing at it, and one symlink per top-level entry through `..data`. Rewrites only when
 * the content changed, as the kubelet's periodic resync does. A file may be a recipe (the
 * token): it is written lazily and compared as a recipe, so a resync makes no text.
 */
function project(fs: FileSystem, dir: string, files: Record<string, FileText>, now: number, mode: number): void {
  // A new volume (the pod's first sync) has nothing to compare or replace.
  const fresh = !fs.isDirectory(dir);
  fs.mkdirp(dir);
  const dataLink = `${dir}/..data`;
  const current = !fresh && isLink(fs, dataLink) ? `${dir}/${fs.readlink(dataLink)}` : undefined;
  const written = current === undefined ? undefined : fs.entriesUnder(current);
  if (written && written.size === Object.keys(files).length) {
    if (Object.entries(files).every(([p, text]) => { const have = written.get(p); return have != null && sameText(have, text); })) return;
  }
  const t = new Date(now).toISOString();
  const stamp = `..${t.slice(0, 4)}_${t.slice(5, 7)}_${t.slice(8, 10)}_${t.slice(11, 13)}_${t.slice(14, 16)}_${t.slice(17, 19)}.${String(now % 1_000_000_000).padStart(9, "0").slice(0, 9)}`;
  const next = `${dir}/${stamp}`;
  if (fs.exists(next)) return;
  for (const [p, text] of Object.entries(files)) {
    if (typeof text === "string") fs.writeFile(`${next}/${p}`, text, { parents: true, mode });
    else fs.writeLazyFile(`${next}/${p}`, text, { parents: true, mode });
  }
  if (!fresh && isLink(fs, dataLink)) fs.unlink(dataLink);
  fs.symlink(stamp, dataLink);
  if (current) removeTree(fs, current);
  if (!fresh) for (const name of fs.list(dir)) if (!name.startsWith("..") && isLink(fs, `${dir}/${name}`)) fs.unlink(`${dir}/${name}`);
  for (const top of new Set(Object.keys(files).map((p) => p.split("/")[0]))) fs.symlink(`..data/${top}`, `${dir}/${top}`);
}

/** A projected file's text, or the recipe that makes it on first read. */
type FileText = string | Lazy<string>;

/** Two texts agree: the same recipe, or the same text (a recipe read already answers its remembered text). */
function sameText(a: FileText, b: FileText): boolean {
  if (a === b) return true;
  if (typeof a !== "string" && typeof b !== "string") return false;
  return (typeof a === "string" ? a : force(a)) === (typeof b === "string" ? b : force(b));
}

function keyed(data: Record<string, string>, items: { key: string; path: string }[] | undefined, kind: string): Record<string, string> {
  if (!items || items.length === 0) return { ...data };
  const files: Record<string, string> = {};
  for (const item of items) {
    if (!(item.key in data)) throw new MountError(`${kind} references non-existent config key: ${item.key}`);
    files[item.path] = data[item.key];
  }
  return files;
}

function configMapData(ctx: VolumeContext, name: string, optional: boolean | undefined): Record<string, string> {
  const cm = ctx.store.find<ConfigMap>("ConfigMap", ctx.pod.metadata.namespace, name);
  if (!cm) {
    if (optional) return {};
    throw new MountError(`configmap "${name}" not found`);
  }
  return { ...(cm.data ?? {}) };
}

function secretData(ctx: VolumeContext, name: string, optional: boolean | undefined): Record<string, string> {
  const secret = ctx.store.find<Secret>("Secret", ctx.pod.metadata.namespace, name);
  if (!secret) {
    if (optional) return {};
    throw new MountError(`secret "${name}" not found`);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(secret.data ?? {})) out[k] = base64Text(v);
  return out;
}

function fieldValue(ctx: VolumeContext, fieldPath: string): string {
  const meta = ctx.pod.metadata;
  const format = (m: Record<string, string> | undefined) => Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}="${v}"`).join("\n");
  switch (fieldPath) {
    case "metadata.name":
      return meta.name;
    case "metadata.namespace":
      return meta.namespace ?? "default";
    case "metadata.uid":
      return meta.uid;
    case "metadata.labels":
      return format(meta.labels);
    case "metadata.annotations":
      return format(meta.annotations);
    case "spec.nodeName":
      return ctx.nodeName;
    case "spec.serviceAccountName":
      return ctx.pod.spec.serviceAccountName ?? "";
    case "status.podIP":
      return ctx.podIP;
    default:
      return "";
  }
}

function projectedFiles(ctx: VolumeContext, sources: Record<string, unknown>[]): Record<string, FileText> {
  const files: Record<string, FileText> = {};
  for (const source of sources) {
    const token = source.serviceAccountToken as { path: string } | undefined;
    const cm = source.configMap as { name?: string; items?: { key: string; path: string }[]; optional?: boolean } | undefined;
    const secret = source.secret as { name?: string; items?: { key: string; path: string }[]; optional?: boolean } | undefined;
    const downward = source.downwardAPI as { items?: { path: string; fieldRef?: { fieldPath: string } }[] } | undefined;
    if (token) files[token.path] = ctx.token();
    if (cm?.name === "kube-root-ca.crt" && !ctx.store.find("ConfigMap", ctx.pod.metadata.namespace, cm.name)) {
      // The root CA publisher fills this ConfigMap in every namespace; it is the cluster CA.
      files["ca.crt"] = ctx.caCert;
    } else if (cm?.name) Object.assign(files, keyed(configMapData(ctx, cm.name, cm.optional), cm.items, "configmap"));
    if (secret?.name) Object.assign(files, keyed(secretData(ctx, secret.name, secret.optional), secret.items, "secret"));
    for (const item of downward?.items ?? []) files[item.path] = fieldValue(ctx, item.fieldRef?.fieldPath ?? "");
  }
  return files;
}

function hostPath(ctx: VolumeContext, v: NonNullable<Volume["hostPath"]>): string {
  const { fs } = ctx;
  const type = v.type ?? "";
  if (type === "DirectoryOrCreate" && !fs.exists(v.path)) fs.mkdirp(v.path);
  if (type === "FileOrCreate" && !fs.exists(v.path)) fs.writeFile(v.path, "", { parents: true });
  if (type === "Directory" && !fs.isDirectory(v.path)) throw new MountError(`hostPath type check failed: ${v.path} is not a directory`);
  if (type === "File" && !fs.isFile(v.path)) throw new MountError(`hostPath type check failed: ${v.path} is not a file`);
  return v.path;
}

/** What a pod volume mounts: inline, or through its claim's bound PersistentVolume (named by the PV). */
function persistentSource(ctx: VolumeContext, v: Volume): { name: string; nfs?: Volume["nfs"]; hostPath?: PersistentVolume["spec"]["hostPath"]; readOnly: boolean; mountOptions: string[] } {
  if (v.nfs) return { name: v.name, nfs: v.nfs, readOnly: Boolean(v.nfs.readOnly), mountOptions: [] };
  const claimName = v.persistentVolumeClaim!.claimName;
  const ns = ctx.pod.metadata.namespace ?? "default";
  const unable = (why: string) => new MountError(`Unable to attach or mount volumes: unmounted volumes=[${v.name}], unattached volumes=[], failed to process volumes=[${v.name}]: error processing PVC ${ns}/${claimName}: ${why}`, true);
  const claim = ctx.store.find<PersistentVolumeClaim>("PersistentVolumeClaim", ns, claimName);
  if (!claim) throw unable(`failed to fetch PVC from API server: persistentvolumeclaims "${claimName}" not found`);
  if (claim.status?.phase !== "Bound" || !claim.spec.volumeName) throw unable("PVC is not bound");
  const pv = ctx.store.find<PersistentVolume>("PersistentVolume", undefined, claim.spec.volumeName);
  if (!pv) throw unable(`failed to fetch PV ${claim.spec.volumeName} from API server: persistentvolumes "${claim.spec.volumeName}" not found`);
  const readOnly = Boolean(v.persistentVolumeClaim!.readOnly || pv.spec.nfs?.readOnly);
  return { name: pv.metadata.name, nfs: pv.spec.nfs, hostPath: pv.spec.hostPath, readOnly, mountOptions: (pv.spec.mountOptions as string[] | undefined) ?? [] };
}

/** The NFS plugin's SetUp: `mount -t nfs [-o …] server:path dir` from the node, unless already mounted. */
function nfsSetUp(ctx: VolumeContext, volume: string, nfs: NonNullable<Volume["nfs"]>, dir: string, readOnly: boolean, mountOptions: string[]): void {
  const fs = ctx.fs;
  if (!(fs instanceof MountedFileSystem)) throw new Error("the node's file system cannot mount");
  if (fs.mountPoints().some((m) => m.target === dir)) return;
  const options = [...mountOptions, ...(readOnly ? ["ro"] : [])];
  const source = `${nfs.server}:${nfs.path}`;
  const host = ctx.dial.namespace({ nodeName: ctx.nodeName, podIP: "" });
  const r = host ? mountNfs({ network: host.network, from: host.stack, fs, source, options, now: ctx.now }) : { ok: false as const, output: "mount.nfs: Network is unreachable" };
  if (!r.ok) {
    const args = ["-t", "nfs", ...(options.length ? ["-o", options.join(",")] : []), source, dir].join(" ");
    throw new MountError(`mount failed: exit status 32\nMounting command: mount\nMounting arguments: ${args}\nOutput: ${r.output}\n`, false, volume);
  }
  fs.mount(dir, r.server.fs, r.path, r.info);
}

/** Sets up (or refreshes) every volume of the pod; the first failure is reported. */
export function setUpVolumes(ctx: VolumeContext): VolumeResult {
  const paths = new Map<string, string>();
  const base = `${podDir(ctx.pod.metadata.uid)}/volumes`;
  for (const v of ctx.pod.spec.volumes ?? []) {
    try {
      if (v.hostPath) {
        paths.set(v.name, hostPath(ctx, v.hostPath));
        continue;
      }
      if (v.nfs || v.persistentVolumeClaim) {
        const source = persistentSource(ctx, v);
        if (source.hostPath) {
          paths.set(v.name, hostPath(ctx, source.hostPath));
          continue;
        }
        const dir = `${base}/kubernetes.io~${source.nfs ? "nfs" : "empty-dir"}/${source.name}`;
        if (source.nfs) nfsSetUp(ctx, source.name, source.nfs, dir, source.readOnly, source.mountOptions);
        else ctx.fs.mkdirp(dir);
        paths.set(v.name, dir);
        continue;
      }
      const plugin = v.configMap ? "configmap" : v.secret ? "secret" : v.projected ? "projected" : v.downwardAPI ? "downward-api" : "empty-dir";
      const dir = `${base}/kubernetes.io~${plugin}/${v.name}`;
      if (v.configMap) project(ctx.fs, dir, keyed(configMapData(ctx, v.configMap.name ?? "", v.configMap.optional), v.configMap.items, "configmap"), ctx.now, v.configMap.defaultMode ?? 0o644);
      else if (v.secret) project(ctx.fs, dir, keyed(secretData(ctx, v.secret.secretName ?? "", v.secret.optional), v.secret.items, "secret"), ctx.now, v.secret.defaultMode ?? 0o644);
      else if (v.projected) project(ctx.fs, dir, projectedFiles(ctx, v.projected.sources ?? []), ctx.now, v.projected.defaultMode ?? 0o644);
      else if (v.downwardAPI) project(ctx.fs, dir, projectedFiles(ctx, [{ downwardAPI: v.downwardAPI }]), ctx.now, v.downwardAPI.defaultMode ?? 0o644);
      else ctx.fs.mkdirp(dir);
      paths.set(v.name, dir);
    } catch (e) {
      if (e instanceof MountError) return { ok: false, message: e.whole ? e.message : `MountVolume.SetUp failed for volume "${e.volume ?? v.name}" : ${e.message}` };
      throw e;
    }
  }
  return { ok: true, paths };
}
