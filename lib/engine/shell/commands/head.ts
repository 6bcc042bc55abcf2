import type { ParsedArgs } from "../args";
import { done, localeQuote, Output, quote } from "../command-kit";
import { FsError } from "../fs";
import type { Command, CommandContext, CommandResult } from "../types";

/** Lines with their newline kept (the last may lack one). */
export function linesWithEndings(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Shared by head and tail: the count option, the file loop, the `==> name <==` headers. */
export function headOrTail(
  name: "head" | "tail",
  args: ParsedArgs,
  ctx: CommandContext,
  take: (text: string, count: { value: number; sign: string; bytes: boolean }) => string,
): CommandResult {
  const bytes = args.has("bytes");
  const raw = (bytes ? args.value("bytes") : args.value("lines")) ?? "10";
  const match = /^([+-]?)(\d+)$/.exec(raw);
  if (!match) return done("", `${name}: invalid number of ${bytes ? "bytes" : "lines"}: ${localeQuote(raw)}\n`, 1);
  const count = { value: Number(match[2]), sign: match[1], bytes };
  const operands = args.operands.length > 0 ? args.operands : ["-"];
  const headers = args.has("verbose") || (operands.length > 1 && !args.has("quiet"));
  const out = new Output();
  operands.forEach((operand, index) => {
    let text: string;
    try {
      text = operand === "-" ? ctx.stdin : ctx.fs.readFile(ctx.resolve(operand));
    } catch (error) {
      if (!(error instanceof FsError)) throw error;
      out.err(
        error.code === "EISDIR"
          ? `${name}: error reading ${quote(operand)}: ${error.reason}\n`
          : `${name}: cannot open ${quote(operand)} for reading: ${error.reason}\n`,
      );
      return;
    }
    if (headers) out.out(`${index > 0 ? "\n" : ""}==> ${operand === "-" ? "standard input" : operand} <==\n`);
    out.out(take(text, count));
  });
  return out.result(out.failed ? 1 : 0);
}

const FLAGS = (what: string) =>
  [
    { name: "bytes", short: "c", long: "bytes", value: "required", valueName: "[-]NUM", help: `print the ${what} NUM bytes of each file` },
    { name: "lines", short: "n", long: "lines", value: "required", valueName: "[-]NUM", help: `print the ${what} NUM lines instead of the ${what} 10` },
    { name: "quiet", short: "q", long: "quiet", help: "never print headers giving file names" },
    { name: "verbose", short: "v", long: "verbose", help: "always print headers giving file names" },
  ] as const;

/** `head`: the first lines (or bytes) of files; a negative count means all but the last. */
export const head: Command = {
  name: "head",
  summary: "output the first part of files",
  usage: "head [OPTION]... [FILE]...",
  description: "Print the first 10 lines of each FILE to standard output.\nWith more than one FILE, precede each with a header giving the file name.",
  spec: { numericFlag: "lines", flags: FLAGS("first") },
  run(args, ctx) {
    return headOrTail("head", args, ctx, (text, { value, sign, bytes }) => {
      const units = bytes ? [...text] : linesWithEndings(text);
      return (sign === "-" ? units.slice(0, Math.max(0, units.length - value)) : units.slice(0, value)).join("");
    });
  },
};
