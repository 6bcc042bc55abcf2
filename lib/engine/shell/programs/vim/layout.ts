/**
 * How lines are drawn on screen: cells, wrapping, display columns, where the cursor may stand.
 */
import { cellWidth } from "../screen";
import type { Pos } from "./motions";
import type { VimState } from "./state";

export function textRows(vim: VimState): number {
  return Math.max(1, vim.screen.rows - 1);
}

export function numberWidth(vim: VimState): number {
  if (!vim.opts.number && !vim.opts.relativenumber) return 0;
  return Math.max(3, String(vim.lines.length).length) + 1;
}

export function avail(vim: VimState): number {
  return Math.max(1, vim.screen.columns - numberWidth(vim));
}

/** A line as drawn: tabs expanded (or `^I` with 'list'), control characters as `^X`; `starts[i]` is where character i begins. */
export function layoutLine(vim: VimState, text: string): { cells: string; starts: number[]; width: number } {
  const starts: number[] = [];
  let cells = "";
  let col = 0;
  for (let i = 0; i < text.length; i++) {
    starts[i] = col;
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) {
      starts[i + 1] = col;
      i++;
    }
    if (cp === 9 && !vim.opts.list) {
      const n = vim.opts.tabstop - (col % vim.opts.tabstop);
      cells += " ".repeat(n);
      col += n;
    } else if (cp < 32 || cp === 127) {
      cells += "^" + String.fromCharCode(cp ^ 64);
      col += 2;
    } else {
      cells += String.fromCodePoint(cp);
      col += cellWidth(cp);
    }
  }
  starts[text.length] = col;
  if (vim.opts.list) cells += "$";
  return { cells, starts, width: col + (vim.opts.list ? 1 : 0) };
}

export function rowsFor(vim: VimState, line: number): number {
  if (!vim.opts.wrap) return 1;
  return Math.max(1, Math.ceil(layoutLine(vim, vim.lines[line]).width / avail(vim)));
}

/** The display column of a cursor position (on a tab, its last cell in normal mode). */
export function displayCol(vim: VimState, pos: Pos): number {
  const { starts } = layoutLine(vim, vim.lines[pos.line] ?? "");
  const col = Math.min(pos.col, starts.length - 1);
  const tab = vim.lines[pos.line]?.[col] === "\t" && !vim.opts.list;
  if (tab && vim.mode !== "insert") return starts[col + 1] - 1;
  return starts[col];
}

/** The column on `line` closest to the remembered display column. */
export function colForWant(vim: VimState, line: number, insert = false): number {
  const text = vim.lines[line];
  if (vim.want === Infinity) return insert ? text.length : Math.max(0, text.length - 1);
  return colForDisplay(vim, line, vim.want, insert);
}

export function colForDisplay(vim: VimState, line: number, target: number, insert = false): number {
  const text = vim.lines[line];
  const { starts } = layoutLine(vim, text);
  const max = insert ? text.length : Math.max(0, text.length - 1);
  for (let i = 0; i < text.length; i++) if (starts[i + 1] > target) return Math.min(i, max);
  return max;
}

export function clampNormal(vim: VimState, pos: Pos): Pos {
  const line = Math.max(0, Math.min(pos.line, vim.lines.length - 1));
  const len = vim.lines[line].length;
  return { line, col: Math.max(0, Math.min(pos.col, len - 1)) };
}

export function moveTo(vim: VimState, pos: Pos): void {
  vim.cursor = clampNormal(vim, pos);
  vim.want = displayCol(vim, vim.cursor);
}

/** The first line below the window (Vim's w_botline - 1). */
export function bottomLine(vim: VimState): number {
  let rows = 0;
  let line = vim.top;
  while (line < vim.lines.length) {
    rows += rowsFor(vim, line);
    if (rows > textRows(vim)) break;
    line += 1;
  }
  return line;
}
