/**
 * A key in whichever mode the editor is in; normal mode's commands; `.` replaying the last change.
 */
import { specialKey } from "../screen";
import { cmdlineKey } from "./cmdline";
import { resolveMotion } from "./cursor-motion";
import { fileInfo, writeBuffer } from "./files";
import { enterInsert, insertKey, openLine } from "./insert";
import { clampNormal, displayCol, textRows } from "./layout";
import { MOTION_KEYS, type Parsed, parseNormal } from "./normal-command";
import { joinLines, operate, put, replaceChars, toggleCase } from "./operators";
import { scrollBy } from "./scroll";
import { beep, isModified, setMessage, showError, type VimState } from "./state";
import { commitIfChanged, redo, snapshot, undo } from "./undo";

/** One key, in the current mode; a normal-mode command that changed the buffer becomes what `.` repeats. */
export function handleKey(vim: VimState, key: string): void {
  vim.intro = false;
  const idle = vim.mode === "normal" && vim.pending.length === 0;
  if (idle && !vim.replaying) {
    vim.recording = [];
    vim.changed = false;
  }
  if (!vim.replaying) vim.recording?.push(key);
  if (vim.mode === "insert") insertKey(vim, key);
  else if (vim.mode === "cmdline") cmdlineKey(vim, key);
  else normalKey(vim, key);
  if (vim.mode === "normal" && vim.pending.length === 0 && vim.recording && !vim.replaying) {
    if (vim.changed) vim.dot = vim.recording;
    vim.recording = null;
  }
}

function normalKey(vim: VimState, key: string): void {
  vim.pending.push(specialKey(key) ?? key);
  const parsed = parseNormal(vim.pending);
  if (parsed === "more") return;
  vim.pending = [];
  if (parsed === "bad") return beep(vim);
  const before = snapshot(vim);
  executeNormal(vim, parsed);
  // Undo, redo and `.` keep their own history.
  if (parsed.key === "u" || parsed.key === "\x12" || parsed.key === ".") return;
  if (vim.mode === "insert") {
    vim.before = before;
    return;
  }
  commitIfChanged(vim, before);
}

function executeNormal(vim: VimState, cmd: Exclude<Parsed, "more" | "bad">): void {
  if (cmd.op) return operate(vim, cmd.op, cmd);
  if (MOTION_KEYS.has(cmd.key)) {
    const motion = resolveMotion(vim, cmd.key, cmd.count, cmd.counted, cmd.arg, false);
    if (!motion) return beep(vim);
    vim.cursor = clampNormal(vim, motion.pos);
    if (!motion.vertical) vim.want = cmd.key === "$" || cmd.key === "end" ? Infinity : displayCol(vim, vim.cursor);
    return;
  }
  const { count } = cmd;
  const line = vim.lines[vim.cursor.line];
  switch (cmd.key) {
    case "i":
    case "insert":
      return enterInsert(vim, vim.cursor.col);
    case "a":
      return enterInsert(vim, line === "" ? 0 : vim.cursor.col + 1);
    case "I":
      return enterInsert(vim, /^[ \t]*/.exec(line)![0].length);
    case "A":
      return enterInsert(vim, line.length);
    case "o":
    case "O":
      return openLine(vim, cmd.key === "o");
    case "x":
    case "delete":
      if (line === "") return;
      return operate(vim, "d", { count: 1, counted: false, key: "object-range", arg: String(Math.min(line.length, vim.cursor.col + count)) });
    case "X":
      if (vim.cursor.col === 0) return beep(vim);
      return operate(vim, "d", { count: 1, counted: false, key: "object-back", arg: String(Math.max(0, vim.cursor.col - count)) });
    case "D":
      return operate(vim, "d", { count, counted: false, key: "$" });
    case "C":
      return operate(vim, "c", { count, counted: false, key: "$" });
    case "s":
      if (line === "") return enterInsert(vim, 0);
      return operate(vim, "c", { count: 1, counted: false, key: "object-range", arg: String(Math.min(line.length, vim.cursor.col + count)) });
    case "S":
      return operate(vim, "c", { count, counted: false, key: "line" });
    case "Y":
      return operate(vim, "y", { count, counted: false, key: "line" });
    case "p":
    case "P":
      return put(vim, cmd.key === "p", count);
    case "J":
    case "gJ":
      return joinLines(vim, Math.max(2, count), cmd.key === "J");
    case "r":
      return replaceChars(vim, cmd.arg!, count);
    case "~":
      return toggleCase(vim, count);
    case "u":
      return undo(vim, count);
    case "\x12":
      return redo(vim, count);
    case ".":
      return repeatChange(vim);
    case ":":
      vim.recording = null;
      vim.mode = "cmdline";
      vim.cmdline = { prefix: ":", text: cmd.counted ? `.,.+${count - 1}` : "" };
      return;
    case "/":
    case "?":
      vim.recording = null;
      vim.mode = "cmdline";
      vim.cmdline = { prefix: cmd.key, text: "" };
      return;
    case "ZZ":
      if (isModified(vim) && !writeBuffer(vim, undefined, false, true)) return;
      vim.done = { stdout: "", stderr: "", exitCode: 0 };
      return;
    case "ZQ":
      vim.done = { stdout: "", stderr: "", exitCode: 0 };
      return;
    case "\x07":
      return fileInfo(vim);
    case "\x03":
      setMessage(vim, "Type  :qa!  and press <Enter> to abandon all changes and exit Vim");
      return;
    case "\x1b":
      return beep(vim);
    case "\x0c":
      vim.frame.reset();
      return;
    case "\x06":
    case "\x02":
    case "pagedown":
    case "pageup":
    case "\x04":
    case "\x15":
    case "\x05":
    case "\x19":
      return scrollBy(vim, cmd.key, count);
    case "zz":
    case "z.":
      vim.top = Math.max(0, vim.cursor.line - Math.floor(textRows(vim) / 2));
      return;
    case "zt":
    case "z\r":
      vim.top = vim.cursor.line;
      return;
    case "zb":
    case "z-":
      vim.top = Math.max(0, vim.cursor.line - textRows(vim) + 1);
      return;
    case "v":
    case "V":
    case "\x16":
    case "gv":
      return showError(vim, "netlab: Visual mode is not available here");
    case "q":
    case "@":
      return showError(vim, "netlab: recording and running macros is not available here");
    default:
      return beep(vim);
  }
}

function repeatChange(vim: VimState): void {
  if (!vim.dot) return beep(vim);
  const keys = vim.dot;
  vim.replaying = true;
  vim.changed = false;
  try {
    for (const key of keys) handleKey(vim, key);
  } finally {
    vim.replaying = false;
  }
  // The repeated change stays the one `.` repeats.
  vim.recording = null;
}
