const SIMPLE: Record<string, string> = {
  a: "\x07",
  b: "\b",
  e: "\x1b",
  E: "\x1b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
};

/** How backslash escapes are read: echo -e and printf's `%b` want `\0nnn` and honour `\c`. */
export interface EscapeDialect {
  /** `\0nnn` (echo) rather than `\nnn` (printf format, `$'…'`). */
  zeroOctal: boolean;
  /** Extra characters that escape to themselves, e.g. `'` and `"` inside `$'…'`. */
  literal: string;
}

/**
 * Decodes backslash escapes. `stopped` reports a `\c` (echo -e, `%b`): output ends there.
 *
 * @example
 * decodeEscapes("a\\tb\\c ignored", { zeroOctal: true, literal: "" }); // { text: "a\tb", stopped: true }
 */
export function decodeEscapes(text: string, dialect: EscapeDialect): { text: string; stopped: boolean } {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const next = text[i + 1];
    if (c !== "\\" || next === undefined) {
      out += c;
      continue;
    }
    if (next in SIMPLE) {
      out += SIMPLE[next];
      i++;
    } else if (dialect.literal.includes(next)) {
      out += next;
      i++;
    } else if (next === "c" && dialect.zeroOctal) {
      return { text: out, stopped: true };
    } else if (/[0-7]/.test(next) && (!dialect.zeroOctal || next === "0")) {
      const digits = /^[0-7]{1,3}/.exec(text.slice(dialect.zeroOctal ? i + 2 : i + 1))?.[0] ?? "";
      out += String.fromCharCode(parseInt(digits || "0", 8) & 0xff);
      i += digits.length + (dialect.zeroOctal ? 1 : 0);
    } else if (next === "x" || next === "u" || next === "U") {
      const width = next === "x" ? 2 : next === "u" ? 4 : 8;
      const hex = new RegExp(`^[0-9a-fA-F]{1,${width}}`).exec(text.slice(i + 2))?.[0];
      if (!hex) {
        out += c;
        continue;
      }
      out += String.fromCodePoint(parseInt(hex, 16));
      i += 1 + hex.length;
    } else {
      out += c;
    }
  }
  return { text: out, stopped: false };
}

/** The body of `$'…'` decoded (ANSI-C quoting). */
export function decodeAnsiC(text: string): string {
  return decodeEscapes(text, { zeroOctal: false, literal: "'\"?" }).text;
}
