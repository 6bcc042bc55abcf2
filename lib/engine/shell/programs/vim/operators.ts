/**
 * The operators d, c, y, >, < over a motion, a text object or whole lines; the unnamed register and p/P; J, r, ~.
 */
import { resolveMotion } from "./cursor-motion";
import { enterInsert, indentWidth, makeIndent } from "./insert";
import { clampNormal, displayCol } from "./layout";
import { endOfWord, firstNonBlank, type Pos, quoteObject, wordObject } from "./motions";
import { beep, setMessage, showError, type VimState } from "./state";

export function operate(vim: VimState, op: string, cmd: { count: number; counted: boolean; key: string; arg?: string }): void {
  const { lines } = vim;
  const cur = vim.cursor;
  let start: Pos;
  let end: Pos;
  let linewise = false;
  let inclusive = false;
  if (cmd.key === "line") {
    if (cmd.count > 1 && cur.line >= lines.length - 1) return beep(vim);
    start = { line: cur.line, col: 0 };
    end = { line: Math.min(lines.length - 1, cur.line + cmd.count - 1), col: 0 };
    linewise = true;
  } else if (cmd.key === "object-range" || cmd.key === "object-back") {
    const other = Number(cmd.arg);
    start = { line: cur.line, col: Math.min(cur.col, other) };
    end = { line: cur.line, col: Math.max(cur.col, other) };
  } else if (cmd.key === "object") {
    const [kind, what] = [cmd.arg![0], cmd.arg![1]];
    const line = lines[cur.line];
    const range = "wW".includes(what)
      ? wordObject(line, cur.col, kind === "a", what === "W")
      : `"'\``.includes(what)
        ? quoteObject(line, cur.col, what, kind === "a")
        : null;
    if (!range) return beep(vim);
    start = { line: cur.line, col: range.start };
    end = { line: cur.line, col: range.end };
    inclusive = range.end >= range.start;
    if (!inclusive) end = { line: cur.line, col: range.start };
  } else {
    // `cw` is `ce` on a word (Vim's special case).
    let key = cmd.key;
    if (op === "c" && (key === "w" || key === "W")) {
      const ch = lines[cur.line][cur.col];
      if (ch !== undefined && ch !== " " && ch !== "\t") {
        const pos = endOfWord(lines, cur, cmd.count, key === "W", true);
        if (!pos) return beep(vim);
        key = "";
        start = cur;
        end = pos;
        inclusive = true;
      }
    }
    if (key !== "") {
      const motion = resolveMotion(vim, key, cmd.count, cmd.counted, cmd.arg, true);
      if (!motion) return beep(vim);
      start = cur;
      end = motion.pos;
      linewise = motion.linewise;
      inclusive = motion.inclusive;
      if (isBefore(end, start)) [start, end] = [end, start];
      // An exclusive motion that ends in column 0 stops at the end of the line before; from
      // the start of its line it takes whole lines (`:help exclusive`).
      if (!linewise && !inclusive && end.line > start.line && end.col === 0) {
        end = { line: end.line - 1, col: lines[end.line - 1].length };
        if (start.col <= /^[ \t]*/.exec(lines[start.line])![0].length) linewise = true;
      }
    }
  }
  start = start!;
  end = end!;
  if (linewise) return operateLines(vim, op, start.line, end.line);
  const stop = inclusive ? { line: end.line, col: end.col + 1 } : end;
  if (stop.line === start.line && stop.col <= start.col && op !== "c") return;
  const text = textBetween(vim, start, stop);
  if (op === "y") {
    vim.register = { text, linewise: false };
    vim.cursor = clampNormal(vim, start);
    vim.want = displayCol(vim, vim.cursor);
    return;
  }
  if (op === ">" || op === "<") return operateLines(vim, op, start.line, end.line);
  vim.register = { text, linewise: false };
  deleteBetween(vim, start, stop);
  vim.cursor = { ...start };
  if (op === "c") {
    enterInsert(vim, start.col, true);
    return;
  }
  vim.cursor = clampNormal(vim, start);
  vim.want = displayCol(vim, vim.cursor);
  const fewer = stop.line - start.line;
  if (fewer > 2) setMessage(vim, `${fewer} fewer lines`);
}

export function operateLines(vim: VimState, op: string, first: number, last: number): void {
  const n = last - first + 1;
  const lines = vim.lines.slice(first, last + 1);
  if (op === "y") {
    vim.register = { text: lines, linewise: true };
    vim.cursor = { line: first, col: Math.min(vim.cursor.col, Math.max(0, vim.lines[first].length - 1)) };
    if (first !== vim.cursor.line) vim.cursor.col = firstNonBlank(vim.lines[first]);
    if (n > 2) setMessage(vim, `${n} lines yanked`);
    return;
  }
  if (op === ">" || op === "<") {
    const sw = vim.opts.shiftwidth || vim.opts.tabstop;
    for (let l = first; l <= last; l++) {
      const text = vim.lines[l];
      if (text === "") continue;
      const indent = indentWidth(vim, text);
      const next = op === ">" ? indent + sw : Math.max(0, indent - sw);
      vim.lines[l] = makeIndent(vim, next) + text.replace(/^[ \t]*/, "");
    }
    vim.cursor = { line: first, col: firstNonBlank(vim.lines[first]) };
    if (n > 2) setMessage(vim, `${n} lines ${op}ed 1 time`);
    return;
  }
  vim.register = { text: lines, linewise: true };
  if (op === "c") {
    const indent = vim.opts.autoindent && !vim.opts.paste ? /^[ \t]*/.exec(vim.lines[first])![0] : "";
    vim.lines.splice(first, n, indent);
    vim.empty = false;
    vim.cursor = { line: first, col: indent.length };
    enterInsert(vim, indent.length, true);
    if (indent) vim.autoIndent = { line: first, text: indent };
    return;
  }
  vim.lines.splice(first, n);
  if (vim.lines.length === 0) {
    vim.lines = [""];
    vim.empty = true;
    setMessage(vim, "--No lines in buffer--");
  } else if (n > 2) setMessage(vim, `${n} fewer lines`);
  const line = Math.min(first, vim.lines.length - 1);
  vim.cursor = { line, col: firstNonBlank(vim.lines[line]) };
  vim.want = displayCol(vim, vim.cursor);
}

function textBetween(vim: VimState, start: Pos, stop: Pos): string[] {
  if (start.line === stop.line) return [vim.lines[start.line].slice(start.col, stop.col)];
  const out = [vim.lines[start.line].slice(start.col)];
  for (let l = start.line + 1; l < stop.line; l++) out.push(vim.lines[l]);
  out.push(vim.lines[stop.line].slice(0, stop.col));
  return out;
}

function deleteBetween(vim: VimState, start: Pos, stop: Pos): void {
  const head = vim.lines[start.line].slice(0, start.col);
  const tail = vim.lines[stop.line].slice(stop.col);
  vim.lines.splice(start.line, stop.line - start.line + 1, head + tail);
}

export function put(vim: VimState, after: boolean, count: number): void {
  const reg = vim.register;
  if (!reg) {
    showError(vim, 'E353: Nothing in register "');
    return;
  }
  if (reg.linewise) {
    const block: string[] = [];
    for (let k = 0; k < count; k++) block.push(...reg.text);
    const at = vim.empty ? 0 : after ? vim.cursor.line + 1 : vim.cursor.line;
    if (vim.empty) vim.lines = [...block];
    else vim.lines.splice(at, 0, ...block);
    vim.empty = false;
    vim.cursor = { line: at, col: firstNonBlank(vim.lines[at]) };
    if (block.length > 2) setMessage(vim, `${block.length} more lines`);
  } else {
    const inserted = reg.text.join("\n").repeat(count);
    const line = vim.lines[vim.cursor.line];
    const col = after && line !== "" ? vim.cursor.col + 1 : vim.cursor.col;
    const parts = (line.slice(0, col) + inserted + line.slice(col)).split("\n");
    vim.lines.splice(vim.cursor.line, 1, ...parts);
    vim.empty = false;
    if (parts.length === 1) vim.cursor = { line: vim.cursor.line, col: col + inserted.length - 1 };
    else vim.cursor = { line: vim.cursor.line, col };
  }
  vim.want = displayCol(vim, vim.cursor);
}

export function joinLines(vim: VimState, count: number, spaces: boolean): void {
  const first = vim.cursor.line;
  if (first >= vim.lines.length - 1) return beep(vim);
  const last = Math.min(vim.lines.length - 1, first + count - 1);
  let text = vim.lines[first];
  let col = 0;
  for (let l = first + 1; l <= last; l++) {
    let next = vim.lines[l];
    let sep = "";
    if (spaces) {
      // One space between the two ('joinspaces': two after a sentence), none before `)`.
      next = next.replace(/^[ \t]*/, "");
      if (text !== "" && next !== "" && !next.startsWith(")") && !/[ \t]$/.test(text)) sep = /[.!?]$/.test(text) ? "  " : " ";
    }
    col = text.length;
    text += sep + next;
  }
  vim.lines.splice(first, last - first + 1, text);
  vim.cursor = { line: first, col: Math.max(0, col) };
  vim.want = displayCol(vim, vim.cursor);
}

export function replaceChars(vim: VimState, ch: string, count: number): void {
  const line = vim.lines[vim.cursor.line];
  if (vim.cursor.col + count > line.length || ch === "\x1b" || ch === "\x03") return beep(vim);
  const col = vim.cursor.col;
  if (ch === "\r") {
    vim.lines.splice(vim.cursor.line, 1, line.slice(0, col), line.slice(col + count));
    vim.cursor = { line: vim.cursor.line + 1, col: 0 };
    return;
  }
  vim.lines[vim.cursor.line] = line.slice(0, col) + ch.repeat(count) + line.slice(col + count);
  vim.cursor.col = col + count - 1;
}

export function toggleCase(vim: VimState, count: number): void {
  const line = vim.lines[vim.cursor.line];
  if (line === "") return;
  const col = vim.cursor.col;
  const end = Math.min(line.length, col + count);
  const flipped = [...line.slice(col, end)].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join("");
  vim.lines[vim.cursor.line] = line.slice(0, col) + flipped + line.slice(end);
  vim.cursor.col = Math.min(end, line.length - 1);
}

function isBefore(a: Pos, b: Pos): boolean {
  return a.line < b.line || (a.line === b.line && a.col < b.col);
}
