import type { Assignment, Word } from "./ast";
import type { Token } from "./lexer";

/** The text of a word that could be a reserved word (one unquoted literal), else null. */
export function keyword(token: Token): string | null {
  if (token.kind !== "word" || token.word.parts.length !== 1) return null;
  const part = token.word.parts[0];
  return part.type === "Literal" ? part.value : null;
}

/** A token as bash names it in "near unexpected token" messages. */
export function tokenText(token: Token): string {
  switch (token.kind) {
    case "word":
      return token.word.text;
    case "op":
      return token.op === "\n" ? "newline" : token.op;
    case "redirect":
      return token.op;
    case "eof":
      return "";
  }
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)(\+?)=/;

/** `NAME=value` as the leading word of a simple command (the name must be unquoted). */
export function asAssignment(word: Word): Assignment | null {
  const first = word.parts[0];
  if (first?.type !== "Literal") return null;
  const match = ASSIGNMENT.exec(first.value);
  if (!match) return null;
  const rest = first.value.slice(match[0].length);
  const parts = rest === "" ? word.parts.slice(1) : [{ ...first, value: rest }, ...word.parts.slice(1)];
  const value: Word = { type: "Word", parts, text: word.text.slice(match[0].length), span: word.span };
  return { type: "Assignment", name: match[1], value, append: match[2] === "+", span: word.span };
}
