/**
 * A container's file system: its own tree (the image's files plus its writable layer) with
 * bind mounts of node directories on top, as runc sets them up. A volume is one directory on
 * the node (`/var/lib/kubelet/pods/<uid>/volumes/…`) mounted into every container that names
 * it, so two containers sharing an emptyDir see each other's files, and `ls` on the node sees
 * them too. Paths are matched lexically against mount points.
 *
 * @example
 * const fs = new MountedFileSystem(clock);
 * fs.mount("/data", node.fs, "/var/lib/kubelet/pods/<uid>/volumes/kubernetes.io~empty-dir/data");
 * fs.writeFile("/data/x", "hi\n"); // lands in the node's directory
 */
import { FileSystem, FsError, isCleanPath, type CreateOptions, type FsStat, type VirtualSource } from "../../shell";
import type { Lazy } from "../../util/lazy";

/** What `mount` and `df` show of a mount that is not a plain bind (an NFS export): device, type, options. */
export interface MountInfo {
  device: string;
  type: string;
  options: string;
  readOnly?: boolean;
}

interface Mount {
  target: string;
  fs: FileSystem;
  source: string;
  info?: MountInfo;
}

/** `/a/./b/../c//` → `/a/c`, without consulting the tree. */
function lexical(path: string): string {
  if (isCleanPath(path)) return path;
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}

export class MountedFileSystem extends FileSystem {
  private mounts: Mount[] = [];

  /**
   * Mounts `source` of `fs` (a directory, or a single file such as the pod's `etc-hosts`) at
   * `target`, which is created here as an empty mount point of the same kind.
   */
  mount(target: string, fs: FileSystem, source: string, info?: MountInfo): void {
    const at = lexical(target);
    if (fs.isFile(source)) {
      if (!super.exists(at)) super.writeFile(at, "", { parents: true });
    } else {
      super.mkdirp(at);
    }
    this.mounts = [...this.mounts.filter((m) => m.target !== at), { target: at, fs, source, ...(info ? { info } : {}) }].sort((a, b) => b.target.length - a.target.length);
  }

  /** The mount points, longest first (for `mount` and `df`). */
  mountPoints(): readonly { target: string; source: string; fs: FileSystem; info?: MountInfo }[] {
    return this.mounts.map(({ target, source, fs, info }) => ({ target, source, fs, ...(info ? { info } : {}) }));
  }

  /** umount(2): the mount point's own directory shows again; false if nothing is mounted there. */
  unmount(target: string): boolean {
    const at = lexical(target);
    const before = this.mounts.length;
    this.mounts = this.mounts.filter((m) => m.target !== at);
    return this.mounts.length < before;
  }

  /** The route for a call that writes: a read-only mount refuses it. */
  private routeForWrite(path: string): { fs: FileSystem; path: string; mount: Mount } | undefined {
    const r = this.route(path);
    if (r?.mount.info?.readOnly) throw new FsError("EROFS", path);
    return r;
  }

  private route(path: string): { fs: FileSystem; path: string; mount: Mount } | undefined {
    if (!path.startsWith("/")) return undefined;
    const norm = lexical(path);
    for (const m of this.mounts) {
      if (norm === m.target || norm.startsWith(m.target + "/")) return { fs: m.fs, path: m.source + norm.slice(m.target.length), mount: m };
    }
    return undefined;
  }

  override stat(path: string): FsStat {
    const r = this.route(path);
    return r ? r.fs.stat(r.path) : super.stat(path);
  }
  override lstat(path: string): FsStat {
    const r = this.route(path);
    return r ? r.fs.lstat(r.path) : super.lstat(path);
  }
  override exists(path: string): boolean {
    const r = this.route(path);
    return r ? r.fs.exists(r.path) : super.exists(path);
  }
  override isDirectory(path: string): boolean {
    const r = this.route(path);
    return r ? r.fs.isDirectory(r.path) : super.isDirectory(path);
  }
  override isFile(path: string): boolean {
    const r = this.route(path);
    return r ? r.fs.isFile(r.path) : super.isFile(path);
  }
  override readFile(path: string): string {
    const r = this.route(path);
    return r ? r.fs.readFile(r.path) : super.readFile(path);
  }
  /** Mount points below `path` are not followed (the kubelet's volume dirs hold none). */
  override entriesUnder(path: string): Map<string, string | Lazy<string> | null> | undefined {
    const r = this.route(path);
    return r ? r.fs.entriesUnder(r.path) : super.entriesUnder(path);
  }
  override readFileRecipe(path: string): string | Lazy<string> {
    const r = this.route(path);
    return r ? r.fs.readFileRecipe(r.path) : super.readFileRecipe(path);
  }
  override writeFile(path: string, text: string, options: CreateOptions = {}): void {
    const r = this.routeForWrite(path);
    if (r) r.fs.writeFile(r.path, text, options);
    else super.writeFile(path, text, options);
  }
  override writeLazyFile(path: string, text: Lazy<string>, options: CreateOptions = {}): void {
    const r = this.routeForWrite(path);
    if (r) r.fs.writeLazyFile(r.path, text, options);
    else super.writeLazyFile(path, text, options);
  }
  override appendFile(path: string, text: string, options: CreateOptions = {}): void {
    const r = this.routeForWrite(path);
    if (r) r.fs.appendFile(r.path, text, options);
    else super.appendFile(path, text, options);
  }
  override defineVirtualFile(path: string, source: VirtualSource, options: CreateOptions = {}): void {
    const r = this.routeForWrite(path);
    if (r) r.fs.defineVirtualFile(r.path, source, options);
    else super.defineVirtualFile(path, source, options);
  }
  override mkdir(path: string, options: CreateOptions = {}): void {
    const r = this.routeForWrite(path);
    if (r) r.fs.mkdir(r.path, options);
    else super.mkdir(path, options);
  }
  override mkdirp(path: string, options: CreateOptions = {}): void {
    const r = this.routeForWrite(path);
    if (r) r.fs.mkdirp(r.path, options);
    else super.mkdirp(path, options);
  }
  override list(path: string): string[] {
    const r = this.route(path);
    return r ? r.fs.list(r.path) : super.list(path);
  }
  override unlink(path: string): void {
    const r = this.routeForWrite(path);
    if (r) r.fs.unlink(r.path);
    else super.unlink(path);
  }
  override rmdir(path: string): void {
    const r = this.routeForWrite(path);
    if (r && lexical(path) === r.mount.target) throw new FsError("EBUSY", path);
    if (r) r.fs.rmdir(r.path);
    else super.rmdir(path);
  }
  override link(existing: string, path: string): void {
    const a = this.route(existing);
    const b = this.route(path);
    if (a?.mount !== b?.mount) throw new FsError("EPERM", path);
    if (a && b) a.fs.link(a.path, b.path);
    else super.link(existing, path);
  }
  override rename(from: string, to: string): void {
    const a = this.routeForWrite(from);
    const b = this.routeForWrite(to);
    if (a && lexical(from) === a.mount.target) throw new FsError("EBUSY", from);
    if (a?.mount === b?.mount) {
      if (a && b) a.fs.rename(a.path, b.path);
      else super.rename(from, to);
      return;
    }
    // Across mounts rename(2) fails with EXDEV; mv then copies and unlinks, which is what we do for files.
    if (!this.isFile(from)) throw new FsError("EPERM", to);
    this.writeFile(to, this.readFile(from));
    this.unlink(from);
  }
  override symlink(target: string, path: string, options: CreateOptions = {}): void {
    const r = this.routeForWrite(path);
    if (r) r.fs.symlink(target, r.path, options);
    else super.symlink(target, path, options);
  }
  override readlink(path: string): string {
    const r = this.route(path);
    return r ? r.fs.readlink(r.path) : super.readlink(path);
  }
  override realpath(path: string): string {
    const r = this.route(path);
    if (!r) return super.realpath(path);
    const real = r.fs.realpath(r.path);
    return real.startsWith(r.mount.source) ? r.mount.target + real.slice(r.mount.source.length) : real;
  }
  override chmod(path: string, mode: number): void {
    const r = this.routeForWrite(path);
    if (r) r.fs.chmod(r.path, mode);
    else super.chmod(path, mode);
  }
  override touch(path: string, mtime?: number): void {
    const r = this.routeForWrite(path);
    if (r) r.fs.touch(r.path, mtime);
    else super.touch(path, mtime);
  }
}
