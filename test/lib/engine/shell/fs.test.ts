import { describe, expect, it } from "vitest";
import { FileSystem, FsError, type FsWatcher } from "@/lib/engine/shell";
import { VirtualClock } from "@/lib/engine/util/clock";
import { copyGraph } from "@/lib/engine/util/graph-copy";
import { lazy } from "@/lib/engine/util/lazy";

function freshFs() {
  const clock = new VirtualClock(Date.UTC(2026, 0, 12, 9));
  const fs = new FileSystem(clock);
  fs.mkdirp("/a/b");
  fs.writeFile("/a/file", "hello\n");
  return { fs, clock };
}

function errno(body: () => unknown): string | undefined {
  try {
    body();
  } catch (error) {
    if (error instanceof FsError) return error.code;
    throw error;
  }
  return undefined;
}

describe("FileSystem errors", () => {
  const cases: [string, (fs: FileSystem) => unknown, string][] = [
    ["reading a missing file", (fs) => fs.readFile("/a/nope"), "ENOENT"],
    ["reading a directory", (fs) => fs.readFile("/a"), "EISDIR"],
    ["a file used as a directory", (fs) => fs.readFile("/a/file/x"), "ENOTDIR"],
    ["writing into a missing directory", (fs) => fs.writeFile("/nope/x", ""), "ENOENT"],
    ["writing over a directory", (fs) => fs.writeFile("/a/b", ""), "EISDIR"],
    ["mkdir over anything", (fs) => fs.mkdir("/a/file"), "EEXIST"],
    ["mkdir without the parent", (fs) => fs.mkdir("/x/y"), "ENOENT"],
    ["mkdir -p through a file", (fs) => fs.mkdirp("/a/file/x"), "ENOTDIR"],
    ["rmdir of a non-empty directory", (fs) => fs.rmdir("/a"), "ENOTEMPTY"],
    ["rmdir of a file", (fs) => fs.rmdir("/a/file"), "ENOTDIR"],
    ["unlink of a directory", (fs) => fs.unlink("/a/b"), "EISDIR"],
    ["renaming a directory into itself", (fs) => fs.rename("/a", "/a/b/a"), "EINVAL"],
    ["renaming a file over a directory", (fs) => fs.rename("/a/file", "/a/b"), "EISDIR"],
    ["listing a file", (fs) => fs.list("/a/file"), "ENOTDIR"],
    ["readlink of a regular file", (fs) => fs.readlink("/a/file"), "EINVAL"],
    ["hard-linking a directory", (fs) => fs.link("/a/b", "/a/c"), "EPERM"],
    ["a symlink loop", (fs) => (fs.symlink("/loop", "/loop"), fs.readFile("/loop")), "ELOOP"],
    ["relative paths", (fs) => fs.readFile("a/file"), "ENOENT"],
  ];
  it.each(cases)("%s", (_, body, code) => {
    const { fs } = freshFs();
    expect(errno(() => body(fs))).toBe(code);
  });

  it.each(cases)("%s, on a sealed (shared) tree as well", (_, body, code) => {
    const { fs } = freshFs();
    fs.seal();
    expect(errno(() => body(copyGraph(fs)))).toBe(code);
  });

  it("words errors like strerror", () => {
    const error = new FsError("ENOTEMPTY", "/a");
    expect(error.reason).toBe("Directory not empty");
  });
});

describe("FileSystem behaviour", () => {
  it("resolves . and .. and follows relative and absolute symlinks", () => {
    const { fs } = freshFs();
    fs.symlink("../file", "/a/b/up");
    fs.symlink("/a/b", "/short");
    expect(fs.readFile("/a/b/../file")).toBe("hello\n");
    expect(fs.readFile("/a/b/up")).toBe("hello\n");
    expect(fs.readFile("/short/up")).toBe("hello\n");
    expect(fs.realpath("/short/./up")).toBe("/a/file");
    expect(fs.lstat("/short").kind).toBe("symlink");
    expect(fs.stat("/short").kind).toBe("dir");
  });

  it("writes through a dangling symlink, creating its target", () => {
    const { fs } = freshFs();
    fs.symlink("/a/target", "/a/link");
    fs.writeFile("/a/link", "x");
    expect(fs.readFile("/a/target")).toBe("x");
  });

  it("stamps mtime from the virtual clock and reports sizes in UTF-8 bytes", () => {
    const { fs, clock } = freshFs();
    clock.advance(60_000);
    fs.writeFile("/a/utf", "é\n", { mode: 0o600, owner: "app" });
    const stat = fs.stat("/a/utf");
    expect(stat).toMatchObject({ kind: "file", size: 3, mode: 0o600, owner: "app", group: "app", mtime: Date.UTC(2026, 0, 12, 9, 1) });
    expect(fs.stat("/a").nlink).toBe(3);
  });

  it("lists entries in byte order", () => {
    const { fs } = freshFs();
    for (const name of ["b", "B", "a", "_x", "A"]) fs.writeFile(`/a/b/${name}`, "");
    expect(fs.list("/a/b")).toEqual(["A", "B", "_x", "a", "b"]);
  });

  it("serves virtual files from callbacks", () => {
    const { fs } = freshFs();
    let reads = 0;
    const written: string[] = [];
    fs.defineVirtualFile("/proc/count", { read: () => `${++reads}\n`, write: (text) => void written.push(text) });
    expect(fs.readFile("/proc/count")).toBe("1\n");
    expect(fs.readFile("/proc/count")).toBe("2\n");
    fs.appendFile("/proc/count", "x");
    expect(written).toEqual(["x"]);
  });

  it("keeps hard links to the same file", () => {
    const { fs } = freshFs();
    fs.link("/a/file", "/a/twin");
    fs.appendFile("/a/twin", "more\n");
    expect(fs.readFile("/a/file")).toBe("hello\nmore\n");
    expect(fs.stat("/a/file").nlink).toBe(2);
    fs.unlink("/a/twin");
    expect(fs.stat("/a/file").nlink).toBe(1);
  });

  it("renames over an empty directory and moves subtrees", () => {
    const { fs } = freshFs();
    fs.mkdir("/empty");
    fs.rename("/a/b", "/empty");
    expect(fs.isDirectory("/empty")).toBe(true);
    expect(fs.exists("/a/b")).toBe(false);
  });
});

describe("FileSystem lookups remembered", () => {
  it("follow every change of where a path leads: renames, removals, new symlinks, copies", () => {
    const { fs } = freshFs();
    fs.writeFile("/a/b/x", "1");
    fs.rename("/a/b", "/a/c");
    expect(errno(() => fs.writeFile("/a/b/y", "2"))).toBe("ENOENT");
    expect(fs.readFile("/a/c/x")).toBe("1");
    fs.unlink("/a/c/x");
    fs.rmdir("/a/c");
    fs.symlink("/a", "/a/c");
    fs.writeFile("/a/c/z", "3");
    expect(fs.readFile("/a/z")).toBe("3");
    fs.unlink("/a/c");
    fs.mkdirp("/a/c");
    expect(fs.exists("/a/c/z")).toBe(false);
    fs.writeFile("/a/c/v", "v");
    expect([fs.stat("/a/c/.").kind, fs.realpath("/a/c/.."), fs.readFile("/a//c/v"), fs.readFile("/a/./c/v")]).toEqual(["dir", "/a", "v", "v"]);
    fs.seal();
    const copy = copyGraph(fs);
    copy.writeFile("/a/c/w", "4");
    expect([copy.readFile("/a/c/w"), fs.exists("/a/c/w")]).toEqual(["4", false]);
    fs.writeFile("/a/c/w", "5");
    expect([copy.readFile("/a/c/w"), fs.readFile("/a/c/w")]).toEqual(["4", "5"]);
  });
});

describe("FileSystem.mkdirWithLinks", () => {
  it("makes a directory of symlinks as mkdir -p and ln -s would, in a sealed tree's copy only", () => {
    const { fs, clock } = freshFs();
    clock.advance(5_000);
    fs.seal();
    const copy = copyGraph(fs);
    copy.mkdirWithLinks("/proc/42/ns", [["net", "net:[4026532301]"], ["pid", "pid:[4026531836]"]], { mode: 0o511 });
    expect(copy.list("/proc/42/ns")).toEqual(["net", "pid"]);
    expect(copy.readlink("/proc/42/ns/net")).toBe("net:[4026532301]");
    expect(copy.lstat("/proc/42/ns/pid")).toMatchObject({ kind: "symlink", mode: 0o777, mtime: clock.now() });
    expect(copy.stat("/proc/42/ns")).toMatchObject({ kind: "dir", mode: 0o511 });
    expect(fs.exists("/proc")).toBe(false);
    expect(errno(() => copy.mkdirWithLinks("/proc/42/ns", [["net", "x"]]))).toBe("EEXIST");
  });
});

describe("FileSystem copy on write", () => {
  /** A sealed tree and a copy of it, as a template and a forked cluster hold them. */
  function forked() {
    const { fs } = freshFs();
    fs.symlink("/a/b", "/short");
    fs.seal();
    return { template: fs, fork: copyGraph(fs) };
  }

  it("lets the copy and the original change apart once sealed", () => {
    const { template, fork } = forked();
    fork.writeFile("/a/file", "fork\n");
    fork.mkdirp("/short/deep/er");
    fork.unlink("/short");
    template.appendFile("/a/file", "template\n");
    template.rename("/a/b", "/moved");
    expect(fork.readFile("/a/file")).toBe("fork\n");
    expect(fork.isDirectory("/a/b/deep/er")).toBe(true);
    expect(fork.exists("/moved")).toBe(false);
    expect(template.readFile("/a/file")).toBe("hello\ntemplate\n");
    expect(template.exists("/moved/deep")).toBe(false);
    expect(template.readlink("/short")).toBe("/a/b");
  });

  it("changes modes and times of shared entries in the copy only", () => {
    const { template, fork } = forked();
    fork.chmod("/a/file", 0o600);
    fork.touch("/a/b", 42);
    expect(fork.stat("/a/file").mode).toBe(0o600);
    expect(fork.stat("/a/b").mtime).toBe(42);
    expect(template.stat("/a/file").mode).toBe(0o644);
    expect(template.stat("/a/b").mtime).not.toBe(42);
  });

  it("keeps hard links one file after sealing: a write through one name shows through the other", () => {
    const { fs } = freshFs();
    fs.link("/a/file", "/a/b/twin");
    fs.seal();
    const fork = copyGraph(fs);
    fork.appendFile("/a/b/twin", "more\n");
    expect(fork.readFile("/a/file")).toBe("hello\nmore\n");
    fork.unlink("/a/file");
    expect(fork.stat("/a/b/twin").nlink).toBe(1);
    expect(fs.readFile("/a/file")).toBe("hello\n");
    expect(fs.stat("/a/b/twin").nlink).toBe(2);
  });

  it("reads a virtual file from the copy's own source", () => {
    class Counter {
      reads = 0;
      read(): string {
        return `read ${++this.reads}\n`;
      }
    }
    const { fs } = freshFs();
    fs.defineVirtualFile("/proc/count", new Counter());
    fs.readFile("/proc/count");
    fs.seal();
    const fork = copyGraph(fs);
    expect(fork.readFile("/proc/count")).toBe("read 2\n");
    expect(fork.readFile("/proc/count")).toBe("read 3\n");
    expect(fs.readFile("/proc/count")).toBe("read 2\n");
  });
});

describe("FileSystem watches", () => {
  class Recorder implements FsWatcher {
    readonly seen: string[] = [];
    fsChanged(dir: string): void {
      this.seen.push(dir);
    }
  }

  it("tells a directory's watchers of entries created, written, renamed and removed, wherever the path came from", () => {
    const { fs } = freshFs();
    const watcher = new Recorder();
    fs.watch("/a/b/", watcher);
    fs.symlink("/a/b", "/link");
    fs.writeFile("/link/x.yaml", "1");
    fs.appendFile("/a/b/x.yaml", "2");
    fs.rename("/a/b/x.yaml", "/a/y.yaml");
    fs.rename("/a/y.yaml", "/a/b/../b/z.yaml");
    fs.mkdir("/a/b/sub");
    fs.unlink("/a/b/z.yaml");
    fs.writeFile("/a/elsewhere", "nobody listens");
    expect(watcher.seen).toEqual(["/a/b", "/a/b", "/a/b", "/a/b", "/a/b", "/a/b"]);
  });

  it("watches a directory that does not exist yet, and keeps watching in a sealed copy", () => {
    const heard: string[] = [];
    // The watcher is copied with the file system; it reports to a log outside both.
    class Reporter implements FsWatcher {
      constructor(readonly name: string) {}
      fsChanged(dir: string): void {
        heard.push(`${this.name}: ${dir}`);
      }
    }
    const { fs } = freshFs();
    fs.watch("/etc/kubernetes/manifests", new Reporter("kubelet"));
    fs.seal();
    const fork = copyGraph(fs);
    fork.mkdirp("/etc/kubernetes/manifests");
    fork.writeFile("/etc/kubernetes/manifests/etcd.yaml", "kind: Pod\n");
    expect(heard).toEqual(["kubelet: /etc/kubernetes/manifests"]);
    expect(fs.exists("/etc/kubernetes")).toBe(false);
  });
});

describe("FileSystem version", () => {
  it("changes with every change anywhere in the tree, and only then; a copy goes on from its own", () => {
    const { fs } = freshFs();
    const versions = [fs.version];
    const step = (change: () => unknown) => {
      change();
      versions.push(fs.version);
    };
    step(() => fs.writeFile("/etc/cni/net.d/10-x.conflist", "{}", { parents: true }));
    step(() => fs.mkdir("/root"));
    step(() => fs.appendFile("/etc/cni/net.d/10-x.conflist", " "));
    step(() => fs.chmod("/etc/cni/net.d/10-x.conflist", 0o600));
    step(() => fs.touch("/etc/cni/net.d/10-x.conflist", 5));
    step(() => fs.rename("/etc/cni/net.d", "/root/net.d"));
    step(() => fs.symlink("/root/net.d", "/etc/cni/net.d"));
    step(() => fs.removeTree("/root/net.d"));
    expect(new Set(versions).size).toBe(versions.length);
    const before = fs.version;
    fs.readFile("/a/file");
    fs.list("/etc");
    fs.exists("/etc/cni/net.d/10-x.conflist");
    expect(fs.version).toBe(before);
    fs.seal();
    const fork = copyGraph(fs);
    fork.writeFile("/tmp/x", "1", { parents: true });
    expect(fork.version).not.toBe(before);
    expect(fs.version).toBe(before);
  });
});

describe("FileSystem.shareTree", () => {
  it("starts two file systems from one sealed tree; a write in one is its own", () => {
    const { fs: image } = freshFs();
    image.writeFile("/etc/os-release", "ID=alpine\n", { parents: true });
    image.seal();
    const clock = new VirtualClock(Date.UTC(2026, 0, 12, 10));
    const [a, b] = [new FileSystem(clock), new FileSystem(clock)];
    a.shareTree(image);
    b.shareTree(image);
    a.writeFile("/etc/os-release", "ID=changed\n");
    a.writeFile("/tmp/x", "1", { parents: true });
    expect(b.readFile("/etc/os-release")).toBe("ID=alpine\n");
    expect(image.readFile("/etc/os-release")).toBe("ID=alpine\n");
    expect(b.exists("/tmp/x")).toBe(false);
    expect(a.readFile("/a/file")).toBe("hello\n");
    expect(a.stat("/a/file").mtime).toBe(Date.UTC(2026, 0, 12, 9));
    expect(() => new FileSystem(clock).shareTree(freshFs().fs)).toThrow(/sealed/);
  });
});

describe("FileSystem lazy files", () => {
  let made = 0;
  function text(word: string): string {
    made++;
    return `${word}\n`;
  }

  it("make their text on first read or stat, with the mode and mtime of the write", () => {
    const { fs, clock } = freshFs();
    made = 0;
    fs.writeLazyFile("/a/cert", lazy(text, "héllo"), { mode: 0o600 });
    clock.advance(5_000);
    expect(made).toBe(0);
    expect(fs.stat("/a/cert")).toMatchObject({ kind: "file", mode: 0o600, size: 7, mtime: clock.now() - 5_000 });
    expect(fs.readFile("/a/cert")).toBe("héllo\n");
    expect(made).toBe(1);
  });

  it("are replaced by a write and extended by an append", () => {
    const { fs } = freshFs();
    fs.writeLazyFile("/a/x", lazy(text, "one"));
    fs.writeLazyFile("/a/y", lazy(text, "two"));
    fs.writeFile("/a/x", "mine\n");
    fs.appendFile("/a/y", "more\n");
    expect([fs.readFile("/a/x"), fs.readFile("/a/y")]).toEqual(["mine\n", "two\nmore\n"]);
    fs.writeLazyFile("/a/x", lazy(text, "three"));
    expect(fs.readFile("/a/x")).toBe("three\n");
  });

  it("are shared by a sealed tree's copies, each reading the same text once made", () => {
    const { fs } = freshFs();
    made = 0;
    fs.writeLazyFile("/a/shared", lazy(text, "shared"));
    fs.seal();
    const copy = copyGraph(fs);
    expect([copy.readFile("/a/shared"), fs.readFile("/a/shared"), copy.readFile("/a/shared")]).toEqual(["shared\n", "shared\n", "shared\n"]);
    expect(made).toBe(1);
  });
});
