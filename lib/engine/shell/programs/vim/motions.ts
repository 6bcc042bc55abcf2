/**
 * Vim's cursor motions over a buffer's lines, after Vim's own search.c/textobject.c: word
 * classes (blank, punctuation, keyword), `w b e W B E` that cross lines and stop on empty
 * lines, `f t F T`, `{ }`, `%`, and the `iw aw i" a"` text objects. Positions may sit on a
 * line's end (col = length), as Vim's do while it moves.
 *
 * @example
 * forwardWord(["foo bar", "baz"], { line: 0, col: 0 }, 1, false, false); // { line: 0, col: 4 }
 */
export interface Pos {
  line: number;
  col: number;
}

type Lines = readonly string[];

/** Vim's `cls()`: 0 blank (and the end of a line), 1 punctuation (any non-blank for WORDs), 2 keyword. */
function cls(lines: Lines, p: Pos, bigword: boolean): number {
  const c = lines[p.line][p.col];
  if (c === undefined || c === " " || c === "\t") return 0;
  if (bigword) return 1;
  const code = c.charCodeAt(0);
  return /[A-Za-z0-9_]/.test(c) || (code >= 192 && code !== 215 && code !== 247) ? 2 : 1;
}

/** Vim's `inc()`: the next position; 0 within the line, 2 onto its end, 1 onto the next line, -1 at the end of the buffer. */
function inc(lines: Lines, p: Pos): number {
  const len = lines[p.line].length;
  if (p.col < len) {
    p.col += 1;
    return p.col < len ? 0 : 2;
  }
  if (p.line < lines.length - 1) {
    p.line += 1;
    p.col = 0;
    return 1;
  }
  return -1;
}

/** Vim's `dec()`: the previous position (onto the end of the previous line), -1 at the start. */
function dec(lines: Lines, p: Pos): number {
  if (p.col > 0) {
    p.col -= 1;
    return 0;
  }
  if (p.line > 0) {
    p.line -= 1;
    p.col = lines[p.line].length;
    return 1;
  }
  return -1;
}

const emptyAt = (lines: Lines, p: Pos) => p.col === 0 && lines[p.line] === "";

/** `w`/`W`; `eol` (with an operator) stops at the end of the line the last word ends on. Null: nowhere to go. */
export function forwardWord(lines: Lines, from: Pos, count: number, bigword: boolean, eol: boolean): Pos | null {
  const p = { ...from };
  for (let n = count - 1; n >= 0; n--) {
    const sclass = cls(lines, p, bigword);
    const lastLine = p.line === lines.length - 1;
    let i = inc(lines, p);
    if (i === -1 || (i >= 1 && lastLine)) return n === count - 1 ? null : p;
    if (i >= 1 && eol && n === 0) return p;
    if (sclass !== 0) {
      while (cls(lines, p, bigword) === sclass) {
        i = inc(lines, p);
        if (i === -1 || (i >= 1 && eol && n === 0)) return p;
      }
    }
    while (cls(lines, p, bigword) === 0) {
      if (emptyAt(lines, p)) break;
      i = inc(lines, p);
      if (i === -1 || (i >= 1 && eol && n === 0)) return p;
    }
  }
  return p;
}

/** Moves while the class stays `cclass`; true when the buffer's edge stopped it. */
function skipChars(lines: Lines, p: Pos, cclass: number, bigword: boolean, forward: boolean): boolean {
  while (cls(lines, p, bigword) === cclass) if ((forward ? inc(lines, p) : dec(lines, p)) === -1) return true;
  return false;
}

/** `e`/`E` (and `cw`'s end of word when `stop`). Null: nowhere to go. */
export function endOfWord(lines: Lines, from: Pos, count: number, bigword: boolean, stop: boolean): Pos | null {
  const p = { ...from };
  for (let n = count - 1; n >= 0; n--) {
    const sclass = cls(lines, p, bigword);
    if (inc(lines, p) === -1) return null;
    if (cls(lines, p, bigword) === sclass && sclass !== 0) {
      if (skipChars(lines, p, sclass, bigword, true)) return null;
    } else if (!stop || sclass === 0) {
      while (cls(lines, p, bigword) === 0) if (inc(lines, p) === -1) return null;
      if (skipChars(lines, p, cls(lines, p, bigword), bigword, true)) return null;
    }
    dec(lines, p);
    stop = false;
  }
  return p;
}

/** `b`/`B`. Null: already at the start. */
export function backWord(lines: Lines, from: Pos, count: number, bigword: boolean): Pos | null {
  const p = { ...from };
  for (let n = count - 1; n >= 0; n--) {
    if (dec(lines, p) === -1) return null;
    let finished = false;
    while (cls(lines, p, bigword) === 0) {
      if (emptyAt(lines, p)) {
        finished = true;
        break;
      }
      if (dec(lines, p) === -1) return p;
    }
    if (finished) continue;
    if (skipChars(lines, p, cls(lines, p, bigword), bigword, false)) return p;
    inc(lines, p);
  }
  return p;
}

/** `f`/`t`/`F`/`T` on the cursor's line; null when the character is not there. */
export function findChar(line: string, col: number, count: number, kind: "f" | "t" | "F" | "T", ch: string): number | null {
  const forward = kind === "f" || kind === "t";
  let at = col;
  for (let n = 0; n < count; n++) {
    // `t` next to its target moves past it when repeated (a count).
    const start = forward ? at + 1 + (kind === "t" && n > 0 ? 1 : 0) : at - 1 - (kind === "T" && n > 0 ? 1 : 0);
    const found = forward ? line.indexOf(ch, start) : start < 0 ? -1 : line.lastIndexOf(ch, start);
    if (found < 0) return null;
    at = found;
  }
  if (kind === "t") at -= 1;
  if (kind === "T") at += 1;
  return at === col && count === 1 && (kind === "t" || kind === "T") ? null : at;
}

/** `}` (forward) and `{`: the next empty line after a non-empty run, or the buffer's edge. */
export function paragraph(lines: Lines, from: Pos, count: number, forward: boolean): Pos | null {
  let line = from.line;
  for (let n = 0; n < count; n++) {
    const last = forward ? lines.length - 1 : 0;
    if (line === last) {
      if (n === 0 && (forward ? from.col >= lines[line].length - 1 : from.col === 0)) return null;
      break;
    }
    const step = forward ? 1 : -1;
    // Skip empty lines, then the paragraph's lines, stopping on the next empty one.
    while (line !== last && lines[line] === "") line += step;
    while (line !== last && lines[line] !== "") line += step;
  }
  const atEdge = lines[line] !== "";
  return { line, col: forward && atEdge ? Math.max(0, lines[line].length - 1) : 0 };
}

const PAIRS: Record<string, [string, string, boolean]> = {
  "(": ["(", ")", true],
  ")": ["(", ")", false],
  "[": ["[", "]", true],
  "]": ["[", "]", false],
  "{": ["{", "}", true],
  "}": ["{", "}", false],
};

/** `%`: the bracket matching the first one at or after the cursor on its line. */
export function matchPair(lines: Lines, from: Pos): Pos | null {
  const text = lines[from.line];
  let col = from.col;
  while (col < text.length && !(text[col] in PAIRS)) col++;
  if (col >= text.length) return null;
  const [open, close, forward] = PAIRS[text[col]];
  let depth = 0;
  const p = { line: from.line, col };
  for (;;) {
    const c = lines[p.line][p.col];
    if (c === open) depth += forward ? 1 : -1;
    else if (c === close) depth += forward ? -1 : 1;
    if (depth === 0) return { ...p };
    if ((forward ? inc(lines, p) : dec(lines, p)) === -1) return null;
  }
}

/** `iw`/`aw`/`iW`/`aW`: the word (or blank run) under the cursor, `around` with its trailing (else leading) blanks. */
export function wordObject(line: string, col: number, around: boolean, bigword: boolean): { start: number; end: number } | null {
  if (line === "") return null;
  const lines = [line];
  const at = (c: number) => cls(lines, { line: 0, col: c }, bigword);
  const cursorClass = at(col);
  let start = col;
  let end = col;
  while (start > 0 && at(start - 1) === cursorClass) start--;
  while (end < line.length - 1 && at(end + 1) === cursorClass) end++;
  if (!around) return { start, end };
  if (cursorClass === 0) {
    // Blanks, then the word after them.
    if (end + 1 < line.length) {
      const next = at(end + 1);
      while (end + 1 < line.length && at(end + 1) === next) end++;
    }
    return { start, end };
  }
  if (end + 1 < line.length && at(end + 1) === 0) {
    while (end + 1 < line.length && at(end + 1) === 0) end++;
  } else {
    while (start > 0 && at(start - 1) === 0) start--;
  }
  return { start, end };
}

/** `i"`/`a"` (and `'`, `` ` ``): the quoted text around or after the cursor on its line. */
export function quoteObject(line: string, col: number, quote: string, around: boolean): { start: number; end: number } | null {
  const positions: number[] = [];
  for (let i = 0; i < line.length; i++) if (line[i] === quote && (i === 0 || line[i - 1] !== "\\")) positions.push(i);
  for (let k = 0; k + 1 < positions.length; k += 2) {
    const [open, close] = [positions[k], positions[k + 1]];
    if (col <= close) {
      if (col < open && k > 0) return null;
      if (!around) return close - open > 1 ? { start: open + 1, end: close - 1 } : { start: open + 1, end: open };
      let end = close;
      while (end + 1 < line.length && /[ \t]/.test(line[end + 1])) end++;
      return { start: open, end };
    }
  }
  return null;
}

/** The first non-blank column of a line (its end when it is all blank, minus one, as `^` does). */
export function firstNonBlank(line: string): number {
  const m = /^[ \t]*/.exec(line)![0].length;
  return m >= line.length ? Math.max(0, line.length - 1) : m;
}
