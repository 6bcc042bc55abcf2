import type { VirtualClock } from "../util/clock";
import { FsError } from "./fs-errors";

export { FsError, reasonOf, type Errno } from "./fs-errors";

/** Content produced on read (and optionally consumed on write) instead of stored. */
export interface VirtualSource {
  read(): string;
  /** Absent: writes replace nothing and are dropped, as with `/dev/null`. */
  write?(text: string, append: boolean): void;
}

interface Meta {
  mode: number;
  owner: string;
  group: string;
  mtime: number;
}
interface FileNode extends Meta {
  kind: "file";
  content: string;
  /** Hard links to this file. */
  links: number;
  source?: VirtualSource;
}
interface DirNode extends Meta {
  kind: "dir";
  children: Map<string, FsNode>;
}
interface LinkNode extends Meta {
  kind: "symlink";
  target: string;
}
type FsNode = FileNode | DirNode | LinkNode;

/** What `stat(2)` tells about a path. */
export interface FsStat {
  kind: "file" | "dir" | "symlink";
  /** Permission bits only, e.g. `0o644`. */
  mode: number;
  owner: string;
  group: string;
  /** Bytes (UTF-8) for files, 4096 for directories, the target's length for symlinks. */
  size: number;
  mtime: number;
  nlink: number;
}

/** Ownership and mode for new entries; root:root and 0644/0755 when left out. */
export interface CreateOptions {
  mode?: number;
  owner?: string;
  group?: string;
  /** Create missing parent directories first (for seeding; commands leave it off). */
  parents?: boolean;
}

const MAX_SYMLINK_HOPS = 40;

/** UTF-8 byte length of a string, i.e. the size `ls -l` and `wc -c` report. */
export function byteLength(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

function components(path: string): string[] {
  return path.split("/").filter((c) => c !== "" && c !== ".");
}

/**
 * One host's (or container's) in-memory POSIX-like tree: files with string contents,
 * directories, symlinks, mode bits, owner and mtime (from the virtual clock). Paths must be
 * absolute; `.`/`..` and symlinks resolve component by component as the kernel does. Failures
 * throw {@link FsError} with an errno code.
 *
 * @example
 * const fs = new FileSystem(clock);
 * fs.writeFile("/etc/hostname", "node-1\n", { parents: true });
 * fs.symlink("/run/resolv.conf", "/etc/resolv.conf");
 * fs.defineVirtualFile("/proc/loadavg", { read: () => "0.00 0.01 0.05 1/93 1\n" });
 * fs.readFile("/etc/hostname"); // "node-1\n"
 */
export class FileSystem {
  private readonly root: DirNode;

  constructor(private readonly clock: VirtualClock) {
    this.root = this.newDir({ mode: 0o755 });
  }

  /** stat(2): follows symlinks. */
  stat(path: string): FsStat {
    return this.describe(this.existing(path, true));
  }

  /** lstat(2): a symlink describes itself. */
  lstat(path: string): FsStat {
    return this.describe(this.existing(path, false));
  }

  /** Whether the path resolves (following symlinks) to anything. */
  exists(path: string): boolean {
    return this.tryNode(path, true) !== undefined;
  }

  isDirectory(path: string): boolean {
    return this.tryNode(path, true)?.kind === "dir";
  }

  isFile(path: string): boolean {
    return this.tryNode(path, true)?.kind === "file";
  }

  /** The file's text; virtual files run their `read` callback. */
  readFile(path: string): string {
    const node = this.existing(path, true);
    if (node.kind === "dir") throw new FsError("EISDIR", path);
    if (node.kind !== "file") throw new FsError("EINVAL", path);
    return node.source ? node.source.read() : node.content;
  }

  /** Creates or truncates-and-writes a file (open with O_CREAT|O_TRUNC). */
  writeFile(path: string, text: string, options: CreateOptions = {}): void {
    this.put(path, text, false, options);
  }

  /** Appends, creating the file if needed (open with O_APPEND). */
  appendFile(path: string, text: string, options: CreateOptions = {}): void {
    this.put(path, text, true, options);
  }

  /** A file whose content comes from `source` each time it is read. */
  defineVirtualFile(path: string, source: VirtualSource, options: CreateOptions = {}): void {
    const { parent, name } = this.slot(path, options.parents ?? true);
    parent.children.set(name, { ...this.meta(options, 0o644), kind: "file", content: "", links: 1, source });
  }

  /** mkdir(2): the parent must exist and the name must be free. */
  mkdir(path: string, options: CreateOptions = {}): void {
    if (this.tryNode(path, false)) throw new FsError("EEXIST", path);
    const { parent, name, node } = this.slot(path, options.parents ?? false);
    if (node) throw new FsError("EEXIST", path);
    parent.children.set(name, this.newDir(options));
    parent.mtime = this.clock.now();
  }

  /** `mkdir -p`: creates every missing directory; existing directories are fine. */
  mkdirp(path: string, options: CreateOptions = {}): void {
    let dir = this.root;
    let sofar = "";
    const names = components(path);
    for (const [index, name] of names.entries()) {
      sofar += "/" + name;
      const child = this.tryNode(sofar, true);
      if (child === undefined) {
        const created = this.newDir(options);
        dir.children.set(name, created);
        dir = created;
      } else if (child.kind === "dir") {
        dir = child;
      } else {
        throw new FsError(index === names.length - 1 ? "EEXIST" : "ENOTDIR", sofar);
      }
    }
  }

  /** A directory's entry names in byte order (what `ls` shows with LC_ALL=C). */
  list(path: string): string[] {
    const node = this.existing(path, true);
    if (node.kind !== "dir") throw new FsError("ENOTDIR", path);
    return [...node.children.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** unlink(2): removes a file or symlink, never a directory. */
  unlink(path: string): void {
    const { parent, name, node } = this.slot(path, false, false);
    if (!node) throw new FsError("ENOENT", path);
    if (node.kind === "dir") throw new FsError("EISDIR", path);
    if (node.kind === "file") node.links--;
    parent.children.delete(name);
    parent.mtime = this.clock.now();
  }

  /** link(2): another name for the same file (not for directories). */
  link(existing: string, path: string): void {
    const node = this.existing(existing, false);
    if (node.kind === "dir") throw new FsError("EPERM", existing);
    const { parent, name, node: taken } = this.slot(path, false, false);
    if (taken) throw new FsError("EEXIST", path);
    if (node.kind === "file") node.links++;
    parent.children.set(name, node);
    parent.mtime = this.clock.now();
  }

  /** rmdir(2): removes an empty directory. */
  rmdir(path: string): void {
    const { parent, name, node } = this.slot(path, false, false);
    if (!node) throw new FsError("ENOENT", path);
    if (node.kind !== "dir") throw new FsError("ENOTDIR", path);
    if (node === this.root) throw new FsError("EBUSY", path);
    if (node.children.size > 0) throw new FsError("ENOTEMPTY", path);
    parent.children.delete(name);
    parent.mtime = this.clock.now();
  }

  /** rename(2), including its rules for replacing an existing target. */
  rename(from: string, to: string): void {
    const src = this.slot(from, false, false);
    if (!src.node) throw new FsError("ENOENT", from);
    const dst = this.slot(to, false, false);
    if (src.node.kind === "dir" && this.contains(src.node, dst.parent)) throw new FsError("EINVAL", to);
    if (dst.node && dst.node !== src.node) {
      if (dst.node.kind === "dir") {
        if (src.node.kind !== "dir") throw new FsError("EISDIR", to);
        if (dst.node.children.size > 0) throw new FsError("ENOTEMPTY", to);
      } else if (src.node.kind === "dir") {
        throw new FsError("ENOTDIR", to);
      }
    }
    if (dst.node?.kind === "file" && dst.node !== src.node) dst.node.links--;
    src.parent.children.delete(src.name);
    dst.parent.children.set(dst.name, src.node);
    src.parent.mtime = dst.parent.mtime = this.clock.now();
  }

  /** symlink(2): `path` will point at `target` (which need not exist). */
  symlink(target: string, path: string, options: CreateOptions = {}): void {
    const { parent, name, node } = this.slot(path, options.parents ?? false, false);
    if (node) throw new FsError("EEXIST", path);
    parent.children.set(name, { ...this.meta(options, 0o777), kind: "symlink", target });
  }

  /** readlink(2). */
  readlink(path: string): string {
    const node = this.existing(path, false);
    if (node.kind !== "symlink") throw new FsError("EINVAL", path);
    return node.target;
  }

  /** The canonical absolute path with every symlink resolved (realpath(3)). */
  realpath(path: string): string {
    return this.resolve(path, true).real;
  }

  chmod(path: string, mode: number): void {
    this.existing(path, true).mode = mode & 0o7777;
  }

  /** Sets the modification time, to now by default (what `touch` does to an existing file). */
  touch(path: string, mtime: number = this.clock.now()): void {
    this.existing(path, true).mtime = mtime;
  }

  private put(path: string, text: string, append: boolean, options: CreateOptions): void {
    if (this.isDirectory(path)) throw new FsError("EISDIR", path);
    const { parent, name, node } = this.slot(path, options.parents ?? false);
    if (node?.kind === "dir") throw new FsError("EISDIR", path);
    const now = this.clock.now();
    if (node?.kind === "file") {
      if (node.source) node.source.write?.(text, append);
      else node.content = append ? node.content + text : text;
      node.mtime = now;
      return;
    }
    parent.children.set(name, { ...this.meta(options, 0o644), kind: "file", content: text, links: 1 });
    parent.mtime = now;
  }

  private describe(node: FsNode): FsStat {
    const base = { mode: node.mode, owner: node.owner, group: node.group, mtime: node.mtime };
    switch (node.kind) {
      case "file": {
        const size = byteLength(node.source ? node.source.read() : node.content);
        return { ...base, kind: "file", size, nlink: node.links };
      }
      case "dir": {
        let subdirs = 0;
        for (const child of node.children.values()) if (child.kind === "dir") subdirs++;
        return { ...base, kind: "dir", size: 4096, nlink: 2 + subdirs };
      }
      case "symlink":
        return { ...base, kind: "symlink", size: byteLength(node.target), nlink: 1 };
    }
  }

  private meta(options: CreateOptions, mode: number): Meta {
    return {
      mode: options.mode ?? mode,
      owner: options.owner ?? "root",
      group: options.group ?? options.owner ?? "root",
      mtime: this.clock.now(),
    };
  }

  private newDir(options: CreateOptions): DirNode {
    return { ...this.meta(options, 0o755), kind: "dir", children: new Map() };
  }

  private contains(ancestor: DirNode, dir: DirNode): boolean {
    if (ancestor === dir) return true;
    for (const child of ancestor.children.values()) {
      if (child.kind === "dir" && this.contains(child, dir)) return true;
    }
    return false;
  }

  private tryNode(path: string, follow: boolean): FsNode | undefined {
    try {
      return this.resolve(path, follow).node;
    } catch (error) {
      if (error instanceof FsError) return undefined;
      throw error;
    }
  }

  private existing(path: string, follow: boolean): FsNode {
    const { node } = this.resolve(path, follow);
    if (!node) throw new FsError("ENOENT", path);
    return node;
  }

  /** The directory an entry lives in and its name there; `parents` creates missing dirs. */
  private slot(path: string, parents: boolean, follow = true) {
    if (parents) {
      const dir = path.replace(/\/[^/]*\/*$/, "");
      if (dir !== "") this.mkdirp(dir);
    }
    const found = this.resolve(path, follow);
    if (!found.parent) throw new FsError("EBUSY", path);
    return { parent: found.parent, name: found.name, node: found.node };
  }

  /**
   * Walks `path` component by component. The last component may be missing (node undefined)
   * so that callers can create it; a missing or non-directory middle component is an error.
   */
  private resolve(path: string, follow: boolean): { node?: FsNode; parent?: DirNode; name: string; real: string } {
    if (!path.startsWith("/")) throw new FsError("ENOENT", path);
    const stack: { name: string; node: DirNode }[] = [];
    let pending = components(path);
    let hops = 0;
    let dir = this.root;
    while (pending.length > 0) {
      const [name, ...rest] = pending;
      pending = rest;
      if (name === "..") {
        dir = stack.pop() ? (stack.at(-1)?.node ?? this.root) : this.root;
        continue;
      }
      const child = dir.children.get(name);
      const last = pending.length === 0;
      if (child?.kind === "symlink" && (!last || follow)) {
        if (++hops > MAX_SYMLINK_HOPS) throw new FsError("ELOOP", path);
        if (child.target.startsWith("/")) {
          stack.length = 0;
          dir = this.root;
        }
        pending = [...components(child.target), ...pending];
        continue;
      }
      const real = "/" + [...stack.map((s) => s.name), name].join("/");
      if (last) return { node: child, parent: dir, name, real };
      if (!child) throw new FsError("ENOENT", path);
      if (child.kind !== "dir") throw new FsError("ENOTDIR", path);
      stack.push({ name, node: child });
      dir = child;
    }
    const real = "/" + stack.map((s) => s.name).join("/");
    const name = stack.at(-1)?.name ?? "";
    const parent = stack.length >= 2 ? stack[stack.length - 2].node : stack.length === 1 ? this.root : undefined;
    return { node: dir, parent, name, real };
  }
}
