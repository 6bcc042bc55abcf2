/**
 * procps-ng 3.3.17's `watch`: the header (`Every 2.0s: COMMAND` on the left, `HOST: ctime` on
 * the right), a blank line, then the command's output (stdout and stderr), wrapped at the
 * screen's width and cut at its height. It runs the command again once the interval has
 * passed after the last run, on the virtual clock: the session ticks it as time passes, and
 * each step says when the next run is due (`wakeMs`). Ctrl-C ends it.
 *
 * @example
 * const watch = new Watch({ title: "kubectl get pods", interval: 2, header: true, host: "controlplane", clock, run });
 * await ctx.session.startProgram(watch);
 */
import type { VirtualClock } from "../../util/clock";
import { strftime } from "../text/time";
import type { CommandResult, Program, ProgramStep, Screen } from "../types";
import { cellWidth, Frame, type Row, splitKeys, textWidth } from "./screen";

export interface WatchOptions {
  /** The command as the header shows it. */
  title: string;
  /** Seconds between runs. */
  interval: number;
  /** False with `-t`. */
  header: boolean;
  host: string;
  clock: VirtualClock;
  /** `-b`: beep when a run fails. */
  beep?: boolean;
  /** `-g`: leave once the output changes. */
  chgexit?: boolean;
  /** `-p`: runs start an interval apart (else an interval after the last one ended). */
  precise?: boolean;
  /** Runs the command once; stdout and stderr together, as watch's pipe collects them. */
  run(): Promise<{ output: string; exitCode: number }>;
}

export class Watch implements Program {
  private screen: Screen = { rows: 24, columns: 80 };
  private readonly frame = new Frame();
  private output = "";
  private shownAt = 0;
  private next = 0;
  private runs = 0;
  private bell = false;
  private changed = false;

  constructor(private readonly options: WatchOptions) {}

  async start(screen: Screen): Promise<ProgramStep> {
    this.screen = screen;
    await this.refresh();
    return this.step();
  }

  async tick(now: number): Promise<ProgramStep> {
    if (now < this.next) return { output: "", wakeMs: this.next - now };
    await this.refresh();
    return this.step();
  }

  key(data: string): ProgramStep {
    if (splitKeys(data).includes("\x03")) return { output: "", done: { stdout: "", stderr: "", exitCode: 0 } satisfies CommandResult };
    return { output: "", wakeMs: Math.max(0, this.next - this.options.clock.now()) };
  }

  resize(screen: Screen): ProgramStep {
    this.screen = screen;
    this.frame.reset();
    return this.step();
  }

  private async refresh(): Promise<void> {
    this.shownAt = this.options.clock.now();
    const { output, exitCode } = await this.options.run();
    if (this.runs > 0 && output !== this.output) this.changed = true;
    this.runs += 1;
    this.output = output;
    this.bell = this.options.beep === true && exitCode !== 0;
    // Without -p the next run is an interval after this one finished, as watch sleeps then.
    const from = this.options.precise ? this.shownAt : this.options.clock.now();
    this.next = from + Math.round(this.options.interval * 1000);
  }

  private step(): ProgramStep {
    if (this.options.chgexit && this.changed) return { output: "", done: { stdout: "", stderr: "", exitCode: 0 } };
    const bell = this.bell ? "\x07" : "";
    this.bell = false;
    return { output: bell + this.draw(), wakeMs: Math.max(0, this.next - this.options.clock.now()) };
  }

  private draw(): string {
    const { rows: height, columns } = this.screen;
    const rows: Row[] = [];
    if (this.options.header) {
      rows.push([{ text: this.header(columns) }], []);
    }
    let cursor = { row: rows.length, col: 0 };
    const lines = this.output.split("\n");
    if (lines.at(-1) === "") lines.pop();
    for (const line of lines) {
      let row = "";
      let width = 0;
      let col = 0;
      for (const ch of line.replace(/\r/g, "")) {
        const chunk = ch === "\t" ? " ".repeat(8 - (col % 8)) : ch.charCodeAt(0) < 32 ? "" : ch;
        for (const c of chunk) {
          const w = cellWidth(c.codePointAt(0)!);
          if (width + w > columns) {
            rows.push([{ text: row }]);
            row = "";
            width = 0;
          }
          row += c;
          width += w;
          col += w;
        }
      }
      rows.push([{ text: row }]);
      cursor = { row: rows.length - 1, col: width };
      if (rows.length >= height) break;
    }
    if (cursor.col >= columns) cursor = { row: cursor.row, col: columns - 1 };
    return this.frame.draw(rows.slice(0, height), { row: Math.min(cursor.row, height - 1), col: cursor.col }, this.screen);
  }

  /** `Every 2.0s: kubectl get pods        controlplane: Mon Jan 12 09:03:12 2026`, clipped as watch clips it. */
  private header(columns: number): string {
    const left = `Every ${this.options.interval.toFixed(1)}s: `;
    const right = `${this.options.host}: ${strftime("%a %b %e %H:%M:%S %Y", this.shownAt)}`;
    // watch counts ctime's newline in the right part's length.
    const rhlen = right.length + 1;
    const hlen = left.length;
    if (columns < rhlen) return "";
    const cells = Array<string>(columns).fill(" ");
    const put = (at: number, text: string) => [...text].forEach((c, i) => at + i >= 0 && at + i < columns && (cells[at + i] = c));
    if (rhlen + hlen + 1 <= columns) {
      put(0, left);
      if (rhlen + hlen + 2 <= columns) {
        const command = this.options.title;
        if (columns < rhlen + hlen + 4) put(columns - rhlen - 4, "... ");
        else if (columns < rhlen + hlen + textWidth(command)) {
          put(hlen, command.slice(0, Math.max(0, columns - rhlen - hlen - 4)));
          put(columns - rhlen - 4, "... ");
        } else put(hlen, command.slice(0, columns - rhlen - hlen));
      }
    }
    put(columns - rhlen + 1, right);
    return cells.join("").replace(/\s+$/, "");
  }
}
