import { InterruptedError } from "../util/interrupt";
import type { CommandResult, Program, ProgramStep, Screen } from "./types";

/** xterm's alternate screen buffer, which full-screen programs draw on (smcup/rmcup). */
export const ALT_SCREEN_ON = "\x1b[?1049h";
export const ALT_SCREEN_OFF = "\x1b[?1049l";

/** What a shell input writes: both streams, and the two interleaved. */
export interface Written {
  stdout: string;
  stderr: string;
  output: string;
  exitCode: number;
}

/** Where an input stands: waiting in a program for keys, or finished. */
export type Pause<T extends Written> =
  | { kind: "program"; before: Written; screen: string; wakeMs?: number }
  | { kind: "finished"; result: T; screen?: string };

type Event<T> = { kind: "program"; screen: string; wakeMs?: number } | { kind: "finished"; result: T } | { kind: "failed"; error: unknown };

/**
 * Runs full-screen programs inside a session's inputs. An input runs as usual until a command
 * calls `startProgram`; the input then pauses (its command awaits the program) and the session
 * answers with what was written so far and the program's first screen. Keys and ticks go to
 * the program; when a step returns `done`, the command gets that result and the input goes on,
 * to its end or to the next program. All of it is promise-driven with no timers, so the same
 * keys at the same virtual times give the same bytes.
 *
 * @example
 * const host = new ProgramHost();
 * const pause = await host.follow(execute("vi /tmp/x"));   // { kind: "program", screen: "\x1b[?1049h…" }
 * const next = await host.input("ihello\x1b", false, now);  // { kind: "program", screen: "…" }
 */
export class ProgramHost<T extends Written> {
  screen: Screen = { rows: 24, columns: 80 };
  private program: Program | null = null;
  private finish: ((result: CommandResult) => void) | null = null;
  private waiter: ((event: Event<T>) => void) | null = null;
  private readonly pending: Event<T>[] = [];
  private live: Written | null = null;
  private mark = { stdout: 0, stderr: 0, output: 0 };
  private wakeMs: number | undefined;
  /** Resolves once the input being followed has run to its end. */
  settled: Promise<void> = Promise.resolve();

  /** Whether a program waits for keys. */
  get running(): boolean {
    return this.program !== null && this.finish !== null;
  }

  /** The live result an input's commands write into (the session calls this as an input starts). */
  track(result: Written): void {
    this.live = result;
    this.mark = { stdout: 0, stderr: 0, output: 0 };
  }

  /** Follows an input: resolves when it finishes or when it starts a program. */
  follow(execution: Promise<T>): Promise<Pause<T>> {
    this.settled = execution.then(
      (result) => this.settle({ kind: "finished", result }),
      (error: unknown) => this.settle({ kind: "failed", error }),
    );
    return this.next();
  }

  /** `ctx.session.startProgram`: draws the program's first screen and waits for it to end. */
  async start(program: Program): Promise<CommandResult> {
    if (this.program) return { stdout: "", stderr: "bash: a full-screen program is already running\n", exitCode: 1 };
    this.program = program;
    let step: ProgramStep;
    try {
      step = await program.start(this.screen);
    } catch (error) {
      this.program = null;
      throw error;
    }
    if (step.done) {
      this.program = null;
      return step.done;
    }
    const ended = new Promise<CommandResult>((resolve) => (this.finish = resolve));
    this.wakeMs = step.wakeMs;
    this.settle({ kind: "program", screen: ALT_SCREEN_ON + step.output, wakeMs: step.wakeMs });
    return ended;
  }

  /**
   * Gives the running program `data` (after a tick when virtual time passed). When the program
   * ends, the input goes on; the answer is then the next program or the input's end.
   */
  async input(data: string, ticked: boolean, now: number): Promise<Pause<T> | null> {
    const program = this.program;
    if (!program || !this.finish) return null;
    let screen = "";
    let done: CommandResult | undefined;
    const apply = (step: ProgramStep) => {
      screen += step.output;
      done = step.done;
      if (step.wakeMs !== undefined || step.done) this.wakeMs = step.wakeMs;
    };
    try {
      if (ticked && program.tick) apply(await program.tick(now));
      if (!done && data !== "") apply(await program.key(data));
    } catch (error) {
      if (error instanceof InterruptedError) throw error;
      done = { stdout: "", stderr: `internal error: ${error instanceof Error ? error.message : String(error)}\n`, exitCode: 1 };
    }
    if (!done) return { kind: "program", before: this.take(), screen, wakeMs: this.wakeMs };
    return this.end(screen, done);
  }

  /** The terminal changed size: the running program redraws. */
  async resize(screen: Screen): Promise<Pause<T> | null> {
    this.screen = screen;
    const program = this.program;
    if (!program || !this.finish) return null;
    if (!program.resize) return { kind: "program", before: this.take(), screen: "", wakeMs: this.wakeMs };
    const step = await program.resize(screen);
    if (step.wakeMs !== undefined) this.wakeMs = step.wakeMs;
    if (step.done) return this.end(step.output, step.done);
    return { kind: "program", before: this.take(), screen: step.output, wakeMs: this.wakeMs };
  }

  private async end(screen: string, done: CommandResult): Promise<Pause<T>> {
    const finish = this.finish!;
    this.program = null;
    this.finish = null;
    this.wakeMs = undefined;
    finish(done);
    const next = await this.next();
    if (next.kind !== "program") return { ...next, screen: screen + ALT_SCREEN_OFF };
    // Another program in the same input (`vi a; vi b`, kubectl edit reopening the editor):
    // what ran in between shows on the normal screen, as it would.
    const between = next.before.output.replace(/\r?\n/g, "\r\n");
    return { ...next, before: { stdout: "", stderr: "", output: "", exitCode: 0 }, screen: screen + ALT_SCREEN_OFF + between + next.screen };
  }

  private async next(): Promise<Pause<T>> {
    const event = this.pending.shift() ?? (await new Promise<Event<T>>((resolve) => (this.waiter = resolve)));
    if (event.kind === "failed") throw event.error;
    if (event.kind === "finished") return { kind: "finished", result: this.rest(event.result) };
    return { kind: "program", before: this.take(), screen: event.screen, wakeMs: event.wakeMs };
  }

  private settle(event: Event<T>): void {
    const waiter = this.waiter;
    this.waiter = null;
    if (waiter) waiter(event);
    else this.pending.push(event);
  }

  /** What the input wrote since the last pause. */
  private take(): Written {
    const live = this.live ?? { stdout: "", stderr: "", output: "", exitCode: 0 };
    const taken = {
      stdout: live.stdout.slice(this.mark.stdout),
      stderr: live.stderr.slice(this.mark.stderr),
      output: live.output.slice(this.mark.output),
      exitCode: 0,
    };
    this.mark = { stdout: live.stdout.length, stderr: live.stderr.length, output: live.output.length };
    return taken;
  }

  /** The input's result without what earlier pauses already returned. */
  private rest(result: T): T {
    const { stdout, stderr, output } = this.mark;
    if (stdout === 0 && stderr === 0 && output === 0) return result;
    this.mark = { stdout: 0, stderr: 0, output: 0 };
    return { ...result, stdout: result.stdout.slice(stdout), stderr: result.stderr.slice(stderr), output: result.output.slice(output) };
  }
}
