import type { FsStat } from "./fs";
import type { CommandContext } from "./types";

/** A malformed test, in bash's words without the prefix ("a: integer expression expected"). */
export class TestError extends Error {}

/** Unary operators of test, `[` and `[[`. */
export const UNARY = new Set(["-e", "-f", "-d", "-s", "-r", "-w", "-x", "-L", "-h", "-z", "-n", "-v", "-b", "-c", "-p", "-S", "-g", "-u", "-k", "-t", "-O", "-G", "-N"]);
/** Binary operators of test and `[` (`[[` adds `=~`, `<` and `>` lexed apart). */
export const BINARY = new Set(["=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-gt", "-le", "-ge", "-nt", "-ot", "-ef"]);

function integer(text: string): number {
  if (!/^\s*[+-]?\d+\s*$/.test(text)) throw new TestError(`${text}: integer expression expected`);
  return Number(text);
}

function stat(ctx: CommandContext, path: string, follow = true): FsStat | undefined {
  try {
    return follow ? ctx.fs.stat(ctx.resolve(path)) : ctx.fs.lstat(ctx.resolve(path));
  } catch {
    return undefined;
  }
}

function permitted(ctx: CommandContext, s: FsStat | undefined, bit: number): boolean {
  if (!s) return false;
  if (ctx.host.uid === 0) return bit !== 1 || (s.mode & 0o111) !== 0 || s.kind === "dir";
  const shift = s.owner === ctx.host.user ? 6 : 0;
  return (s.mode & (bit << shift)) !== 0;
}

/** A unary test (`-f FILE`, `-z STRING`…). */
export function unary(op: string, arg: string, ctx: CommandContext): boolean {
  const s = () => stat(ctx, arg);
  switch (op) {
    case "-z":
      return arg === "";
    case "-n":
      return arg !== "";
    case "-v":
      return ctx.env.has(arg);
    case "-a":
    case "-e":
      return s() !== undefined;
    case "-f":
      return s()?.kind === "file";
    case "-d":
      return s()?.kind === "dir";
    case "-s":
      return (s()?.size ?? 0) > 0;
    case "-L":
    case "-h":
      return stat(ctx, arg, false)?.kind === "symlink";
    case "-r":
      return permitted(ctx, s(), 4);
    case "-w":
      return permitted(ctx, s(), 2);
    case "-x":
      return permitted(ctx, s(), 1);
    case "-u":
      return ((s()?.mode ?? 0) & 0o4000) !== 0;
    case "-g":
      return ((s()?.mode ?? 0) & 0o2000) !== 0;
    case "-k":
      return ((s()?.mode ?? 0) & 0o1000) !== 0;
    case "-O":
      return s()?.owner === ctx.host.user;
    case "-G":
      return s()?.group === (ctx.host.gid === 0 ? "root" : ctx.host.user);
    default:
      // Block and character devices, pipes, sockets, terminals: this file system has none.
      return false;
  }
}

/** A binary test (`a = b`, `1 -lt 2`, `f1 -nt f2`…). */
export function binary(left: string, op: string, right: string, ctx: CommandContext): boolean {
  switch (op) {
    case "=":
    case "==":
      return left === right;
    case "!=":
      return left !== right;
    case "<":
      return left < right;
    case ">":
      return left > right;
    case "-nt":
    case "-ot": {
      const [a, b] = [stat(ctx, left), stat(ctx, right)];
      if (!a || !b) return op === "-nt" ? a !== undefined : b !== undefined;
      return op === "-nt" ? a.mtime > b.mtime : a.mtime < b.mtime;
    }
    case "-ef":
      return stat(ctx, left) !== undefined && ctx.fs.realpath(ctx.resolve(left)) === ctx.fs.realpath(ctx.resolve(right));
  }
  const [a, b] = [integer(left), integer(right)];
  return op === "-eq" ? a === b : op === "-ne" ? a !== b : op === "-lt" ? a < b : op === "-gt" ? a > b : op === "-le" ? a <= b : a >= b;
}
