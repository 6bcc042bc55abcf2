import { done, localeQuote, readOperand, splitLines, tryHelpText } from "../command-kit";
import { FsError } from "../fs";
import type { Command } from "../types";

/** `uniq`: collapse adjacent equal lines; -c counts, -d keeps repeated, -u keeps unique. */
export const uniq: Command = {
  name: "uniq",
  summary: "report or omit repeated lines",
  usage: "uniq [OPTION]... [INPUT [OUTPUT]]",
  description: "Filter adjacent matching lines from INPUT (or standard input),\nwriting to OUTPUT (or standard output).",
  spec: {
    flags: [
      { name: "count", short: "c", long: "count", help: "prefix lines by the number of occurrences" },
      { name: "repeated", short: "d", long: "repeated", help: "only print duplicate lines, one for each group" },
      { name: "ignore-case", short: "i", long: "ignore-case", help: "ignore differences in case when comparing" },
      { name: "unique", short: "u", long: "unique", help: "only print unique lines" },
    ],
  },
  run(args, ctx) {
    if (args.operands.length > 2) return done("", `uniq: extra operand ${localeQuote(args.operands[2])}\n${tryHelpText("uniq")}`, 1);
    const [input = "-", output] = args.operands;
    const read = readOperand(ctx, input);
    if ("error" in read) return done("", `uniq: ${input}: ${read.error.reason}\n`, 1);
    const same = (a: string, b: string) => (args.has("ignore-case") ? a.toLowerCase() === b.toLowerCase() : a === b);
    const groups: { line: string; count: number }[] = [];
    for (const line of splitLines(read.text)) {
      const last = groups.at(-1);
      if (last && same(last.line, line)) last.count++;
      else groups.push({ line, count: 1 });
    }
    const text = groups
      .filter((g) => (args.has("repeated") ? g.count > 1 : true) && (args.has("unique") ? g.count === 1 : true))
      .map((g) => (args.has("count") ? `${String(g.count).padStart(7)} ${g.line}\n` : `${g.line}\n`))
      .join("");
    if (output === undefined) return done(text);
    try {
      ctx.fs.writeFile(ctx.resolve(output), text);
    } catch (error) {
      if (!(error instanceof FsError)) throw error;
      return done("", `uniq: ${output}: ${error.reason}\n`, 1);
    }
    return done("");
  },
};
