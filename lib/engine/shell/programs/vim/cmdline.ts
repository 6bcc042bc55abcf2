/**
 * The command line (`:`, `/`, `?`): editing it and running what was typed.
 */
import { specialKey } from "../screen";
import { runEx } from "./ex";
import { search } from "./search";
import { showError, type VimState } from "./state";

export function cmdlineKey(vim: VimState, key: string): void {
  const { text } = vim.cmdline;
  switch (key) {
    case "\r":
    case "\n":
      vim.mode = "normal";
      return runCmdline(vim);
    case "\x1b":
    case "\x03":
      vim.mode = "normal";
      vim.message = null;
      return;
    case "\x7f":
    case "\x08":
      if (text === "") {
        vim.mode = "normal";
        vim.message = null;
        return;
      }
      vim.cmdline.text = [...text].slice(0, -1).join("");
      return;
    case "\x15":
      vim.cmdline.text = "";
      return;
    case "\x17":
      vim.cmdline.text = text.replace(/(?:\w+|[^\w\s]+)?\s*$/, "");
      return;
    default:
      if (specialKey(key) || key.startsWith("\x1b") || key === "\t") return;
      if (key.codePointAt(0)! >= 0x20) vim.cmdline.text += key;
  }
}

function runCmdline(vim: VimState): void {
  const { prefix, text } = vim.cmdline;
  if (prefix === "/" || prefix === "?") {
    const pattern = text === "" ? vim.lastSearch?.pattern : text;
    if (pattern === undefined) return showError(vim, "E35: No previous regular expression");
    search(vim, pattern, prefix === "/", true);
    return;
  }
  vim.message = null;
  runEx(vim, text);
}
