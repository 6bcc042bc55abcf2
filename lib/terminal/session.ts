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
 */
import type { Ready } from "./client";
import { LineEditor, toTerminal } from "./line-editor";
import { boundScreen } from "./persistence";
import { mark, type PreparedEngine } from "./prepare";
import { clampElapsed, mightContinue, type TranscriptEntry } from "./protocol";

export interface TerminalLike {
  write(data: string): void;
  readonly cols: number;
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
}

const ERROR_STYLE = (text: string) => `\x1b[31m${text}\x1b[0m`;

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
    mark("prompt");
    this.status({ state: "ready", bootMs: ready.bootMs, restored: ready.replayed });
  }

  /** Terminal input (xterm's onData). */
  input(data: string): void {
    this.editor?.feed(data);
  }

  /** Types text into the current line (a lesson's "Run in terminal"). */
  type(text: string): void {
    if (this.editor) this.editor.type(text);
    else this.typeAhead = text;
  }

  resize(columns: number): void {
    this.editor?.resize(columns);
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
    await this.options.engine.store.remove(this.options.engine.options.key);
    this.options.terminal.write("\x1b[H\x1b[2J\x1b[3J");
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
      { columns: terminal.cols, history: this.entries.map((e) => e.line) },
    );
    this.editor = editor;
    editor.start(ready.prompt);
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
    try {
      const result = await this.options.engine.client.run(input, elapsedMs);
      output = result.output;
      prompt = result.prompt;
    } catch (error) {
      output = ERROR_STYLE(`netlab: ${error instanceof Error ? error.message : String(error)}`) + "\n";
    }
    clearTimeout(flush);
    if (generation !== this.generation || this.disposed) return;
    this.entries.push({ line: input, elapsedMs });
    this.screen = boundScreen(this.screen + echo + toTerminal(output));
    if (prompt !== this.prompt) this.options.onPrompt?.(prompt);
    this.prompt = prompt;
    editor.finish(output, prompt);
    this.status({ state: "ready", bootMs: 0, restored: 0 });
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
