import { done, localeQuote, readOperand, splitLines } from "../command-kit";
import { FsError } from "../fs";
import type { Command } from "../types";
import { byteOrder } from "../variables";

interface Key {
  startField: number;
  startChar: number;
  endField: number | null;
  endChar: number;
  numeric: boolean;
  human: boolean;
  reverse: boolean;
  blanks: boolean;
  fold: boolean;
}

type KeyOptions = Pick<Key, "numeric" | "human" | "reverse" | "blanks" | "fold">;

function parseKey(text: string, global: KeyOptions): Key | string {
  const m = /^(\d+)(?:\.(\d+))?([bfhnr]*)(?:,(\d+)(?:\.(\d+))?([bfhnr]*))?$/.exec(text);
  if (!m) return `sort: invalid number at field start: invalid count at start of ${localeQuote(text)}\n`;
  if (m[1] === "0") return `sort: field number is zero: invalid field specification ${localeQuote(text)}\n`;
  if (m[2] === "0") return `sort: character offset is zero: invalid field specification ${localeQuote(text)}\n`;
  const letters = (m[3] ?? "") + (m[6] ?? "");
  const own = letters !== "";
  return {
    startField: Number(m[1]),
    startChar: m[2] ? Number(m[2]) : 1,
    endField: m[4] ? Number(m[4]) : null,
    endChar: m[5] ? Number(m[5]) : 0,
    numeric: own ? letters.includes("n") : global.numeric,
    human: own ? letters.includes("h") : global.human,
    reverse: own ? letters.includes("r") : global.reverse,
    blanks: own ? letters.includes("b") : global.blanks,
    fold: own ? letters.includes("f") : global.fold,
  };
}

/** Field boundaries: on each separator, or (by default) where blanks start after non-blanks. */
function fields(line: string, separator: string | undefined): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  if (separator !== undefined) {
    let start = 0;
    for (let i = 0; i <= line.length; i++) {
      if (i === line.length || line[i] === separator) {
        out.push({ start, end: i });
        start = i + 1;
      }
    }
    return out;
  }
  const re = /[ \t]*[^ \t]+|[ \t]+$/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}

function keyText(line: string, key: Key, separator: string | undefined): string {
  const all = fields(line, separator);
  const first = all[key.startField - 1];
  if (!first) return "";
  let from = first.start;
  if (key.blanks) while (from < first.end && /[ \t]/.test(line[from])) from++;
  from = Math.min(from + key.startChar - 1, line.length);
  let to = line.length;
  if (key.endField !== null) {
    const last = all[key.endField - 1];
    if (last) to = key.endChar === 0 ? last.end : Math.min(last.start + key.endChar, last.end);
  }
  return line.slice(from, Math.max(from, to));
}

const SUFFIXES = "KMGTPEZY";

function numberOf(text: string, human: boolean): number {
  const m = /^\s*(-?\d*\.?\d+)([KMGTPEZY]?)/.exec(text);
  if (!m) return 0;
  const base = Number(m[1]);
  return human && m[2] ? base * 1024 ** (SUFFIXES.indexOf(m[2]) + 1) : base;
}

function compareBy(a: string, b: string, key: KeyOptions): number {
  let result: number;
  if (key.numeric || key.human) result = numberOf(a, key.human) - numberOf(b, key.human);
  else {
    const [x, y] = key.blanks ? [a.trimStart(), b.trimStart()] : [a, b];
    result = key.fold ? byteOrder(x.toUpperCase(), y.toUpperCase()) : byteOrder(x, y);
  }
  return key.reverse ? -result : result;
}

/** `sort`: GNU sort's keys (-k F[.C][opts][,F[.C]]), -t, -n, -h, -r, -u, -f, -b, -s, -o. */
export const sort: Command = {
  name: "sort",
  summary: "sort lines of text files",
  usage: "sort [OPTION]... [FILE]...",
  description: "Write sorted concatenation of all FILE(s) to standard output.\n\nWith no FILE, or when FILE is -, read standard input.",
  spec: {
    usageExitCode: 2,
    flags: [
      { name: "blanks", short: "b", long: "ignore-leading-blanks", help: "ignore leading blanks" },
      { name: "fold", short: "f", long: "ignore-case", help: "fold lower case to upper case characters" },
      { name: "human", short: "h", long: "human-numeric-sort", help: "compare human readable numbers (e.g., 2K 1G)" },
      { name: "numeric", short: "n", long: "numeric-sort", help: "compare according to string numerical value" },
      { name: "reverse", short: "r", long: "reverse", help: "reverse the result of comparisons" },
      { name: "key", short: "k", long: "key", value: "required", valueName: "KEYDEF", help: "sort via a key; KEYDEF gives location and type" },
      { name: "output", short: "o", long: "output", value: "required", valueName: "FILE", help: "write result to FILE instead of standard output" },
      { name: "stable", short: "s", long: "stable", help: "stabilize sort by disabling last-resort comparison" },
      { name: "separator", short: "t", long: "field-separator", value: "required", valueName: "SEP", help: "use SEP instead of non-blank to blank transition" },
      { name: "unique", short: "u", long: "unique", help: "output only the first of an equal run" },
    ],
  },
  run(args, ctx) {
    const global: KeyOptions = {
      numeric: args.has("numeric"),
      human: args.has("human"),
      reverse: args.has("reverse"),
      blanks: args.has("blanks"),
      fold: args.has("fold"),
    };
    const separator = args.value("separator");
    if (separator !== undefined && [...separator].length !== 1) {
      return done("", separator === "" ? "sort: empty tab\n" : `sort: multi-character tab ${localeQuote(separator)}\n`, 2);
    }
    const keys: Key[] = [];
    for (const text of args.values("key")) {
      const key = parseKey(text, global);
      if (typeof key === "string") return done("", key, 2);
      keys.push(key);
    }
    const lines: string[] = [];
    for (const operand of args.operands.length > 0 ? args.operands : ["-"]) {
      const read = readOperand(ctx, operand);
      if ("error" in read) return done("", `sort: cannot read: ${operand}: ${read.error.reason}\n`, 2);
      lines.push(...splitLines(read.text));
    }
    const byKeys = (a: string, b: string) => {
      if (keys.length === 0) return compareBy(a, b, global);
      for (const key of keys) {
        const result = compareBy(keyText(a, key, separator), keyText(b, key, separator), key);
        if (result !== 0) return result;
      }
      return 0;
    };
    const lastResort = !args.has("stable") && !args.has("unique") && (keys.length > 0 || global.numeric || global.human || global.fold || global.blanks);
    const order = lines
      .map((line, index) => ({ line, index }))
      .sort((a, b) => byKeys(a.line, b.line) || (lastResort ? (global.reverse ? -1 : 1) * byteOrder(a.line, b.line) : 0) || a.index - b.index)
      .map((e) => e.line);
    const out = args.has("unique") ? order.filter((line, i) => i === 0 || byKeys(order[i - 1], line) !== 0) : order;
    const text = out.map((l) => l + "\n").join("");
    const target = args.value("output");
    if (target === undefined) return done(text);
    try {
      ctx.fs.writeFile(ctx.resolve(target), text);
    } catch (error) {
      if (!(error instanceof FsError)) throw error;
      return done("", `sort: open failed: ${target}: ${error.reason}\n`, 2);
    }
    return done("");
  },
};
