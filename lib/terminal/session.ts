/**
 * One terminal session: the line editor on a terminal, the engine in its worker, and the
 * session's record in IndexedDB. No DOM and no xterm here — the component hands in a terminal
 * (anything with `write` and `cols`) and the engine (see prepare.ts).
 *
 * @example
 * const engine = claimEngine({ key: "lesson:x", scenario: "single-node", seed: 1 });
 * const session = new TerminalSession({ terminal: term, engine });
 * term.onData((data) => session.input(data));
 * await session.start();
 *
 * A line that starts a full-screen program (vi, nano, watch, kubectl edit) hands the keyboard to
 * it: the line editor waits, raw keys go to the engine as `keys` (recorded in the transcript
 * with their elapsed times, so a reload replays them), the program draws on the alternate
 * screen, and the engine is ticked when the program asks (watch's next run).
 */
import type { Ready, Step } from "./client";
import { LineEditor, toTerminal } from "./line-editor";
import { boundScreen } from "./persistence";
import { mark, type PreparedEngine } from "./prepare";
import { clampElapsed, mightContinue, type ScreenSize, type TranscriptEntry } from "./protocol";

export interface TerminalLike {
  write(data: string): void;
  readonly cols: number;
  /** Rows (xterm has them); full-screen programs draw on cols × rows. Default 24. */
  readonly rows?: number;
}

export type SessionStatus =
  | { state: "booting" }
  | { state: "restoring"; commands: number }
  | { state: "ready"; bootMs: number; restored: number }
  | { state: "running" }
  | { state: "failed"; message: string };

export interface TerminalSessionOptions {
  terminal: TerminalLike;
  /** The engine (prepareEngine/claimEngine): its client, the stored session, the booting cluster. */
  engine: PreparedEngine;
  /** Milliseconds on a monotonic clock (performance.now). */
  now?: () => number;
  onStatus?: (status: SessionStatus) => void;
  /** The prompt changed (ssh to a node, cd…): the pane's title follows the host. */
  onPrompt?: (prompt: string) => void;
  /** A full-screen program (vi, nano, watch) took the keyboard, or gave it back. */
  onProgram?: (running: boolean) => void;
}

const ERROR_STYLE = (text: string) => `\x1b[31m${text}\x1b[0m`;
/** Ticks sooner than this are not worth a round trip. */
const MIN_TICK_MS = 50;
const sameSize = (a: ScreenSize | null, b: ScreenSize) => a !== null && a.rows === b.rows && a.columns === b.columns;

export class TerminalSession {
  private readonly options: TerminalSessionOptions;
  private readonly now: () => number;
  private editor: LineEditor | null = null;
  private entries: TranscriptEntry[] = [];
  private screen = "";
  private prompt = "";
  private lastInputAt = 0;
  /** Bumped by reset, so answers for the old cluster are dropped. */
  private generation = 0;
  private disposed = false;
  /** Text typed (by a code block's button) before the line editor was there. */
  private typeAhead: string | null = null;
  /** A full-screen program has the keyboard. */
  private program = false;
  private tick: ReturnType<typeof setTimeout> | null = null;
  /** The terminal size the transcript last recorded (for replays of program keys). */
  private recordedSize: ScreenSize | null = null;

  constructor(options: TerminalSessionOptions) {
    this.options = options;
    this.now = options.now ?? (() => performance.now());
  }

  /** Restores the stored session (scrollback, then a replay), or boots a fresh cluster. */
  async start(): Promise<void> {
    const { engine } = this.options;
    const saved = await engine.saved;
    this.entries = saved ? [...saved.entries] : [];
    this.screen = saved ? saved.screen : "";
    this.recordedSize = null;
    for (const entry of this.entries) if ("keys" in entry && entry.screen) this.recordedSize = entry.screen;
    this.status(this.entries.length > 0 ? { state: "restoring", commands: this.entries.length } : { state: "booting" });
    const generation = this.generation;
    let ready: Ready;
    try {
      ready = await engine.ready;
    } catch (error) {
      return this.failed(error);
    }
    if (generation !== this.generation || this.disposed) return;
    // Bracketed paste on, then what the learner saw last time.
    this.options.terminal.write("\x1b[?2004h" + this.screen);
    this.attach(ready);
    void this.sendSize();
    mark("prompt");
    this.status({ state: "ready", bootMs: ready.bootMs, restored: ready.replayed });
  }

  /** Terminal input (xterm's onData): the line editor's, or the running program's keys. */
  input(data: string): void {
    if (this.program) {
      void this.sendKeys(data);
      return;
    }
    this.editor?.feed(data);
  }

  /** Whether a full-screen program has the keyboard (then Esc is one of its keys). */
  get programRunning(): boolean {
    return this.program;
  }

  /** Types text into the current line (a lesson's "Run in terminal"). */
  type(text: string): void {
    if (this.editor) this.editor.type(text);
    else this.typeAhead = text;
  }

  /** The terminal's new size: the line editor rewraps; the engine lays out `ls` and programs for it. */
  resize(columns: number, rows?: number): void {
    this.editor?.resize(columns);
    void this.sendSize(columns, rows);
  }

  clearScreen(): void {
    this.editor?.clearScreen();
  }

  /** Whether Esc was used by the editor (to leave reverse search) rather than to leave the terminal. */
  escape(): boolean {
    return this.editor?.leaveSearch() ?? false;
  }

  /** A fresh cluster from the same scenario and seed; the stored session is forgotten. */
  async reset(): Promise<void> {
    this.generation += 1;
    const generation = this.generation;
    this.editor = null;
    this.entries = [];
    this.screen = "";
    // A program's alternate screen goes with its cluster.
    const leave = this.program ? "\x1b[?1049l" : "";
    this.stopProgram();
    this.recordedSize = null;
    await this.options.engine.store.remove(this.options.engine.options.key);
    this.options.terminal.write(leave + "\x1b[H\x1b[2J\x1b[3J");
    this.status({ state: "booting" });
    let ready: Ready;
    try {
      ready = await this.options.engine.client.reset();
    } catch (error) {
      return this.failed(error);
    }
    if (generation !== this.generation || this.disposed) return;
    this.attach(ready);
    this.status({ state: "ready", bootMs: ready.bootMs, restored: 0 });
  }

  dispose(): void {
    this.disposed = true;
    this.editor = null;
    this.stopProgram();
  }

  /** The inputs run so far (for graders and tests). */
  get transcript(): readonly TranscriptEntry[] {
    return this.entries;
  }

  private attach(ready: Ready): void {
    const { terminal } = this.options;
    const generation = this.generation;
    this.prompt = ready.prompt;
    this.options.onPrompt?.(ready.prompt);
    this.lastInputAt = this.now();
    const editor = new LineEditor(
      {
        write: (data) => terminal.write(data),
        submit: (input) => void this.submit(editor, generation, input),
        complete: (line, cursor) => this.options.engine.client.complete(line, cursor),
        // Most lines are plainly complete; only the others ask the engine's parser.
        isIncomplete: (input) => (mightContinue(input) ? this.options.engine.client.isIncomplete(input) : false),
      },
      { columns: terminal.cols, history: this.entries.flatMap((e) => ("line" in e ? [e.line] : [])) },
    );
    this.editor = editor;
    if (ready.program) {
      // The replay ended inside a program (a reload while vi was open): back into it.
      editor.resumeBusy(ready.prompt);
      this.program = true;
      this.options.onProgram?.(true);
      terminal.write(ready.program.screen);
      this.scheduleTick(ready.program.wakeMs);
    } else editor.start(ready.prompt);
    if (this.typeAhead !== null) {
      editor.type(this.typeAhead);
      this.typeAhead = null;
    }
  }

  private async submit(editor: LineEditor, generation: number, input: string): Promise<void> {
    const at = this.now();
    const elapsedMs = clampElapsed(at - this.lastInputAt);
    this.lastInputAt = at;
    const echo = this.prompt + input.split("\n").join("\r\n> ") + "\r\n";
    this.status({ state: "running" });
    // The editor holds the line feed back to show it with the output; show it anyway when the
    // answer takes a while.
    const flush = setTimeout(() => editor.flush(), 60);
    let output: string;
    let prompt = this.prompt;
    let program: { screen: string; wakeMs?: number } | undefined;
    try {
      const result = await this.options.engine.client.run(input, elapsedMs);
      output = result.output;
      prompt = result.prompt;
      program = result.program;
    } catch (error) {
      output = ERROR_STYLE(`netlab: ${error instanceof Error ? error.message : String(error)}`) + "\n";
    }
    clearTimeout(flush);
    if (generation !== this.generation || this.disposed) return;
    this.entries.push({ line: input, elapsedMs });
    this.screen = boundScreen(this.screen + echo + toTerminal(output));
    if (program) {
      // The line started a full-screen program: it has the keyboard until it ends.
      this.program = true;
      this.options.onProgram?.(true);
      editor.suspend(output, program.screen);
      this.scheduleTick(program.wakeMs);
      this.save();
      return;
    }
    if (prompt !== this.prompt) this.options.onPrompt?.(prompt);
    this.prompt = prompt;
    editor.finish(output, prompt);
    this.status({ state: "ready", bootMs: 0, restored: 0 });
    this.save();
  }

  /** Keys (or, with empty data, a tick) for the running program. */
  private async sendKeys(data: string): Promise<void> {
    const generation = this.generation;
    const at = this.now();
    const elapsedMs = clampElapsed(at - this.lastInputAt);
    this.lastInputAt = at;
    this.clearTick();
    const size = this.size();
    let step: Step;
    try {
      step = await this.options.engine.client.keys(data, elapsedMs);
    } catch (error) {
      if (generation !== this.generation || this.disposed) return;
      this.options.terminal.write("\x1b[?1049l");
      this.endProgram({ output: ERROR_STYLE(`netlab: ${error instanceof Error ? error.message : String(error)}`) + "\n", prompt: this.prompt });
      return;
    }
    if (generation !== this.generation || this.disposed) return;
    if (!step.running && !step.result) {
      // The program had ended before these keys reached it: they were typed for the shell.
      if (data !== "") this.editor?.feed(data);
      return;
    }
    const entry: TranscriptEntry = sameSize(this.recordedSize, size) ? { keys: data, elapsedMs } : { keys: data, elapsedMs, screen: size };
    this.recordedSize = size;
    this.entries.push(entry);
    this.options.terminal.write(step.screen);
    if (step.result) this.endProgram(step.result);
    else this.scheduleTick(step.wakeMs);
    this.save();
  }

  /** The program ended and its line with it: the line editor takes the keyboard back. */
  private endProgram(result: { output: string; prompt: string }): void {
    this.stopProgram();
    this.screen = boundScreen(this.screen + toTerminal(result.output));
    if (result.prompt !== this.prompt) this.options.onPrompt?.(result.prompt);
    this.prompt = result.prompt;
    this.editor?.finish(result.output, result.prompt);
    this.status({ state: "ready", bootMs: 0, restored: 0 });
  }

  private stopProgram(): void {
    if (this.program) this.options.onProgram?.(false);
    this.program = false;
    this.clearTick();
  }

  private scheduleTick(wakeMs: number | undefined): void {
    this.clearTick();
    if (wakeMs === undefined || !this.program) return;
    this.tick = setTimeout(() => {
      this.tick = null;
      if (this.program) void this.sendKeys("");
    }, Math.max(MIN_TICK_MS, wakeMs));
  }

  private clearTick(): void {
    if (this.tick !== null) clearTimeout(this.tick);
    this.tick = null;
  }

  private size(columns = this.options.terminal.cols, rows = this.options.terminal.rows): ScreenSize {
    return { rows: Math.max(1, rows ?? 24), columns: Math.max(1, columns) };
  }

  /** Tells the engine the terminal's size; a running program redraws for it. */
  private async sendSize(columns?: number, rows?: number): Promise<void> {
    const generation = this.generation;
    const size = this.size(columns, rows);
    let step: Step;
    try {
      step = await this.options.engine.client.resize(size.rows, size.columns);
    } catch {
      return;
    }
    if (generation !== this.generation || this.disposed) return;
    if (this.program && step.running && step.screen) this.options.terminal.write(step.screen);
  }

  private save(): void {
    const { options, store } = this.options.engine;
    void store.save({
      key: options.key,
      scenario: options.scenario,
      seed: options.seed,
      entries: this.entries,
      screen: this.screen,
      updatedAt: Date.now(),
      version: 1,
    });
  }

  private failed(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.options.terminal.write(ERROR_STYLE(message) + "\r\n");
    this.status({ state: "failed", message });
  }

  private status(status: SessionStatus): void {
    this.options.onStatus?.(status);
  }
}
