/**
 * The editor's state and the few things every part of it does: ring the bell, say something on the last line.
 */
import type { VirtualClock } from "../../../util/clock";
import type { FileSystem } from "../../fs";
import type { CommandResult, Screen } from "../../types";
import { Frame, type Segment } from "../screen";
import type { Pos } from "./motions";

export interface VimOptions {
  fs: FileSystem;
  clock: VirtualClock;
  /** An absolute path for a name as typed (relative to the shell's directory). */
  resolve(path: string): string;
  /** The user's home, shown as `~` in file names. */
  home: string;
  /** The file to edit, as typed; none for an empty buffer. */
  file?: string;
  /** `+N` (a line number) or `+` (the last line). */
  line?: number | "last";
  /** `+/pattern`. */
  search?: string;
  /** `-R` (view). */
  readonly?: boolean;
}

type Mode = "normal" | "insert" | "cmdline";

export interface Snapshot {
  lines: string[];
  cursor: Pos;
  empty: boolean;
}

export interface Change {
  seq: number;
  before: Snapshot;
  time: number;
}

/** SGR colours of Vim's default highlight groups. */
export const STYLE = { nonText: "94", lineNr: "33", error: "97;41", warning: "31", mode: "1" } as const;

/** Everything the editor knows: plain data (no closures), changed by the functions of the modules beside it. */
export class VimState {
  lines: string[] = [""];
  /** Vim's ML_EMPTY: the buffer has no lines at all (written as 0 bytes). */
  empty = true;
  cursor: Pos = { line: 0, col: 0 };
  /** The display column j/k aim for (`$` makes it Infinity). */
  want = 0;
  /** The first buffer line in the window. */
  top = 0;
  mode: Mode = "normal";
  cmdline = { prefix: ":", text: "" };
  /** The keys of a normal-mode command not complete yet (showcmd draws them). */
  pending: string[] = [];
  message: Segment | null = null;
  screen: Screen = { rows: 24, columns: 80 };
  readonly frame = new Frame();
  /** The unnamed register: the only one kept. */
  register: { text: string[]; linewise: boolean } | null = null;
  undoStack: Change[] = [];
  redoStack: Change[] = [];
  /** Undo sequence numbers: the buffer's, the last one given out, the one last written. */
  seq = 0;
  seqLast = 0;
  savedSeq = 0;
  /** The buffer before an insert began, committed as one change when it ends. */
  before: Snapshot | null = null;
  /** Indent autoindent put on a line, removed again if nothing is typed after it. */
  autoIndent: { line: number; text: string } | null = null;
  lastSearch: { pattern: string; forward: boolean } | null = null;
  lastFind: { kind: "f" | "t" | "F" | "T"; ch: string } | null = null;
  lastSub: { pattern: string; replacement: string; flags: string } | null = null;
  /** The keys of the last change (what `.` replays) and of the command being typed. */
  dot: string[] | null = null;
  recording: string[] | null = null;
  changed = false;
  replaying = false;
  intro = false;
  /** Bells rung since the last frame, sent before it. */
  bells = 0;
  /** Set when the editor exits: the command's result. */
  done: CommandResult | null = null;
  name: string | null = null;
  path: string | null = null;
  readonly opts = {
    number: false, list: false, paste: false, autoindent: false, expandtab: false, tabstop: 8, shiftwidth: 8, softtabstop: 0,
    ignorecase: false, smartcase: false, hlsearch: false, incsearch: true, ruler: true, showmode: true, showcmd: true, wrap: true,
    readonly: false, relativenumber: false, cursorline: false, wrapscan: true,
  };

  constructor(readonly options: VimOptions) {}
}

/** Whether the buffer differs from the file (Vim's 'modified'). */
export function isModified(vim: VimState): boolean {
  return vim.seq !== vim.savedSeq;
}

export function beep(vim: VimState): void {
  vim.bells += 1;
}

export function setMessage(vim: VimState, text: string, style?: string): void {
  vim.message = { text, style };
}

export function showError(vim: VimState, text: string): void {
  vim.message = { text, style: STYLE.error };
}
