import { done } from "../command-kit";
import { FsError } from "../fs";
import type { Command } from "../types";

/** `tee`: copy standard input to standard output and to files (-a appends). */
export const tee: Command = {
  name: "tee",
  summary: "read from standard input and write to standard output and files",
  usage: "tee [OPTION]... [FILE]...",
  description: "Copy standard input to each FILE, and also to standard output.",
  spec: { flags: [{ name: "append", short: "a", long: "append", help: "append to the given FILEs, do not overwrite" }] },
  run(args, ctx) {
    const text = ctx.stdin;
    let stderr = "";
    for (const operand of args.operands) {
      try {
        if (args.has("append")) ctx.fs.appendFile(ctx.resolve(operand), text);
        else ctx.fs.writeFile(ctx.resolve(operand), text);
      } catch (error) {
        if (!(error instanceof FsError)) throw error;
        stderr += `tee: ${operand}: ${error.reason}\n`;
      }
    }
    return done(text, stderr, stderr === "" ? 0 : 1);
  },
};
