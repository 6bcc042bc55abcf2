import { AwkSyntaxError } from "./errors";

export type AwkToken =
  | { kind: "number"; value: number; line: number }
  | { kind: "string"; value: string; line: number }
  | { kind: "regex"; value: string; line: number }
  | { kind: "name"; value: string; line: number }
  /** A name directly followed by `(`: a function call. */
  | { kind: "call"; value: string; line: number }
  | { kind: "keyword"; value: string; line: number }
  | { kind: "op"; value: string; line: number }
  | { kind: "newline"; value: "\n"; line: number }
  | { kind: "eof"; value: "end of file"; line: number };

const KEYWORDS = new Set(["BEGIN", "END", "if", "else", "while", "for", "do", "break", "continue", "next", "exit", "delete", "in", "print", "printf", "getline", "function", "return", "nextfile"]);
const OPERATORS = [
  "+=", "-=", "*=", "/=", "%=", "^=", "==", "<=", ">=", "!=", "++", "--", "&&", "||", ">>", "!~",
  "{", "}", "(", ")", "[", "]", ";", ",", "+", "-", "*", "/", "%", "^", "!", ">", "<", "|", "?", ":", "~", "$", "=",
];
const STRING_ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", '"': '"', "/": "/", a: "\x07", b: "\b", f: "\f", v: "\v" };

/** Whether a `/` after this token divides (after an operand) rather than starting a regex. */
function endsOperand(token: AwkToken | undefined): boolean {
  if (!token) return false;
  if (token.kind === "number" || token.kind === "string" || token.kind === "name" || token.kind === "regex") return true;
  return token.kind === "op" && [")", "]", "++", "--"].includes(token.value);
}

/**
 * Tokenizes an awk program. Newlines are tokens (they end statements); a backslash-newline
 * joins lines; `#` starts a comment.
 *
 * @example
 * tokenize("{ print $1 }").map((t) => t.value); // ["{", "print", "$", 1, "}", "end of file"]
 */
export function tokenize(src: string): AwkToken[] {
  const out: AwkToken[] = [];
  let line = 1;
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === " " || c === "\t" || c === "\r") {
      i++;
    } else if (c === "\\" && src[i + 1] === "\n") {
      i += 2;
      line++;
    } else if (c === "#") {
      while (i < src.length && src[i] !== "\n") i++;
    } else if (c === "\n") {
      out.push({ kind: "newline", value: "\n", line: line++ });
      i++;
    } else if (c === '"') {
      let value = "";
      i++;
      while (src[i] !== '"') {
        if (i >= src.length || src[i] === "\n") throw new AwkSyntaxError(line, "runaway string constant");
        if (src[i] === "\\" && i + 1 < src.length) {
          const next = src[i + 1];
          value += STRING_ESCAPES[next] ?? "\\" + next;
          i += 2;
        } else value += src[i++];
      }
      i++;
      out.push({ kind: "string", value, line });
    } else if (c === "/" && !endsOperand(out.at(-1))) {
      let value = "";
      i++;
      while (src[i] !== "/") {
        if (i >= src.length || src[i] === "\n") throw new AwkSyntaxError(line, "runaway regular expression");
        if (src[i] === "\\" && src[i + 1] === "/") {
          value += "/";
          i += 2;
        } else value += src[i++];
      }
      i++;
      out.push({ kind: "regex", value, line });
    } else if (/[0-9.]/.test(c) && /^(\d+\.?\d*|\.\d+)/.test(src.slice(i))) {
      const m = /^(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ kind: "number", value: Number(m[0]), line });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i)) as RegExpExecArray;
      const word = m[0];
      i += word.length;
      if (KEYWORDS.has(word)) out.push({ kind: "keyword", value: word, line });
      else out.push({ kind: src[i] === "(" ? "call" : "name", value: word, line });
    } else {
      const op = OPERATORS.find((o) => src.startsWith(o, i));
      if (!op) throw new AwkSyntaxError(line, c);
      out.push({ kind: "op", value: op, line });
      i += op.length;
    }
  }
  out.push({ kind: "eof", value: "end of file", line });
  return out;
}
