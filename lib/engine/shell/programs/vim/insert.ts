/**
 * Insert mode: typing, backspacing, autoindent (with the yaml ftplugin's rules), leaving with Esc.
 */
import { specialKey } from "../screen";
import { clampNormal, colForWant, displayCol } from "./layout";
import { beep, setMessage, STYLE, type VimState } from "./state";
import { commitIfChanged } from "./undo";

export function enterInsert(vim: VimState, col: number, keepIndent = false): void {
  vim.message = null;
  if (vim.opts.readonly) setMessage(vim, "W10: Warning: Changing a readonly file", STYLE.warning);
  vim.mode = "insert";
  vim.cursor = { line: vim.cursor.line, col: Math.min(col, vim.lines[vim.cursor.line].length) };
  if (!keepIndent) vim.autoIndent = null;
}

function indentFor(vim: VimState, previous: string): string {
  if (!vim.opts.autoindent || vim.opts.paste) return "";
  let width = indentWidth(vim, previous);
  if (/\.ya?ml$/.test(vim.path ?? "")) {
    const item = /^([ \t]*)- (?=\S)/.exec(previous);
    if (/:\s*$/.test(previous) && !/^\s*#/.test(previous)) width += vim.opts.shiftwidth;
    else if (item) width = indentWidth(vim, item[1]) + 2;
  }
  return makeIndent(vim, width);
}

export function indentWidth(vim: VimState, text: string): number {
  let width = 0;
  for (const c of /^[ \t]*/.exec(text)![0]) width = c === "\t" ? width + vim.opts.tabstop - (width % vim.opts.tabstop) : width + 1;
  return width;
}

export function makeIndent(vim: VimState, width: number): string {
  if (vim.opts.expandtab) return " ".repeat(width);
  return "\t".repeat(Math.floor(width / vim.opts.tabstop)) + " ".repeat(width % vim.opts.tabstop);
}

export function openLine(vim: VimState, below: boolean): void {
  const base = vim.lines[vim.cursor.line];
  const indent = indentFor(vim, below ? base : (vim.lines[vim.cursor.line - 1] ?? base));
  const indentAbove = below ? indent : vim.opts.autoindent && !vim.opts.paste ? /^[ \t]*/.exec(base)![0] : "";
  const line = below ? vim.cursor.line + 1 : vim.cursor.line;
  const text = below ? indent : indentAbove;
  if (vim.empty && !below) vim.lines = [text, ""];
  else vim.lines.splice(line, 0, text);
  vim.empty = false;
  vim.cursor = { line, col: text.length };
  enterInsert(vim, text.length);
  if (text) vim.autoIndent = { line, text };
}

function insertText(vim: VimState, text: string): void {
  const { line, col } = vim.cursor;
  const current = vim.lines[line];
  vim.lines[line] = current.slice(0, col) + text + current.slice(col);
  vim.cursor.col = col + text.length;
  vim.empty = false;
  vim.autoIndent = null;
}

export function insertKey(vim: VimState, key: string): void {
  const special = specialKey(key);
  const { line, col } = vim.cursor;
  const text = vim.lines[line];
  if (key === "\x1b" || key === "\x03") return leaveInsert(vim);
  if (special) {
    vim.autoIndent = null;
    switch (special) {
      case "left":
        if (col > 0) vim.cursor.col -= 1;
        return;
      case "right":
        if (col < text.length) vim.cursor.col += 1;
        return;
      case "up":
      case "down": {
        const target = special === "up" ? line - 1 : line + 1;
        if (target < 0 || target >= vim.lines.length) return beep(vim);
        vim.cursor = { line: target, col: Math.min(vim.lines[target].length, colForWant(vim, target, true)) };
        return;
      }
      case "home":
        vim.cursor.col = 0;
        return;
      case "end":
        vim.cursor.col = text.length;
        return;
      case "delete":
        if (col < text.length) vim.lines[line] = text.slice(0, col) + text.slice(col + 1);
        else if (line < vim.lines.length - 1) vim.lines.splice(line, 2, text + vim.lines[line + 1]);
        return;
      default:
        return;
    }
  }
  if (!special) vim.want = displayCol(vim, vim.cursor);
  switch (key) {
    case "\r":
    case "\n": {
      const keep = vim.autoIndent && vim.autoIndent.line === line && text === vim.autoIndent.text ? "" : null;
      const head = keep ?? text.slice(0, col);
      const indent = indentFor(vim, keep !== null ? vim.autoIndent!.text + "x" : head);
      const tail = text.slice(col).replace(vim.opts.autoindent ? /^[ \t]*/ : /^$/, "");
      vim.lines.splice(line, 1, head, indent + tail);
      vim.empty = false;
      vim.cursor = { line: line + 1, col: indent.length };
      vim.autoIndent = indent ? { line: line + 1, text: indent } : null;
      vim.want = displayCol(vim, vim.cursor);
      return;
    }
    case "\x7f":
    case "\x08": {
      vim.autoIndent = null;
      if (col === 0) {
        if (line === 0) return beep(vim);
        const previous = vim.lines[line - 1];
        vim.lines.splice(line - 1, 2, previous + text);
        vim.cursor = { line: line - 1, col: previous.length };
        return;
      }
      let from = col - 1;
      const sts = vim.opts.softtabstop;
      if (sts > 0 && !vim.opts.paste && /^ +$/.test(text.slice(0, col))) from = Math.max(0, (Math.ceil(col / sts) - 1) * sts);
      vim.lines[line] = text.slice(0, from) + text.slice(col);
      vim.cursor.col = from;
      return;
    }
    case "\x17": {
      vim.autoIndent = null;
      if (col === 0) return insertKey(vim, "\x7f");
      const head = text.slice(0, col);
      const cut = /(?:[A-Za-z0-9_]+|[^A-Za-z0-9_\s]+)?\s*$/.exec(head)![0].length || 1;
      vim.lines[line] = head.slice(0, col - cut) + text.slice(col);
      vim.cursor.col = col - cut;
      return;
    }
    case "\x15":
      vim.autoIndent = null;
      vim.lines[line] = text.slice(col);
      vim.cursor.col = 0;
      return;
    case "\t": {
      if (vim.opts.expandtab && !vim.opts.paste) {
        const step = vim.opts.softtabstop || vim.opts.shiftwidth || vim.opts.tabstop;
        const width = displayCol(vim, vim.cursor);
        return insertText(vim, " ".repeat(step - (width % step)));
      }
      return insertText(vim, "\t");
    }
    default:
      if (key.length > 0 && (key.codePointAt(0)! >= 0x20 || key === "\x16") && key !== "\x7f") return insertText(vim, key);
      return;
  }
}

function leaveInsert(vim: VimState): void {
  const { line } = vim.cursor;
  if (vim.autoIndent && vim.autoIndent.line === line && vim.lines[line] === vim.autoIndent.text) {
    vim.lines[line] = "";
    vim.cursor.col = 0;
  }
  vim.autoIndent = null;
  vim.mode = "normal";
  if (vim.message && vim.message.text === "-- INSERT --") vim.message = null;
  vim.cursor = clampNormal(vim, { line, col: Math.max(0, vim.cursor.col - 1) });
  vim.want = displayCol(vim, vim.cursor);
  const before = vim.before;
  vim.before = null;
  if (before) commitIfChanged(vim, before);
}
