/**
 * Terminal cell widths and the layout of a prompt and its input line on a grid of `columns`
 * cells, as xterm lays it out (autowrap with a deferred wrap at the right margin). Pure: the line
 * editor uses it to move the cursor across wrapped rows.
 */

/** Zero-width code points: combining marks, joiners and variation selectors. */
const ZERO_WIDTH: ReadonlyArray<readonly [number, number]> = [
  [0x0300, 0x036f], [0x0483, 0x0489], [0x0591, 0x05bd], [0x0610, 0x061a], [0x064b, 0x065f],
  [0x0e31, 0x0e31], [0x0e34, 0x0e3a], [0x0e47, 0x0e4e], [0x1ab0, 0x1aff], [0x1dc0, 0x1dff],
  [0x200b, 0x200f], [0x2028, 0x202e], [0x2060, 0x2064], [0x20d0, 0x20ff], [0xfe00, 0xfe0f],
  [0xfe20, 0xfe2f], [0xfeff, 0xfeff], [0xe0100, 0xe01ef],
];

/** East Asian wide and fullwidth code points, and the common emoji blocks (two cells each). */
const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x23e9, 0x23ec], [0x23f0, 0x23f0],
  [0x23f3, 0x23f3], [0x25fd, 0x25fe], [0x2614, 0x2615], [0x2648, 0x2653], [0x267f, 0x267f],
  [0x2693, 0x2693], [0x26a1, 0x26a1], [0x26aa, 0x26ab], [0x26bd, 0x26be], [0x26c4, 0x26c5],
  [0x26ce, 0x26ce], [0x26d4, 0x26d4], [0x26ea, 0x26ea], [0x26f2, 0x26f5], [0x26fa, 0x26fd],
  [0x2705, 0x2705], [0x270a, 0x270b], [0x2728, 0x2728], [0x274c, 0x274c], [0x2753, 0x2755],
  [0x2757, 0x2757], [0x2795, 0x2797], [0x27b0, 0x27b0], [0x27bf, 0x27bf], [0x2b1b, 0x2b1c],
  [0x2b50, 0x2b50], [0x2b55, 0x2b55], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf],
  [0x4e00, 0x9fff], [0xa000, 0xa4cf], [0xa960, 0xa97f], [0xac00, 0xd7a3], [0xf900, 0xfaff],
  [0xfe10, 0xfe19], [0xfe30, 0xfe6f], [0xff00, 0xff60], [0xffe0, 0xffe6], [0x1f004, 0x1f004],
  [0x1f0cf, 0x1f0cf], [0x1f18e, 0x1f18e], [0x1f191, 0x1f19a], [0x1f200, 0x1f251],
  [0x1f300, 0x1f64f], [0x1f680, 0x1f6ff], [0x1f7e0, 0x1f7eb], [0x1f900, 0x1f9ff],
  [0x1fa70, 0x1faff], [0x20000, 0x2fffd], [0x30000, 0x3fffd],
];

function inRanges(code: number, ranges: ReadonlyArray<readonly [number, number]>): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [from, to] = ranges[mid];
    if (code < from) hi = mid - 1;
    else if (code > to) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Cells a code point takes: 0 (combining), 1 or 2 (wide). Control characters count 0. */
export function codePointWidth(code: number): 0 | 1 | 2 {
  if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return 0;
  if (code < 0x300) return 1;
  if (inRanges(code, ZERO_WIDTH)) return 0;
  return inRanges(code, WIDE) ? 2 : 1;
}

/** Display width of plain text (no escape sequences), ignoring line breaks. */
export function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += codePointWidth(ch.codePointAt(0)!);
  return width;
}

/** CSI/OSC and two-character escape sequences. */
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]|\x1b./g;

/** Text with its terminal escape sequences removed. */
export function stripEscapes(text: string): string {
  return text.replace(ESCAPES, "");
}

/** A cell on the grid, relative to the row the prompt starts on. */
export interface Cell {
  row: number;
  col: number;
}

/**
 * Where each character of `text` starts when it is written from column `startCol` of row 0 on a
 * grid `columns` wide, and where the cursor rests after the last one. `starts[i]` is the cell of
 * text index `i` (UTF-16 index; the second half of a surrogate pair shares its first half's
 * cell); `starts[text.length]` is the end. `\n` moves to the start of the next row, a tab to the
 * next multiple of 8 (the editor writes it as spaces). A wide character that does not fit at the
 * end of a row starts the next one, as xterm does. The end is normalised: text ending exactly at
 * the right margin ends at the start of the next row (the editor forces that wrap).
 */
export function layoutText(text: string, startCol: number, columns: number): Cell[] {
  return layout(text, startCol, columns).starts;
}

/**
 * layoutText, and whether the text ends exactly at the right margin (the terminal then waits to
 * wrap: the editor writes a space and a carriage return to make it wrap now).
 */
export function layout(text: string, startCol: number, columns: number): { starts: Cell[]; pendingWrap: boolean } {
  const cols = Math.max(1, columns);
  const starts: Cell[] = new Array(text.length + 1);
  let row = 0;
  let col = Math.min(startCol, cols);
  for (let i = 0; i < text.length; ) {
    const code = text.codePointAt(i)!;
    const size = code > 0xffff ? 2 : 1;
    if (code === 0x0a) {
      starts[i] = { row, col: Math.min(col, cols - 1) };
      row += 1;
      col = 0;
    } else if (code === 0x09) {
      if (col >= cols) {
        row += 1;
        col = 0;
      }
      starts[i] = { row, col };
      const spaces = 8 - (col % 8);
      col += spaces;
      while (col > cols) {
        row += 1;
        col -= cols;
      }
    } else {
      const width = codePointWidth(code);
      if (width > 0 && col + width > cols) {
        row += 1;
        col = 0;
      }
      starts[i] = { row, col };
      col += width;
    }
    if (size === 2) starts[i + 1] = starts[i];
    i += size;
  }
  const pendingWrap = col >= cols && text.length > 0 && text[text.length - 1] !== "\n";
  if (col >= cols) {
    row += 1;
    col = 0;
  }
  starts[text.length] = { row, col };
  return { starts, pendingWrap };
}

/**
 * What to write to the terminal for `text.slice(from)` laid out as `starts` (see layoutText):
 * tabs become the spaces they span, line feeds become CR LF.
 */
export function writableSlice(text: string, starts: readonly Cell[], from: number, columns: number): string {
  let out = "";
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\t") {
      const a = starts[i];
      const b = starts[i + 1];
      out += " ".repeat(Math.max(1, (b.row - a.row) * columns + b.col - a.col));
    } else if (ch === "\n") {
      out += "\r\n";
    } else {
      out += ch;
    }
  }
  return out;
}
