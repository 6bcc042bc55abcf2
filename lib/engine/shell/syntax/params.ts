import type { ParamOp, Word } from "./ast";
import { unexpectedEof } from "./errors";
import type { Lexer } from "./lexer";

const NAME = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?#@*])/;
const SIGNS: Record<string, "default" | "assign" | "alternative" | "error"> = {
  "-": "default",
  "=": "assign",
  "+": "alternative",
  "?": "error",
};

/**
 * Reads the inside of `${…}` (the lexer's cursor is just after `${`) and leaves the cursor
 * after the closing brace. Forms bash accepts but this shell does not expand become a `bad`
 * operation, which fails at expansion time with bash's "bad substitution".
 */
export function scanParameter(lx: Lexer): { name: string; op: ParamOp | null } {
  const open = lx.pos - 2;
  const src = lx.src;
  if (src[lx.pos] === "#" && src[lx.pos + 1] !== "}") {
    const length = NAME.exec(src.slice(lx.pos + 1));
    if (length && src[lx.pos + 1 + length[0].length] === "}") {
      lx.pos += 2 + length[0].length;
      return { name: length[0], op: { kind: "length" } };
    }
    return bad(lx, open);
  }
  const match = NAME.exec(src.slice(lx.pos));
  if (!match) return bad(lx, open);
  const name = match[0];
  lx.pos += name.length;
  const c = src[lx.pos];
  if (c === "}") {
    lx.pos++;
    return { name, op: null };
  }
  const colon = c === ":" && "-=+?".includes(src[lx.pos + 1] ?? "x");
  if (colon || (c !== undefined && c in SIGNS)) {
    lx.pos += colon ? 2 : 1;
    const kind = SIGNS[src[lx.pos - 1]];
    return { name, op: { kind, colon, word: closed(lx, "}") } };
  }
  if (c === "#" || c === "%") {
    const longest = src[lx.pos + 1] === c;
    lx.pos += longest ? 2 : 1;
    return { name, op: { kind: c === "#" ? "trimPrefix" : "trimSuffix", longest, pattern: closed(lx, "}") } };
  }
  if (c === "/") {
    lx.pos++;
    const all = src[lx.pos] === "/";
    if (all) lx.pos++;
    const anchor = src[lx.pos] === "#" ? "start" : src[lx.pos] === "%" ? "end" : null;
    if (anchor) lx.pos++;
    const pattern = lx.word("/}");
    if (src[lx.pos] === "/") {
      lx.pos++;
      return { name, op: { kind: "replace", all, anchor, pattern, replacement: closed(lx, "}") } };
    }
    const replacement: Word = { type: "Word", parts: [], text: "", span: lx.span(lx.pos) };
    closed(lx, "}");
    return { name, op: { kind: "replace", all, anchor, pattern, replacement } };
  }
  if ((c === "^" || c === ",") && (src[lx.pos + 1] === "}" || (src[lx.pos + 1] === c && src[lx.pos + 2] === "}"))) {
    const all = src[lx.pos + 1] === c;
    lx.pos += all ? 3 : 2;
    return { name, op: { kind: "case", upper: c === "^", all } };
  }
  if (c === ":") {
    const close = src.indexOf("}", lx.pos);
    if (close < 0) throw unexpectedEof("}", lx.base + open);
    const [offset, length] = src.slice(lx.pos + 1, close).split(/:(.*)/s);
    lx.pos = close + 1;
    return { name, op: { kind: "substring", offset, length: length ?? null } };
  }
  return bad(lx, open);
}

/** A word up to the closing brace, which it consumes. */
function closed(lx: Lexer, stops: string): Word {
  const word = lx.word(stops);
  if (lx.src[lx.pos] !== "}") throw unexpectedEof("}", lx.base + lx.pos);
  lx.pos++;
  return word;
}

function bad(lx: Lexer, open: number): { name: string; op: ParamOp } {
  const close = lx.src.indexOf("}", lx.pos);
  if (close < 0) throw unexpectedEof("}", lx.base + open);
  lx.pos = close + 1;
  return { name: "", op: { kind: "bad", text: lx.src.slice(open, close + 1) } };
}
