/**
 * Drawing the window: text rows, `~` and `@` filler, the intro screen, the mode/message line, showcmd and the ruler.
 */
import { utf8Encode } from "../../text/utf8";
import { cellWidth, type Row, type Segment, textWidth } from "../screen";
import { avail, clampNormal, displayCol, layoutLine, numberWidth, textRows } from "./layout";
import { scroll } from "./scroll";
import { STYLE, type VimState } from "./state";

const INTRO = [
  "VIM - Vi IMproved",
  "",
  "version 8.2.3995",
  "by Bram Moolenaar et al.",
  "Modified by team+vim@tracker.debian.org",
  "Vim is open source and freely distributable",
  "",
  "Help poor children in Uganda!",
  "type  :help iccf<Enter>       for information ",
  "",
  "type  :q<Enter>               to exit         ",
  "type  :help<Enter>  or  <F1>  for on-line help",
  "type  :help version8<Enter>   for version info",
];

export function render(vim: VimState): string {
  const { rows: height, columns } = vim.screen;
  const windowRows = textRows(vim);
  if (vim.mode !== "insert") vim.cursor = clampNormal(vim, vim.cursor);
  scroll(vim);
  const rows: Row[] = [];
  const nw = numberWidth(vim);
  const availCols = avail(vim);
  let cursorAt = { row: 0, col: 0 };
  let line = vim.top;
  while (rows.length < windowRows && line < vim.lines.length) {
    const { cells, width } = layoutLine(vim, vim.lines[line]);
    const n = vim.opts.wrap ? Math.max(1, Math.ceil(width / availCols)) : 1;
    if (rows.length + n > windowRows && line !== vim.top) {
      while (rows.length < windowRows) rows.push([{ text: "@", style: STYLE.nonText }]);
      break;
    }
    if (line === vim.cursor.line) {
      const dc = displayCol(vim, vim.cursor);
      const wrapRow = vim.opts.wrap ? Math.floor(dc / availCols) : 0;
      cursorAt = { row: rows.length + Math.min(wrapRow, n), col: nw + (vim.opts.wrap ? dc % availCols : Math.min(dc, availCols - 1)) };
    }
    for (let k = 0; k < n && rows.length < windowRows; k++) {
      const row: Segment[] = [];
      if (nw > 0) row.push({ text: k === 0 ? `${String(line + 1).padStart(nw - 1)} ` : " ".repeat(nw), style: STYLE.lineNr });
      row.push({ text: sliceCells(cells, k * availCols, (k + 1) * availCols) });
      rows.push(row);
    }
    line += 1;
  }
  while (rows.length < windowRows) rows.push([{ text: "~", style: STYLE.nonText }]);
  if (vim.intro && vim.empty) drawIntro(vim, rows, windowRows, columns);
  const [status, statusCursor] = statusLine(vim, columns, line);
  rows[height - 1] = status;
  if (statusCursor !== null) cursorAt = { row: height - 1, col: statusCursor };
  const out = vim.frame.draw(rows, cursorAt, vim.screen);
  const bells = "\x07".repeat(vim.bells);
  vim.bells = 0;
  return bells + out;
}

function drawIntro(vim: VimState, rows: Row[], textRows: number, columns: number): void {
  const first = Math.max(1, Math.floor((textRows - INTRO.length) / 2));
  INTRO.forEach((text, i) => {
    if (first + i >= textRows || text === "") return;
    const pad = Math.max(0, Math.floor((columns - text.length) / 2));
    rows[first + i] = [{ text: "~", style: STYLE.nonText }, { text: " ".repeat(Math.max(0, pad - 1)) + text }];
  });
}

/** The last line: the command line being typed, or the mode/message, showcmd and the ruler. */
function statusLine(vim: VimState, columns: number, bottom: number): [Row, number | null] {
  if (vim.mode === "cmdline") {
    const text = vim.cmdline.prefix + vim.cmdline.text;
    return [[{ text }], Math.min(columns - 1, textWidth(text))];
  }
  const row: Segment[] = [];
  if (vim.mode === "insert" && vim.opts.showmode) row.push({ text: "-- INSERT --", style: STYLE.mode });
  else if (vim.message) row.push(vim.message);
  const used = row.reduce((n, s) => n + textWidth(s.text), 0);
  const rulerCol = columns - 18;
  const showcmdCol = columns - 28;
  let width = used;
  if (vim.opts.showcmd && vim.pending.length > 0 && width < showcmdCol) {
    const shown = vim.pending.map((k) => (k.length === 1 && k.charCodeAt(0) < 32 ? "^" + String.fromCharCode(k.charCodeAt(0) ^ 64) : k.length === 1 ? k : "")).join("").slice(-10);
    row.push({ text: " ".repeat(showcmdCol - width) + shown });
    width = showcmdCol + shown.length;
  }
  if (vim.opts.ruler && rulerCol > width) {
    row.push({ text: " ".repeat(rulerCol - width) + ruler(vim, bottom) });
  }
  return [row, null];
}

/** `12,5-9        45%`: line, byte column (and screen column when they differ), position in the file. */
function ruler(vim: VimState, bottom: number): string {
  const { line, col } = vim.cursor;
  const text = vim.lines[line];
  let position: string;
  if (vim.empty) position = "0,0-1";
  else if (text === "") position = `${line + 1},0-1`;
  else {
    const byte = utf8Encode(text.slice(0, col)).length + 1;
    const virtual = displayCol(vim, vim.cursor) + 1;
    position = `${line + 1},${byte}${byte === virtual ? "" : `-${virtual}`}`;
  }
  const above = vim.top;
  const below = vim.lines.length - bottom;
  const rel = below <= 0 ? (above === 0 ? "All" : "Bot") : above <= 0 ? "Top" : `${String(Math.floor((above * 100) / (above + below))).padStart(2)}%`;
  return position + " ".repeat(Math.max(1, 17 - position.length - rel.length)) + rel;
}

/** The cells [from, to) of a drawn line. */
function sliceCells(cells: string, from: number, to: number): string {
  let col = 0;
  let out = "";
  for (const ch of cells) {
    const w = cellWidth(ch.codePointAt(0)!);
    if (col >= from && col + w <= to) out += ch;
    col += w;
    if (col >= to) break;
  }
  return out;
}
