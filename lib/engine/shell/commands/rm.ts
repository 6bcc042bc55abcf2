import { done, quote, tryHelpText } from "../command-kit";
import { FsError } from "../fs";
import { baseName, joinPath } from "../path";
import type { Command, CommandContext } from "../types";

interface Removal {
  stdout: string;
  stderr: string;
}

function removeTree(ctx: CommandContext, shown: string, path: string, verbose: boolean, out: Removal): void {
  for (const name of ctx.fs.list(path)) {
    const child = joinPath(path, name);
    const childShown = `${shown.replace(/\/+$/, "")}/${name}`;
    if (ctx.fs.lstat(child).kind === "dir") removeTree(ctx, childShown, child, verbose, out);
    else {
      ctx.fs.unlink(child);
      if (verbose) out.stdout += `removed ${quote(childShown)}\n`;
    }
  }
  ctx.fs.rmdir(path);
  if (verbose) out.stdout += `removed directory ${quote(shown)}\n`;
}

/** `rm`: remove files, and with -r directories; refuses `/`, `.` and `..` like GNU. */
export const rm: Command = {
  name: "rm",
  summary: "remove files or directories",
  usage: "rm [OPTION]... [FILE]...",
  description: "Remove (unlink) the FILE(s).",
  spec: {
    flags: [
      { name: "force", short: "f", long: "force", help: "ignore nonexistent files and arguments, never prompt" },
      { name: "recursive", short: "r", long: "recursive", help: "remove directories and their contents recursively" },
      { name: "recursive", short: "R", help: "same as -r" },
      { name: "dir", short: "d", long: "dir", help: "remove empty directories" },
      { name: "verbose", short: "v", long: "verbose", help: "explain what is being done" },
      { name: "no-preserve-root", long: "no-preserve-root", help: "do not treat '/' specially" },
    ],
  },
  run(args, ctx) {
    const force = args.has("force");
    if (args.operands.length === 0) return force ? done("") : done("", `rm: missing operand\n${tryHelpText("rm")}`, 1);
    const out: Removal = { stdout: "", stderr: "" };
    let failed = false;
    for (const operand of args.operands) {
      const path = ctx.resolve(operand);
      if ([".", ".."].includes(baseName(operand))) {
        out.stderr += `rm: refusing to remove '.' or '..' directory: skipping ${quote(operand)}\n`;
        failed = true;
        continue;
      }
      try {
        const stat = ctx.fs.lstat(path);
        if (stat.kind === "dir") {
          if (args.has("recursive") && ctx.fs.realpath(path) === "/" && !args.has("no-preserve-root")) {
            out.stderr += "rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n";
            failed = true;
          } else if (args.has("recursive")) {
            removeTree(ctx, operand, path, args.has("verbose"), out);
          } else if (args.has("dir")) {
            ctx.fs.rmdir(path);
            if (args.has("verbose")) out.stdout += `removed directory ${quote(operand)}\n`;
          } else {
            throw new FsError("EISDIR", path);
          }
          continue;
        }
        ctx.fs.unlink(path);
        if (args.has("verbose")) out.stdout += `removed ${quote(operand)}\n`;
      } catch (error) {
        if (!(error instanceof FsError)) throw error;
        if (force && error.code === "ENOENT") continue;
        out.stderr += `rm: cannot remove ${quote(operand)}: ${error.reason}\n`;
        failed = true;
      }
    }
    return done(out.stdout, out.stderr, failed ? 1 : 0);
  },
};
