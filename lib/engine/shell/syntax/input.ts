import type { Script } from "./ast";
import { ShellSyntaxError } from "./errors";
import { Lexer, type Token } from "./lexer";
import { parse, type ParseResult, parseTokens } from "./parser";

/**
 * Parses typed input the way an interactive bash reads it: complete lines before a syntax
 * error still run, so the result carries the runnable prefix and the error, if any.
 *
 * @example
 * const { script, error } = parseInput("echo a\nfi");
 * script.body.length; // 1 (echo a)
 * error?.message;     // "syntax error near unexpected token `fi'"
 */
export function parseInput(source: string): ParseResult & { error: ShellSyntaxError | null } {
  const lexer = new Lexer(source, 0, parseTokens);
  let tokens: Token[];
  let error: ShellSyntaxError;
  try {
    tokens = lexer.tokenize();
    return { script: parseTokens(tokens, source), warnings: lexer.warnings, complete: !lexer.wantsMore, error: null };
  } catch (caught) {
    if (!(caught instanceof ShellSyntaxError)) throw caught;
    error = caught;
    tokens = lexer.lexed;
  }
  for (let i = tokens.length - 1; i >= 0; i--) {
    const token = tokens[i];
    if (token.kind !== "op" || token.op !== "\n" || token.span.end > error.offset) continue;
    try {
      const script = parseTokens([...tokens.slice(0, i + 1), { kind: "eof", span: token.span }], source);
      return { script, warnings: lexer.warnings, complete: false, error };
    } catch {
      // That line is inside an unfinished command too; try an earlier one.
    }
  }
  const empty: Script = { type: "Script", body: [], span: { start: 0, end: 0 } };
  return { script: empty, warnings: [], complete: false, error };
}

/**
 * Whether a terminal should ask for another line before running `input` (bash's `> `
 * prompt): an open quote, `$(`, here-document, trailing `|`/`&&`/`\`, or an unfinished
 * `if`/`for`/`while`.
 *
 * @example
 * isIncomplete("for i in 1 2; do"); // true
 * isIncomplete("echo 'hi'");       // false
 */
export function isIncomplete(input: string): boolean {
  try {
    return !parse(input).complete;
  } catch (error) {
    if (error instanceof ShellSyntaxError) return error.incomplete;
    throw error;
  }
}
