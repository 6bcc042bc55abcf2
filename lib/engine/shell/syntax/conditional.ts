import type { CondExpr, Word } from "./ast";
import { ShellSyntaxError } from "./errors";
import type { Token } from "./lexer";
import { tokenText } from "./words";

const UNARY = new Set(["-a", "-e", "-f", "-d", "-s", "-r", "-w", "-x", "-L", "-h", "-z", "-n", "-v", "-b", "-c", "-p", "-S", "-g", "-u", "-k", "-t", "-O", "-G", "-N"]);
const BINARY = new Set(["=", "==", "!=", "=~", "-eq", "-ne", "-lt", "-gt", "-le", "-ge", "-nt", "-ot", "-ef"]);

/**
 * Parses the tokens between `[[` and `]]`: `!`, `&&`, `||`, parentheses, unary file and
 * string tests, and binary operators including `<`, `>` (lexed as redirections) and `=~`.
 *
 * @example
 * parseConditional(tokensOf("-f x && $a == b*")); // { kind: "and", … }
 */
export function parseConditional(tokens: readonly Token[]): CondExpr {
  let i = 0;
  const peek = () => tokens[i];
  const fail = (token: Token | undefined): never => {
    const near = token ? tokenText(token) : "]]";
    throw new ShellSyntaxError(`syntax error in conditional expression: unexpected token \`${near}'`, false, token?.span.start ?? 0);
  };
  const isOp = (op: string) => {
    const t = peek();
    return t !== undefined && t.kind === "op" && t.op === op;
  };
  const word = (): Word => {
    const t = tokens[i++];
    if (t?.kind !== "word") return fail(t);
    return t.word;
  };
  const or = (): CondExpr => {
    let left = and();
    while (isOp("||")) {
      i++;
      left = { kind: "or", left, right: and() };
    }
    return left;
  };
  const and = (): CondExpr => {
    let left = not();
    while (isOp("&&")) {
      i++;
      left = { kind: "and", left, right: not() };
    }
    return left;
  };
  const not = (): CondExpr => {
    const t = peek();
    if (t?.kind === "word" && t.word.text === "!") {
      i++;
      return { kind: "not", expr: not() };
    }
    return primary();
  };
  const primary = (): CondExpr => {
    if (isOp("(")) {
      i++;
      const inner = or();
      if (!isOp(")")) fail(peek());
      i++;
      return inner;
    }
    const first = peek();
    if (first?.kind === "word" && UNARY.has(first.word.text) && tokens[i + 1]?.kind === "word") {
      i++;
      return { kind: "unary", op: first.word.text, word: word() };
    }
    const left = word();
    const op = peek();
    if (op?.kind === "word" && BINARY.has(op.word.text)) {
      i++;
      return { kind: "binary", op: op.word.text, left, right: word() };
    }
    if (op?.kind === "redirect" && (op.op === "<" || op.op === ">")) {
      i++;
      return { kind: "binary", op: op.op, left, right: word() };
    }
    return { kind: "word", word: left };
  };
  if (tokens.length === 0) fail(undefined);
  const expr = or();
  if (i < tokens.length) fail(peek());
  return expr;
}
