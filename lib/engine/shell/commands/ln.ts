import { done, quote, tryHelpText } from "../command-kit";
import { FsError } from "../fs";
import { baseName, joinPath } from "../path";
import type { Command } from "../types";

/** `ln`: hard links, or symbolic links with -s. */
export const ln: Command = {
  name: "ln",
  summary: "make links between files",
  usage: "ln [OPTION]... [-T] TARGET LINK_NAME\n  or:  ln [OPTION]... TARGET\n  or:  ln [OPTION]... TARGET... DIRECTORY",
  description: "Create links to each TARGET, in the current directory or in DIRECTORY, or named LINK_NAME.",
  spec: {
    flags: [
      { name: "force", short: "f", long: "force", help: "remove existing destination files" },
      { name: "symbolic", short: "s", long: "symbolic", help: "make symbolic links instead of hard links" },
      { name: "verbose", short: "v", long: "verbose", help: "print name of each linked file" },
    ],
  },
  run(args, ctx) {
    const ops = args.operands;
    if (ops.length === 0) return done("", `ln: missing file operand\n${tryHelpText("ln")}`, 1);
    const last = ops[ops.length - 1];
    const intoDir = ops.length > 1 && ctx.fs.isDirectory(ctx.resolve(last));
    const targets = ops.length === 1 ? ops : ops.slice(0, -1);
    if (targets.length > 1 && !intoDir) return done("", `ln: target ${quote(last)} is not a directory\n`, 1);
    let stdout = "";
    let stderr = "";
    for (const target of targets) {
      const name = ops.length === 1 ? baseName(target) : intoDir ? joinPath(last, baseName(target)) : last;
      const shown = ops.length === 1 ? `./${name}` : name;
      const path = ctx.resolve(name);
      try {
        if (args.has("force") && ctx.fs.exists(path) && !ctx.fs.isDirectory(path)) ctx.fs.unlink(path);
        if (args.has("symbolic")) ctx.fs.symlink(target, path);
        else if (!ctx.fs.exists(ctx.resolve(target))) {
          stderr += `ln: failed to access ${quote(target)}: No such file or directory\n`;
          continue;
        } else if (ctx.fs.isDirectory(ctx.resolve(target))) {
          stderr += `ln: ${quote(target)}: hard link not allowed for directory\n`;
          continue;
        } else ctx.fs.link(ctx.resolve(target), path);
        if (args.has("verbose")) stdout += `${quote(name)} ${args.has("symbolic") ? "->" : "=>"} ${quote(target)}\n`;
      } catch (error) {
        if (!(error instanceof FsError)) throw error;
        stderr += `ln: failed to create ${args.has("symbolic") ? "symbolic" : "hard"} link ${quote(shown)}: ${error.reason}\n`;
      }
    }
    return done(stdout, stderr, stderr === "" ? 0 : 1);
  },
};
