import { done, localeQuote, tryHelpText } from "../command-kit";
import { formatPrintf } from "../text/format";
import type { Command } from "../types";

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function decimals(text: string): number {
  const m = /\.(\d*)/.exec(text);
  return m && !/e/i.test(text) ? m[1].length : 0;
}

/** `seq`: numbers from FIRST by INCREMENT to LAST, printed with the precision of FIRST and INCREMENT. */
export const seq: Command = {
  name: "seq",
  summary: "print a sequence of numbers",
  usage: "seq [OPTION]... LAST\n  or:  seq [OPTION]... FIRST LAST\n  or:  seq [OPTION]... FIRST INCREMENT LAST",
  description: "Print numbers from FIRST to LAST, in steps of INCREMENT.",
  spec: {
    negativeNumbers: true,
    flags: [
      { name: "format", short: "f", long: "format", value: "required", valueName: "FORMAT", help: "use printf style floating-point FORMAT" },
      { name: "separator", short: "s", long: "separator", value: "required", valueName: "STRING", help: "use STRING to separate numbers (default: \\n)" },
      { name: "equal-width", short: "w", long: "equal-width", help: "equalize width by padding with leading zeroes" },
    ],
  },
  run(args) {
    const ops = args.operands;
    const fail = (message: string) => done("", `seq: ${message}\n${tryHelpText("seq")}`, 1);
    if (ops.length === 0) return fail("missing operand");
    if (ops.length > 3) return fail(`extra operand ${localeQuote(ops[3])}`);
    const bad = ops.find((o) => !NUMBER.test(o));
    if (bad !== undefined) return fail(`invalid floating point argument: ${localeQuote(bad)}`);
    const [firstText, stepText, lastText] = ops.length === 1 ? ["1", "1", ops[0]] : ops.length === 2 ? [ops[0], "1", ops[1]] : ops;
    const [first, step, last] = [Number(firstText), Number(stepText), Number(lastText)];
    if (step === 0) return fail(`invalid Zero increment value: ${localeQuote(stepText)}`);
    const precision = Math.max(decimals(firstText), decimals(stepText));
    const format = args.value("format");
    const values: string[] = [];
    for (let i = 0; ; i++) {
      const value = first + i * step;
      if (step > 0 ? value > last + 1e-10 : value < last - 1e-10) break;
      values.push(format === undefined ? value.toFixed(precision) : formatPrintf(format, [String(value)]).text);
    }
    if (args.has("equal-width") && format === undefined) {
      const width = Math.max(...values.map((v) => v.replace("-", "").length));
      for (let i = 0; i < values.length; i++) {
        const negative = values[i].startsWith("-");
        values[i] = (negative ? "-" : "") + values[i].replace("-", "").padStart(width, "0");
      }
    }
    if (values.length === 0) return done("");
    return done(values.join(args.value("separator") ?? "\n") + "\n");
  },
};
