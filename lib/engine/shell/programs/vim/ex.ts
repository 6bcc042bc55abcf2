/**
 * Ex commands (`:w`, `:q!`, `:42`, `:d`, `:set`, …): ranges, abbreviations, and what is not built saying so.
 */
import { fileInfo, openFile, quit, writeBuffer } from "./files";
import { clampNormal, displayCol } from "./layout";
import { firstNonBlank } from "./motions";
import { operateLines } from "./operators";
import { isModified, setMessage, showError, type VimState } from "./state";
import { substitute } from "./substitute";
import { commitIfChanged, snapshot } from "./undo";

const UNSUPPORTED_EX = new Set(["help", "edit", "split", "vsplit", "new", "vnew", "tabnew", "tabedit", "read", "global", "vglobal", "normal", "map", "nmap", "imap", "noremap", "nnoremap", "inoremap", "source", "buffer", "bnext", "bprevious", "next", "previous", "undo", "redo", "join", "move", "copy", "sort", "put", "registers", "marks", "let", "echo", "call", "terminal", "shell", "make", "grep", "vimgrep", "colorscheme", "recover", "saveas", "only", "close", "hide", "tabclose", "cd", "pwd", "ls", "files", "buffers"]);

const EX_NAMES: readonly [string, number][] = [
  ["write", 1], ["wq", 2], ["wqall", 3], ["wall", 2], ["xit", 1], ["xall", 2], ["exit", 3], ["quit", 1], ["qall", 2], ["quitall", 5], ["update", 2],
  ["substitute", 1], ["set", 2], ["setlocal", 4], ["nohlsearch", 3], ["syntax", 2], ["filetype", 5], ["delete", 1], ["yank", 1], ["edit", 1], ["file", 1],
  ["help", 1], ["split", 2], ["vsplit", 2], ["new", 3], ["vnew", 3], ["tabnew", 6], ["tabedit", 4], ["read", 1], ["global", 1], ["vglobal", 1], ["normal", 4],
  ["map", 3], ["nmap", 2], ["imap", 2], ["noremap", 2], ["nnoremap", 2], ["inoremap", 3], ["source", 2], ["buffer", 1], ["bnext", 2], ["bprevious", 2],
  ["next", 1], ["previous", 4], ["undo", 1], ["redo", 3], ["join", 1], ["move", 1], ["copy", 2], ["sort", 3], ["put", 2], ["registers", 3],
  ["marks", 4], ["let", 3], ["echo", 2], ["call", 3], ["terminal", 3], ["shell", 2], ["make", 3], ["grep", 2], ["vimgrep", 3], ["colorscheme", 4],
  ["recover", 3], ["saveas", 3], ["only", 2], ["close", 3], ["hide", 3], ["tabclose", 4], ["cd", 2], ["pwd", 2], ["ls", 2], ["files", 5], ["buffers", 7],
];

/** Vim's `:set` options this editor honours (name, short name, kind). */
const OPTIONS: readonly [string, string, "bool" | "number"][] = [
  ["number", "nu", "bool"], ["list", "list", "bool"], ["paste", "paste", "bool"], ["autoindent", "ai", "bool"], ["expandtab", "et", "bool"],
  ["tabstop", "ts", "number"], ["shiftwidth", "sw", "number"], ["softtabstop", "sts", "number"], ["ignorecase", "ic", "bool"],
  ["smartcase", "scs", "bool"], ["hlsearch", "hls", "bool"], ["incsearch", "is", "bool"], ["ruler", "ru", "bool"], ["showmode", "smd", "bool"],
  ["showcmd", "sc", "bool"], ["wrap", "wrap", "bool"], ["readonly", "ro", "bool"], ["relativenumber", "rnu", "bool"], ["cursorline", "cul", "bool"],
  ["wrapscan", "ws", "bool"],
];

/** Runs an Ex command line (`:w`, `:q!`, `:%s/a/b/g`, `:set nu`, `:42` …). */
export function runEx(vim: VimState, input: string): void {
  const line = input.replace(/^[\s:]+/, "");
  if (line === "") return;
  let rest = line;
  let range: { start: number; end: number } | null = null;
  if (rest.startsWith("%")) {
    range = { start: 0, end: vim.lines.length - 1 };
    rest = rest.slice(1);
  } else {
    const first = address(vim, rest);
    if (first) {
      rest = first.rest;
      range = { start: first.line, end: first.line };
      if (rest.startsWith(",") || rest.startsWith(";")) {
        const second = address(vim, rest.slice(1));
        if (!second) return showError(vim, "E14: Invalid address");
        rest = second.rest;
        range.end = second.line;
      }
    }
  }
  rest = rest.replace(/^\s+/, "");
  const nameMatch = /^([A-Za-z]+|[&!<>=#@]|)/.exec(rest)!;
  const name = nameMatch[1];
  rest = rest.slice(name.length);
  // `:s/a/b/`: the delimiter follows the name directly.
  const sub = /^(s|su|sub|subs|subst|substi|substit|substitu|substitut|substitute)([^A-Za-z0-9\s"|\\].*)?$/.exec(name + rest);
  if (sub && (sub[2] !== undefined || rest === "" || /^\s/.test(rest))) {
    return substitute(vim, range ?? { start: vim.cursor.line, end: vim.cursor.line }, (sub[2] ?? rest).trim() === "" ? "" : (sub[2] ?? rest));
  }
  const bang = rest.startsWith("!");
  if (bang) rest = rest.slice(1);
  const args = rest.trim();
  if (name === "") {
    if (!range) return showError(vim, `E492: Not an editor command: ${line}`);
    if (range.start < 0 || range.end < 0) return showError(vim, "E16: Invalid range");
    const target = Math.min(range.end, vim.lines.length - 1);
    vim.cursor = { line: target, col: firstNonBlank(vim.lines[target]) };
    vim.want = displayCol(vim, vim.cursor);
    return;
  }
  const full = EX_NAMES.find(([n, min]) => name.length >= min && n.startsWith(name))?.[0] ?? (name === "w" ? "write" : name === "x" ? "xit" : name === "q" ? "quit" : undefined);
  if (range && (range.start < 0 || range.end >= vim.lines.length || range.start > range.end)) {
    if (!(range.start > range.end && range.end >= 0)) return showError(vim, "E16: Invalid range");
    range = { start: range.end, end: range.start };
  }
  switch (full) {
    case "write":
      if (args.startsWith(">>")) return showError(vim, "netlab: :w >> is not available here");
      writeBuffer(vim, args || undefined, bang);
      return;
    case "update":
      if (isModified(vim)) writeBuffer(vim, undefined, bang);
      return;
    case "wall":
      if (isModified(vim)) writeBuffer(vim, undefined, bang);
      return;
    case "wq":
    case "wqall":
      if (writeBuffer(vim, args || undefined, bang, true)) quit(vim, true);
      return;
    case "xit":
    case "exit":
    case "xall":
      if (isModified(vim) || args !== "") {
        if (writeBuffer(vim, args || undefined, bang, true)) quit(vim, true);
        return;
      }
      quit(vim, bang);
      return;
    case "quit":
    case "qall":
    case "quitall":
      if (args !== "") return showError(vim, "E488: Trailing characters");
      quit(vim, bang);
      return;
    case "set":
    case "setlocal":
      return setOptions(vim, args);
    case "nohlsearch":
    case "syntax":
    case "filetype":
      return;
    case "delete":
    case "yank": {
      const r = range ?? { start: vim.cursor.line, end: vim.cursor.line };
      const before = snapshot(vim);
      operateLines(vim, full === "delete" ? "d" : "y", r.start, r.end);
      commitIfChanged(vim, before);
      return;
    }
    case "edit":
      if (args === "" && bang) {
        const before = snapshot(vim);
        vim.undoStack = [];
        vim.redoStack = [];
        if (vim.name !== null) openFile(vim, vim.name);
        vim.cursor = clampNormal(vim, { line: Math.min(before.cursor.line, vim.lines.length - 1), col: before.cursor.col });
        vim.seq = vim.seqLast = vim.savedSeq = 0;
        return;
      }
      if (args === "" && !isModified(vim)) return;
      if (args === "") return showError(vim, "E37: No write since last change (add ! to override)");
      return showError(vim, "netlab: :edit of another file is not available here");
    case "file":
      return fileInfo(vim);
    default:
      if (full && UNSUPPORTED_EX.has(full)) return showError(vim, `netlab: :${full} is not available here`);
      if (name === "!" || name === "&" || name === "<" || name === ">" || name === "=") return showError(vim, `netlab: :${name} is not available here`);
      return showError(vim, `E492: Not an editor command: ${line}`);
  }
}

/** One Ex address (`.`, `$`, `12`, with `+N`/`-N`), or null when there is none. */
function address(vim: VimState, text: string): { line: number; rest: string } | null {
  const m = /^(\.|\$|\d+)?((?:\s*[+-]\d*)*)/.exec(text)!;
  if (m[0] === "" || (!m[1] && !m[2].trim())) return null;
  let line = m[1] === undefined || m[1] === "." ? vim.cursor.line : m[1] === "$" ? vim.lines.length - 1 : Number(m[1]) - 1;
  for (const [, sign, digits] of m[2].matchAll(/([+-])(\d*)/g)) line += (sign === "+" ? 1 : -1) * (digits === "" ? 1 : Number(digits));
  return { line, rest: text.slice(m[0].length) };
}

function setOptions(vim: VimState, args: string): void {
  if (args === "" || args === "all") return;
  for (const word of args.split(/\s+/)) {
    const m = /^(no|inv)?([a-z]+)(!|\?|[+^-]?=(.*))?$/.exec(word);
    const option = m ? OPTIONS.find(([full, short]) => full === m[2] || short === m[2]) : undefined;
    if (!m || !option) return showError(vim, `E518: Unknown option: ${word.replace(/[=?!].*$/, "")}`);
    const [full, , kind] = option;
    const key = full as keyof typeof vim.opts;
    if (m[3] === "?" || (kind === "number" && m[3] === undefined && !m[1])) {
      const value = vim.opts[key];
      setMessage(vim, kind === "bool" ? `  ${value ? "" : "no"}${full}` : `  ${full}=${String(value)}`);
      continue;
    }
    if (kind === "bool") {
      if (m[3] && m[3] !== "!") return showError(vim, `E474: Invalid argument: ${word}`);
      const current = vim.opts[key] as boolean;
      const next = m[1] === "inv" || m[3] === "!" ? !current : m[1] !== "no";
      (vim.opts as Record<string, unknown>)[key] = next;
      continue;
    }
    const value = Number(m[4]);
    if (m[1] || !/^\d+$/.test(m[4] ?? "")) return showError(vim, `E521: Number required after =: ${word}`);
    if ((key === "tabstop" && value === 0) || value > 10000) return showError(vim, `E487: Argument must be positive: ${word}`);
    (vim.opts as Record<string, unknown>)[key] = value;
  }
}
