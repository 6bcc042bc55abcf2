import type { ParsedArgs } from "../args";
import { Output, quote } from "../command-kit";
import { FsError, type FileSystem } from "../fs";
import { joinPath } from "../path";
import type { Command, CommandContext } from "../types";
import { byteOrder } from "../variables";
import { blocks, columns, humanSize, type Listed, longLines } from "./ls-format";

interface Options {
  all: boolean;
  almostAll: boolean;
  long: boolean;
  onePerLine: boolean;
  human: boolean;
  recursive: boolean;
  directory: boolean;
  reverse: boolean;
  byTime: boolean;
  bySize: boolean;
}

function options(args: ParsedArgs): Options {
  return {
    all: args.has("all"),
    almostAll: args.has("almost-all"),
    long: args.has("long"),
    onePerLine: args.has("one"),
    human: args.has("human"),
    recursive: args.has("recursive"),
    directory: args.has("directory"),
    reverse: args.has("reverse"),
    byTime: args.has("time"),
    bySize: args.has("size"),
  };
}

function sorted(entries: Listed[], o: Options): Listed[] {
  const out = [...entries].sort((a, b) => {
    if (o.bySize && a.stat.size !== b.stat.size) return b.stat.size - a.stat.size;
    if (o.byTime && !o.bySize && a.stat.mtime !== b.stat.mtime) return b.stat.mtime - a.stat.mtime;
    return byteOrder(a.name, b.name);
  });
  return o.reverse ? out.reverse() : out;
}

function describe(fs: FileSystem, path: string, name: string, follow: boolean): Listed {
  const link = fs.lstat(path);
  if (link.kind !== "symlink") return { name, stat: link };
  if (follow) {
    try {
      return { name, stat: fs.stat(path) };
    } catch {
      return { name, stat: link };
    }
  }
  return { name, stat: link, target: fs.readlink(path) };
}

function render(entries: Listed[], o: Options, ctx: CommandContext, withTotal: boolean): string {
  if (o.long) {
    const total = entries.reduce((sum, e) => sum + blocks(e.stat), 0);
    const head = withTotal ? [`total ${o.human ? humanSize(total * 1024) : total}`] : [];
    return [...head, ...longLines(entries, ctx.clock.now(), o.human)].map((l) => l + "\n").join("");
  }
  const names = entries.map((e) => e.name);
  const width = Number(ctx.env.get("COLUMNS")) || ctx.terminal.columns;
  const lines = ctx.terminal.isTerminal && !o.onePerLine ? columns(names, width) : names;
  return lines.map((l) => l + "\n").join("");
}

/** The listing of one directory; with -R, followed by its subdirectories' listings. */
function listDirectory(ctx: CommandContext, shown: string, path: string, o: Options): { text: string; subdirs: [string, string][] } {
  const names = ctx.fs.list(path).filter((n) => o.all || o.almostAll || !n.startsWith("."));
  const entries = names.map((n) => describe(ctx.fs, joinPath(path, n), n, false));
  if (o.all) entries.push({ name: ".", stat: ctx.fs.stat(path) }, { name: "..", stat: ctx.fs.stat(joinPath(path, "..")) });
  const order = sorted(entries, o);
  const subdirs: [string, string][] = [];
  if (o.recursive) {
    for (const e of order) {
      if (e.stat.kind !== "dir" || e.name === "." || e.name === "..") continue;
      const child = shown.endsWith("/") ? shown + e.name : `${shown}/${e.name}`;
      subdirs.push([child, joinPath(path, e.name)]);
    }
  }
  return { text: render(order, o, ctx, true), subdirs };
}

/** `ls`: GNU coreutils' listing, sorted in byte order (LC_ALL=C). */
export const ls: Command = {
  name: "ls",
  summary: "list directory contents",
  usage: "ls [OPTION]... [FILE]...",
  description: "List information about the FILEs (the current directory by default).",
  spec: {
    usageExitCode: 2,
    flags: [
      { name: "all", short: "a", long: "all", help: "do not ignore entries starting with ." },
      { name: "almost-all", short: "A", long: "almost-all", help: "do not list implied . and .." },
      { name: "directory", short: "d", long: "directory", help: "list directories themselves, not their contents" },
      { name: "human", short: "h", long: "human-readable", help: "with -l, print sizes like 1K 234M 2G etc." },
      { name: "long", short: "l", help: "use a long listing format" },
      { name: "reverse", short: "r", long: "reverse", help: "reverse order while sorting" },
      { name: "recursive", short: "R", long: "recursive", help: "list subdirectories recursively" },
      { name: "size", short: "S", help: "sort by file size, largest first" },
      { name: "time", short: "t", help: "sort by time, newest first" },
      { name: "one", short: "1", help: "list one file per line" },
    ],
  },
  run(args, ctx) {
    const o = options(args);
    const operands = args.operands.length > 0 ? args.operands : ["."];
    const out = new Output();
    let exitCode = 0;
    const files: Listed[] = [];
    const dirs: Listed[] = [];
    for (const operand of operands) {
      try {
        const listed = describe(ctx.fs, ctx.resolve(operand), operand, !o.long && !o.directory);
        if (listed.stat.kind === "dir" && !o.directory) dirs.push(listed);
        else files.push(listed);
      } catch (error) {
        if (!(error instanceof FsError)) throw error;
        out.err(`ls: cannot access ${quote(operand)}: ${error.reason}\n`);
        exitCode = 2;
      }
    }
    let blocks = 0;
    const block = (text: string) => out.out((blocks++ > 0 ? "\n" : "") + text);
    if (files.length > 0) block(render(sorted(files, o), o, ctx, false));
    const headers = o.recursive || operands.length > 1;
    const queue: [string, string][] = sorted(dirs, o).map((d) => [d.name, ctx.resolve(d.name)]);
    while (queue.length > 0) {
      const [shown, path] = queue.shift() as [string, string];
      try {
        const { text, subdirs } = listDirectory(ctx, shown, path, o);
        block((headers ? `${shown}:\n` : "") + text);
        queue.unshift(...subdirs);
      } catch (error) {
        if (!(error instanceof FsError)) throw error;
        out.err(`ls: cannot open directory ${quote(shown)}: ${error.reason}\n`);
        exitCode = Math.max(exitCode, 1);
      }
    }
    return out.result(exitCode);
  },
};
