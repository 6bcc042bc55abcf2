import { done, localeQuote, tryHelpText } from "../command-kit";
import type { Command } from "../types";

const CLASSES: Record<string, () => string[]> = {
  lower: () => range("a", "z"),
  upper: () => range("A", "Z"),
  digit: () => range("0", "9"),
  alpha: () => [...range("A", "Z"), ...range("a", "z")],
  alnum: () => [...range("0", "9"), ...range("A", "Z"), ...range("a", "z")],
  space: () => [" ", "\t", "\n", "\r", "\f", "\v"],
  blank: () => [" ", "\t"],
  punct: () => [...range("!", "/"), ...range(":", "@"), ...range("[", "`"), ...range("{", "~")],
  xdigit: () => [...range("0", "9"), ...range("A", "F"), ...range("a", "f")],
};

function range(from: string, to: string): string[] {
  const out: string[] = [];
  for (let c = from.charCodeAt(0); c <= to.charCodeAt(0); c++) out.push(String.fromCharCode(c));
  return out;
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", a: "\x07", b: "\b", f: "\f", v: "\v" };

/** A tr SET as a list of characters: escapes (`\n`, `\NNN`), `a-z` ranges, `[:class:]`. */
function expandSet(text: string): string[] | string {
  const out: string[] = [];
  let i = 0;
  const readChar = (): string => {
    const escape = text[i] === "\\" && i + 1 < text.length ? /^\\([0-7]{1,3}|[\s\S])/.exec(text.slice(i)) : null;
    if (!escape) return text[i++];
    i += escape[0].length;
    return /^[0-7]+$/.test(escape[1]) ? String.fromCharCode(parseInt(escape[1], 8)) : (ESCAPES[escape[1]] ?? escape[1]);
  };
  while (i < text.length) {
    const cls = /^\[:([a-z]+):\]/.exec(text.slice(i));
    if (cls) {
      const make = CLASSES[cls[1]];
      if (!make) return `invalid character class ${localeQuote(cls[1])}`;
      out.push(...make());
      i += cls[0].length;
      continue;
    }
    const c = readChar();
    if (text[i] === "-" && i + 1 < text.length) {
      i++;
      const end = readChar();
      if (end < c) return `range-endpoints of '${c}-${end}' are in reverse collating sequence order`;
      out.push(...range(c, end));
      continue;
    }
    out.push(c);
  }
  return out;
}

/** `tr`: translate, delete (-d) or squeeze (-s) characters from standard input. */
export const tr: Command = {
  name: "tr",
  summary: "translate or delete characters",
  usage: "tr [OPTION]... STRING1 [STRING2]",
  description: "Translate, squeeze, and/or delete characters from standard input,\nwriting to standard output.",
  spec: {
    flags: [
      { name: "complement", short: "c", long: "complement", help: "use the complement of SET1" },
      { name: "delete", short: "d", long: "delete", help: "delete characters in SET1, do not translate" },
      { name: "squeeze", short: "s", long: "squeeze-repeats", help: "replace each sequence of a repeated character that is listed in the last specified SET, with a single occurrence of that character" },
    ],
  },
  run(args, ctx) {
    const ops = args.operands;
    const fail = (text: string) => done("", `tr: ${text}\n${tryHelpText("tr")}`, 1);
    const deleting = args.has("delete");
    const squeezing = args.has("squeeze");
    if (ops.length === 0) return fail("missing operand");
    const translating = !deleting && ops.length >= 2;
    if (!deleting && !squeezing && ops.length === 1) {
      return fail(`missing operand after ${localeQuote(ops[0])}\nTwo strings must be given when translating.`);
    }
    const maxOperands = deleting && !squeezing ? 1 : 2;
    if (ops.length > maxOperands) {
      const hint = deleting && !squeezing ? "\nOnly one string may be given when deleting without squeezing repeats." : "";
      return fail(`extra operand ${localeQuote(ops[maxOperands])}${hint}`);
    }
    const sets = ops.map(expandSet);
    const problem = sets.find((s) => typeof s === "string");
    if (typeof problem === "string") return done("", `tr: ${problem}\n`, 1);
    const [set1, set2 = []] = sets as string[][];
    const complement = args.has("complement");
    const inSet1 = (c: string) => set1.includes(c) !== complement;
    let out = "";
    for (const c of ctx.stdin) {
      if (deleting && inSet1(c)) continue;
      if (translating && inSet1(c)) {
        const index = complement ? set2.length - 1 : set1.lastIndexOf(c);
        out += set2[Math.min(index, set2.length - 1)] ?? c;
        continue;
      }
      out += c;
    }
    if (squeezing) {
      const squeezeSet = deleting || translating ? set2 : set1;
      const squeezable = (c: string) => (deleting || translating ? squeezeSet.includes(c) : inSet1(c));
      out = [...out].filter((c, i, all) => !(i > 0 && all[i - 1] === c && squeezable(c))).join("");
    }
    return done(out);
  },
};
