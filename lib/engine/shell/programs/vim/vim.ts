/**
 * A small, honest Vim 8.2 (Ubuntu 22.04's, with its defaults.vim: ruler, showcmd, scrolloff=5,
 * backspace over everything; YAML files get the yaml ftplugin's 2-space indent): normal,
 * insert and command-line modes, counts and the d/c/y/>/< operators over motions and text
 * objects, undo and redo, `.`, `/` and `?` search, `:s`, and writing through the location's
 * file system. What is not built says so on the command line instead of doing something else.
 *
 * @example
 * const vim = new Vim({ fs, clock, resolve: (p) => joinPath(cwd, p), home: "/root", file: "notes.txt" });
 * await ctx.session.startProgram(vim);   // the command waits until :wq
 */
import type { VirtualClock } from "../../../util/clock";
import { byteLength, FsError, type FileSystem } from "../../fs";
import { strftime } from "../../text/time";
import { utf8Encode } from "../../text/utf8";
import type { CommandResult, Program, ProgramStep, Screen } from "../../types";
import { cellWidth, Frame, type Row, type Segment, specialKey, splitKeys, textWidth } from "../screen";
import { backWord, endOfWord, findChar, firstNonBlank, forwardWord, matchPair, paragraph, type Pos, quoteObject, wordObject } from "./motions";
import { expandReplacement, vimRegExp } from "./pattern";

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

interface Snapshot {
  lines: string[];
  cursor: Pos;
  empty: boolean;
}

interface Change {
  seq: number;
  before: Snapshot;
  time: number;
}

interface Motion {
  pos: Pos;
  linewise: boolean;
  inclusive: boolean;
  /** j/k and friends keep the remembered column. */
  vertical?: boolean;
}

type Parsed =
  | "more"
  | "bad"
  | { count: number; counted: boolean; op?: string; key: string; arg?: string };

const STYLE = { nonText: "94", lineNr: "33", error: "97;41", warning: "31", mode: "1" } as const;
const MOTION_KEYS = new Set(["h", "j", "k", "l", "0", "^", "$", "w", "b", "e", "W", "B", "E", "G", "gg", "f", "t", "F", "T", ";", ",", "n", "N", "H", "M", "L", "%", "{", "}", "|", "\r", "+", "-", "_", " ", "\x7f", "\x08", "\x0e", "\x10", "up", "down", "left", "right", "home", "end"]);
const CHAR_ARG = new Set(["f", "t", "F", "T", "r"]);
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

export class Vim implements Program {
  private lines: string[] = [""];
  /** Vim's ML_EMPTY: the buffer has no lines at all (written as 0 bytes). */
  private empty = true;
  private cursor: Pos = { line: 0, col: 0 };
  private want = 0;
  private top = 0;
  private mode: Mode = "normal";
  private cmdline = { prefix: ":", text: "" };
  private pending: string[] = [];
  private message: Segment | null = null;
  private screen: Screen = { rows: 24, columns: 80 };
  private readonly frame = new Frame();
  private register: { text: string[]; linewise: boolean } | null = null;
  private undoStack: Change[] = [];
  private redoStack: Change[] = [];
  private seq = 0;
  private seqLast = 0;
  private savedSeq = 0;
  private before: Snapshot | null = null;
  private autoIndent: { line: number; text: string } | null = null;
  private lastSearch: { pattern: string; forward: boolean } | null = null;
  private lastFind: { kind: "f" | "t" | "F" | "T"; ch: string } | null = null;
  private lastSub: { pattern: string; replacement: string; flags: string } | null = null;
  private dot: string[] | null = null;
  private recording: string[] | null = null;
  private changed = false;
  private replaying = false;
  private intro = false;
  private bells = 0;
  private done: CommandResult | null = null;
  private name: string | null = null;
  private path: string | null = null;
  private readonly opts = {
    number: false, list: false, paste: false, autoindent: false, expandtab: false, tabstop: 8, shiftwidth: 8, softtabstop: 0,
    ignorecase: false, smartcase: false, hlsearch: false, incsearch: true, ruler: true, showmode: true, showcmd: true, wrap: true,
    readonly: false, relativenumber: false, cursorline: false, wrapscan: true,
  };

  constructor(private readonly options: VimOptions) {}

  // ---------- Program ----------

  start(screen: Screen): ProgramStep {
    this.screen = screen;
    this.opts.readonly = this.options.readonly === true;
    if (this.options.file === undefined) this.intro = true;
    else this.open(this.options.file);
    if (this.options.line !== undefined) {
      const line = this.options.line === "last" ? this.lines.length - 1 : Math.min(Math.max(this.options.line, 1), this.lines.length) - 1;
      this.moveTo({ line, col: firstNonBlank(this.lines[line]) });
    }
    if (this.options.search !== undefined) this.search(this.options.search, true, false);
    return { output: this.render() };
  }

  key(data: string): ProgramStep {
    for (const key of splitKeys(data)) {
      if (this.done) break;
      this.handle(key);
    }
    if (this.done) return { output: "", done: this.done };
    return { output: this.render() };
  }

  resize(screen: Screen): ProgramStep {
    this.screen = screen;
    this.frame.reset();
    return { output: this.render() };
  }

  /** Whether the buffer differs from the file (Vim's 'modified'). */
  get modified(): boolean {
    return this.seq !== this.savedSeq;
  }

  // ---------- files ----------

  /** The name as Vim shows it: as typed, with the home directory as `~`. */
  private display(name: string): string {
    const home = this.options.home.replace(/\/$/, "");
    if (home && (name === home || name.startsWith(home + "/"))) return "~" + name.slice(home.length);
    return name;
  }

  private open(name: string): void {
    this.name = name;
    const path = this.options.resolve(name);
    this.path = path;
    this.syntaxFor(path);
    const { fs } = this.options;
    const shown = `"${this.display(name)}"`;
    if (fs.isDirectory(path)) {
      this.setMessage(`${shown} is a directory`);
      return;
    }
    if (!fs.isFile(path)) {
      const parent = path.replace(/\/[^/]*$/, "") || "/";
      this.setMessage(`${shown} ${fs.isDirectory(parent) ? "[New]" : "[New DIRECTORY]"}`);
      return;
    }
    const text = fs.readFile(path);
    this.empty = text === "";
    const lines = text.split("\n");
    const noeol = text !== "" && !text.endsWith("\n");
    if (!noeol) lines.pop();
    this.lines = lines.length > 0 ? lines : [""];
    const count = text === "" ? 0 : this.lines.length;
    this.setMessage(`${shown}${noeol ? " [noeol]" : ""}${this.opts.readonly ? " [readonly]" : ""} ${count}L, ${byteLength(text)}B`);
  }

  /** The yaml ftplugin and indent settings (Ubuntu's vim runs `filetype plugin indent on`). */
  private syntaxFor(path: string): void {
    if (!/\.ya?ml$/.test(path)) return;
    Object.assign(this.opts, { autoindent: true, expandtab: true, shiftwidth: 2, softtabstop: 2 });
  }

  /** `:w [name]`; false when it failed (the message says why). */
  private write(target: string | undefined, force: boolean, quitting = false): boolean {
    const name = target ?? this.name;
    if (name === null) {
      this.error("E32: No file name");
      return false;
    }
    const path = this.options.resolve(name);
    const sameFile = path === this.path;
    if (this.opts.readonly && !force && (sameFile || target === undefined)) {
      this.error("E45: 'readonly' option is set (add ! to override)");
      return false;
    }
    const { fs } = this.options;
    const shown = `"${this.display(name)}"`;
    if (fs.isDirectory(path)) {
      this.error(`E502: ${shown} is a directory`);
      return false;
    }
    const isNew = !fs.exists(path);
    if (!sameFile && !isNew && !force && this.name !== null) {
      this.error("E13: File exists (add ! to override)");
      return false;
    }
    const text = this.empty ? "" : this.lines.join("\n") + "\n";
    try {
      fs.writeFile(path, text);
    } catch (error) {
      if (!(error instanceof FsError)) throw error;
      this.error(`${shown} E212: Can't open file for writing`);
      return false;
    }
    if (this.name === null) {
      this.name = name;
      this.path = path;
    }
    if (path === this.path) this.savedSeq = this.seq;
    if (!quitting) this.setMessage(`${shown}${isNew ? " [New]" : ""} ${this.empty ? 0 : this.lines.length}L, ${byteLength(text)}B written`);
    return true;
  }

  private quit(force: boolean): void {
    if (this.modified && !force) {
      this.error("E37: No write since last change (add ! to override)");
      return;
    }
    this.done = { stdout: "", stderr: "", exitCode: 0 };
  }

  // ---------- keys ----------

  private handle(key: string): void {
    this.intro = false;
    const idle = this.mode === "normal" && this.pending.length === 0;
    if (idle && !this.replaying) {
      this.recording = [];
      this.changed = false;
    }
    if (!this.replaying) this.recording?.push(key);
    if (this.mode === "insert") this.insertKey(key);
    else if (this.mode === "cmdline") this.cmdlineKey(key);
    else this.normalKey(key);
    if (this.mode === "normal" && this.pending.length === 0 && this.recording && !this.replaying) {
      if (this.changed) this.dot = this.recording;
      this.recording = null;
    }
  }

  private beep(): void {
    this.bells += 1;
  }

  private setMessage(text: string, style?: string): void {
    this.message = { text, style };
  }

  private error(text: string): void {
    this.message = { text, style: STYLE.error };
  }

  private normalKey(key: string): void {
    this.pending.push(specialKey(key) ?? key);
    const parsed = this.parse(this.pending);
    if (parsed === "more") return;
    this.pending = [];
    if (parsed === "bad") return this.beep();
    const before = this.snapshot();
    this.execute(parsed);
    // Undo, redo and `.` keep their own history.
    if (parsed.key === "u" || parsed.key === "\x12" || parsed.key === ".") return;
    if (this.mode === "insert") {
      this.before = before;
      return;
    }
    this.commitIfChanged(before);
  }

  /** Reads a normal-mode command: `[count]["x][count](operator motion | command [char])`. */
  private parse(keys: readonly string[]): Parsed {
    let i = 0;
    const readCount = (): number | undefined => {
      let digits = "";
      while (i < keys.length && /^[0-9]$/.test(keys[i]) && !(digits === "" && keys[i] === "0")) digits += keys[i++];
      return digits === "" ? undefined : Number(digits);
    };
    let count = readCount();
    if (i >= keys.length) return "more";
    if (keys[i] === '"') {
      // Registers: only the unnamed one is kept; the name is read and ignored.
      if (i + 2 > keys.length) return "more";
      i += 2;
      const again = readCount();
      if (again !== undefined) count = (count ?? 1) * again;
      if (i >= keys.length) return "more";
    }
    let key = keys[i++];
    const need = (n: number) => i + n > keys.length;
    if ("dcy<>".includes(key) && key.length === 1) {
      const op = key;
      const more = readCount();
      if (more !== undefined) count = (count ?? 1) * more;
      if (i >= keys.length) return "more";
      key = keys[i++];
      if (key === op) return { count: count ?? 1, counted: count !== undefined, op, key: "line" };
      if (key === "i" || key === "a") {
        if (need(1)) return "more";
        return { count: count ?? 1, counted: count !== undefined, op, key: "object", arg: key + keys[i] };
      }
      if (key === "g") {
        if (need(1)) return "more";
        if (keys[i] !== "g") return "bad";
        return { count: count ?? 1, counted: count !== undefined, op, key: "gg" };
      }
      if (!MOTION_KEYS.has(key)) return "bad";
      if ("fFtT".includes(key)) {
        if (need(1)) return "more";
        return { count: count ?? 1, counted: count !== undefined, op, key, arg: keys[i] };
      }
      return { count: count ?? 1, counted: count !== undefined, op, key };
    }
    if (key === "g" || key === "Z" || key === "z") {
      if (need(1)) return "more";
      key += keys[i++];
      if (!["gg", "ZZ", "ZQ", "zz", "zt", "zb", "z\r", "z.", "z-", "gJ", "gv", "gu", "gU", "g~", "gi"].includes(key)) return "bad";
      return { count: count ?? 1, counted: count !== undefined, key };
    }
    if (CHAR_ARG.has(key)) {
      if (need(1)) return "more";
      return { count: count ?? 1, counted: count !== undefined, key, arg: keys[i] };
    }
    return { count: count ?? 1, counted: count !== undefined, key };
  }

  private execute(cmd: Exclude<Parsed, "more" | "bad">): void {
    if (cmd.op) return this.operate(cmd.op, cmd);
    if (MOTION_KEYS.has(cmd.key)) {
      const motion = this.motion(cmd.key, cmd.count, cmd.counted, cmd.arg, false);
      if (!motion) return this.beep();
      this.cursor = this.clampNormal(motion.pos);
      if (!motion.vertical) this.want = cmd.key === "$" || cmd.key === "end" ? Infinity : this.displayCol(this.cursor);
      return;
    }
    const { count } = cmd;
    const line = this.lines[this.cursor.line];
    switch (cmd.key) {
      case "i":
      case "insert":
        return this.enterInsert(this.cursor.col);
      case "a":
        return this.enterInsert(line === "" ? 0 : this.cursor.col + 1);
      case "I":
        return this.enterInsert(/^[ \t]*/.exec(line)![0].length);
      case "A":
        return this.enterInsert(line.length);
      case "o":
      case "O":
        return this.openLine(cmd.key === "o");
      case "x":
      case "delete":
        if (line === "") return;
        return this.operate("d", { count: 1, counted: false, key: "object-range", arg: String(Math.min(line.length, this.cursor.col + count)) });
      case "X":
        if (this.cursor.col === 0) return this.beep();
        return this.operate("d", { count: 1, counted: false, key: "object-back", arg: String(Math.max(0, this.cursor.col - count)) });
      case "D":
        return this.operate("d", { count, counted: false, key: "$" });
      case "C":
        return this.operate("c", { count, counted: false, key: "$" });
      case "s":
        if (line === "") return this.enterInsert(0);
        return this.operate("c", { count: 1, counted: false, key: "object-range", arg: String(Math.min(line.length, this.cursor.col + count)) });
      case "S":
        return this.operate("c", { count, counted: false, key: "line" });
      case "Y":
        return this.operate("y", { count, counted: false, key: "line" });
      case "p":
      case "P":
        return this.put(cmd.key === "p", count);
      case "J":
      case "gJ":
        return this.join(Math.max(2, count), cmd.key === "J");
      case "r":
        return this.replaceChars(cmd.arg!, count);
      case "~":
        return this.toggleCase(count);
      case "u":
        return this.undo(count);
      case "\x12":
        return this.redo(count);
      case ".":
        return this.repeat();
      case ":":
        this.recording = null;
        this.mode = "cmdline";
        this.cmdline = { prefix: ":", text: cmd.counted ? `.,.+${count - 1}` : "" };
        return;
      case "/":
      case "?":
        this.recording = null;
        this.mode = "cmdline";
        this.cmdline = { prefix: cmd.key, text: "" };
        return;
      case "ZZ":
        if (this.modified && !this.write(undefined, false, true)) return;
        this.done = { stdout: "", stderr: "", exitCode: 0 };
        return;
      case "ZQ":
        this.done = { stdout: "", stderr: "", exitCode: 0 };
        return;
      case "\x07":
        return this.fileInfo();
      case "\x03":
        this.setMessage("Type  :qa!  and press <Enter> to abandon all changes and exit Vim");
        return;
      case "\x1b":
        return this.beep();
      case "\x0c":
        this.frame.reset();
        return;
      case "\x06":
      case "\x02":
      case "pagedown":
      case "pageup":
      case "\x04":
      case "\x15":
      case "\x05":
      case "\x19":
        return this.scrollBy(cmd.key, count);
      case "zz":
      case "z.":
        this.top = Math.max(0, this.cursor.line - Math.floor(this.textRows() / 2));
        return;
      case "zt":
      case "z\r":
        this.top = this.cursor.line;
        return;
      case "zb":
      case "z-":
        this.top = Math.max(0, this.cursor.line - this.textRows() + 1);
        return;
      case "v":
      case "V":
      case "\x16":
      case "gv":
        return this.error("netlab: Visual mode is not available here");
      case "q":
      case "@":
        return this.error("netlab: recording and running macros is not available here");
      default:
        return this.beep();
    }
  }

  // ---------- motions ----------

  private motion(key: string, count: number, counted: boolean, arg: string | undefined, forOp: boolean): Motion | null {
    const { lines } = this;
    const cur = this.cursor;
    const line = lines[cur.line];
    const at = (pos: Pos, inclusive = false): Motion => ({ pos, linewise: false, inclusive });
    const toLine = (n: number): Motion => ({ pos: { line: n, col: firstNonBlank(lines[n]) }, linewise: true, inclusive: false });
    switch (key) {
      case "h":
      case "left":
      case "\x7f":
      case "\x08":
        if (cur.col === 0) return null;
        return at({ line: cur.line, col: Math.max(0, cur.col - count) });
      case "l":
      case "right":
      case " ": {
        const max = forOp ? line.length : Math.max(0, line.length - 1);
        if (cur.col >= max) return null;
        return at({ line: cur.line, col: Math.min(max, cur.col + count) });
      }
      case "j":
      case "down":
      case "\x0e":
      case "k":
      case "up":
      case "\x10": {
        const down = key === "j" || key === "down" || key === "\x0e";
        if (down ? cur.line >= lines.length - 1 : cur.line === 0) return null;
        const target = down ? Math.min(lines.length - 1, cur.line + count) : Math.max(0, cur.line - count);
        return { pos: { line: target, col: this.colForWant(target) }, linewise: true, inclusive: false, vertical: true };
      }
      case "\r":
      case "+":
        if (cur.line >= lines.length - 1) return null;
        return toLine(Math.min(lines.length - 1, cur.line + count));
      case "-":
        if (cur.line === 0) return null;
        return toLine(Math.max(0, cur.line - count));
      case "_":
        return toLine(Math.min(lines.length - 1, cur.line + count - 1));
      case "0":
      case "home":
        return at({ line: cur.line, col: 0 });
      case "^":
        return at({ line: cur.line, col: firstNonBlank(line) });
      case "|":
        return at({ line: cur.line, col: this.colForDisplay(cur.line, count - 1) });
      case "$":
      case "end": {
        const target = Math.min(lines.length - 1, cur.line + count - 1);
        return { pos: { line: target, col: Math.max(0, lines[target].length - (forOp ? 1 : 1)) }, linewise: false, inclusive: true };
      }
      case "w":
      case "W": {
        const pos = forwardWord(lines, cur, count, key === "W", forOp);
        if (!pos) return forOp ? at({ line: cur.line, col: line.length }) : null;
        if (!forOp && pos.col >= lines[pos.line].length && pos.col > 0) pos.col = lines[pos.line].length - 1;
        if (forOp && pos.col >= lines[pos.line].length && pos.col > 0 && pos.line === cur.line) return at({ line: pos.line, col: pos.col - 1 }, true);
        return at(pos);
      }
      case "b":
      case "B": {
        const pos = backWord(lines, cur, count, key === "B");
        return pos ? at(pos) : null;
      }
      case "e":
      case "E": {
        const pos = endOfWord(lines, cur, count, key === "E", false);
        return pos ? at(pos, true) : null;
      }
      case "G":
        return toLine(counted ? Math.min(count, lines.length) - 1 : lines.length - 1);
      case "gg":
        return toLine(counted ? Math.min(count, lines.length) - 1 : 0);
      case "f":
      case "t":
      case "F":
      case "T": {
        this.lastFind = { kind: key, ch: arg! };
        const col = findChar(line, cur.col, count, key, arg!);
        return col === null ? null : at({ line: cur.line, col }, key === "f" || key === "t");
      }
      case ";":
      case ",": {
        if (!this.lastFind) return null;
        const flip: Record<string, "f" | "t" | "F" | "T"> = { f: "F", F: "f", t: "T", T: "t" };
        const kind = key === ";" ? this.lastFind.kind : flip[this.lastFind.kind];
        const col = findChar(line, cur.col, count, kind, this.lastFind.ch);
        return col === null ? null : at({ line: cur.line, col }, kind === "f" || kind === "t");
      }
      case "n":
      case "N": {
        if (!this.lastSearch) {
          this.error("E35: No previous regular expression");
          return null;
        }
        const forward = key === "n" ? this.lastSearch.forward : !this.lastSearch.forward;
        let pos: Pos | null = cur;
        for (let k = 0; k < count && pos; k++) pos = this.find(this.lastSearch.pattern, forward, pos, true);
        if (pos && !this.message?.style) this.setMessage(`${forward ? "/" : "?"}${this.lastSearch.pattern}`);
        return pos ? at(pos) : null;
      }
      case "H":
        return toLine(Math.min(this.bottomLine() - 1, this.top + count - 1));
      case "L":
        return toLine(Math.max(this.top, this.bottomLine() - count));
      case "M":
        return toLine(Math.floor((this.top + Math.max(this.top, this.bottomLine() - 1)) / 2));
      case "%": {
        const pos = matchPair(lines, cur);
        return pos ? at(pos, true) : null;
      }
      case "{":
      case "}": {
        const pos = paragraph(lines, cur, count, key === "}");
        return pos ? at(pos) : null;
      }
      default:
        return null;
    }
  }

  // ---------- operators ----------

  private operate(op: string, cmd: { count: number; counted: boolean; key: string; arg?: string }): void {
    const { lines } = this;
    const cur = this.cursor;
    let start: Pos;
    let end: Pos;
    let linewise = false;
    let inclusive = false;
    if (cmd.key === "line") {
      if (cmd.count > 1 && cur.line >= lines.length - 1) return this.beep();
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
      if (!range) return this.beep();
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
          if (!pos) return this.beep();
          key = "";
          start = cur;
          end = pos;
          inclusive = true;
        }
      }
      if (key !== "") {
        const motion = this.motion(key, cmd.count, cmd.counted, cmd.arg, true);
        if (!motion) return this.beep();
        start = cur;
        end = motion.pos;
        linewise = motion.linewise;
        inclusive = motion.inclusive;
        if (before(end, start)) [start, end] = [end, start];
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
    if (linewise) return this.operateLines(op, start.line, end.line);
    const stop = inclusive ? { line: end.line, col: end.col + 1 } : end;
    if (stop.line === start.line && stop.col <= start.col && op !== "c") return;
    const text = this.textBetween(start, stop);
    if (op === "y") {
      this.register = { text, linewise: false };
      this.cursor = this.clampNormal(start);
      this.want = this.displayCol(this.cursor);
      return;
    }
    if (op === ">" || op === "<") return this.operateLines(op, start.line, end.line);
    this.register = { text, linewise: false };
    this.deleteBetween(start, stop);
    this.cursor = { ...start };
    if (op === "c") {
      this.enterInsert(start.col, true);
      return;
    }
    this.cursor = this.clampNormal(start);
    this.want = this.displayCol(this.cursor);
    const fewer = stop.line - start.line;
    if (fewer > 2) this.setMessage(`${fewer} fewer lines`);
  }

  private operateLines(op: string, first: number, last: number): void {
    const n = last - first + 1;
    const lines = this.lines.slice(first, last + 1);
    if (op === "y") {
      this.register = { text: lines, linewise: true };
      this.cursor = { line: first, col: Math.min(this.cursor.col, Math.max(0, this.lines[first].length - 1)) };
      if (first !== this.cursor.line) this.cursor.col = firstNonBlank(this.lines[first]);
      if (n > 2) this.setMessage(`${n} lines yanked`);
      return;
    }
    if (op === ">" || op === "<") {
      const sw = this.opts.shiftwidth || this.opts.tabstop;
      for (let l = first; l <= last; l++) {
        const text = this.lines[l];
        if (text === "") continue;
        const indent = this.indentWidth(text);
        const next = op === ">" ? indent + sw : Math.max(0, indent - sw);
        this.lines[l] = this.makeIndent(next) + text.replace(/^[ \t]*/, "");
      }
      this.cursor = { line: first, col: firstNonBlank(this.lines[first]) };
      if (n > 2) this.setMessage(`${n} lines ${op}ed 1 time`);
      return;
    }
    this.register = { text: lines, linewise: true };
    if (op === "c") {
      const indent = this.opts.autoindent && !this.opts.paste ? /^[ \t]*/.exec(this.lines[first])![0] : "";
      this.lines.splice(first, n, indent);
      this.empty = false;
      this.cursor = { line: first, col: indent.length };
      this.enterInsert(indent.length, true);
      if (indent) this.autoIndent = { line: first, text: indent };
      return;
    }
    this.lines.splice(first, n);
    if (this.lines.length === 0) {
      this.lines = [""];
      this.empty = true;
      this.setMessage("--No lines in buffer--");
    } else if (n > 2) this.setMessage(`${n} fewer lines`);
    const line = Math.min(first, this.lines.length - 1);
    this.cursor = { line, col: firstNonBlank(this.lines[line]) };
    this.want = this.displayCol(this.cursor);
  }

  private textBetween(start: Pos, stop: Pos): string[] {
    if (start.line === stop.line) return [this.lines[start.line].slice(start.col, stop.col)];
    const out = [this.lines[start.line].slice(start.col)];
    for (let l = start.line + 1; l < stop.line; l++) out.push(this.lines[l]);
    out.push(this.lines[stop.line].slice(0, stop.col));
    return out;
  }

  private deleteBetween(start: Pos, stop: Pos): void {
    const head = this.lines[start.line].slice(0, start.col);
    const tail = this.lines[stop.line].slice(stop.col);
    this.lines.splice(start.line, stop.line - start.line + 1, head + tail);
  }

  private put(after: boolean, count: number): void {
    const reg = this.register;
    if (!reg) {
      this.error('E353: Nothing in register "');
      return;
    }
    if (reg.linewise) {
      const block: string[] = [];
      for (let k = 0; k < count; k++) block.push(...reg.text);
      const at = this.empty ? 0 : after ? this.cursor.line + 1 : this.cursor.line;
      if (this.empty) this.lines = [...block];
      else this.lines.splice(at, 0, ...block);
      this.empty = false;
      this.cursor = { line: at, col: firstNonBlank(this.lines[at]) };
      if (block.length > 2) this.setMessage(`${block.length} more lines`);
    } else {
      const inserted = reg.text.join("\n").repeat(count);
      const line = this.lines[this.cursor.line];
      const col = after && line !== "" ? this.cursor.col + 1 : this.cursor.col;
      const parts = (line.slice(0, col) + inserted + line.slice(col)).split("\n");
      this.lines.splice(this.cursor.line, 1, ...parts);
      this.empty = false;
      if (parts.length === 1) this.cursor = { line: this.cursor.line, col: col + inserted.length - 1 };
      else this.cursor = { line: this.cursor.line, col };
    }
    this.want = this.displayCol(this.cursor);
  }

  private join(count: number, spaces: boolean): void {
    const first = this.cursor.line;
    if (first >= this.lines.length - 1) return this.beep();
    const last = Math.min(this.lines.length - 1, first + count - 1);
    let text = this.lines[first];
    let col = 0;
    for (let l = first + 1; l <= last; l++) {
      let next = this.lines[l];
      let sep = "";
      if (spaces) {
        // One space between the two ('joinspaces': two after a sentence), none before `)`.
        next = next.replace(/^[ \t]*/, "");
        if (text !== "" && next !== "" && !next.startsWith(")") && !/[ \t]$/.test(text)) sep = /[.!?]$/.test(text) ? "  " : " ";
      }
      col = text.length;
      text += sep + next;
    }
    this.lines.splice(first, last - first + 1, text);
    this.cursor = { line: first, col: Math.max(0, col) };
    this.want = this.displayCol(this.cursor);
  }

  private replaceChars(ch: string, count: number): void {
    const line = this.lines[this.cursor.line];
    if (this.cursor.col + count > line.length || ch === "\x1b" || ch === "\x03") return this.beep();
    const col = this.cursor.col;
    if (ch === "\r") {
      this.lines.splice(this.cursor.line, 1, line.slice(0, col), line.slice(col + count));
      this.cursor = { line: this.cursor.line + 1, col: 0 };
      return;
    }
    this.lines[this.cursor.line] = line.slice(0, col) + ch.repeat(count) + line.slice(col + count);
    this.cursor.col = col + count - 1;
  }

  private toggleCase(count: number): void {
    const line = this.lines[this.cursor.line];
    if (line === "") return;
    const col = this.cursor.col;
    const end = Math.min(line.length, col + count);
    const flipped = [...line.slice(col, end)].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join("");
    this.lines[this.cursor.line] = line.slice(0, col) + flipped + line.slice(end);
    this.cursor.col = Math.min(end, line.length - 1);
  }

  private repeat(): void {
    if (!this.dot) return this.beep();
    const keys = this.dot;
    this.replaying = true;
    this.changed = false;
    try {
      for (const key of keys) this.handle(key);
    } finally {
      this.replaying = false;
    }
    // The repeated change stays the one `.` repeats.
    this.recording = null;
  }

  // ---------- undo ----------

  private snapshot(): Snapshot {
    return { lines: [...this.lines], cursor: { ...this.cursor }, empty: this.empty };
  }

  private commitIfChanged(before: Snapshot): void {
    if (before.empty === this.empty && before.lines.length === this.lines.length && before.lines.every((l, i) => l === this.lines[i])) return;
    this.seqLast += 1;
    this.undoStack.push({ seq: this.seqLast, before, time: this.options.clock.now() });
    this.redoStack = [];
    this.seq = this.seqLast;
    this.changed = true;
  }

  private restore(state: Snapshot): void {
    this.lines = [...state.lines];
    this.empty = state.empty;
    const line = Math.min(state.cursor.line, this.lines.length - 1);
    this.cursor = this.clampNormal({ line, col: state.cursor.col });
    this.want = this.displayCol(this.cursor);
  }

  private undo(count: number): void {
    for (let k = 0; k < count; k++) {
      const change = this.undoStack.pop();
      if (!change) {
        if (k === 0) this.setMessage("Already at oldest change");
        return;
      }
      const current = this.snapshot();
      this.redoStack.push({ seq: change.seq, before: current, time: change.time });
      this.restore(change.before);
      this.seq = this.undoStack.at(-1)?.seq ?? 0;
      this.undoMessage(current, change, "before");
    }
  }

  private redo(count: number): void {
    for (let k = 0; k < count; k++) {
      const change = this.redoStack.pop();
      if (!change) {
        if (k === 0) this.setMessage("Already at newest change");
        return;
      }
      const current = this.snapshot();
      this.undoStack.push({ seq: change.seq, before: current, time: change.time });
      this.restore(change.before);
      this.seq = change.seq;
      this.undoMessage(current, change, "after");
    }
  }

  /** `1 line less; before #2  5 seconds ago`, as Vim's u_undo_end words it. */
  private undoMessage(previous: Snapshot, change: Change, when: "before" | "after"): void {
    const delta = previous.lines.length - this.lines.length;
    let what: string;
    if (delta === 1) what = "1 line less";
    else if (delta > 1) what = `${delta} fewer lines`;
    else if (delta === -1) what = "1 more line";
    else if (delta < -1) what = `${-delta} more lines`;
    else {
      const changed = Math.max(1, this.lines.filter((l, i) => l !== previous.lines[i]).length);
      what = `${changed} ${changed === 1 ? "change" : "changes"}`;
    }
    const seconds = Math.floor((this.options.clock.now() - change.time) / 1000);
    const ago = seconds >= 100 ? strftime("%H:%M:%S", change.time) : `${seconds} ${seconds === 1 ? "second" : "seconds"} ago`;
    this.setMessage(`${what}; ${when} #${change.seq}  ${ago}`);
  }

  // ---------- insert mode ----------

  private enterInsert(col: number, keepIndent = false): void {
    this.message = null;
    if (this.opts.readonly) this.setMessage("W10: Warning: Changing a readonly file", STYLE.warning);
    this.mode = "insert";
    this.cursor = { line: this.cursor.line, col: Math.min(col, this.lines[this.cursor.line].length) };
    if (!keepIndent) this.autoIndent = null;
  }

  private indentFor(previous: string): string {
    if (!this.opts.autoindent || this.opts.paste) return "";
    let width = this.indentWidth(previous);
    if (/\.ya?ml$/.test(this.path ?? "")) {
      const item = /^([ \t]*)- (?=\S)/.exec(previous);
      if (/:\s*$/.test(previous) && !/^\s*#/.test(previous)) width += this.opts.shiftwidth;
      else if (item) width = this.indentWidth(item[1]) + 2;
    }
    return this.makeIndent(width);
  }

  private indentWidth(text: string): number {
    let width = 0;
    for (const c of /^[ \t]*/.exec(text)![0]) width = c === "\t" ? width + this.opts.tabstop - (width % this.opts.tabstop) : width + 1;
    return width;
  }

  private makeIndent(width: number): string {
    if (this.opts.expandtab) return " ".repeat(width);
    return "\t".repeat(Math.floor(width / this.opts.tabstop)) + " ".repeat(width % this.opts.tabstop);
  }

  private openLine(below: boolean): void {
    const base = this.lines[this.cursor.line];
    const indent = this.indentFor(below ? base : (this.lines[this.cursor.line - 1] ?? base));
    const indentAbove = below ? indent : this.opts.autoindent && !this.opts.paste ? /^[ \t]*/.exec(base)![0] : "";
    const line = below ? this.cursor.line + 1 : this.cursor.line;
    const text = below ? indent : indentAbove;
    if (this.empty && !below) this.lines = [text, ""];
    else this.lines.splice(line, 0, text);
    this.empty = false;
    this.cursor = { line, col: text.length };
    this.enterInsert(text.length);
    if (text) this.autoIndent = { line, text };
  }

  private insertText(text: string): void {
    const { line, col } = this.cursor;
    const current = this.lines[line];
    this.lines[line] = current.slice(0, col) + text + current.slice(col);
    this.cursor.col = col + text.length;
    this.empty = false;
    this.autoIndent = null;
  }

  private insertKey(key: string): void {
    const special = specialKey(key);
    const { line, col } = this.cursor;
    const text = this.lines[line];
    if (key === "\x1b" || key === "\x03") return this.leaveInsert();
    if (special) {
      this.autoIndent = null;
      switch (special) {
        case "left":
          if (col > 0) this.cursor.col -= 1;
          return;
        case "right":
          if (col < text.length) this.cursor.col += 1;
          return;
        case "up":
        case "down": {
          const target = special === "up" ? line - 1 : line + 1;
          if (target < 0 || target >= this.lines.length) return this.beep();
          this.cursor = { line: target, col: Math.min(this.lines[target].length, this.colForWant(target, true)) };
          return;
        }
        case "home":
          this.cursor.col = 0;
          return;
        case "end":
          this.cursor.col = text.length;
          return;
        case "delete":
          if (col < text.length) this.lines[line] = text.slice(0, col) + text.slice(col + 1);
          else if (line < this.lines.length - 1) this.lines.splice(line, 2, text + this.lines[line + 1]);
          return;
        default:
          return;
      }
    }
    if (!special) this.want = this.displayCol(this.cursor);
    switch (key) {
      case "\r":
      case "\n": {
        const keep = this.autoIndent && this.autoIndent.line === line && text === this.autoIndent.text ? "" : null;
        const head = keep ?? text.slice(0, col);
        const indent = this.indentFor(keep !== null ? this.autoIndent!.text + "x" : head);
        const tail = text.slice(col).replace(this.opts.autoindent ? /^[ \t]*/ : /^$/, "");
        this.lines.splice(line, 1, head, indent + tail);
        this.empty = false;
        this.cursor = { line: line + 1, col: indent.length };
        this.autoIndent = indent ? { line: line + 1, text: indent } : null;
        this.want = this.displayCol(this.cursor);
        return;
      }
      case "\x7f":
      case "\x08": {
        this.autoIndent = null;
        if (col === 0) {
          if (line === 0) return this.beep();
          const previous = this.lines[line - 1];
          this.lines.splice(line - 1, 2, previous + text);
          this.cursor = { line: line - 1, col: previous.length };
          return;
        }
        let from = col - 1;
        const sts = this.opts.softtabstop;
        if (sts > 0 && !this.opts.paste && /^ +$/.test(text.slice(0, col))) from = Math.max(0, (Math.ceil(col / sts) - 1) * sts);
        this.lines[line] = text.slice(0, from) + text.slice(col);
        this.cursor.col = from;
        return;
      }
      case "\x17": {
        this.autoIndent = null;
        if (col === 0) return this.insertKey("\x7f");
        const head = text.slice(0, col);
        const cut = /(?:[A-Za-z0-9_]+|[^A-Za-z0-9_\s]+)?\s*$/.exec(head)![0].length || 1;
        this.lines[line] = head.slice(0, col - cut) + text.slice(col);
        this.cursor.col = col - cut;
        return;
      }
      case "\x15":
        this.autoIndent = null;
        this.lines[line] = text.slice(col);
        this.cursor.col = 0;
        return;
      case "\t": {
        if (this.opts.expandtab && !this.opts.paste) {
          const step = this.opts.softtabstop || this.opts.shiftwidth || this.opts.tabstop;
          const width = this.displayCol(this.cursor);
          return this.insertText(" ".repeat(step - (width % step)));
        }
        return this.insertText("\t");
      }
      default:
        if (key.length > 0 && (key.codePointAt(0)! >= 0x20 || key === "\x16") && key !== "\x7f") return this.insertText(key);
        return;
    }
  }

  private leaveInsert(): void {
    const { line } = this.cursor;
    if (this.autoIndent && this.autoIndent.line === line && this.lines[line] === this.autoIndent.text) {
      this.lines[line] = "";
      this.cursor.col = 0;
    }
    this.autoIndent = null;
    this.mode = "normal";
    if (this.message && this.message.text === "-- INSERT --") this.message = null;
    this.cursor = this.clampNormal({ line, col: Math.max(0, this.cursor.col - 1) });
    this.want = this.displayCol(this.cursor);
    const before = this.before;
    this.before = null;
    if (before) this.commitIfChanged(before);
  }

  // ---------- command line ----------

  private cmdlineKey(key: string): void {
    const { text } = this.cmdline;
    switch (key) {
      case "\r":
      case "\n":
        this.mode = "normal";
        return this.runCmdline();
      case "\x1b":
      case "\x03":
        this.mode = "normal";
        this.message = null;
        return;
      case "\x7f":
      case "\x08":
        if (text === "") {
          this.mode = "normal";
          this.message = null;
          return;
        }
        this.cmdline.text = [...text].slice(0, -1).join("");
        return;
      case "\x15":
        this.cmdline.text = "";
        return;
      case "\x17":
        this.cmdline.text = text.replace(/(?:\w+|[^\w\s]+)?\s*$/, "");
        return;
      default:
        if (specialKey(key) || key.startsWith("\x1b") || key === "\t") return;
        if (key.codePointAt(0)! >= 0x20) this.cmdline.text += key;
    }
  }

  private runCmdline(): void {
    const { prefix, text } = this.cmdline;
    if (prefix === "/" || prefix === "?") {
      const pattern = text === "" ? this.lastSearch?.pattern : text;
      if (pattern === undefined) return this.error("E35: No previous regular expression");
      this.search(pattern, prefix === "/", true);
      return;
    }
    this.message = null;
    this.ex(text);
  }

  /** `/pattern` and `?pattern` from the command line: moves there and says where it wrapped. */
  private search(pattern: string, forward: boolean, show: boolean): void {
    this.lastSearch = { pattern, forward };
    if (show) this.setMessage(`${forward ? "/" : "?"}${pattern}`);
    const pos = this.find(pattern, forward, this.cursor, true);
    if (!pos) return;
    this.cursor = this.clampNormal(pos);
    this.want = this.displayCol(this.cursor);
  }

  /** The next match of `pattern` from `from` (not at it), wrapping around the buffer. */
  private find(pattern: string, forward: boolean, from: Pos, report: boolean): Pos | null {
    let regex: RegExp;
    try {
      regex = vimRegExp(pattern, { ignorecase: this.opts.ignorecase, smartcase: this.opts.smartcase, global: true });
    } catch (error) {
      this.error(error instanceof Error ? error.message : String(error));
      return null;
    }
    const n = this.lines.length;
    const matchesIn = (line: number): number[] => {
      const out: number[] = [];
      const text = this.lines[line];
      regex.lastIndex = 0;
      for (let m = regex.exec(text); m; m = regex.exec(text)) {
        out.push(m.index);
        if (m[0] === "") regex.lastIndex += 1;
        if (regex.lastIndex > text.length) break;
      }
      return out;
    };
    for (let step = 0; step <= n; step++) {
      const line = forward ? (from.line + step) % n : (from.line - step + n * 2) % n;
      const wrapped = forward ? from.line + step >= n : from.line - step < 0;
      if (wrapped && !this.opts.wrapscan) break;
      let cols = matchesIn(line);
      if (step === 0) cols = cols.filter((c) => (forward ? c > from.col : c < from.col));
      if (step === n) cols = cols.filter((c) => (forward ? c <= from.col : c >= from.col));
      if (cols.length === 0) continue;
      const col = forward ? cols[0] : cols[cols.length - 1];
      if (wrapped && report) this.setMessage(forward ? "search hit BOTTOM, continuing at TOP" : "search hit TOP, continuing at BOTTOM", STYLE.warning);
      return { line, col };
    }
    if (report) this.error(this.opts.wrapscan ? `E486: Pattern not found: ${pattern}` : `E${forward ? 385 : 384}: Search hit ${forward ? "BOTTOM" : "TOP"} without match for: ${pattern}`);
    return null;
  }

  /** Runs an Ex command line (`:w`, `:q!`, `:%s/a/b/g`, `:set nu`, `:42` …). */
  private ex(input: string): void {
    const line = input.replace(/^[\s:]+/, "");
    if (line === "") return;
    let rest = line;
    let range: { start: number; end: number } | null = null;
    if (rest.startsWith("%")) {
      range = { start: 0, end: this.lines.length - 1 };
      rest = rest.slice(1);
    } else {
      const first = this.address(rest);
      if (first) {
        rest = first.rest;
        range = { start: first.line, end: first.line };
        if (rest.startsWith(",") || rest.startsWith(";")) {
          const second = this.address(rest.slice(1));
          if (!second) return this.error("E14: Invalid address");
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
      return this.substitute(range ?? { start: this.cursor.line, end: this.cursor.line }, (sub[2] ?? rest).trim() === "" ? "" : (sub[2] ?? rest));
    }
    const bang = rest.startsWith("!");
    if (bang) rest = rest.slice(1);
    const args = rest.trim();
    if (name === "") {
      if (!range) return this.error(`E492: Not an editor command: ${line}`);
      if (range.start < 0 || range.end < 0) return this.error("E16: Invalid range");
      const target = Math.min(range.end, this.lines.length - 1);
      this.cursor = { line: target, col: firstNonBlank(this.lines[target]) };
      this.want = this.displayCol(this.cursor);
      return;
    }
    const full = EX_NAMES.find(([n, min]) => name.length >= min && n.startsWith(name))?.[0] ?? (name === "w" ? "write" : name === "x" ? "xit" : name === "q" ? "quit" : undefined);
    if (range && (range.start < 0 || range.end >= this.lines.length || range.start > range.end)) {
      if (!(range.start > range.end && range.end >= 0)) return this.error("E16: Invalid range");
      range = { start: range.end, end: range.start };
    }
    switch (full) {
      case "write":
        if (args.startsWith(">>")) return this.error("netlab: :w >> is not available here");
        this.write(args || undefined, bang);
        return;
      case "update":
        if (this.modified) this.write(undefined, bang);
        return;
      case "wall":
        if (this.modified) this.write(undefined, bang);
        return;
      case "wq":
      case "wqall":
        if (this.write(args || undefined, bang, true)) this.quit(true);
        return;
      case "xit":
      case "exit":
      case "xall":
        if (this.modified || args !== "") {
          if (this.write(args || undefined, bang, true)) this.quit(true);
          return;
        }
        this.quit(bang);
        return;
      case "quit":
      case "qall":
      case "quitall":
        if (args !== "") return this.error("E488: Trailing characters");
        this.quit(bang);
        return;
      case "set":
      case "setlocal":
        return this.set(args);
      case "nohlsearch":
      case "syntax":
      case "filetype":
        return;
      case "delete":
      case "yank": {
        const r = range ?? { start: this.cursor.line, end: this.cursor.line };
        const before = this.snapshot();
        this.operateLines(full === "delete" ? "d" : "y", r.start, r.end);
        this.commitIfChanged(before);
        return;
      }
      case "edit":
        if (args === "" && bang) {
          const before = this.snapshot();
          this.undoStack = [];
          this.redoStack = [];
          if (this.name !== null) this.open(this.name);
          this.cursor = this.clampNormal({ line: Math.min(before.cursor.line, this.lines.length - 1), col: before.cursor.col });
          this.seq = this.seqLast = this.savedSeq = 0;
          return;
        }
        if (args === "" && !this.modified) return;
        if (args === "") return this.error("E37: No write since last change (add ! to override)");
        return this.error("netlab: :edit of another file is not available here");
      case "file":
        return this.fileInfo();
      default:
        if (full && UNSUPPORTED_EX.has(full)) return this.error(`netlab: :${full} is not available here`);
        if (name === "!" || name === "&" || name === "<" || name === ">" || name === "=") return this.error(`netlab: :${name} is not available here`);
        return this.error(`E492: Not an editor command: ${line}`);
    }
  }

  /** One Ex address (`.`, `$`, `12`, with `+N`/`-N`), or null when there is none. */
  private address(text: string): { line: number; rest: string } | null {
    const m = /^(\.|\$|\d+)?((?:\s*[+-]\d*)*)/.exec(text)!;
    if (m[0] === "" || (!m[1] && !m[2].trim())) return null;
    let line = m[1] === undefined || m[1] === "." ? this.cursor.line : m[1] === "$" ? this.lines.length - 1 : Number(m[1]) - 1;
    for (const [, sign, digits] of m[2].matchAll(/([+-])(\d*)/g)) line += (sign === "+" ? 1 : -1) * (digits === "" ? 1 : Number(digits));
    return { line, rest: text.slice(m[0].length) };
  }

  private set(args: string): void {
    if (args === "" || args === "all") return;
    for (const word of args.split(/\s+/)) {
      const m = /^(no|inv)?([a-z]+)(!|\?|[+^-]?=(.*))?$/.exec(word);
      const option = m ? OPTIONS.find(([full, short]) => full === m[2] || short === m[2]) : undefined;
      if (!m || !option) return this.error(`E518: Unknown option: ${word.replace(/[=?!].*$/, "")}`);
      const [full, , kind] = option;
      const key = full as keyof typeof this.opts;
      if (m[3] === "?" || (kind === "number" && m[3] === undefined && !m[1])) {
        const value = this.opts[key];
        this.setMessage(kind === "bool" ? `  ${value ? "" : "no"}${full}` : `  ${full}=${String(value)}`);
        continue;
      }
      if (kind === "bool") {
        if (m[3] && m[3] !== "!") return this.error(`E474: Invalid argument: ${word}`);
        const current = this.opts[key] as boolean;
        const next = m[1] === "inv" || m[3] === "!" ? !current : m[1] !== "no";
        (this.opts as Record<string, unknown>)[key] = next;
        continue;
      }
      const value = Number(m[4]);
      if (m[1] || !/^\d+$/.test(m[4] ?? "")) return this.error(`E521: Number required after =: ${word}`);
      if ((key === "tabstop" && value === 0) || value > 10000) return this.error(`E487: Argument must be positive: ${word}`);
      (this.opts as Record<string, unknown>)[key] = value;
    }
  }

  private substitute(range: { start: number; end: number }, spec: string): void {
    let pattern: string;
    let replacement: string;
    let flags: string;
    if (spec === "") {
      if (!this.lastSub) return this.error("E35: No previous regular expression");
      ({ pattern, replacement } = this.lastSub);
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
      pattern = parts[0] === "" ? (this.lastSearch?.pattern ?? "") : parts[0];
      if (pattern === "") return this.error("E35: No previous regular expression");
      replacement = parts[1] ?? "";
      flags = (parts[2] ?? "").trim();
      if (!/^[&cegiInp#lr]*$/.test(flags)) return this.error("E488: Trailing characters");
      if (flags.includes("c")) return this.error("netlab: :s///c (confirm each) is not available here");
      this.lastSub = { pattern, replacement, flags };
    }
    this.lastSearch = { pattern, forward: true };
    let regex: RegExp;
    try {
      regex = vimRegExp(pattern, { ignorecase: flags.includes("i") || (this.opts.ignorecase && !flags.includes("I")), smartcase: this.opts.smartcase, global: true });
    } catch (error) {
      return this.error(error instanceof Error ? error.message : String(error));
    }
    const before = this.snapshot();
    let subs = 0;
    let changedLines = 0;
    let lastLine = -1;
    const out: string[] = [];
    for (let l = 0; l < this.lines.length; l++) {
      const text = this.lines[l];
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
      if (!flags.includes("e")) this.error(`E486: Pattern not found: ${pattern}`);
      return;
    }
    if (flags.includes("n")) return;
    this.lines = out;
    this.empty = false;
    this.cursor = { line: lastLine, col: firstNonBlank(this.lines[lastLine]) };
    this.want = this.displayCol(this.cursor);
    if (subs > 2) this.setMessage(`${subs} ${subs === 1 ? "substitution" : "substitutions"} on ${changedLines} ${changedLines === 1 ? "line" : "lines"}`);
    this.commitIfChanged(before);
  }

  /** Ctrl-G and `:f`: `"name" [Modified] 3 lines --66%--`. */
  private fileInfo(): void {
    const name = this.name === null ? "[No Name]" : this.display(this.name);
    const flags = `${this.modified ? " [Modified]" : ""}${this.opts.readonly ? " [readonly]" : ""}`;
    if (this.empty) {
      this.setMessage(`"${name}"${flags} --No lines in buffer--`);
      return;
    }
    const n = this.lines.length;
    const percent = Math.floor(((this.cursor.line + 1) * 100) / n);
    this.setMessage(`"${name}"${flags} ${n} line${n === 1 ? "" : "s"} --${percent}%--`);
  }

  // ---------- layout ----------

  private textRows(): number {
    return Math.max(1, this.screen.rows - 1);
  }

  private numberWidth(): number {
    if (!this.opts.number && !this.opts.relativenumber) return 0;
    return Math.max(3, String(this.lines.length).length) + 1;
  }

  private avail(): number {
    return Math.max(1, this.screen.columns - this.numberWidth());
  }

  /** A line as drawn: tabs expanded (or `^I` with 'list'), control characters as `^X`; `starts[i]` is where character i begins. */
  private layout(text: string): { cells: string; starts: number[]; width: number } {
    const starts: number[] = [];
    let cells = "";
    let col = 0;
    for (let i = 0; i < text.length; i++) {
      starts[i] = col;
      const cp = text.codePointAt(i)!;
      if (cp > 0xffff) {
        starts[i + 1] = col;
        i++;
      }
      if (cp === 9 && !this.opts.list) {
        const n = this.opts.tabstop - (col % this.opts.tabstop);
        cells += " ".repeat(n);
        col += n;
      } else if (cp < 32 || cp === 127) {
        cells += "^" + String.fromCharCode(cp ^ 64);
        col += 2;
      } else {
        cells += String.fromCodePoint(cp);
        col += cellWidth(cp);
      }
    }
    starts[text.length] = col;
    if (this.opts.list) cells += "$";
    return { cells, starts, width: col + (this.opts.list ? 1 : 0) };
  }

  private rowsFor(line: number): number {
    if (!this.opts.wrap) return 1;
    return Math.max(1, Math.ceil(this.layout(this.lines[line]).width / this.avail()));
  }

  /** The display column of a cursor position (on a tab, its last cell in normal mode). */
  private displayCol(pos: Pos): number {
    const { starts } = this.layout(this.lines[pos.line] ?? "");
    const col = Math.min(pos.col, starts.length - 1);
    const tab = this.lines[pos.line]?.[col] === "\t" && !this.opts.list;
    if (tab && this.mode !== "insert") return starts[col + 1] - 1;
    return starts[col];
  }

  /** The column on `line` closest to the remembered display column. */
  private colForWant(line: number, insert = false): number {
    const text = this.lines[line];
    if (this.want === Infinity) return insert ? text.length : Math.max(0, text.length - 1);
    return this.colForDisplay(line, this.want, insert);
  }

  private colForDisplay(line: number, target: number, insert = false): number {
    const text = this.lines[line];
    const { starts } = this.layout(text);
    const max = insert ? text.length : Math.max(0, text.length - 1);
    for (let i = 0; i < text.length; i++) if (starts[i + 1] > target) return Math.min(i, max);
    return max;
  }

  private clampNormal(pos: Pos): Pos {
    const line = Math.max(0, Math.min(pos.line, this.lines.length - 1));
    const len = this.lines[line].length;
    return { line, col: Math.max(0, Math.min(pos.col, len - 1)) };
  }

  private moveTo(pos: Pos): void {
    this.cursor = this.clampNormal(pos);
    this.want = this.displayCol(this.cursor);
  }

  /** The first line below the window (Vim's w_botline - 1). */
  private bottomLine(): number {
    let rows = 0;
    let line = this.top;
    while (line < this.lines.length) {
      rows += this.rowsFor(line);
      if (rows > this.textRows()) break;
      line += 1;
    }
    return line;
  }

  /** Scrolls so the cursor shows with 'scrolloff' (5) lines around it; far jumps centre it. */
  private scroll(): void {
    const rows = this.textRows();
    const so = Math.min(5, Math.floor((rows - 1) / 2));
    const last = this.lines.length - 1;
    const line = this.cursor.line;
    const maxTop = (() => {
      let used = 0;
      let l = last;
      while (l >= 0) {
        used += this.rowsFor(l);
        if (used > rows) return l + 1;
        l -= 1;
      }
      return 0;
    })();
    if (line < this.top + so) {
      const target = Math.max(0, line - so);
      this.top = this.top - target > rows / 2 ? Math.max(0, line - Math.floor(rows / 2)) : target;
      this.top = Math.min(this.top, maxTop);
      return;
    }
    const needed = Math.min(last, line + so);
    const fits = () => {
      let used = 0;
      for (let l = this.top; l <= needed; l++) used += this.rowsFor(l);
      return used <= rows;
    };
    if (fits()) return;
    if (line - this.bottomLine() > rows / 2) this.top = Math.min(maxTop, Math.max(0, line - Math.floor(rows / 2)));
    while (!fits() && this.top < line) this.top += 1;
  }

  private scrollBy(key: string, count: number): void {
    const rows = this.textRows();
    const half = Math.max(1, Math.floor(rows / 2));
    const last = this.lines.length - 1;
    let delta: number;
    switch (key) {
      case "\x06":
      case "pagedown":
        delta = (rows - 2) * count;
        break;
      case "\x02":
      case "pageup":
        delta = -(rows - 2) * count;
        break;
      case "\x04":
        delta = half;
        break;
      case "\x15":
        delta = -half;
        break;
      case "\x05":
        delta = count;
        break;
      default:
        delta = -count;
    }
    if ((delta > 0 && this.cursor.line >= last) || (delta < 0 && this.cursor.line === 0 && this.top === 0)) return this.beep();
    if (key === "\x05" || key === "\x19") {
      this.top = Math.max(0, Math.min(last, this.top + delta));
      const line = Math.max(this.top, Math.min(this.cursor.line, this.bottomLine() - 1));
      this.cursor = this.clampNormal({ line, col: this.colForWant(line) });
      return;
    }
    this.top = Math.max(0, Math.min(last, this.top + delta));
    const line = Math.max(0, Math.min(last, this.cursor.line + delta));
    this.cursor = { line, col: firstNonBlank(this.lines[line]) };
    this.want = this.displayCol(this.cursor);
  }

  // ---------- drawing ----------

  private render(): string {
    const { rows: height, columns } = this.screen;
    const textRows = this.textRows();
    if (this.mode !== "insert") this.cursor = this.clampNormal(this.cursor);
    this.scroll();
    const rows: Row[] = [];
    const nw = this.numberWidth();
    const avail = this.avail();
    let cursorAt = { row: 0, col: 0 };
    let line = this.top;
    while (rows.length < textRows && line < this.lines.length) {
      const { cells, width } = this.layout(this.lines[line]);
      const n = this.opts.wrap ? Math.max(1, Math.ceil(width / avail)) : 1;
      if (rows.length + n > textRows && line !== this.top) {
        while (rows.length < textRows) rows.push([{ text: "@", style: STYLE.nonText }]);
        break;
      }
      if (line === this.cursor.line) {
        const dc = this.displayCol(this.cursor);
        const wrapRow = this.opts.wrap ? Math.floor(dc / avail) : 0;
        cursorAt = { row: rows.length + Math.min(wrapRow, n), col: nw + (this.opts.wrap ? dc % avail : Math.min(dc, avail - 1)) };
      }
      for (let k = 0; k < n && rows.length < textRows; k++) {
        const row: Segment[] = [];
        if (nw > 0) row.push({ text: k === 0 ? `${String(line + 1).padStart(nw - 1)} ` : " ".repeat(nw), style: STYLE.lineNr });
        row.push({ text: sliceCells(cells, k * avail, (k + 1) * avail) });
        rows.push(row);
      }
      line += 1;
    }
    while (rows.length < textRows) rows.push([{ text: "~", style: STYLE.nonText }]);
    if (this.intro && this.empty) this.drawIntro(rows, textRows, columns);
    const [status, statusCursor] = this.statusLine(columns, line);
    rows[height - 1] = status;
    if (statusCursor !== null) cursorAt = { row: height - 1, col: statusCursor };
    const out = this.frame.draw(rows, cursorAt, this.screen);
    const bells = "\x07".repeat(this.bells);
    this.bells = 0;
    return bells + out;
  }

  private drawIntro(rows: Row[], textRows: number, columns: number): void {
    const first = Math.max(1, Math.floor((textRows - INTRO.length) / 2));
    INTRO.forEach((text, i) => {
      if (first + i >= textRows || text === "") return;
      const pad = Math.max(0, Math.floor((columns - text.length) / 2));
      rows[first + i] = [{ text: "~", style: STYLE.nonText }, { text: " ".repeat(Math.max(0, pad - 1)) + text }];
    });
  }

  /** The last line: the command line being typed, or the mode/message, showcmd and the ruler. */
  private statusLine(columns: number, bottom: number): [Row, number | null] {
    if (this.mode === "cmdline") {
      const text = this.cmdline.prefix + this.cmdline.text;
      return [[{ text }], Math.min(columns - 1, textWidth(text))];
    }
    const row: Segment[] = [];
    if (this.mode === "insert" && this.opts.showmode) row.push({ text: "-- INSERT --", style: STYLE.mode });
    else if (this.message) row.push(this.message);
    const used = row.reduce((n, s) => n + textWidth(s.text), 0);
    const rulerCol = columns - 18;
    const showcmdCol = columns - 28;
    let width = used;
    if (this.opts.showcmd && this.pending.length > 0 && width < showcmdCol) {
      const shown = this.pending.map((k) => (k.length === 1 && k.charCodeAt(0) < 32 ? "^" + String.fromCharCode(k.charCodeAt(0) ^ 64) : k.length === 1 ? k : "")).join("").slice(-10);
      row.push({ text: " ".repeat(showcmdCol - width) + shown });
      width = showcmdCol + shown.length;
    }
    if (this.opts.ruler && rulerCol > width) {
      row.push({ text: " ".repeat(rulerCol - width) + this.ruler(bottom) });
    }
    return [row, null];
  }

  /** `12,5-9        45%`: line, byte column (and screen column when they differ), position in the file. */
  private ruler(bottom: number): string {
    const { line, col } = this.cursor;
    const text = this.lines[line];
    let position: string;
    if (this.empty) position = "0,0-1";
    else if (text === "") position = `${line + 1},0-1`;
    else {
      const byte = utf8Encode(text.slice(0, col)).length + 1;
      const virtual = this.displayCol(this.cursor) + 1;
      position = `${line + 1},${byte}${byte === virtual ? "" : `-${virtual}`}`;
    }
    const above = this.top;
    const below = this.lines.length - bottom;
    const rel = below <= 0 ? (above === 0 ? "All" : "Bot") : above <= 0 ? "Top" : `${String(Math.floor((above * 100) / (above + below))).padStart(2)}%`;
    return position + " ".repeat(Math.max(1, 17 - position.length - rel.length)) + rel;
  }
}

function before(a: Pos, b: Pos): boolean {
  return a.line < b.line || (a.line === b.line && a.col < b.col);
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
