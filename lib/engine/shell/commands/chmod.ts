import { done, localeQuote, quote, tryHelpText } from "../command-kit";
import { FsError } from "../fs";
import { joinPath } from "../path";
import type { Command } from "../types";

/** Applies an octal (`755`) or symbolic (`u+x,go-w`, `+x`, `a=r`) mode to the current bits. */
function applyMode(spec: string, current: number): number | null {
  if (/^[0-7]{1,4}$/.test(spec)) return parseInt(spec, 8);
  let mode = current;
  for (const clause of spec.split(",")) {
    const m = /^([ugoa]*)([-+=])([rwxXst]*)$/.exec(clause);
    if (!m) return null;
    const who = m[1] === "" || m[1].includes("a") ? "ugo" : m[1];
    let bits = 0;
    for (const p of m[3]) {
      const shiftBits = (r: number) => (who.includes("u") ? r << 6 : 0) | (who.includes("g") ? r << 3 : 0) | (who.includes("o") ? r : 0);
      if (p === "r") bits |= shiftBits(4);
      if (p === "w") bits |= shiftBits(2);
      if (p === "x" || (p === "X" && (current & 0o111) !== 0)) bits |= shiftBits(1);
      if (p === "s") bits |= (who.includes("u") ? 0o4000 : 0) | (who.includes("g") ? 0o2000 : 0);
      if (p === "t") bits |= 0o1000;
    }
    const mask = (who.includes("u") ? 0o4700 : 0) | (who.includes("g") ? 0o2070 : 0) | (who.includes("o") ? 0o1007 : 0);
    if (m[2] === "+") mode |= bits;
    else if (m[2] === "-") mode &= ~bits;
    else mode = (mode & ~mask) | bits;
  }
  return mode;
}

/** `chmod`: change mode bits, octal or symbolic. */
export const chmod: Command = {
  name: "chmod",
  summary: "change file mode bits",
  usage: "chmod [OPTION]... MODE[,MODE]... FILE...\n  or:  chmod [OPTION]... OCTAL-MODE FILE...",
  description: "Change the mode of each FILE to MODE.",
  spec: { flags: [{ name: "recursive", short: "R", long: "recursive", help: "change files and directories recursively" }] },
  run(args, ctx) {
    const [spec, ...files] = args.operands;
    if (spec === undefined) return done("", `chmod: missing operand\n${tryHelpText("chmod")}`, 1);
    if (applyMode(spec, 0) === null) return done("", `chmod: invalid mode: ${localeQuote(spec)}\n${tryHelpText("chmod")}`, 1);
    if (files.length === 0) return done("", `chmod: missing operand after ${localeQuote(spec)}\n${tryHelpText("chmod")}`, 1);
    let stderr = "";
    const change = (path: string) => {
      ctx.fs.chmod(path, applyMode(spec, ctx.fs.stat(path).mode) ?? 0);
      if (args.has("recursive") && ctx.fs.lstat(path).kind === "dir") {
        for (const name of ctx.fs.list(path)) change(joinPath(path, name));
      }
    };
    for (const file of files) {
      try {
        change(ctx.resolve(file));
      } catch (error) {
        if (!(error instanceof FsError)) throw error;
        stderr += `chmod: cannot access ${quote(file)}: ${error.reason}\n`;
      }
    }
    return done("", stderr, stderr === "" ? 0 : 1);
  },
};
