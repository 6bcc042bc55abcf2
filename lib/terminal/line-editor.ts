/**
 * The learner's side of the shell: a readline-like line editor. It reads the bytes a terminal
 * sends (xterm's `onData`), keeps the line being typed, and writes the escape sequences that
 * redraw it — across wrapped rows — back to the terminal. Pure: no DOM, no timers, no engine;
 * the host runs inputs, completes words and tells it when an input has finished.
 *
 * @example
 * const editor = new LineEditor(
 *   { write: (s) => term.write(s), submit: (input) => run(input), complete, isIncomplete },
 *   { columns: term.cols },
 * );
 * editor.start("controlplane:~$ ");
 * term.onData((data) => editor.feed(data));
 * // when the engine answers: editor.finish(output, nextPrompt);
 */
import { layout, stripEscapes, textWidth, codePointWidth, writableSlice, type Cell } from "./text-width";

/** Completion candidates for `line.slice(replaceFrom, replaceTo)` (the engine's Completion). */
export interface Completion {
  candidates: string[];
  replaceFrom: number;
  replaceTo: number;
}

export interface LineEditorHost {
  /** Writes to the terminal. */
  write(data: string): void;
  /** Runs a complete input (one or more lines); answer with `finish(output, prompt)`. */
  submit(input: string): void;
  /** Tab-completion candidates for the word before `cursor`. */
  complete(line: string, cursor: number): Completion | Promise<Completion>;
  /** Whether the input continues on the next line (open quote, here-document, trailing `\`). */
  isIncomplete(input: string): boolean | Promise<boolean>;
}

export interface LineEditorOptions {
  columns: number;
  /** Earlier inputs, oldest first (restored sessions). */
  history?: readonly string[];
  /** PS2. */
  continuationPrompt?: string;
  /** Above this many candidates, ask before listing them (readline's completion-query-items). */
  queryItems?: number;
  /** Entries kept (HISTSIZE). */
  historySize?: number;
}

export type EditorMode = "idle" | "edit" | "search" | "query" | "completing" | "checking" | "busy";

type Token = { kind: "key"; seq: string } | { kind: "text"; text: string; replace?: boolean } | { kind: "enter" };

/**
 * At the right margin xterm waits to wrap until the next character. A space wraps now (marking
 * the next row as the line's continuation) and a backspace returns to its first column; the
 * blank cell is overwritten by whatever comes next. (Erasing it would clear the wrapped mark.)
 */
const WRAP_NOW = " \b";

const KILLS = new Set(["kill-line", "kill-start", "unix-word-rubout", "kill-word", "backward-kill-word"]);

const PASTE_START = "\x1b[200~";
const PASTE_END = "\x1b[201~";

const KEYS: Record<string, string> = {
  "\r": "accept",
  "\n": "accept",
  "\x7f": "backspace",
  "\x08": "backspace",
  "\x1b[3~": "delete",
  "\x04": "eof",
  "\x1b[D": "left",
  "\x1bOD": "left",
  "\x02": "left",
  "\x1b[C": "right",
  "\x1bOC": "right",
  "\x06": "right",
  "\x1b[H": "home",
  "\x1bOH": "home",
  "\x1b[1~": "home",
  "\x1b[7~": "home",
  "\x01": "home",
  "\x1b[F": "end",
  "\x1bOF": "end",
  "\x1b[4~": "end",
  "\x1b[8~": "end",
  "\x05": "end",
  "\x1b[A": "up",
  "\x1bOA": "up",
  "\x10": "up",
  "\x1b[B": "down",
  "\x1bOB": "down",
  "\x0e": "down",
  "\x0b": "kill-line",
  "\x15": "kill-start",
  "\x17": "unix-word-rubout",
  "\x19": "yank",
  "\x1bb": "word-left",
  "\x1bB": "word-left",
  "\x1b[1;5D": "word-left",
  "\x1b[1;3D": "word-left",
  "\x1bf": "word-right",
  "\x1bF": "word-right",
  "\x1b[1;5C": "word-right",
  "\x1b[1;3C": "word-right",
  "\x1bd": "kill-word",
  "\x1bD": "kill-word",
  "\x1b[3;5~": "kill-word",
  "\x1b\x7f": "backward-kill-word",
  "\x1b\x08": "backward-kill-word",
  "\x14": "transpose",
  "\x1b.": "yank-last-arg",
  "\x1b_": "yank-last-arg",
  "\t": "complete",
  "\x12": "search",
  "\x03": "interrupt",
  "\x0c": "clear-screen",
  "\x07": "abort",
};

/** Splits terminal input into keys, literal text runs and bracketed pastes. */
export function tokenize(data: string): { tokens: Token[]; partialPaste: string | null } {
  const tokens: Token[] = [];
  let i = 0;
  let text = "";
  const flush = () => {
    if (text) tokens.push({ kind: "text", text });
    text = "";
  };
  while (i < data.length) {
    if (data.startsWith(PASTE_START, i)) {
      flush();
      const end = data.indexOf(PASTE_END, i + PASTE_START.length);
      if (end < 0) return { tokens, partialPaste: data.slice(i + PASTE_START.length) };
      tokens.push(...pasteTokens(data.slice(i + PASTE_START.length, end)));
      i = end + PASTE_END.length;
      continue;
    }
    const code = data.charCodeAt(i);
    if (code === 0x1b) {
      flush();
      let seq: string;
      if (i + 1 >= data.length) seq = "\x1b";
      else if (data[i + 1] === "[") {
        let j = i + 2;
        while (j < data.length && data.charCodeAt(j) >= 0x30 && data.charCodeAt(j) <= 0x3f) j++;
        while (j < data.length && data.charCodeAt(j) >= 0x20 && data.charCodeAt(j) <= 0x2f) j++;
        seq = data.slice(i, j + 1);
      } else if (data[i + 1] === "O") seq = data.slice(i, i + 3);
      else {
        const next = data.codePointAt(i + 1)!;
        seq = data.slice(i, i + 1 + (next > 0xffff ? 2 : 1));
      }
      tokens.push({ kind: "key", seq });
      i += seq.length;
    } else if (code < 0x20 || code === 0x7f) {
      flush();
      tokens.push({ kind: "key", seq: data[i] });
      i += 1;
    } else {
      text += data[i];
      i += 1;
    }
  }
  flush();
  return { tokens, partialPaste: null };
}

/** A paste: every line but the last is entered, as if typed; other control characters drop. */
function pasteTokens(paste: string): Token[] {
  const tokens: Token[] = [];
  const lines = paste.replace(/\r\n?/g, "\n").split("\n");
  lines.forEach((line, index) => {
    const clean = line.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "");
    if (clean) tokens.push({ kind: "text", text: clean });
    if (index < lines.length - 1) tokens.push({ kind: "enter" });
  });
  return tokens;
}

const isWordChar = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
const isSpace = (ch: string | undefined) => ch === " " || ch === "\t" || ch === "\n";

/** The longest common prefix of the strings. */
export function commonPrefix(items: readonly string[]): string {
  if (items.length === 0) return "";
  let prefix = items[0];
  for (const item of items) {
    let i = 0;
    while (i < prefix.length && i < item.length && prefix[i] === item[i]) i++;
    prefix = prefix.slice(0, i);
  }
  // Never end between the halves of a surrogate pair.
  if (/[\ud800-\udbff]$/.test(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/**
 * Completion candidates laid out as readline lists them: sorted down the columns, each column
 * as wide as the longest item plus two spaces, as many columns as fit the screen.
 */
export function formatColumns(items: readonly string[], columns: number): string[] {
  if (items.length === 0) return [];
  const longest = Math.max(...items.map(textWidth));
  const width = longest + 2;
  let perRow = Math.floor(columns / width);
  if (perRow !== 1 && perRow * width === columns) perRow -= 1;
  if (perRow <= 0) perRow = 1;
  const rows = Math.ceil(items.length / perRow);
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    let line = "";
    for (let c = 0; c < perRow; c++) {
      const index = c * rows + r;
      if (index >= items.length) break;
      const item = items[index];
      const last = c === perRow - 1 || (c + 1) * rows + r >= items.length;
      line += last ? item : item + " ".repeat(width - textWidth(item));
    }
    lines.push(line);
  }
  return lines;
}

/** What readline shows for a file name candidate: the part after the directory typed so far. */
function displayNames(candidates: readonly string[], word: string): string[] {
  const slash = word.lastIndexOf("/");
  if (slash < 0) return [...candidates];
  const dir = word.slice(0, slash + 1);
  if (!candidates.every((c) => c.startsWith(dir) && c.length > dir.length)) return [...candidates];
  return candidates.map((c) => c.slice(dir.length));
}

interface SearchState {
  query: string;
  failed: boolean;
  /** History index of the match; history.length while nothing matched yet. */
  index: number;
  line: string;
  position: number;
  saved: { buffer: string; cursor: number; index: number };
}

export class LineEditor {
  private readonly host: LineEditorHost;
  private columns: number;
  private readonly ps2: string;
  private readonly queryItems: number;
  private readonly historySize: number;

  private mode: EditorMode = "idle";
  private prompt = "";
  private buffer = "";
  private cursor = 0;
  /** Lines entered so far of an input that continues (here-document, open quote…). */
  private continuation: string | null = null;

  private readonly history: string[];
  private historyIndex: number;
  /** Edits made to recalled history lines (and the new line), kept until a line is accepted. */
  private readonly historyEdits = new Map<number, string>();
  private search: SearchState | null = null;
  private lastSearch = "";
  private killRing = "";
  private lastAction = "";
  /** Whether the last Tab changed the line (readline lists on a Tab after one that did not). */
  private completionChanged = false;
  private pendingCompletion: Completion | null = null;

  /** Input that arrived while an input ran or a completion was pending. */
  private queue: Token[] = [];
  private partialPaste: string | null = null;
  private interrupted = false;
  /** Output held back until the next write (the line feed after an accepted line). */
  private deferred = "";
  private batching = 0;
  private outbox = "";

  // The screen: what is drawn of the current line, and where the terminal's cursor is.
  private shown = "";
  private startCol = 0;
  /** The text before the prompt on its first row (command output without a final newline). */
  private leadTail = "";
  private termPos: Cell = { row: 0, col: 0 };

  constructor(host: LineEditorHost, options: LineEditorOptions) {
    this.host = host;
    this.columns = Math.max(1, options.columns);
    this.ps2 = options.continuationPrompt ?? "> ";
    this.queryItems = options.queryItems ?? 100;
    this.historySize = options.historySize ?? 1000;
    this.history = [];
    for (const entry of options.history ?? []) this.remember(entry);
    this.historyIndex = this.history.length;
  }

  // ---------- public face ----------

  /** Shows the first prompt, at the start of the current terminal row. */
  start(prompt: string): void {
    this.batch(() => {
      this.prompt = prompt;
      this.leadTail = "";
      this.startCol = 0;
      this.beginLine();
    });
  }

  /** Input from the terminal (keys, typed text, bracketed pastes). */
  feed(data: string): void {
    this.batch(() => {
      if (this.partialPaste !== null) {
        data = PASTE_START + this.partialPaste + data;
        this.partialPaste = null;
      }
      const { tokens, partialPaste } = tokenize(data);
      this.partialPaste = partialPaste;
      if (this.mode === "busy" && tokens.some((t) => t.kind === "key" && t.seq === "\x03")) {
        // ^C while an input runs: what was typed ahead is thrown away, as the tty does.
        const after = tokens.slice(tokens.findLastIndex((t) => t.kind === "key" && t.seq === "\x03") + 1);
        this.queue = after;
        this.interrupted = true;
        return;
      }
      this.queue.push(...tokens);
      this.drain();
    });
  }

  /**
   * Puts text on the line in place of what was there (not run) — the lesson's "Run in
   * terminal" button. The replaced text goes to the kill ring (Ctrl-Y brings it back).
   */
  type(text: string): void {
    this.batch(() => {
      const clean = text.replace(/\r\n?/g, "\n").replace(/\n+$/, "").replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "");
      if (!clean) return;
      this.queue.push({ kind: "text", text: clean, replace: true });
      this.drain();
    });
  }

  /** The input sent with `submit` has finished: show its output and the next prompt. */
  finish(output: string, prompt: string): void {
    this.batch(() => {
      if (this.mode !== "busy") return;
      let out = this.interrupted ? "^C\r\n" : "";
      this.interrupted = false;
      out += toTerminal(output);
      this.leadTail = lastRowText(output, this.columns);
      const width = textWidth(this.leadTail);
      if (width > 0 && width % this.columns === 0) {
        out += WRAP_NOW;
        this.leadTail = "";
      }
      this.startCol = textWidth(this.leadTail) % this.columns;
      this.emit(out);
      this.prompt = prompt;
      this.beginLine();
      this.drain();
    });
  }

  /**
   * The input started a full-screen program (vi, watch): the held-back line feed, `output` (what
   * ran before the program) and the program's first drawing (`screen`, raw bytes) go out now;
   * the editor stays busy, its keys going elsewhere, until `finish`.
   */
  suspend(output: string, screen: string): void {
    this.batch(() => {
      if (this.mode !== "busy") return;
      this.emit(toTerminal(output) + screen);
    });
  }

  /**
   * A restored session whose last input still runs a full-screen program: nothing is drawn and
   * the editor waits, busy, for `finish` with that input's output and the next prompt.
   */
  resumeBusy(prompt: string): void {
    this.prompt = prompt;
    this.leadTail = "";
    this.startCol = 0;
    this.shown = "";
    this.mode = "busy";
  }

  /** Writes what is held back now (the host calls it when an input is taking a while). */
  flush(): void {
    this.batch(() => {
      this.emit("");
    });
  }

  /** The terminal is now `columns` wide (xterm leaves the cursor's wrapped rows as they were). */
  resize(columns: number): void {
    this.batch(() => {
      columns = Math.max(1, columns);
      if (columns === this.columns) return;
      const drawn = this.mode === "edit" || this.mode === "search";
      const up = this.termPos.row;
      this.columns = columns;
      if (!drawn) return;
      const tail = this.leadTail;
      let out = (up > 0 ? `\x1b[${up}A` : "") + "\r\x1b[J" + tail;
      const width = textWidth(tail);
      if (width > 0 && width % columns === 0) out += WRAP_NOW;
      this.emit(out);
      this.leadTail = lastRowText(tail, columns);
      this.startCol = textWidth(this.leadTail) % columns;
      this.termPos = { row: 0, col: this.startCol };
      this.shown = "";
      this.render();
    });
  }

  /** Clears the screen and redraws the line at the top (Ctrl-L; also the toolbar). */
  clearScreen(): void {
    this.batch(() => {
      if (this.mode !== "edit" && this.mode !== "search") return;
      this.emit("\x1b[H\x1b[2J");
      this.leadTail = "";
      this.startCol = 0;
      this.termPos = { row: 0, col: 0 };
      this.shown = "";
      this.render();
    });
  }

  /** State for tests and the host. */
  get state(): { mode: EditorMode; buffer: string; cursor: number; prompt: string; continuation: string | null } {
    return { mode: this.mode, buffer: this.buffer, cursor: this.cursor, prompt: this.prompt, continuation: this.continuation };
  }

  /** Inputs entered, oldest first. */
  get entries(): readonly string[] {
    return this.history;
  }

  /** Leaves reverse search with the match in the line (what Esc does); false when not searching. */
  leaveSearch(): boolean {
    if (this.mode !== "search") return false;
    this.batch(() => this.acceptSearch());
    return true;
  }

  // ---------- input processing ----------

  private drain(): void {
    while (this.queue.length > 0 && (this.mode === "edit" || this.mode === "search" || this.mode === "query")) {
      const token = this.queue.shift()!;
      this.handle(token);
    }
  }

  private handle(token: Token): void {
    if (this.mode === "query") return this.answerQuery(token);
    if (this.mode === "search") return this.searchInput(token);
    const action = token.kind === "enter" ? "accept" : token.kind === "text" ? "insert" : (KEYS[token.seq] ?? "ignore");
    this.perform(action, token);
    if (action !== "ignore") this.lastAction = action;
  }

  private perform(action: string, token: Token): void {
    const b = this.buffer;
    const c = this.cursor;
    switch (action) {
      case "insert":
        if (token.kind !== "text") break;
        if (token.replace) {
          if (this.buffer) this.killRing = this.buffer;
          this.edit("", 0);
        }
        this.insert(token.text);
        break;
      case "accept":
        this.acceptLine();
        return;
      case "backspace":
        if (c === 0) return this.bell();
        this.edit(b.slice(0, prevBoundary(b, c)) + b.slice(c), prevBoundary(b, c));
        break;
      case "delete":
        if (c >= b.length) return this.bell();
        this.edit(b.slice(0, c) + b.slice(nextBoundary(b, c)), c);
        break;
      case "eof":
        if (b === "" && this.continuation === null) {
          this.buffer = "exit";
          this.cursor = 4;
          this.render();
          this.acceptLine({ remember: false });
          return;
        }
        if (b === "" && this.continuation !== null) {
          // End of file inside a here-document or quote: the shell gets what there is.
          this.acceptLine({ force: true });
          return;
        }
        if (c >= b.length) return this.bell();
        this.edit(b.slice(0, c) + b.slice(nextBoundary(b, c)), c);
        break;
      case "left":
        this.cursor = prevBoundary(b, c);
        break;
      case "right":
        this.cursor = nextBoundary(b, c);
        break;
      case "home":
        this.cursor = 0;
        break;
      case "end":
        this.cursor = b.length;
        break;
      case "word-left":
        this.cursor = wordLeft(b, c);
        break;
      case "word-right":
        this.cursor = wordRight(b, c);
        break;
      case "up":
        return this.recall(this.historyIndex - 1);
      case "down":
        return this.recall(this.historyIndex + 1);
      case "kill-line":
        this.kill(c, b.length, "forward");
        break;
      case "kill-start":
        this.kill(0, c, "backward");
        break;
      case "unix-word-rubout": {
        let i = c;
        while (i > 0 && isSpace(b[i - 1])) i--;
        while (i > 0 && !isSpace(b[i - 1])) i--;
        this.kill(i, c, "backward");
        break;
      }
      case "kill-word":
        this.kill(c, wordRight(b, c), "forward");
        break;
      case "backward-kill-word":
        this.kill(wordLeft(b, c), c, "backward");
        break;
      case "yank":
        if (!this.killRing) return this.bell();
        this.insert(this.killRing);
        break;
      case "yank-last-arg": {
        const last = this.history.at(-1);
        const word = last?.trim().split(/\s+/).at(-1);
        if (!word) return this.bell();
        this.insert(word);
        break;
      }
      case "transpose": {
        if (b.length < 2 || c === 0) return this.bell();
        const at = c >= b.length ? prevBoundary(b, b.length) : c;
        const before = prevBoundary(b, at);
        const after = nextBoundary(b, at);
        this.edit(b.slice(0, before) + b.slice(at, after) + b.slice(before, at) + b.slice(after), after);
        break;
      }
      case "complete":
        return this.complete();
      case "search":
        return this.startSearch();
      case "interrupt":
        return this.interrupt();
      case "clear-screen":
        return this.clearScreen();
      case "abort":
        return this.bell();
      default:
        return;
    }
    this.render();
  }

  private insert(text: string): void {
    this.edit(this.buffer.slice(0, this.cursor) + text + this.buffer.slice(this.cursor), this.cursor + text.length);
  }

  private edit(buffer: string, cursor: number): void {
    this.buffer = buffer;
    this.cursor = cursor;
  }

  private kill(from: number, to: number, direction: "forward" | "backward"): void {
    if (from >= to) return;
    const text = this.buffer.slice(from, to);
    // Kills in a row collect into one piece of text, as readline's kill ring does.
    const continuing = KILLS.has(this.lastAction);
    this.killRing = continuing ? (direction === "forward" ? this.killRing + text : text + this.killRing) : text;
    this.edit(this.buffer.slice(0, from) + this.buffer.slice(to), from);
  }

  /** Writes to the terminal, after anything deferred; inside `batch`, at the batch's end. */
  private emit(data: string): void {
    const out = this.deferred + data;
    this.deferred = "";
    if (this.batching > 0) this.outbox += out;
    else if (out) this.host.write(out);
  }

  /**
   * Runs `work` and writes what it drew in one terminal write: xterm parses the first write
   * after a key press at once but schedules later ones, which would cost a frame.
   */
  private batch(work: () => void): void {
    this.batching += 1;
    try {
      work();
    } finally {
      this.batching -= 1;
      if (this.batching === 0 && this.outbox) {
        const out = this.outbox;
        this.outbox = "";
        this.host.write(out);
      }
    }
  }

  private bell(): void {
    this.emit("\x07");
  }

  // ---------- lines ----------

  private beginLine(): void {
    this.mode = "edit";
    this.shown = "";
    this.termPos = { row: 0, col: this.startCol };
    this.render();
  }

  private acceptLine(options: { remember?: boolean; force?: boolean } = {}): void {
    const line = this.buffer;
    this.moveToEnd(true);
    // The line feed waits for the output (or the next prompt): a write now would make the
    // browser render a frame before it hands over the worker's answer (see flush).
    this.deferred += "\r\n";
    this.leadTail = "";
    this.startCol = 0;
    const input = this.continuation === null ? line : `${this.continuation}\n${line}`;
    this.buffer = "";
    this.cursor = 0;
    this.historyEdits.clear();
    let verdict: boolean | Promise<boolean>;
    try {
      verdict = options.force ? false : this.host.isIncomplete(input);
    } catch {
      verdict = false;
    }
    if (verdict instanceof Promise) {
      this.mode = "checking";
      this.shown = "";
      verdict.then(
        (incomplete) => this.batch(() => this.checked(input, incomplete, options)),
        () => this.batch(() => this.checked(input, false, options)),
      );
      return;
    }
    this.checked(input, verdict, options);
  }

  /** The rest of accepting a line, once it is known whether the input goes on. */
  private checked(input: string, incomplete: boolean, options: { remember?: boolean }): void {
    if (incomplete) {
      this.continuation = input;
      this.historyIndex = this.history.length;
      this.beginLine();
      this.drain();
      return;
    }
    this.continuation = null;
    if (options.remember !== false) this.remember(input);
    this.historyIndex = this.history.length;
    if (input.trim() === "") {
      this.beginLine();
      this.drain();
      return;
    }
    this.mode = "busy";
    this.shown = "";
    this.host.submit(input);
  }

  /** Adds to history as bash with HISTCONTROL=ignoreboth does. */
  private remember(input: string): void {
    const entry = input.replace(/\n+$/, "");
    if (entry.trim() === "" || /^\s/.test(entry) || this.history.at(-1) === entry) return;
    this.history.push(entry);
    if (this.history.length > this.historySize) this.history.splice(0, this.history.length - this.historySize);
  }

  private recall(index: number): void {
    if (index < 0 || index > this.history.length) return this.bell();
    this.historyEdits.set(this.historyIndex, this.buffer);
    this.historyIndex = index;
    this.buffer = this.historyEdits.get(index) ?? (index === this.history.length ? "" : this.history[index]);
    this.cursor = this.buffer.length;
    this.render();
  }

  private interrupt(): void {
    this.moveToEnd();
    this.emit("^C\r\n");
    this.leadTail = "";
    this.startCol = 0;
    this.buffer = "";
    this.cursor = 0;
    this.continuation = null;
    this.search = null;
    this.historyEdits.clear();
    this.historyIndex = this.history.length;
    this.beginLine();
  }

  // ---------- completion ----------

  private complete(): void {
    const line = this.buffer;
    const cursor = this.cursor;
    const again = this.lastAction === "complete" && !this.completionChanged;
    this.mode = "completing";
    let result: Completion | Promise<Completion>;
    try {
      result = this.host.complete(line, cursor);
    } catch {
      result = { candidates: [], replaceFrom: cursor, replaceTo: cursor };
    }
    if (result instanceof Promise) {
      result.then(
        (completion) => this.batch(() => this.completed(completion, again)),
        () => this.batch(() => this.completed({ candidates: [], replaceFrom: cursor, replaceTo: cursor }, again)),
      );
    } else {
      this.completed(result, again);
    }
  }

  private completed(completion: Completion, again: boolean): void {
    if (this.mode !== "completing") return;
    this.mode = "edit";
    this.lastAction = "complete";
    const { candidates, replaceFrom, replaceTo } = completion;
    const word = this.buffer.slice(replaceFrom, replaceTo);
    const before = this.buffer;
    if (candidates.length === 0) {
      this.bell();
    } else if (candidates.length === 1) {
      const [only] = candidates;
      const suffix = only.endsWith("/") ? "" : " ";
      const hasSpace = this.buffer[replaceTo] === " ";
      const replacement = only + (hasSpace ? "" : suffix);
      this.buffer = this.buffer.slice(0, replaceFrom) + replacement + this.buffer.slice(replaceTo);
      this.cursor = replaceFrom + replacement.length + (hasSpace && suffix ? 1 : 0);
      this.render();
    } else {
      const prefix = commonPrefix(candidates);
      if (prefix.length > word.length) {
        this.buffer = this.buffer.slice(0, replaceFrom) + prefix + this.buffer.slice(replaceTo);
        this.cursor = replaceFrom + prefix.length;
        this.render();
      } else if (again) {
        this.pendingCompletion = completion;
        if (candidates.length > this.queryItems) {
          this.moveToEnd();
          this.emit(`\r\nDisplay all ${candidates.length} possibilities? (y or n)`);
          this.mode = "query";
        } else {
          this.listCandidates();
        }
      } else {
        this.bell();
      }
    }
    this.completionChanged = this.buffer !== before;
    this.drain();
  }

  private answerQuery(token: Token): void {
    const answer = token.kind === "text" ? token.text[0] : token.kind === "key" ? token.seq : "";
    if (answer === "y" || answer === "Y" || answer === " ") {
      this.mode = "edit";
      this.emit("\r\n");
      this.listCandidates({ fromQuery: true });
    } else if (answer === "n" || answer === "N" || answer === "\x7f" || answer === "\x03" || answer === "\x07" || token.kind === "enter" || answer === "\r") {
      this.emit("\r\n");
      this.startCol = 0;
      this.leadTail = "";
      this.beginLine();
    }
    // Anything else: readline keeps asking.
    if (token.kind === "text" && token.text.length > 1 && this.mode === "edit") {
      this.queue.unshift({ kind: "text", text: token.text.slice(1) });
    }
  }

  private listCandidates(options: { fromQuery?: boolean } = {}): void {
    const completion = this.pendingCompletion;
    this.pendingCompletion = null;
    if (!completion) return;
    const word = this.buffer.slice(completion.replaceFrom, completion.replaceTo);
    const names = displayNames(completion.candidates, word);
    const rows = formatColumns(names, this.columns);
    if (!options.fromQuery) {
      this.moveToEnd();
      this.emit("\r\n");
    }
    this.emit(rows.join("\r\n") + "\r\n");
    this.leadTail = "";
    this.startCol = 0;
    this.beginLine();
  }

  // ---------- reverse incremental search ----------

  private startSearch(): void {
    this.search = {
      query: "",
      failed: false,
      index: this.history.length,
      line: this.buffer,
      position: this.cursor,
      saved: { buffer: this.buffer, cursor: this.cursor, index: this.historyIndex },
    };
    this.mode = "search";
    this.render();
  }

  private searchInput(token: Token): void {
    const search = this.search!;
    if (token.kind === "text") {
      search.query += token.text;
      this.findMatch(Math.min(search.index, this.history.length - 1), false);
      return this.render();
    }
    if (token.kind === "enter") {
      this.acceptSearch();
      return this.acceptLine();
    }
    switch (KEYS[token.seq]) {
      case "search":
        if (search.query === "" && this.lastSearch) search.query = this.lastSearch;
        if (search.query !== "") this.findMatch(search.index - 1, true);
        return this.render();
      case "backspace":
        search.query = search.query.slice(0, -1);
        if (search.query === "") {
          Object.assign(search, { failed: false, index: this.history.length, line: search.saved.buffer, position: search.saved.cursor });
        } else {
          this.findMatch(this.history.length - 1, false);
        }
        return this.render();
      case "abort": {
        const { saved } = search;
        this.lastSearch = search.query || this.lastSearch;
        this.search = null;
        this.mode = "edit";
        this.buffer = saved.buffer;
        this.cursor = saved.cursor;
        this.historyIndex = saved.index;
        return this.render();
      }
      case "interrupt":
        this.lastSearch = search.query || this.lastSearch;
        return this.interrupt();
      case "accept":
        this.acceptSearch();
        return this.acceptLine();
      default:
        // Any other key ends the search with the match in the line, then does its own job.
        this.acceptSearch();
        return this.handle(token);
    }
  }

  private findMatch(from: number, skipSame: boolean): void {
    const search = this.search!;
    for (let i = from; i >= 0; i--) {
      const entry = this.history[i];
      if (skipSame && entry === search.line) continue;
      const position = entry.lastIndexOf(search.query);
      if (position >= 0) {
        Object.assign(search, { failed: false, index: i, line: entry, position });
        return;
      }
    }
    search.failed = true;
    this.bell();
  }

  private acceptSearch(): void {
    const search = this.search!;
    this.lastSearch = search.query || this.lastSearch;
    this.search = null;
    this.mode = "edit";
    if (search.index < this.history.length) {
      this.historyEdits.set(this.history.length, search.saved.buffer);
      this.historyIndex = search.index;
    }
    this.buffer = search.line;
    this.cursor = search.position;
    this.render();
  }

  // ---------- drawing ----------

  /** The prompt and text on screen now, and the cursor's index in the text. */
  private view(): { prompt: string; text: string; cursor: number } | null {
    if (this.mode === "search" && this.search) {
      const s = this.search;
      return { prompt: `(${s.failed ? "failed " : ""}reverse-i-search)\`${s.query}': `, text: s.line, cursor: s.position };
    }
    if (this.mode === "edit" || this.mode === "completing") {
      return { prompt: this.continuation === null ? this.prompt : this.ps2, text: this.buffer, cursor: this.cursor };
    }
    return null;
  }

  /** Redraws what changed since the last draw (from the first differing character) and places the cursor. */
  private render(): void {
    const view = this.view();
    if (!view) return;
    const prompt = stripEscapes(view.prompt);
    const full = prompt + view.text;
    const { starts, pendingWrap } = layout(full, this.startCol, this.columns);
    let k = 0;
    const max = Math.min(full.length, this.shown.length);
    while (k < max && full[k] === this.shown[k]) k++;
    // Redraw whole characters: not half a surrogate pair, not a combining mark without its base.
    while (k > 0 && k < full.length && (isLowSurrogate(full.charCodeAt(k)) || codePointWidth(full.codePointAt(k)!) === 0) && full[k] !== "\n" && full[k] !== "\t") k--;
    // Never start at the first column of a wrapped row: erasing there would end xterm's wrapped
    // line (isWrapped), and a resize would then reflow the rows apart. Redraw from the character
    // before, whose autowrap marks the row as a continuation again.
    let out = "";
    if (k < full.length || k < this.shown.length) {
      if (k > 0 && starts[k].col === 0 && starts[k].row > 0 && full[k - 1] !== "\n") k = prevBoundary(full, k);
      const from = k === 0 ? { row: 0, col: this.startCol } : starts[k];
      out += move(this.termPos, from);
      if (this.shown.length > k) out += "\x1b[J";
      out += writableSlice(full, starts, k, this.columns);
      if (pendingWrap) out += WRAP_NOW;
      this.termPos = starts[full.length];
    }
    const target = starts[prompt.length + view.cursor];
    out += move(this.termPos, target);
    this.termPos = target;
    this.shown = full;
    if (out) this.emit(out);
  }

  /** Moves the cursor after the end of the line (written now, or held back with `defer`). */
  private moveToEnd(defer = false): void {
    const view = this.view();
    if (!view) return;
    const full = stripEscapes(view.prompt) + view.text;
    const end = layout(full, this.startCol, this.columns).starts[full.length];
    const out = move(this.termPos, end);
    this.termPos = end;
    if (defer) this.deferred += out;
    else if (out) this.emit(out);
  }
}

/** Escape sequences that move the cursor from one cell to another on already drawn rows. */
function move(from: Cell, to: Cell): string {
  let out = "";
  if (to.row < from.row) out += `\x1b[${from.row - to.row}A`;
  else if (to.row > from.row) out += `\x1b[${to.row - from.row}B`;
  if (to.col !== from.col) out += to.col === 0 ? "\r" : `\x1b[${to.col + 1}G`;
  return out;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Command output for the terminal: bare line feeds become CR LF. */
export function toTerminal(output: string): string {
  return output.replace(/\r?\n/g, "\r\n");
}

/** The text output leaves on the cursor's row (plain; empty after a final newline). */
function lastRowText(output: string, columns: number): string {
  const cut = Math.max(output.lastIndexOf("\n"), output.lastIndexOf("\r"), output.lastIndexOf("\x1b[H"), output.lastIndexOf("\x1b[2J"));
  let tail = output.slice(cut + 1);
  if (output.startsWith("\x1b[H", cut) || output.startsWith("\x1b[2J", cut)) tail = output.slice(cut).replace(/^\x1b\[(?:H|2J)/, "");
  tail = stripEscapes(tail);
  if (!tail) return "";
  const starts = layout(tail, 0, columns).starts;
  const lastRow = starts[tail.length].row;
  let i = tail.length;
  while (i > 0 && starts[i - 1].row === lastRow) i--;
  return tail.slice(i);
}

/** The index after the character at `i` (a surrogate pair and its combining marks move together). */
function nextBoundary(text: string, i: number): number {
  if (i >= text.length) return text.length;
  let j = i + (text.codePointAt(i)! > 0xffff ? 2 : 1);
  while (j < text.length && text[j] !== "\n" && codePointWidth(text.codePointAt(j)!) === 0 && text[j] !== "\t") j += text.codePointAt(j)! > 0xffff ? 2 : 1;
  return j;
}

/** The index of the character before `i`. */
function prevBoundary(text: string, i: number): number {
  if (i <= 0) return 0;
  let j = i - 1;
  if (j > 0 && isLowSurrogate(text.charCodeAt(j))) j--;
  while (j > 0 && text[j] !== "\n" && text[j] !== "\t" && codePointWidth(text.codePointAt(j)!) === 0) {
    j--;
    if (j > 0 && isLowSurrogate(text.charCodeAt(j))) j--;
  }
  return j;
}

/** readline's backward-word: over non-word characters, then over word characters. */
function wordLeft(text: string, i: number): number {
  while (i > 0 && !isWordChar(text[i - 1])) i--;
  while (i > 0 && isWordChar(text[i - 1])) i--;
  return i;
}

/** readline's forward-word. */
function wordRight(text: string, i: number): number {
  while (i < text.length && !isWordChar(text[i])) i++;
  while (i < text.length && isWordChar(text[i])) i++;
  return i;
}
