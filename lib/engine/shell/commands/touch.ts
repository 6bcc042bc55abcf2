import { done, quote, tryHelpText } from "../command-kit";
import { FsError } from "../fs";
import type { Command } from "../types";

/** `touch`: set a file's time to now, creating it if missing. */
export const touch: Command = {
  name: "touch",
  summary: "change file timestamps",
  usage: "touch [OPTION]... FILE...",
  description: "Update the access and modification times of each FILE to the current time.\n\nA FILE argument that does not exist is created empty, unless -c is supplied.",
  spec: { flags: [{ name: "no-create", short: "c", long: "no-create", help: "do not create any files" }] },
  run(args, ctx) {
    if (args.operands.length === 0) return done("", `touch: missing file operand\n${tryHelpText("touch")}`, 1);
    let stderr = "";
    for (const operand of args.operands) {
      const path = ctx.resolve(operand);
      try {
        if (ctx.fs.exists(path)) ctx.fs.touch(path);
        else if (!args.has("no-create")) ctx.fs.appendFile(path, "");
      } catch (error) {
        if (!(error instanceof FsError)) throw error;
        stderr += `touch: cannot touch ${quote(operand)}: ${error.reason}\n`;
      }
    }
    return done("", stderr, stderr === "" ? 0 : 1);
  },
};
