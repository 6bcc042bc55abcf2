/**
 * Reading the file into the buffer and writing it back: `:w`, `:q`, `ZZ`, Ctrl-G, with Vim's messages.
 */
import { byteLength, FsError } from "../../fs";
import { isModified, setMessage, showError, type VimState } from "./state";

/** The name as Vim shows it: as typed, with the home directory as `~`. */
function displayName(vim: VimState, name: string): string {
  const home = vim.options.home.replace(/\/$/, "");
  if (home && (name === home || name.startsWith(home + "/"))) return "~" + name.slice(home.length);
  return name;
}

export function openFile(vim: VimState, name: string): void {
  vim.name = name;
  const path = vim.options.resolve(name);
  vim.path = path;
  syntaxFor(vim, path);
  const { fs } = vim.options;
  const shown = `"${displayName(vim, name)}"`;
  if (fs.isDirectory(path)) {
    setMessage(vim, `${shown} is a directory`);
    return;
  }
  if (!fs.isFile(path)) {
    const parent = path.replace(/\/[^/]*$/, "") || "/";
    setMessage(vim, `${shown} ${fs.isDirectory(parent) ? "[New]" : "[New DIRECTORY]"}`);
    return;
  }
  const text = fs.readFile(path);
  vim.empty = text === "";
  const lines = text.split("\n");
  const noeol = text !== "" && !text.endsWith("\n");
  if (!noeol) lines.pop();
  vim.lines = lines.length > 0 ? lines : [""];
  const count = text === "" ? 0 : vim.lines.length;
  setMessage(vim, `${shown}${noeol ? " [noeol]" : ""}${vim.opts.readonly ? " [readonly]" : ""} ${count}L, ${byteLength(text)}B`);
}

/** The yaml ftplugin and indent settings (Ubuntu's vim runs `filetype plugin indent on`). */
function syntaxFor(vim: VimState, path: string): void {
  if (!/\.ya?ml$/.test(path)) return;
  Object.assign(vim.opts, { autoindent: true, expandtab: true, shiftwidth: 2, softtabstop: 2 });
}

/** `:w [name]`; false when it failed (the message says why). */
export function writeBuffer(vim: VimState, target: string | undefined, force: boolean, quitting = false): boolean {
  const name = target ?? vim.name;
  if (name === null) {
    showError(vim, "E32: No file name");
    return false;
  }
  const path = vim.options.resolve(name);
  const sameFile = path === vim.path;
  if (vim.opts.readonly && !force && (sameFile || target === undefined)) {
    showError(vim, "E45: 'readonly' option is set (add ! to override)");
    return false;
  }
  const { fs } = vim.options;
  const shown = `"${displayName(vim, name)}"`;
  if (fs.isDirectory(path)) {
    showError(vim, `E502: ${shown} is a directory`);
    return false;
  }
  const isNew = !fs.exists(path);
  if (!sameFile && !isNew && !force && vim.name !== null) {
    showError(vim, "E13: File exists (add ! to override)");
    return false;
  }
  const text = vim.empty ? "" : vim.lines.join("\n") + "\n";
  try {
    fs.writeFile(path, text);
  } catch (error) {
    if (!(error instanceof FsError)) throw error;
    showError(vim, `${shown} E212: Can't open file for writing`);
    return false;
  }
  if (vim.name === null) {
    vim.name = name;
    vim.path = path;
  }
  if (path === vim.path) vim.savedSeq = vim.seq;
  if (!quitting) setMessage(vim, `${shown}${isNew ? " [New]" : ""} ${vim.empty ? 0 : vim.lines.length}L, ${byteLength(text)}B written`);
  return true;
}

export function quit(vim: VimState, force: boolean): void {
  if (isModified(vim) && !force) {
    showError(vim, "E37: No write since last change (add ! to override)");
    return;
  }
  vim.done = { stdout: "", stderr: "", exitCode: 0 };
}

/** Ctrl-G and `:f`: `"name" [Modified] 3 lines --66%--`. */
export function fileInfo(vim: VimState): void {
  const name = vim.name === null ? "[No Name]" : displayName(vim, vim.name);
  const flags = `${isModified(vim) ? " [Modified]" : ""}${vim.opts.readonly ? " [readonly]" : ""}`;
  if (vim.empty) {
    setMessage(vim, `"${name}"${flags} --No lines in buffer--`);
    return;
  }
  const n = vim.lines.length;
  const percent = Math.floor(((vim.cursor.line + 1) * 100) / n);
  setMessage(vim, `"${name}"${flags} ${n} line${n === 1 ? "" : "s"} --${percent}%--`);
}
