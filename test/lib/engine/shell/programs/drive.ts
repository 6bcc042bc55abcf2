import type { InputResult, RunResult } from "@/lib/engine";
import { VirtualTerminal } from "./vt";

/** The slice of a shell the driver needs (a ShellSession, or the engine's public Shell). */
interface Drivable {
  run(line: string, options?: { elapsedMs?: number }): Promise<RunResult>;
  input(data: string, options?: { elapsedMs?: number }): Promise<InputResult>;
}

/**
 * Runs `line` on a shell as the terminal would and draws everything on a virtual terminal:
 * the line's output, the program's screens as keys go in, and the output after it ended.
 *
 * @example
 * const vi = await drive(sh, "vi /tmp/x");
 * await vi.keys("ihello\x1b:wq\r");
 * vi.result?.exitCode; // 0
 */
export async function drive(sh: Drivable, line: string, options: { elapsedMs?: number; vt?: VirtualTerminal } = {}) {
  const vt = options.vt ?? new VirtualTerminal();
  const started = await sh.run(line, { elapsedMs: options.elapsedMs ?? 0 });
  vt.write(started.output.replace(/\r?\n/g, "\r\n"));
  let result: RunResult | undefined = started.program ? undefined : started;
  let last: InputResult | undefined;
  const bytes: string[] = [started.output, started.program?.screen ?? ""];
  if (started.program) vt.write(started.program.screen);
  return {
    vt,
    started,
    bytes,
    get result() {
      return result;
    },
    get last() {
      return last;
    },
    /** Sends terminal input (one chunk, as one onData) after `elapsedMs` of virtual time. */
    async keys(data: string, elapsedMs = 0): Promise<InputResult> {
      const step = await sh.input(data, { elapsedMs });
      last = step;
      bytes.push(step.screen);
      vt.write(step.screen);
      if (step.result) {
        result = step.result;
        bytes.push(step.result.output);
        vt.write(step.result.output.replace(/\r?\n/g, "\r\n"));
      }
      return step;
    },
    /** The last row (vi's command line, nano's help). */
    get status(): string {
      return vt.lines()[vt.rows - 1];
    },
  };
}
