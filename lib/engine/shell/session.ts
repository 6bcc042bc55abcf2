import type { VirtualClock } from "../util/clock";
import { copyGraph } from "../util/graph-copy";
import { InterruptedError, type Interruption } from "../util/interrupt";
import { completeLine, type Completion } from "./complete";
import { commandContext } from "./context";
import { Interpreter } from "./interpreter";
import { CLOSED_SINK, InputStream, type Sink } from "./io";
import { Location } from "./location";
import { ProgramHost, type Pause } from "./program-host";
import { ExitSignal, StepLimitError } from "./signals";
import { expandPrompt } from "./prompt";
import { parseInput } from "./syntax/input";
import type { CommandContext, CommandFollower, CommandResult, LocationInit } from "./types";

export interface SessionOptions {
  clock: VirtualClock;
  /** The login location (a node's root shell, say). */
  location: LocationInit;
  /** Loop iterations allowed per `run` before the input is stopped. Default 10,000. */
  maxSteps?: number;
  /** Terminal width, for `ls` columns. Default 80. */
  columns?: number;
  /** Whether output goes to a terminal (then `ls` prints columns). Default true. */
  terminal?: boolean;
  /**
   * The host's way to stop a long run (see ../util/interrupt.ts): asked every 1,024 commands
   * and loop iterations; once it trips, `run` and `input` reject with InterruptedError.
   */
  interruption?: Interruption;
}

/** A `run`'s result; `output` interleaves stdout and stderr in the order they were written. */
export interface RunResult extends CommandResult {
  output: string;
  /**
   * Set when the input started a full-screen program (vi, nano, watch, kubectl edit) that now
   * waits for keys: `output` is what ran before it, `screen` the program's first drawing (raw
   * terminal bytes, starting with the switch to the alternate screen). Send keys with `input`.
   */
  program?: { screen: string; wakeMs?: number };
}

/** What `input` did while a program ran. */
export interface InputResult {
  /** Raw terminal bytes (the program's drawing; on its end, the switch back to the normal screen). */
  screen: string;
  /** Whether a program still waits for keys (the same one, or the next one the input started). */
  running: boolean;
  /** Virtual milliseconds after which the program wants an `input("")` tick (watch). */
  wakeMs?: number;
  /** The input's result once it has finished; its `output` is what ran after the last program. */
  result?: RunResult;
}

/**
 * An interactive shell session: a stack of locations (login host, then `ssh`/`exec` hops),
 * per-location history, `$?`, the prompt and tab completion. Inputs run one at a time.
 *
 * @example
 * const sh = new ShellSession({ clock, location: { host, fs, commands, ps1: "\\h:\\w$ " } });
 * await sh.run("cd /etc && ls | wc -l", { elapsedMs: 1200 }); // { stdout: "42\n", …, exitCode: 0 }
 * sh.prompt();                 // "controlplane:/etc$ "
 * sh.complete("ls /et", 6);    // { candidates: ["/etc/"], replaceFrom: 3, replaceTo: 6 }
 */
export class ShellSession {
  readonly clock: VirtualClock;
  /** True once `exit` left the login location; later runs start over there. */
  ended = false;
  private readonly stack: Location[];
  private readonly interpreter: Interpreter;
  private readonly terminal: boolean;
  private columns: number;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly programs = new ProgramHost<RunResult>();
  private inputs: Promise<unknown> = Promise.resolve();
  /** What waits for the next command line to have run (`tcpdump`'s report). */
  private followers: CommandFollower[] = [];

  constructor(options: SessionOptions) {
    this.clock = options.clock;
    this.stack = [new Location(options.location)];
    this.terminal = options.terminal ?? true;
    this.columns = options.columns ?? 80;
    const columns = () => this.columns;
    this.interpreter = new Interpreter(
      {
        clock: options.clock,
        get columns() {
          return columns();
        },
        interruption: options.interruption,
        location: () => this.location,
        pushLocation: (init) => this.pushLocation(init),
        startProgram: (program) => this.programs.start(program),
        afterNextCommand: (follower) => void this.followers.push(follower),
        removeLocation: (location) => {
          const index = this.stack.lastIndexOf(location);
          if (index > 0) this.stack.splice(index, 1);
        },
      },
      options.maxSteps ?? 10_000,
    );
  }

  /** Where commands run now (the top of the stack). */
  get location(): Location {
    return this.stack[this.stack.length - 1];
  }

  /** How deep the `ssh`/`exec` hops go (1 at the login shell). */
  get depth(): number {
    return this.stack.length;
  }

  /** `$?` of the last command. */
  get lastStatus(): number {
    return this.interpreter.lastStatus;
  }

  /** Moves the session to a new location (what `ssh` does); `exit` there comes back. */
  pushLocation(init: LocationInit): Location {
    const location = new Location(init);
    this.stack.push(location);
    return location;
  }

  /**
   * Changes the terminal's size: the width `ls` lays its columns out for, and the screen a
   * full-screen program draws on (a running one redraws; the answer carries its bytes).
   */
  resize(columns: number, rows?: number): Promise<InputResult> {
    this.columns = columns;
    const screen = { rows: rows ?? this.programs.screen.rows, columns };
    const next = this.inputs.then(async () => toInput(await this.programs.resize(screen)));
    this.inputs = next.catch(() => undefined);
    return next;
  }

  /** Whether a full-screen program waits for keys. */
  get programRunning(): boolean {
    return this.programs.running;
  }

  /** The location stack, login first. */
  get locations(): readonly Location[] {
    return this.stack;
  }

  /**
   * This session as it stands between inputs, on other wiring (a forked cluster's clock and
   * hosts): what a session that had run the same inputs there would be. `relocate` gives each
   * location's host, file system and commands in the copy; everything else a location holds
   * (directory, variables, options, history) is copied, as are `$?`, the terminal's size and
   * whether the login shell was left. Not while a program runs: its state lives in promises.
   */
  copy(options: Omit<SessionOptions, "location" | "columns" | "terminal">, relocate: (location: Location) => Pick<LocationInit, "host" | "fs" | "commands">): ShellSession {
    if (this.programs.running) throw new Error("a session is copied between inputs, not while a full-screen program runs");
    const init = (from: Location): LocationInit => ({ ...relocate(from), exitMessage: from.exitMessage });
    const copy = new ShellSession({ ...options, location: init(this.stack[0]), columns: this.columns, terminal: this.terminal });
    for (const from of this.stack.slice(1)) copy.pushLocation(init(from));
    this.stack.forEach((from, i) => {
      // Every field but the wiring, so that a field a location gains later is copied too.
      const to = copy.stack[i] as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(from)) if (key !== "host" && key !== "fs" && key !== "commands") to[key] = copyGraph(value);
    });
    copy.ended = this.ended;
    copy.followers = copyGraph(this.followers);
    copy.interpreter.lastStatus = this.interpreter.lastStatus;
    copy.programs.screen = { ...this.programs.screen };
    return copy;
  }

  /**
   * Terminal input for the running full-screen program (keys, escape sequences, pasted text),
   * after advancing the virtual clock by `elapsedMs`; `input("", { elapsedMs })` only lets time
   * pass (a tick, for watch). Without a running program nothing happens (`running: false`).
   */
  input(data: string, options: { elapsedMs?: number } = {}): Promise<InputResult> {
    const next = this.inputs.then(async () => {
      if (!this.programs.running) return { screen: "", running: false };
      const elapsedMs = options.elapsedMs ?? 0;
      this.clock.advance(elapsedMs);
      this.interpreter.resetSteps();
      return toInput(await this.programs.input(data, elapsedMs > 0, this.clock.now()));
    });
    this.inputs = next.catch(() => undefined);
    return next;
  }

  /** The current location's history, oldest first. */
  history(): readonly string[] {
    return this.location.history;
  }

  /** The prompt for the next input, from the location's PS1. */
  prompt(): string {
    return expandPrompt(this.location.vars.get("PS1") ?? "", this.location);
  }

  /** Tab completion for `line` with the cursor at `cursor`. */
  complete(line: string, cursor: number): Completion {
    return completeLine(line, cursor, this.location, this.context());
  }

  /**
   * Runs one input (one or more lines, e.g. a pasted here-document) after advancing the
   * virtual clock by `elapsedMs` (the time the learner spent typing it).
   */
  run(input: string, options: { elapsedMs?: number } = {}): Promise<RunResult> {
    if (this.programs.running) {
      const message = "bash: a full-screen program is running: send it keys with input()\n";
      return Promise.resolve({ stdout: "", stderr: message, output: message, exitCode: 1 });
    }
    const next = this.queue.then(async () => {
      const pause = await this.programs.follow(this.execute(input, options.elapsedMs ?? 0));
      if (pause.kind === "finished") return pause.result;
      return { ...pause.before, program: { screen: pause.screen, wakeMs: pause.wakeMs } };
    });
    // The next input waits for this one to end, programs and all.
    this.queue = next.then(
      () => this.programs.settled,
      () => undefined,
    );
    return next;
  }

  private async execute(input: string, elapsedMs: number): Promise<RunResult> {
    this.clock.advance(elapsedMs);
    this.ended = false;
    const result: RunResult = { stdout: "", stderr: "", output: "", exitCode: 0 };
    this.programs.track(result);
    const stdout: Sink = { write: (text) => ((result.stdout += text), (result.output += text)), isTerminal: this.terminal };
    const stderr: Sink = { write: (text) => ((result.stderr += text), (result.output += text)), isTerminal: this.terminal };
    this.record(input);
    const parsed = parseInput(input);
    for (const warning of parsed.warnings) stderr.write(`bash: ${warning}\n`);
    this.interpreter.resetSteps();
    const io = { stdin: new InputStream(""), stdout, stderr };
    for (const statement of parsed.script.body) {
      // Followers registered before this line run after it; those it registers wait for the next.
      const due = this.followers.splice(0);
      try {
        await this.interpreter.runStatement(statement, io);
        this.follow(due, { stdout, stderr });
      } catch (error) {
        if (error instanceof ExitSignal) {
          this.interpreter.lastStatus = error.code;
          this.follow(due, { stdout, stderr });
          await this.leave({ stdout, stderr }, error);
          if (this.ended) break;
          continue;
        }
        if (error instanceof InterruptedError) throw error;
        const message = error instanceof Error ? error.message : String(error);
        stderr.write(error instanceof StepLimitError ? `bash: ${message}\n` : `bash: internal error: ${message}\n`);
        this.interpreter.lastStatus = 1;
        return { ...result, exitCode: 1 };
      }
    }
    if (parsed.error && !this.ended) {
      stderr.write(`bash: ${parsed.error.message}\n`);
      this.interpreter.lastStatus = 2;
    }
    return { ...result, exitCode: this.interpreter.lastStatus };
  }

  /**
   * `exit`: back to the previous location, or the end of the session at the login one. What was
   * attached to the location left (`kubectl run -it`) finishes then, and its status becomes `$?`.
   */
  private async leave(io: { stdout: Sink; stderr: Sink }, exit: ExitSignal): Promise<void> {
    const left = this.location;
    if (this.stack.length > 1) this.stack.pop();
    else this.ended = true;
    io.stderr.write(exit.message ?? left.exitMessage);
    if (!left.onExit) return;
    const finished = await left.onExit.left(exit.code);
    for (const chunk of finished.chunks ?? [{ fd: 1, text: finished.stdout }, { fd: 2, text: finished.stderr }]) (chunk.fd === 1 ? io.stdout : io.stderr).write(chunk.text);
    this.interpreter.lastStatus = finished.exitCode;
  }

  /** Runs the followers that waited for this line, writing what they return after its output. */
  private follow(due: readonly CommandFollower[], io: { stdout: Sink; stderr: Sink }): void {
    if (due.length === 0) return;
    const ctx = commandContext(this.location, { io: { stdin: new InputStream(""), stdout: io.stdout, stderr: io.stderr }, env: this.location.vars, clock: this.clock, columns: this.columns, control: this.interpreter.control, exec: async ([name]) => ({ stdout: "", stderr: `${name}: cannot run here\n`, exitCode: 126 }) });
    for (const follower of due) {
      const r = follower.follow(ctx);
      for (const chunk of r.chunks ?? [{ fd: 1, text: r.stdout }, { fd: 2, text: r.stderr }]) (chunk.fd === 1 ? io.stdout : io.stderr).write(chunk.text);
    }
  }

  /** Adds to history as bash with HISTCONTROL=ignoreboth: no blank, space-led or repeated lines. */
  private record(input: string): void {
    const entry = input.replace(/\n+$/, "");
    const history = this.location.history;
    if (entry.trim() === "" || /^\s/.test(entry) || history.at(-1) === entry) return;
    history.push(entry);
  }

  /** A context for command completers: no input, output dropped, and nothing they can run. */
  private context(): CommandContext {
    return commandContext(this.location, {
      io: { stdin: new InputStream(""), stdout: CLOSED_SINK, stderr: CLOSED_SINK },
      env: this.location.vars,
      clock: this.clock,
      columns: this.columns,
      control: this.interpreter.control,
      exec: async ([name]) => ({ stdout: "", stderr: `${name}: cannot run while completing\n`, exitCode: 126 }),
    });
  }
}

/** A program host's pause as `input` answers it. */
function toInput(pause: Pause<RunResult> | null): InputResult {
  if (!pause) return { screen: "", running: false };
  if (pause.kind === "finished") return { screen: pause.screen ?? "", running: false, result: pause.result };
  return { screen: pause.screen, running: true, ...(pause.wakeMs !== undefined ? { wakeMs: pause.wakeMs } : {}) };
}
