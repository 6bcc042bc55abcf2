/**
 * Scrolling: keeping the cursor in view with 'scrolloff', and Ctrl-F/B/D/U/E/Y.
 */
import { bottomLine, clampNormal, colForWant, displayCol, rowsFor, textRows } from "./layout";
import { firstNonBlank } from "./motions";
import { beep, type VimState } from "./state";

/** Scrolls so the cursor shows with 'scrolloff' (5) lines around it; far jumps centre it. */
export function scroll(vim: VimState): void {
  const rows = textRows(vim);
  const so = Math.min(5, Math.floor((rows - 1) / 2));
  const last = vim.lines.length - 1;
  const line = vim.cursor.line;
  const maxTop = (() => {
    let used = 0;
    let l = last;
    while (l >= 0) {
      used += rowsFor(vim, l);
      if (used > rows) return l + 1;
      l -= 1;
    }
    return 0;
  })();
  if (line < vim.top + so) {
    const target = Math.max(0, line - so);
    vim.top = vim.top - target > rows / 2 ? Math.max(0, line - Math.floor(rows / 2)) : target;
    vim.top = Math.min(vim.top, maxTop);
    return;
  }
  const needed = Math.min(last, line + so);
  const fits = () => {
    let used = 0;
    for (let l = vim.top; l <= needed; l++) used += rowsFor(vim, l);
    return used <= rows;
  };
  if (fits()) return;
  if (line - bottomLine(vim) > rows / 2) vim.top = Math.min(maxTop, Math.max(0, line - Math.floor(rows / 2)));
  while (!fits() && vim.top < line) vim.top += 1;
}

export function scrollBy(vim: VimState, key: string, count: number): void {
  const rows = textRows(vim);
  const half = Math.max(1, Math.floor(rows / 2));
  const last = vim.lines.length - 1;
  let delta: number;
  switch (key) {
    case "\x06":
    case "pagedown":
      delta = (rows - 2) * count;
      break;
    case "\x02":
    case "pageup":
      delta = -(rows - 2) * count;
      break;
    case "\x04":
      delta = half;
      break;
    case "\x15":
      delta = -half;
      break;
    case "\x05":
      delta = count;
      break;
    default:
      delta = -count;
  }
  if ((delta > 0 && vim.cursor.line >= last) || (delta < 0 && vim.cursor.line === 0 && vim.top === 0)) return beep(vim);
  if (key === "\x05" || key === "\x19") {
    vim.top = Math.max(0, Math.min(last, vim.top + delta));
    const line = Math.max(vim.top, Math.min(vim.cursor.line, bottomLine(vim) - 1));
    vim.cursor = clampNormal(vim, { line, col: colForWant(vim, line) });
    return;
  }
  vim.top = Math.max(0, Math.min(last, vim.top + delta));
  const line = Math.max(0, Math.min(last, vim.cursor.line + delta));
  vim.cursor = { line, col: firstNonBlank(vim.lines[line]) };
  vim.want = displayCol(vim, vim.cursor);
}
