import { byteLength } from "../fs";
import { Output, readOperand } from "../command-kit";
import type { Command } from "../types";

interface Counts {
  name: string;
  lines: number;
  words: number;
  chars: number;
  bytes: number;
  regular: boolean;
}

function count(name: string, text: string, regular: boolean): Counts {
  const words = text.split(/[ \t\n\r\f\v]+/).filter((w) => w !== "").length;
  return { name, lines: (text.match(/\n/g) ?? []).length, words, chars: [...text].length, bytes: byteLength(text), regular };
}

/** `wc`: newline, word and byte counts in GNU's aligned columns. */
export const wc: Command = {
  name: "wc",
  summary: "print newline, word, and byte counts for each file",
  usage: "wc [OPTION]... [FILE]...",
  description: "Print newline, word, and byte counts for each FILE, and a total line if\nmore than one FILE is specified.  A word is a non-zero-length sequence of\nprintable characters delimited by white space.",
  spec: {
    flags: [
      { name: "bytes", short: "c", long: "bytes", help: "print the byte counts" },
      { name: "chars", short: "m", long: "chars", help: "print the character counts" },
      { name: "lines", short: "l", long: "lines", help: "print the newline counts" },
      { name: "words", short: "w", long: "words", help: "print the word counts" },
    ],
  },
  run(args, ctx) {
    const explicit = (["lines", "words", "chars", "bytes"] as const).filter((f) => args.has(f));
    const fields = explicit.length > 0 ? explicit : (["lines", "words", "bytes"] as const);
    const operands = args.operands.length > 0 ? args.operands : ["-"];
    const results: Counts[] = [];
    const errors = new Map<number, string>();
    for (const operand of operands) {
      const read = readOperand(ctx, operand);
      if ("error" in read) {
        errors.set(results.length, (errors.get(results.length) ?? "") + `wc: ${operand}: ${read.error.reason}\n`);
        continue;
      }
      results.push(count(args.operands.length === 0 ? "" : operand, read.text, operand !== "-"));
    }
    const rows = [...results];
    if (operands.length > 1) {
      const sum = (f: keyof Omit<Counts, "name" | "regular">) => results.reduce((a, r) => a + r[f], 0);
      rows.push({ name: "total", lines: sum("lines"), words: sum("words"), chars: sum("chars"), bytes: sum("bytes"), regular: true });
    }
    // GNU sizes the columns from the total bytes of regular files, at least 7 wide when
    // standard input is involved, and not at all for a single count of a single input.
    const regularBytes = results.filter((r) => r.regular).reduce((a, r) => a + r.bytes, 0);
    let width = Math.max(String(regularBytes).length, results.some((r) => !r.regular) ? 7 : 1);
    if (fields.length === 1 && operands.length === 1) width = 1;
    const out = new Output();
    rows.forEach((r, index) => {
      out.err(errors.get(index) ?? "");
      out.out([...fields.map((f) => String(r[f]).padStart(width)), ...(r.name === "" ? [] : [r.name])].join(" ") + "\n");
    });
    if (rows.length === 0) out.err([...errors.values()].join(""));
    return out.result(errors.size > 0 ? 1 : 0);
  },
};
