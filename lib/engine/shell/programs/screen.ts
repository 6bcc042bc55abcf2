/**
 * What full-screen programs share: reading terminal input as keys, cell widths, and a frame
 * that redraws only the rows that changed.
 *
 * @example
 * splitKeys("ihi\x1b[A\x1b:wq\r");   // ["i", "h", "i", "\x1b[A", "\x1b", ":", "w", "q", "\r"]
 * const frame = new Frame();
 * frame.draw([[{ text: "hello" }], [{ text: "~", style: "34" }]], { row: 0, col: 0 }, { rows: 2, columns: 80 });
 */
import type { Screen } from "../types";

const PASTE_START = "\x1b[200~";
const PASTE_END = "\x1b[201~";

/**
 * Splits terminal input into keys: one character (a code point), or one escape sequence (CSI
 * `ESC [ … final`, SS3 `ESC O x`). A lone ESC is the Escape key. Bracketed pastes arrive as
 * their characters, with line breaks as Enter (`\r`), as a terminal sends typed text.
 */
export function splitKeys(data: string): string[] {
  const keys: string[] = [];
  let i = 0;
  while (i < data.length) {
    if (data.startsWith(PASTE_START, i)) {
      const end = data.indexOf(PASTE_END, i + PASTE_START.length);
      const text = data.slice(i + PASTE_START.length, end < 0 ? data.length : end);
      for (const ch of text.replace(/\r\n?|\n/g, "\r")) keys.push(ch);
      i = end < 0 ? data.length : end + PASTE_END.length;
      continue;
    }
    if (data[i] === "\x1b") {
      const csi = /^\x1b\[[0-9;?]*[ -/]*[@-~]/.exec(data.slice(i, i + 16));
      const ss3 = /^\x1bO[A-Z]/.exec(data.slice(i, i + 3));
      const seq = csi?.[0] ?? ss3?.[0] ?? "\x1b";
      keys.push(seq);
      i += seq.length;
      continue;
    }
    const cp = data.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    keys.push(ch);
    i += ch.length;
  }
  return keys;
}

/** The name of a special key (arrows, Home, End, Delete, Page Up/Down), from xterm's sequences. */
export function specialKey(key: string): "up" | "down" | "left" | "right" | "home" | "end" | "delete" | "insert" | "pageup" | "pagedown" | undefined {
  switch (key) {
    case "\x1b[A":
    case "\x1bOA":
      return "up";
    case "\x1b[B":
    case "\x1bOB":
      return "down";
    case "\x1b[C":
    case "\x1bOC":
      return "right";
    case "\x1b[D":
    case "\x1bOD":
      return "left";
    case "\x1b[H":
    case "\x1bOH":
    case "\x1b[1~":
    case "\x1b[7~":
      return "home";
    case "\x1b[F":
    case "\x1bOF":
    case "\x1b[4~":
    case "\x1b[8~":
      return "end";
    case "\x1b[3~":
      return "delete";
    case "\x1b[2~":
      return "insert";
    case "\x1b[5~":
      return "pageup";
    case "\x1b[6~":
      return "pagedown";
    default:
      return undefined;
  }
}

/** Cells a code point takes: 2 for East Asian wide and emoji, 0 for combining marks, else 1. */
export function cellWidth(cp: number): number {
  if (cp === 0) return 0;
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  const wide =
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd);
  return wide ? 2 : 1;
}

/** Cells a string without escape sequences takes. */
export function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += cellWidth(ch.codePointAt(0)!);
  return width;
}

/** The longest prefix of `text` that fits in `width` cells. */
export function fitWidth(text: string, width: number): string {
  let used = 0;
  let out = "";
  for (const ch of text) {
    const w = cellWidth(ch.codePointAt(0)!);
    if (used + w > width) break;
    used += w;
    out += ch;
  }
  return out;
}

/** A run of text in one style (SGR parameters, e.g. `7` reverse, `1` bold, `97;41` white on red). */
export interface Segment {
  text: string;
  style?: string;
}

/** One screen row, left to right. */
export type Row = readonly Segment[];

/** A row of plain text. */
export const plain = (text: string, style?: string): Row => [{ text, style }];

/** Renders a row: styled segments, cut at `columns` cells, the rest of the row erased. */
function renderRow(row: Row, columns: number): string {
  let out = "";
  let used = 0;
  for (const segment of row) {
    if (used >= columns) break;
    const text = fitWidth(segment.text, columns - used);
    used += textWidth(text);
    if (text === "") continue;
    out += segment.style ? `\x1b[${segment.style}m${text}\x1b[0m` : text;
  }
  // In the last column xterm waits to wrap, and an erase there would clear that last cell.
  return used < columns ? out + "\x1b[K" : out;
}

/**
 * The screen a program last drew, so the next draw rewrites only rows that changed (a key in
 * vi redraws one row, not 24). `reset` forces a full redraw (start, resize).
 */
export class Frame {
  private shown: string[] = [];
  private full = true;

  reset(): void {
    this.full = true;
    this.shown = [];
  }

  /** The bytes that bring the terminal from the last frame to `rows` with the cursor at `cursor` (0-based). */
  draw(rows: readonly Row[], cursor: { row: number; col: number }, screen: Screen): string {
    let out = "\x1b[?25l";
    if (this.full) out += "\x1b[H\x1b[2J";
    const next: string[] = [];
    for (let r = 0; r < screen.rows; r++) {
      const text = renderRow(rows[r] ?? [], screen.columns);
      next.push(text);
      if (this.full ? text !== "\x1b[K" : this.shown[r] !== text) out += `\x1b[${r + 1};1H${text}`;
    }
    this.shown = next;
    this.full = false;
    const row = Math.max(0, Math.min(screen.rows - 1, cursor.row));
    const col = Math.max(0, Math.min(screen.columns - 1, cursor.col));
    return `${out}\x1b[${row + 1};${col + 1}H\x1b[?25h`;
  }
}
