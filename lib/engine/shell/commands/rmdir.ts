import { done, quote, tryHelpText } from "../command-kit";
import { FsError } from "../fs";
import type { Command } from "../types";

/** `rmdir`: remove empty directories. */
export const rmdir: Command = {
  name: "rmdir",
  summary: "remove empty directories",
  usage: "rmdir [OPTION]... DIRECTORY...",
  description: "Remove the DIRECTORY(ies), if they are empty.",
  spec: { flags: [{ name: "verbose", short: "v", long: "verbose", help: "output a diagnostic for every directory processed" }] },
  run(args, ctx) {
    if (args.operands.length === 0) return done("", `rmdir: missing operand\n${tryHelpText("rmdir")}`, 1);
    let stdout = "";
    let stderr = "";
    for (const operand of args.operands) {
      try {
        if (args.has("verbose")) stdout += `rmdir: removing directory, ${quote(operand)}\n`;
        ctx.fs.rmdir(ctx.resolve(operand));
      } catch (error) {
        if (!(error instanceof FsError)) throw error;
        stderr += `rmdir: failed to remove ${quote(operand)}: ${error.reason}\n`;
      }
    }
    return done(stdout, stderr, stderr === "" ? 0 : 1);
  },
};
