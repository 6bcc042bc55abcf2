/**
 * `/` and `?` search, `n` and `N`: the next match, wrapping around the buffer with Vim's messages.
 */
import { clampNormal, displayCol } from "./layout";
import type { Pos } from "./motions";
import { vimRegExp } from "./pattern";
import { setMessage, showError, STYLE, type VimState } from "./state";

/** `/pattern` and `?pattern` from the command line: moves there and says where it wrapped. */
export function search(vim: VimState, pattern: string, forward: boolean, show: boolean): void {
  vim.lastSearch = { pattern, forward };
  if (show) setMessage(vim, `${forward ? "/" : "?"}${pattern}`);
  const pos = findMatch(vim, pattern, forward, vim.cursor, true);
  if (!pos) return;
  vim.cursor = clampNormal(vim, pos);
  vim.want = displayCol(vim, vim.cursor);
}

/** The next match of `pattern` from `from` (not at it), wrapping around the buffer. */
export function findMatch(vim: VimState, pattern: string, forward: boolean, from: Pos, report: boolean): Pos | null {
  let regex: RegExp;
  try {
    regex = vimRegExp(pattern, { ignorecase: vim.opts.ignorecase, smartcase: vim.opts.smartcase, global: true });
  } catch (error) {
    showError(vim, error instanceof Error ? error.message : String(error));
    return null;
  }
  const n = vim.lines.length;
  const matchesIn = (line: number): number[] => {
    const out: number[] = [];
    const text = vim.lines[line];
    regex.lastIndex = 0;
    for (let m = regex.exec(text); m; m = regex.exec(text)) {
      out.push(m.index);
      if (m[0] === "") regex.lastIndex += 1;
      if (regex.lastIndex > text.length) break;
    }
    return out;
  };
  for (let step = 0; step <= n; step++) {
    const line = forward ? (from.line + step) % n : (from.line - step + n * 2) % n;
    const wrapped = forward ? from.line + step >= n : from.line - step < 0;
    if (wrapped && !vim.opts.wrapscan) break;
    let cols = matchesIn(line);
    if (step === 0) cols = cols.filter((c) => (forward ? c > from.col : c < from.col));
    if (step === n) cols = cols.filter((c) => (forward ? c <= from.col : c >= from.col));
    if (cols.length === 0) continue;
    const col = forward ? cols[0] : cols[cols.length - 1];
    if (wrapped && report) setMessage(vim, forward ? "search hit BOTTOM, continuing at TOP" : "search hit TOP, continuing at BOTTOM", STYLE.warning);
    return { line, col };
  }
  if (report) showError(vim, vim.opts.wrapscan ? `E486: Pattern not found: ${pattern}` : `E${forward ? 385 : 384}: Search hit ${forward ? "BOTTOM" : "TOP"} without match for: ${pattern}`);
  return null;
}
