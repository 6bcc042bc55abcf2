import type { VirtualClock } from "../util/clock";
import { completeLine, type Completion } from "./complete";
import { commandContext } from "./context";
import { Interpreter } from "./interpreter";
import { CLOSED_SINK, InputStream, type Sink } from "./io";
import { Location } from "./location";
import { ExitSignal, StepLimitError } from "./signals";
import { expandPrompt } from "./prompt";
import { parseInput } from "./syntax/input";
import type { CommandContext, CommandResult, LocationInit } from "./types";

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
}

/** A `run`'s result; `output` interleaves stdout and stderr in the order they were written. */
export interface RunResult extends CommandResult {
  output: string;
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
        location: () => this.location,
        pushLocation: (init) => this.pushLocation(init),
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

  /** Changes the width `ls` lays its columns out for. */
  resize(columns: number): void {
    this.columns = columns;
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
    const next = this.queue.then(() => this.execute(input, options.elapsedMs ?? 0));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async execute(input: string, elapsedMs: number): Promise<RunResult> {
    this.clock.advance(elapsedMs);
    this.ended = false;
    const result: RunResult = { stdout: "", stderr: "", output: "", exitCode: 0 };
    const stdout: Sink = { write: (text) => ((result.stdout += text), (result.output += text)), isTerminal: this.terminal };
    const stderr: Sink = { write: (text) => ((result.stderr += text), (result.output += text)), isTerminal: this.terminal };
    this.record(input);
    const parsed = parseInput(input);
    for (const warning of parsed.warnings) stderr.write(`bash: ${warning}\n`);
    this.interpreter.resetSteps();
    const io = { stdin: new InputStream(""), stdout, stderr };
    for (const statement of parsed.script.body) {
      try {
        await this.interpreter.runStatement(statement, io);
      } catch (error) {
        if (error instanceof ExitSignal) {
          this.interpreter.lastStatus = error.code;
          this.leave(stderr);
          if (this.ended) break;
          continue;
        }
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

  /** `exit`: back to the previous location, or the end of the session at the login one. */
  private leave(stderr: Sink): void {
    const left = this.location;
    if (this.stack.length > 1) this.stack.pop();
    else this.ended = true;
    stderr.write(left.exitMessage);
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
