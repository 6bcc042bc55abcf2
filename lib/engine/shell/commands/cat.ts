import { Output, readOperand, splitLines } from "../command-kit";
import type { Command } from "../types";

/** `cat`: concatenate files (or standard input) with GNU's numbering options. */
export const cat: Command = {
  name: "cat",
  summary: "concatenate files and print on the standard output",
  usage: "cat [OPTION]... [FILE]...",
  description: "Concatenate FILE(s) to standard output.\n\nWith no FILE, or when FILE is -, read standard input.",
  spec: {
    flags: [
      { name: "number-nonblank", short: "b", long: "number-nonblank", help: "number nonempty output lines, overrides -n" },
      { name: "show-ends", short: "E", long: "show-ends", help: "display $ at end of each line" },
      { name: "number", short: "n", long: "number", help: "number all output lines" },
      { name: "squeeze-blank", short: "s", long: "squeeze-blank", help: "suppress repeated empty output lines" },
    ],
  },
  run(args, ctx) {
    const operands = args.operands.length > 0 ? args.operands : ["-"];
    const out = new Output();
    let line = 0;
    for (const operand of operands) {
      const read = readOperand(ctx, operand);
      if ("error" in read) {
        out.err(`cat: ${operand}: ${read.error.reason}\n`);
        continue;
      }
      if (!args.has("number") && !args.has("number-nonblank") && !args.has("show-ends") && !args.has("squeeze-blank")) {
        out.out(read.text);
        continue;
      }
      let previousBlank = false;
      const lines = splitLines(read.text);
      lines.forEach((text, index) => {
        const blank = text === "";
        if (blank && previousBlank && args.has("squeeze-blank")) return;
        previousBlank = blank;
        const numbered = args.has("number-nonblank") ? !blank : args.has("number");
        const prefix = numbered ? `${String(++line).padStart(6)}\t` : "";
        const last = index === lines.length - 1 && !read.text.endsWith("\n");
        out.out(prefix + text + (last ? "" : (args.has("show-ends") ? "$" : "") + "\n"));
      });
    }
    return out.result(out.failed ? 1 : 0);
  },
};
