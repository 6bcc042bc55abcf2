import { done, quote, transferOperands } from "../command-kit";
import { FsError } from "../fs";
import { baseName, joinPath } from "../path";
import type { Command } from "../types";

/** `mv`: rename or move files and directories. */
export const mv: Command = {
  name: "mv",
  summary: "move (rename) files",
  usage: "mv [OPTION]... SOURCE... DEST",
  description: "Rename SOURCE to DEST, or move SOURCE(s) to DIRECTORY.",
  spec: {
    flags: [
      { name: "force", short: "f", long: "force", help: "do not prompt before overwriting" },
      { name: "no-clobber", short: "n", long: "no-clobber", help: "do not overwrite an existing file" },
      { name: "verbose", short: "v", long: "verbose", help: "explain what is being done" },
    ],
  },
  run(args, ctx) {
    const transfer = transferOperands("mv", args.operands, ctx);
    if (!transfer.ok) return transfer.result;
    const { sources, dest, destPath, intoDir } = transfer;
    let stdout = "";
    let stderr = "";
    for (const source of sources) {
      const from = ctx.resolve(source);
      const shownTo = intoDir ? `${dest.replace(/\/+$/, "")}/${baseName(source)}` : dest;
      const to = intoDir ? joinPath(destPath, baseName(source)) : destPath;
      let stat;
      try {
        stat = ctx.fs.lstat(from);
      } catch (error) {
        if (!(error instanceof FsError)) throw error;
        stderr += `mv: cannot stat ${quote(source)}: ${error.reason}\n`;
        continue;
      }
      if (ctx.fs.exists(to) && args.has("no-clobber")) continue;
      if (ctx.fs.exists(to) && ctx.fs.realpath(to) === ctx.fs.realpath(from) && !intoDir) {
        stderr += `mv: ${quote(source)} and ${quote(shownTo)} are the same file\n`;
        continue;
      }
      try {
        ctx.fs.rename(from, to);
        if (args.has("verbose")) stdout += `renamed ${quote(source)} -> ${quote(shownTo)}\n`;
      } catch (error) {
        if (!(error instanceof FsError)) throw error;
        if (error.code === "EINVAL") stderr += `mv: cannot move ${quote(source)} to a subdirectory of itself, ${quote(shownTo)}\n`;
        else if (error.code === "EISDIR") stderr += `mv: cannot overwrite directory ${quote(shownTo)} with non-directory\n`;
        else if (error.code === "ENOTDIR" && stat.kind === "dir") stderr += `mv: cannot overwrite non-directory ${quote(shownTo)} with directory ${quote(source)}\n`;
        else stderr += `mv: cannot move ${quote(source)} to ${quote(shownTo)}: ${error.reason}\n`;
      }
    }
    return done(stdout, stderr, stderr === "" ? 0 : 1);
  },
};
