import { done, localeQuote, readOperand, splitLines, tryHelpText } from "../command-kit";
import type { Command } from "../types";

type Range = [number, number];

function parseList(list: string, fields: boolean): Range[] | string {
  const ranges: Range[] = [];
  for (const item of list.split(",")) {
    const m = /^(\d*)(-?)(\d*)$/.exec(item);
    if (!m || item === "" || item === "-") return fields ? `invalid field value ${localeQuote(item)}` : "invalid byte or character range";
    const from = m[1] === "" ? 1 : Number(m[1]);
    const to = m[2] === "" ? from : m[3] === "" ? Infinity : Number(m[3]);
    if (from === 0 || to === 0) return fields ? "fields are numbered from 1" : "byte/character positions are numbered from 1";
    if (to < from) return "invalid decreasing range";
    ranges.push([from, to]);
  }
  return ranges;
}

/** `cut`: select bytes/characters (-b/-c) or delimited fields (-f, -d) by list. */
export const cut: Command = {
  name: "cut",
  summary: "remove sections from each line of files",
  usage: "cut OPTION... [FILE]...",
  description: "Print selected parts of lines from each FILE to standard output.",
  spec: {
    flags: [
      { name: "bytes", short: "b", long: "bytes", value: "required", valueName: "LIST", help: "select only these bytes" },
      { name: "characters", short: "c", long: "characters", value: "required", valueName: "LIST", help: "select only these characters" },
      { name: "delimiter", short: "d", long: "delimiter", value: "required", valueName: "DELIM", help: "use DELIM instead of TAB for field delimiter" },
      { name: "fields", short: "f", long: "fields", value: "required", valueName: "LIST", help: "select only these fields" },
      { name: "complement", long: "complement", help: "complement the set of selected bytes, characters or fields" },
      { name: "only-delimited", short: "s", long: "only-delimited", help: "do not print lines not containing delimiters" },
      { name: "output-delimiter", long: "output-delimiter", value: "required", valueName: "STRING", help: "use STRING as the output delimiter" },
    ],
  },
  run(args, ctx) {
    const fail = (message: string) => done("", `cut: ${message}\n${tryHelpText("cut")}`, 1);
    const kinds = (["bytes", "characters", "fields"] as const).filter((k) => args.has(k));
    if (kinds.length === 0) return fail("you must specify a list of bytes, characters, or fields");
    if (kinds.length > 1) return fail("only one list may be specified");
    const byField = kinds[0] === "fields";
    const delimiter = args.value("delimiter") ?? "\t";
    if (args.has("delimiter") && !byField) return fail("an input delimiter may be specified only when operating on fields");
    if ([...delimiter].length !== 1) return fail("the delimiter must be a single character");
    const ranges = parseList(args.value(kinds[0]) ?? "", byField);
    if (typeof ranges === "string") return fail(ranges);
    const selected = (n: number) => ranges.some(([a, b]) => n >= a && n <= b) !== args.has("complement");
    let stdout = "";
    let stderr = "";
    for (const operand of args.operands.length > 0 ? args.operands : ["-"]) {
      const read = readOperand(ctx, operand);
      if ("error" in read) {
        stderr += `cut: ${operand}: ${read.error.reason}\n`;
        continue;
      }
      for (const line of splitLines(read.text)) {
        if (!byField) {
          const picked = [...line].filter((_, i) => selected(i + 1));
          stdout += picked.join("") + "\n";
          continue;
        }
        if (!line.includes(delimiter)) {
          if (!args.has("only-delimited")) stdout += line + "\n";
          continue;
        }
        const parts = line.split(delimiter).filter((_, i) => selected(i + 1));
        stdout += parts.join(args.value("output-delimiter") ?? delimiter) + "\n";
      }
    }
    return done(stdout, stderr, stderr === "" ? 0 : 1);
  },
};
