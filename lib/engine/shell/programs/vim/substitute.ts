/**
 * `:s/pattern/replacement/flags` over a range of lines.
 */
import { displayCol } from "./layout";
import { firstNonBlank } from "./motions";
import { expandReplacement, vimRegExp } from "./pattern";
import { setMessage, showError, type VimState } from "./state";
import { commitIfChanged, snapshot } from "./undo";

export function substitute(vim: VimState, range: { start: number; end: number }, spec: string): void {
  let pattern: string;
  let replacement: string;
  let flags: string;
  if (spec === "") {
    if (!vim.lastSub) return showError(vim, "E35: No previous regular expression");
    ({ pattern, replacement } = vim.lastSub);
    flags = "";
  } else {
    const delim = spec[0];
    const parts: string[] = [];
    let current = "";
    for (let i = 1; i < spec.length; i++) {
      if (spec[i] === "\\" && spec[i + 1] === delim) {
        current += delim;
        i++;
      } else if (spec[i] === "\\" && i + 1 < spec.length) {
        current += spec[i] + spec[i + 1];
        i++;
      } else if (spec[i] === delim && parts.length < 2) {
        parts.push(current);
        current = "";
      } else current += spec[i];
    }
    parts.push(current);
    pattern = parts[0] === "" ? (vim.lastSearch?.pattern ?? "") : parts[0];
    if (pattern === "") return showError(vim, "E35: No previous regular expression");
    replacement = parts[1] ?? "";
    flags = (parts[2] ?? "").trim();
    if (!/^[&cegiInp#lr]*$/.test(flags)) return showError(vim, "E488: Trailing characters");
    if (flags.includes("c")) return showError(vim, "netlab: :s///c (confirm each) is not available here");
    vim.lastSub = { pattern, replacement, flags };
  }
  vim.lastSearch = { pattern, forward: true };
  let regex: RegExp;
  try {
    regex = vimRegExp(pattern, { ignorecase: flags.includes("i") || (vim.opts.ignorecase && !flags.includes("I")), smartcase: vim.opts.smartcase, global: true });
  } catch (error) {
    return showError(vim, error instanceof Error ? error.message : String(error));
  }
  const before = snapshot(vim);
  let subs = 0;
  let changedLines = 0;
  let lastLine = -1;
  const out: string[] = [];
  for (let l = 0; l < vim.lines.length; l++) {
    const text = vim.lines[l];
    if (l < range.start || l > range.end) {
      out.push(text);
      continue;
    }
    let result = "";
    let index = 0;
    let count = 0;
    regex.lastIndex = 0;
    for (let m = regex.exec(text); m; m = regex.exec(text)) {
      result += text.slice(index, m.index) + expandReplacement(replacement, m);
      index = m.index + m[0].length;
      count += 1;
      if (m[0] === "") {
        if (m.index < text.length) result += text[m.index];
        index = m.index + 1;
        regex.lastIndex = m.index + 1;
      }
      if (!flags.includes("g") || index > text.length) break;
    }
    if (count === 0) {
      out.push(text);
      continue;
    }
    result += text.slice(index);
    subs += count;
    changedLines += 1;
    const parts = result.split("\n");
    lastLine = out.length + parts.length - 1;
    out.push(...parts);
  }
  if (subs === 0) {
    if (!flags.includes("e")) showError(vim, `E486: Pattern not found: ${pattern}`);
    return;
  }
  if (flags.includes("n")) return;
  vim.lines = out;
  vim.empty = false;
  vim.cursor = { line: lastLine, col: firstNonBlank(vim.lines[lastLine]) };
  vim.want = displayCol(vim, vim.cursor);
  if (subs > 2) setMessage(vim, `${subs} ${subs === 1 ? "substitution" : "substitutions"} on ${changedLines} ${changedLines === 1 ? "line" : "lines"}`);
  commitIfChanged(vim, before);
}
