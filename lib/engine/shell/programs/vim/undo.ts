/**
 * Undo and redo: a snapshot of the buffer before each change, with Vim's sequence numbers and messages.
 */
import { strftime } from "../../text/time";
import { clampNormal, displayCol } from "./layout";
import { type Change, setMessage, type Snapshot, type VimState } from "./state";

export function snapshot(vim: VimState): Snapshot {
  return { lines: [...vim.lines], cursor: { ...vim.cursor }, empty: vim.empty };
}

export function commitIfChanged(vim: VimState, before: Snapshot): void {
  if (before.empty === vim.empty && before.lines.length === vim.lines.length && before.lines.every((l, i) => l === vim.lines[i])) return;
  vim.seqLast += 1;
  vim.undoStack.push({ seq: vim.seqLast, before, time: vim.options.clock.now() });
  vim.redoStack = [];
  vim.seq = vim.seqLast;
  vim.changed = true;
}

function restore(vim: VimState, state: Snapshot): void {
  vim.lines = [...state.lines];
  vim.empty = state.empty;
  const line = Math.min(state.cursor.line, vim.lines.length - 1);
  vim.cursor = clampNormal(vim, { line, col: state.cursor.col });
  vim.want = displayCol(vim, vim.cursor);
}

/** `u`: back `count` changes, each undone change kept for Ctrl-R. */
export function undo(vim: VimState, count: number): void {
  travel(vim, count, true);
}

/** Ctrl-R: forward again `count` undone changes. */
export function redo(vim: VimState, count: number): void {
  travel(vim, count, false);
}

/** Moves `count` changes back (from the undo stack to the redo stack) or forward, restoring each snapshot and saying what changed. */
function travel(vim: VimState, count: number, back: boolean): void {
  const [from, to] = back ? [vim.undoStack, vim.redoStack] : [vim.redoStack, vim.undoStack];
  for (let k = 0; k < count; k++) {
    const change = from.pop();
    if (!change) {
      if (k === 0) setMessage(vim, back ? "Already at oldest change" : "Already at newest change");
      return;
    }
    const current = snapshot(vim);
    to.push({ seq: change.seq, before: current, time: change.time });
    restore(vim, change.before);
    vim.seq = back ? (vim.undoStack.at(-1)?.seq ?? 0) : change.seq;
    undoMessage(vim, current, change, back ? "before" : "after");
  }
}

/** `1 line less; before #2  5 seconds ago`, as Vim's u_undo_end words it. */
function undoMessage(vim: VimState, previous: Snapshot, change: Change, when: "before" | "after"): void {
  const delta = previous.lines.length - vim.lines.length;
  let what: string;
  if (delta === 1) what = "1 line less";
  else if (delta > 1) what = `${delta} fewer lines`;
  else if (delta === -1) what = "1 more line";
  else if (delta < -1) what = `${-delta} more lines`;
  else {
    const changed = Math.max(1, vim.lines.filter((l, i) => l !== previous.lines[i]).length);
    what = `${changed} ${changed === 1 ? "change" : "changes"}`;
  }
  const seconds = Math.floor((vim.options.clock.now() - change.time) / 1000);
  const ago = seconds >= 100 ? strftime("%H:%M:%S", change.time) : `${seconds} ${seconds === 1 ? "second" : "seconds"} ago`;
  setMessage(vim, `${what}; ${when} #${change.seq}  ${ago}`);
}
