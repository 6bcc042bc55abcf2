import { utf8ToBytes } from "@noble/hashes/utils.js";
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
      { name: "show-all", short: "A", long: "show-all", help: "equivalent to -vET" },
      { name: "number-nonblank", short: "b", long: "number-nonblank", help: "number nonempty output lines, overrides -n" },
      { name: "e", short: "e", help: "equivalent to -vE" },
      { name: "show-ends", short: "E", long: "show-ends", help: "display $ at end of each line" },
      { name: "number", short: "n", long: "number", help: "number all output lines" },
      { name: "squeeze-blank", short: "s", long: "squeeze-blank", help: "suppress repeated empty output lines" },
      { name: "t", short: "t", help: "equivalent to -vT" },
      { name: "show-tabs", short: "T", long: "show-tabs", help: "display TAB characters as ^I" },
      { name: "show-nonprinting", short: "v", long: "show-nonprinting", help: "use ^ and M- notation, except for LFD and TAB" },
    ],
  },
  run(args, ctx) {
    const operands = args.operands.length > 0 ? args.operands : ["-"];
    const ends = args.has("show-ends") || args.has("show-all") || args.has("e");
    const tabs = args.has("show-tabs") || args.has("show-all") || args.has("t");
    const nonprinting = args.has("show-nonprinting") || args.has("show-all") || args.has("e") || args.has("t");
    const out = new Output();
    let line = 0;
    for (const operand of operands) {
      const read = readOperand(ctx, operand);
      if ("error" in read) {
        out.err(`cat: ${operand}: ${read.error.reason}\n`);
        continue;
      }
      if (!args.has("number") && !args.has("number-nonblank") && !ends && !tabs && !nonprinting && !args.has("squeeze-blank")) {
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
        out.out(prefix + visible(text, tabs, nonprinting) + (last ? "" : (ends ? "$" : "") + "\n"));
      });
    }
    return out.result(out.failed ? 1 : 0);
  },
};

/** GNU cat's -T and -v over the line's UTF-8 bytes: TAB as ^I, controls as ^X, DEL as ^?, bytes past 127 as M-…. */
function visible(text: string, tabs: boolean, nonprinting: boolean): string {
  if (!tabs && !nonprinting) return text;
  if (!nonprinting) return text.replace(/\t/g, "^I");
  let out = "";
  for (const byte of utf8ToBytes(text)) {
    const low = byte & 0x7f;
    const prefix = byte > 127 ? "M-" : "";
    if (low === 9 && byte === 9) out += tabs ? "^I" : "\t";
    else if (low < 32) out += `${prefix}^${String.fromCharCode(low + 64)}`;
    else if (low === 127) out += `${prefix}^?`;
    else out += prefix + String.fromCharCode(low);
  }
  return out;
}
