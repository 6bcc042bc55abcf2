import { escapeRegExp, translateBracket } from "./text/brackets";

/** Whether a glob pattern has an unescaped `*`, `?` or `[` (and so is a pattern at all). */
export function hasGlobChars(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") i++;
    else if (c === "*" || c === "?" || c === "[") return true;
  }
  return false;
}

/** Backslash-escapes glob specials so that quoted text matches itself. */
export function escapeGlob(text: string): string {
  return text.replace(/[\\*?[\]]/g, "\\$&");
}

/** Removes the backslashes of an escaped glob pattern (the text a non-matching glob leaves). */
export function unescapeGlob(pattern: string): string {
  return pattern.replace(/\\([\s\S])/g, "$1");
}

/**
 * The RegExp source for a shell pattern (`*`, `?`, `[…]`, `\x`), unanchored, as used by
 * pathname expansion and by `${VAR#pattern}`.
 *
 * @example
 * new RegExp(`^${globSource("*.t[xX]t")}$`).test("notes.tXt"); // true
 */
export function globSource(pattern: string): string {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\" && i + 1 < pattern.length) {
      out += escapeRegExp(pattern[++i]);
    } else if (c === "*") {
      out += "[\\s\\S]*";
    } else if (c === "?") {
      out += "[\\s\\S]";
    } else if (c === "[") {
      const bracket = translateBracket(pattern, i, { globEscapes: true });
      if (bracket) {
        out += bracket.source;
        i = bracket.end - 1;
      } else {
        out += "\\[";
      }
    } else {
      out += escapeRegExp(c);
    }
  }
  return out;
}

/** Whether `text` matches the whole shell pattern. */
export function matchGlob(pattern: string, text: string): boolean {
  return new RegExp(`^${globSource(pattern)}$`).test(text);
}
