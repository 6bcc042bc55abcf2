import type { VirtualClock } from "../util/clock";
import { force, type Lazy } from "../util/lazy";
import { FsError } from "./fs-errors";
import { isCleanPath } from "./path";

export { FsError, reasonOf, type Errno } from "./fs-errors";

/**
 * Told when entries of a watched directory are created, written, renamed or removed (inotify on
 * a directory). An object, not a callback: file systems are state, and state holds no closures.
 */
export interface FsWatcher {
  fsChanged(dir: string): void;
}

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
  /** A virtual file's source, by its key in the file system's table of sources. */
  source?: string;
  /** Text not made yet: made on first read, then stored as `content` (see {@link FileSystem.writeLazyFile}). */
  lazy?: Lazy<string>;
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

/** Where a path led: the node (if any), its directory and name there, and the directories walked. */
interface Resolved {
  node?: FsNode;
  parent?: DirNode;
  name: string;
  /** The real path's directories, root excluded. */
  stack: { name: string; node: DirNode }[];
  /** Whether `name` is a component past `stack` (false when the path ended on a directory of it). */
  beyond: boolean;
}

/** UTF-8 byte length of a string, i.e. the size `ls -l` and `wc -c` report. */
export function byteLength(text: string): number {
  let ascii = true;
  for (let i = 0; i < text.length && ascii; i++) ascii = text.charCodeAt(i) < 0x80;
  if (ascii) return text.length;
  let bytes = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

function components(path: string): string[] {
  // Most paths are clean ("/var/lib/x"): one split, nothing to drop.
  if (isCleanPath(path)) return path.slice(1).split("/");
  const out: string[] = [];
  for (const c of path.split("/")) if (c !== "" && c !== ".") out.push(c);
  return out;
}

/** Directories a file system remembers at most (see FileSystem's dcache). */
const DCACHE_MAX = 4096;

/** Whether `names` (as components() made them from `path`) are all of it: no empty, "." or ".." component was there. */
function cleanComponents(path: string, names: readonly string[]): boolean {
  let length = 0;
  for (const name of names) {
    if (name === "..") return false;
    length += name.length + 1;
  }
  return length === path.length;
}

/** The path without its last component (and the slashes after it): "" for one at the root. */
function parentOf(path: string): string {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 47) end--;
  const slash = path.lastIndexOf("/", end - 1);
  return slash <= 0 ? "" : path.slice(0, slash);
}

/**
 * One host's (or container's) in-memory POSIX-like tree: files with string contents,
 * directories, symlinks, mode bits, owner and mtime (from the virtual clock). Paths must be
 * absolute; `.`/`..` and symlinks resolve component by component as the kernel does. Failures
 * throw {@link FsError} with an errno code.
 *
 * Copy on write: {@link seal} freezes the tree, and frozen nodes are shared when a cluster
 * forks (see ../CONTEXT.md, "State is data"); a change copies the frozen nodes on its path
 * first, so a fork pays only for what it writes. Virtual files keep their sources in a table
 * of the file system, not in the (shared) tree.
 *
 * @example
 * const fs = new FileSystem(clock);
 * fs.writeFile("/etc/hostname", "node-1\n", { parents: true });
 * fs.symlink("/run/resolv.conf", "/etc/resolv.conf");
 * fs.defineVirtualFile("/proc/loadavg", { read: () => "0.00 0.01 0.05 1/93 1\n" });
 * fs.readFile("/etc/hostname"); // "node-1\n"
 */
export class FileSystem {
  private root: DirNode;
  private readonly sources = new Map<string, VirtualSource>();
  private sourceSeq = 0;
  private readonly watchers = new Map<string, FsWatcher[]>();
  private changes = 0;
  /**
   * Directories looked up lately, by the clean path that led to them without a symlink (so
   * the path is the real one): the directories walked (the `stack` of a walk). Adding entries
   * never changes where such a path leads, nor does removing a file or a symlink; removing a
   * directory forgets the path to it, and renaming or copying a shared node forgets them all.
   */
  private dcache = new Map<string, Resolved["stack"]>();

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
    return this.content(node);
  }

  /**
   * The file's text, or the recipe of a lazy file nobody has read yet (nothing is made): a
   * writer that holds recipes compares what it would write without making the text.
   */
  readFileRecipe(path: string): string | Lazy<string> {
    const node = this.existing(path, true);
    if (node.kind !== "file") return this.readFile(path);
    return node.lazy ?? this.content(node);
  }

  /**
   * Every entry under the directory `path` that is not a directory, by its path relative to
   * `path`: a file as readFileRecipe answers it, anything else (a symlink) as null. Symlinks
   * inside are not followed. One walk, for a caller comparing a tree with what it wrote;
   * undefined when `path` is not a directory.
   */
  entriesUnder(path: string): Map<string, string | Lazy<string> | null> | undefined {
    const top = this.tryNode(path, true);
    if (top?.kind !== "dir") return undefined;
    const out = new Map<string, string | Lazy<string> | null>();
    const visit = (dir: DirNode, prefix: string): void => {
      for (const [name, child] of dir.children) {
        const rel = prefix + name;
        if (child.kind === "dir") visit(child, `${rel}/`);
        else out.set(rel, child.kind === "file" ? (child.lazy ?? this.content(child)) : null);
      }
    };
    visit(top, "");
    return out;
  }

  /** Creates or truncates-and-writes a file (open with O_CREAT|O_TRUNC). */
  writeFile(path: string, text: string, options: CreateOptions = {}): void {
    this.put(path, text, false, options);
  }

  /**
   * {@link writeFile} with text that is made when something first reads the file (kubeadm's
   * certificates, whose signing would otherwise dominate a boot). Reads, sizes and `stat` see
   * the text as if it had been written now; the mode, owner and mtime are set now.
   */
  writeLazyFile(path: string, text: Lazy<string>, options: CreateOptions = {}): void {
    this.put(path, text, false, options);
  }

  /** Appends, creating the file if needed (open with O_APPEND). */
  appendFile(path: string, text: string, options: CreateOptions = {}): void {
    this.put(path, text, true, options);
  }

  /** A file whose content comes from `source` each time it is read. */
  defineVirtualFile(path: string, source: VirtualSource, options: CreateOptions = {}): void {
    const { parent, name, node, stack } = this.slot(path, options.parents ?? true);
    if (node) this.dropName(parent, name, node);
    if (node?.kind !== undefined && node.kind !== "file") this.forget();
    const key = `v${this.sourceSeq++}`;
    this.sources.set(key, source);
    const { mode, owner, group, mtime } = this.meta(options, 0o644);
    parent.children.set(name, { mode, owner, group, mtime, kind: "file", content: "", links: 1, source: key });
    this.changed(stack);
  }

  /** mkdir(2): the parent must exist and the name must be free. */
  mkdir(path: string, options: CreateOptions = {}): void {
    if (this.tryNode(path, false)) throw new FsError("EEXIST", path);
    const { parent, name, node, stack } = this.slot(path, options.parents ?? false);
    if (node) throw new FsError("EEXIST", path);
    parent.children.set(name, this.newDir(options));
    parent.mtime = this.clock.now();
    this.changed(stack);
  }

  /** `mkdir -p`: creates every missing directory; existing directories are fine. */
  mkdirp(path: string, options: CreateOptions = {}): void {
    // Mostly the directory is there already (a sync that runs again): one walk says so.
    if (this.tryNode(path, true)?.kind === "dir") return;
    const names = components(path);
    // Up from the parent to the nearest directory that exists (mostly the parent itself), then
    // down, creating what is missing.
    let have = names.length - 1;
    while (have > 0 && this.tryNode("/" + names.slice(0, have).join("/"), true)?.kind !== "dir") have--;
    let sofar = have > 0 ? "/" + names.slice(0, have).join("/") : "";
    for (let index = have; index < names.length; index++) {
      const name = names[index];
      sofar += "/" + name;
      const child = this.tryNode(sofar, true);
      if (child === undefined) {
        const { parent, stack } = this.slot(sofar, false);
        parent.children.set(name, this.newDir(options));
        this.changed(stack);
      } else if (child.kind !== "dir") {
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
    const { parent, name, node, stack } = this.slot(path, false, false);
    if (!node) throw new FsError("ENOENT", path);
    if (node.kind === "dir") throw new FsError("EISDIR", path);
    this.dropName(parent, name, node);
    parent.children.delete(name);
    parent.mtime = this.clock.now();
    // A file or a symlink: remembered lookups never went through either (see walk).
    this.changed(stack);
  }

  /** link(2): another name for the same file (not for directories). */
  link(existing: string, path: string): void {
    if (this.existing(existing, false).kind === "dir") throw new FsError("EPERM", existing);
    const { parent, name, node: taken, stack } = this.slot(path, false, false);
    if (taken) throw new FsError("EEXIST", path);
    const node = this.writable(existing, false);
    if (node.kind === "file") node.links++;
    parent.children.set(name, node);
    parent.mtime = this.clock.now();
    this.changed(stack);
  }

  /** rmdir(2): removes an empty directory. */
  rmdir(path: string): void {
    const { parent, name, node, stack } = this.slot(path, false, false);
    if (!node) throw new FsError("ENOENT", path);
    if (node.kind !== "dir") throw new FsError("ENOTDIR", path);
    if (node === this.root) throw new FsError("EBUSY", path);
    if (node.children.size > 0) throw new FsError("ENOTEMPTY", path);
    parent.children.delete(name);
    parent.mtime = this.clock.now();
    // Empty, so the one lookup that led through it is the one that led to it.
    this.dcache.delete("/" + [...stack.map((s) => s.name), name].join("/"));
    this.changed(stack);
  }

  /** `rm -rf` of one path: a file or a link, or a directory and everything under it (the path must exist). */
  removeTree(path: string): void {
    if (this.lstat(path).kind === "dir") {
      for (const name of this.list(path)) this.removeTree(`${path}/${name}`);
      this.rmdir(path);
    } else {
      this.unlink(path);
    }
  }

  /** rename(2), including its rules for replacing an existing target. */
  rename(from: string, to: string): void {
    const src = this.slot(from, false, false);
    if (!src.node) throw new FsError("ENOENT", from);
    const dst = this.slot(to, false, false);
    // Making the target's directory writable may have copied nodes on the source's path.
    const moving = src.parent.children.get(src.name)!;
    const replaced = dst.parent.children.get(dst.name);
    if (moving.kind === "dir" && this.contains(moving, dst.parent)) throw new FsError("EINVAL", to);
    if (replaced && replaced !== moving) {
      if (replaced.kind === "dir") {
        if (moving.kind !== "dir") throw new FsError("EISDIR", to);
        if (replaced.children.size > 0) throw new FsError("ENOTEMPTY", to);
      } else if (moving.kind === "dir") {
        throw new FsError("ENOTDIR", to);
      }
      this.dropName(dst.parent, dst.name, replaced);
    }
    src.parent.children.delete(src.name);
    dst.parent.children.set(dst.name, moving);
    this.forget();
    src.parent.mtime = dst.parent.mtime = this.clock.now();
    this.changed(src.stack);
    if (dst.parent !== src.parent) this.changed(dst.stack);
  }

  /** symlink(2): `path` will point at `target` (which need not exist). */
  symlink(target: string, path: string, options: CreateOptions = {}): void {
    const { parent, name, node, stack } = this.slot(path, options.parents ?? false, false);
    if (node) throw new FsError("EEXIST", path);
    const { mode, owner, group, mtime } = this.meta(options, 0o777);
    parent.children.set(name, { mode, owner, group, mtime, kind: "symlink", target });
    this.changed(stack);
  }

  /**
   * Creates the directory `dir` (with its parents) holding one symlink per entry of `links`
   * (name → target): what a process's `/proc/PID/ns` is, made in one walk rather than one per link.
   */
  mkdirWithLinks(dir: string, links: readonly (readonly [name: string, target: string])[], options: CreateOptions = {}): void {
    this.mkdirp(dir, options);
    const found = this.resolve(dir, true, true);
    const node = (found.parent ? this.own(found.parent, found.name, found.node!) : this.root) as DirNode;
    const now = this.clock.now();
    for (const [name, target] of links) {
      if (node.children.has(name)) throw new FsError("EEXIST", `${dir}/${name}`);
      node.children.set(name, { mode: 0o777, owner: "root", group: "root", mtime: now, kind: "symlink", target });
    }
    node.mtime = now;
    this.changed(found.beyond ? [...found.stack, { name: found.name, node }] : found.stack);
  }

  /** readlink(2). */
  readlink(path: string): string {
    const node = this.existing(path, false);
    if (node.kind !== "symlink") throw new FsError("EINVAL", path);
    return node.target;
  }

  /** The canonical absolute path with every symlink resolved (realpath(3)). */
  realpath(path: string): string {
    const { stack, name, beyond } = this.resolve(path, true);
    return "/" + [...stack.map((s) => s.name), ...(beyond ? [name] : [])].join("/");
  }

  chmod(path: string, mode: number): void {
    this.writable(path, true).mode = mode & 0o7777;
    this.changes++;
  }

  /** Sets the modification time, to now by default (what `touch` does to an existing file). */
  touch(path: string, mtime: number = this.clock.now()): void {
    this.writable(path, true).mtime = mtime;
    this.changes++;
  }

  /**
   * A number that changes with every change to the tree (entries, contents, modes, times; not what
   * virtual files produce): what was computed from the tree is still true while it stays the same.
   */
  get version(): number {
    return this.changes;
  }

  /** inotify_add_watch on a directory (by path; it need not exist yet): `watcher` hears of changes to its entries. */
  watch(dir: string, watcher: FsWatcher): void {
    const key = "/" + components(dir).join("/");
    this.watchers.set(key, [...(this.watchers.get(key) ?? []), watcher]);
  }

  /**
   * Starts this (empty) file system from `template`'s sealed tree, shared until written (copy on
   * write, as a fork's): what an image's layers are to each of its containers.
   */
  shareTree(template: FileSystem): void {
    if (!Object.isFrozen(template.root) || template.sources.size > 0) throw new Error("shareTree: the template must be sealed and hold no virtual files");
    this.root = template.root;
    this.forget();
    this.changes++;
  }

  /**
   * Freezes the tree as it stands: from now on it is shared with every copy of this file system
   * (a forked cluster's), and a change copies the nodes on its path first.
   */
  seal(): void {
    const freeze = (node: FsNode): void => {
      if (Object.isFrozen(node)) return;
      Object.freeze(node);
      if (node.kind === "dir") for (const child of node.children.values()) freeze(child);
    };
    freeze(this.root);
    // Copies of a sealed file system start with nothing remembered (the cache is not state).
    this.forget();
  }

  private put(path: string, text: string | Lazy<string>, append: boolean, options: CreateOptions): void {
    const { parent, name, node, stack } = this.slotToWrite(path, options.parents ?? false);
    if (node?.kind === "dir") throw new FsError("EISDIR", path);
    const now = this.clock.now();
    if (node?.kind === "file") {
      const file = this.own(parent, name, node);
      if (file.source) {
        this.sources.get(file.source)?.write?.(typeof text === "string" ? text : force(text), append);
      } else {
        const before = append ? this.content(file) : "";
        delete file.lazy;
        if (typeof text === "string") file.content = before + text;
        else Object.assign(file, { content: "", lazy: text });
      }
      file.mtime = now;
    } else {
      const { mode, owner, group, mtime } = this.meta(options, 0o644);
      const file: FileNode = typeof text === "string" ? { mode, owner, group, mtime, kind: "file", content: text, links: 1 } : { mode, owner, group, mtime, kind: "file", content: "", lazy: text, links: 1 };
      parent.children.set(name, file);
      parent.mtime = now;
    }
    this.changed(stack);
  }

  /** Tells the watchers of the directory `stack` leads to that its entries changed. */
  private changed(stack: Resolved["stack"]): void {
    this.changes++;
    if (this.watchers.size === 0) return;
    const dir = "/" + stack.map((s) => s.name).join("/");
    for (const watcher of this.watchers.get(dir) ?? []) watcher.fsChanged(dir);
  }

  private content(node: FileNode): string {
    if (node.source) return this.sources.get(node.source)?.read() ?? "";
    if (!node.lazy) return node.content;
    const text = force(node.lazy);
    // A sealed node is shared with forks and stays as it is: the recipe remembers the text it made.
    if (!Object.isFrozen(node)) {
      node.content = text;
      delete node.lazy;
    }
    return text;
  }

  private describe(node: FsNode): FsStat {
    let size: number;
    let nlink: number;
    switch (node.kind) {
      case "file":
        size = byteLength(this.content(node));
        nlink = node.links;
        break;
      case "dir":
        size = 4096;
        nlink = 2;
        for (const child of node.children.values()) if (child.kind === "dir") nlink++;
        break;
      case "symlink":
        size = byteLength(node.target);
        nlink = 1;
        break;
    }
    return { mode: node.mode, owner: node.owner, group: node.group, mtime: node.mtime, kind: node.kind, size, nlink };
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
    const { mode, owner, group, mtime } = this.meta(options, 0o755);
    return { mode, owner, group, mtime, kind: "dir", children: new Map() };
  }

  private contains(ancestor: DirNode, dir: DirNode): boolean {
    if (ancestor === dir) return true;
    for (const child of ancestor.children.values()) {
      if (child.kind === "dir" && this.contains(child, dir)) return true;
    }
    return false;
  }

  private tryNode(path: string, follow: boolean): FsNode | undefined {
    const found = this.walk(path, follow, false);
    return typeof found === "string" ? undefined : found.node;
  }

  private existing(path: string, follow: boolean): FsNode {
    const { node } = this.resolve(path, follow);
    if (!node) throw new FsError("ENOENT", path);
    return node;
  }

  /** The node at `path`, made writable (with the directories on its way). */
  private writable(path: string, follow: boolean): FsNode {
    const { node, parent, name } = this.resolve(path, follow, true);
    if (!node) throw new FsError("ENOENT", path);
    return parent ? this.own(parent, name, node) : this.root;
  }

  /**
   * `node`, found as `name` in the writable `parent`, as a node that may change in place: a
   * frozen (shared) one is copied first, and every name of a hard-linked file then names the copy.
   */
  private own<N extends FsNode>(parent: DirNode, name: string, node: N): N {
    if (!Object.isFrozen(node)) return node;
    const mine = (node.kind === "dir" ? { ...node, children: new Map(node.children) } : { ...node }) as N;
    this.forget();
    if (node.kind === "file" && node.links > 1) this.root = this.relinked(this.root, node, mine);
    else parent.children.set(name, mine);
    return mine;
  }

  /** The tree with every name of `old` naming `mine` instead (frozen directories copied on the way). */
  private relinked(dir: DirNode, old: FsNode, mine: FsNode): DirNode {
    let out = dir;
    for (const [name, child] of dir.children) {
      const next = child === old ? mine : child.kind === "dir" ? this.relinked(child, old, mine) : child;
      if (next === child) continue;
      if (out === dir && Object.isFrozen(dir)) out = { ...dir, children: new Map(dir.children) };
      out.children.set(name, next);
    }
    return out;
  }

  /** A file or symlink loses the name `name`: one link fewer, and a virtual file's source goes with its last. */
  private dropName(parent: DirNode, name: string, node: FsNode): void {
    if (node.kind !== "file") return;
    if (node.links > 1) {
      this.own(parent, name, node).links--;
      return;
    }
    if (node.source) this.sources.delete(node.source);
  }

  /** The (writable) directory an entry lives in and its name there; `parents` creates missing dirs. */
  /** slot(), but a path that is the root directory is EISDIR, as for any directory written to. */
  private slotToWrite(path: string, parents: boolean) {
    try {
      return this.slot(path, parents);
    } catch (error) {
      if (error instanceof FsError && error.code === "EBUSY" && this.isDirectory(path)) throw new FsError("EISDIR", path);
      throw error;
    }
  }

  private slot(path: string, parents: boolean, follow = true) {
    // With `parents`, the directories are mostly there already: one walk, and mkdir -p only when it fails.
    let found = parents ? this.walk(path, follow, true) : undefined;
    if (found === undefined || typeof found === "string") {
      const dir = parents ? parentOf(path) : "";
      if (dir !== "") this.mkdirp(dir);
      found = this.resolve(path, follow, true);
    }
    if (!found.parent) throw new FsError("EBUSY", path);
    return { parent: found.parent, name: found.name, node: found.node, stack: found.beyond ? found.stack : found.stack.slice(0, -1) };
  }

  /**
   * Walks `path` component by component. The last component may be missing (node undefined)
   * so that callers can create it; a missing or non-directory middle component is an error.
   * With `write`, every directory on the way is made writable (copied if frozen), so the
   * returned parent may be changed in place.
   */
  private resolve(path: string, follow: boolean, write = false): Resolved {
    const found = this.walk(path, follow, write);
    if (typeof found === "string") throw new FsError(found, path);
    return found;
  }

  /** Empties the directory cache: where a path leads may have changed. */
  private forget(): void {
    if (this.dcache.size > 0) this.dcache = new Map();
  }

  /** {@link resolve}, answering an error's errno instead of throwing it (lookups that may miss are common). */
  private walk(path: string, follow: boolean, write: boolean): Resolved | "ENOENT" | "ENOTDIR" | "ELOOP" {
    if (!path.startsWith("/")) return "ENOENT";
    // The directory of the last component, if it was looked up lately. Only clean real paths are
    // remembered, so an unclean directory part ("/a//b", "/a/./b") is simply not found.
    const slash = path.lastIndexOf("/");
    const dirPath = slash > 0 && slash < path.length - 1 ? path.slice(0, slash) : undefined;
    const known = dirPath === undefined ? undefined : this.dcache.get(dirPath);
    const leaf = known === undefined ? "" : path.slice(slash + 1);
    if (known !== undefined && leaf !== "." && leaf !== "..") {
      const dir = known[known.length - 1].node;
      const child = dir.children.get(leaf);
      // A node that is not frozen has no frozen directory above it: the whole path is writable.
      if ((!write || !Object.isFrozen(dir)) && !(follow && child?.kind === "symlink")) return { node: child, parent: dir, name: leaf, stack: known, beyond: true };
    }
    if (write && Object.isFrozen(this.root)) {
      this.root = { ...this.root, children: new Map(this.root.children) };
      this.forget();
    }
    const stack: { name: string; node: DirNode }[] = [];
    let pending = components(path);
    let at = 0;
    let hops = 0;
    let dir = this.root;
    while (at < pending.length) {
      const name = pending[at++];
      if (name === "..") {
        dir = stack.pop() ? (stack.at(-1)?.node ?? this.root) : this.root;
        continue;
      }
      let child = dir.children.get(name);
      const last = at === pending.length;
      if (child?.kind === "symlink" && (!last || follow)) {
        if (++hops > MAX_SYMLINK_HOPS) return "ELOOP";
        if (child.target.startsWith("/")) {
          stack.length = 0;
          dir = this.root;
        }
        pending = [...components(child.target), ...pending.slice(at)];
        at = 0;
        continue;
      }
      if (last) {
        // Not through a symlink or "..", and without empty or "." components (the components
        // and their slashes make up the whole path): the stack is the directory part of `path`.
        if (dirPath !== undefined && hops === 0 && cleanComponents(path, pending)) {
          if (this.dcache.size >= DCACHE_MAX) this.forget();
          this.dcache.set(dirPath, stack);
        }
        return { node: child, parent: dir, name, stack, beyond: true };
      }
      if (!child) return "ENOENT";
      if (child.kind !== "dir") return "ENOTDIR";
      if (write && Object.isFrozen(child)) {
        child = { ...child, children: new Map(child.children) };
        dir.children.set(name, child);
        this.forget();
      }
      stack.push({ name, node: child });
      dir = child;
    }
    const name = stack.at(-1)?.name ?? "";
    const parent = stack.length >= 2 ? stack[stack.length - 2].node : stack.length === 1 ? this.root : undefined;
    return { node: dir, parent, name, stack, beyond: false };
  }
}
