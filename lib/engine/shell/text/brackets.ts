const CLASSES: Record<string, string> = {
  alpha: "a-zA-Z",
  digit: "0-9",
  alnum: "a-zA-Z0-9",
  upper: "A-Z",
  lower: "a-z",
  space: " \\t\\n\\r\\f\\v",
  blank: " \\t",
  punct: "!-\\/:-@\\[-`{-~",
  xdigit: "0-9A-Fa-f",
  cntrl: "\\x00-\\x1f\\x7f",
  print: "\\x20-\\x7e",
  graph: "\\x21-\\x7e",
};

/**
 * Translates a POSIX bracket expression starting at `src[start] === "["` into a JavaScript
 * character class. Returns null when the bracket never closes (callers then treat `[` as a
 * literal, as glob and regex engines do). In globs a backslash escapes; in regexes it is literal.
 *
 * @example
 * translateBracket("[![:digit:]x]", 0, { globEscapes: true }); // { source: "[^0-9x]", end: 13 }
 */
export function translateBracket(src: string, start: number, options: { globEscapes: boolean }): { source: string; end: number } | null {
  let i = start + 1;
  let negate = false;
  if (src[i] === "^" || (options.globEscapes && src[i] === "!")) {
    negate = true;
    i++;
  }
  let body = "";
  let first = true;
  while (i < src.length) {
    const c = src[i];
    if (c === "]" && !first) return { source: `[${negate ? "^" : ""}${body}]`, end: i + 1 };
    first = false;
    if (c === "[" && (src[i + 1] === ":" || src[i + 1] === "." || src[i + 1] === "=")) {
      const kind = src[i + 1];
      const close = src.indexOf(`${kind}]`, i + 2);
      if (close > 0) {
        const name = src.slice(i + 2, close);
        if (kind === ":" && !(name in CLASSES)) return null;
        body += kind === ":" ? CLASSES[name] : escapeClassChar(name);
        i = close + 2;
        continue;
      }
    }
    if (c === "\\" && options.globEscapes && i + 1 < src.length) {
      body += escapeClassChar(src[i + 1]);
      i += 2;
      continue;
    }
    body += c === "-" ? "-" : escapeClassChar(c);
    i++;
  }
  return null;
}

function escapeClassChar(text: string): string {
  return text.replace(/[\\\]\[^]/g, "\\$&");
}

/** Escapes every character RegExp treats specially outside a class. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
