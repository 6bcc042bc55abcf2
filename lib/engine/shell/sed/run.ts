import type { SedAddress, SedCommand } from "./parse";

/** A line with whether it ended in a newline (GNU sed keeps a missing final newline missing). */
interface Line {
  text: string;
  newline: boolean;
}

class StopLine {}
class Quit {
  constructor(
    readonly code: number,
    readonly print: boolean,
  ) {}
}

function lines(text: string): Line[] {
  return (text.match(/[^\n]*\n|[^\n]+$/g) ?? []).map((l) => ({ text: l.replace(/\n$/, ""), newline: l.endsWith("\n") }));
}

/** A failure while running a script, e.g. `//` before any regex was used. */
export class SedRuntimeError extends Error {}

/** `&`, `\1`…`\9`, `\n`, `\t` and escaped characters in an `s` replacement. */
function expandReplacement(replacement: string, match: RegExpExecArray): string {
  return replacement.replace(/\\([0-9nt&\\])|\\(.)|&/g, (token, escaped: string | undefined, other: string | undefined) => {
    if (token === "&") return match[0];
    if (other !== undefined) return other;
    if (escaped === "n") return "\n";
    if (escaped === "t") return "\t";
    if (/\d/.test(escaped ?? "")) return match[Number(escaped)] ?? "";
    return escaped ?? "";
  });
}

/**
 * Runs parsed sed commands over one stream of lines. `quiet` is -n. Returns the output, and
 * the exit code of a `q`/`Q` if one ran (which ends all input).
 *
 * @example
 * new SedRunner(parseSed(["s/a/b/"], opts), false).run("a\n"); // { output: "b\n", quit: null }
 */
export class SedRunner {
  private readonly ranges = new Set<number>();
  private lastRegex: RegExp | null = null;
  private output = "";
  private lineNumber = 0;
  private last = false;
  private space = "";
  private appended: string[] = [];

  constructor(
    private readonly commands: readonly SedCommand[],
    private readonly quiet: boolean,
  ) {}

  run(text: string): { output: string; quit: number | null } {
    this.output = "";
    this.lineNumber = 0;
    const all = lines(text);
    for (const [index, line] of all.entries()) {
      this.lineNumber++;
      this.last = index === all.length - 1;
      this.space = line.text;
      this.appended = [];
      const ending = line.newline ? "\n" : "";
      try {
        this.execute(this.commands);
        if (!this.quiet) this.output += this.space + ending;
      } catch (signal) {
        if (signal instanceof Quit) {
          if (signal.print && !this.quiet) this.output += this.space + ending;
          this.flushAppended();
          return { output: this.output, quit: signal.code };
        }
        if (!(signal instanceof StopLine)) throw signal;
      }
      this.flushAppended();
    }
    return { output: this.output, quit: null };
  }

  private flushAppended(): void {
    for (const text of this.appended) this.output += text + "\n";
  }

  private regex(re: RegExp | null): RegExp {
    const chosen = re ?? this.lastRegex;
    if (!chosen) throw new SedRuntimeError("no previous regular expression");
    this.lastRegex = chosen;
    return chosen;
  }

  private matchesAddress(address: SedAddress): boolean {
    if (address.kind === "last") return this.last;
    if (address.kind === "line") return this.lineNumber === address.line;
    const re = this.regex(address.re);
    re.lastIndex = 0;
    return re.test(this.space);
  }

  /** Whether a command applies to this line, keeping the state of two-address ranges. */
  private selected(command: SedCommand): boolean {
    let hit: boolean;
    if (!command.from) hit = true;
    else if (!command.to) hit = this.matchesAddress(command.from);
    else if (this.ranges.has(command.id)) {
      hit = true;
      const to = command.to;
      if (to.kind === "line" ? this.lineNumber >= to.line : this.matchesAddress(to)) this.ranges.delete(command.id);
    } else {
      hit = this.matchesAddress(command.from);
      const to = command.to;
      const ended = to.kind === "line" ? to.line <= this.lineNumber : to.kind === "last" && this.last;
      if (hit && !ended) this.ranges.add(command.id);
    }
    return hit !== command.negate;
  }

  private execute(commands: readonly SedCommand[]): void {
    for (const command of commands) {
      if (!this.selected(command)) continue;
      switch (command.name) {
        case "{":
          this.execute(command.block ?? []);
          break;
        case "s":
          this.substitute(command);
          break;
        case "y":
          this.space = [...this.space].map((c) => {
            const at = command.from2?.indexOf(c) ?? -1;
            return at < 0 ? c : (command.to2?.[at] ?? c);
          }).join("");
          break;
        case "d":
          throw new StopLine();
        case "p":
          this.output += this.space + "\n";
          break;
        case "=":
          this.output += `${this.lineNumber}\n`;
          break;
        case "a":
          this.appended.push(command.text ?? "");
          break;
        case "i":
          this.output += (command.text ?? "") + "\n";
          break;
        case "c":
          if (!command.to || !this.ranges.has(command.id)) this.output += (command.text ?? "") + "\n";
          throw new StopLine();
        case "q":
          throw new Quit(command.code ?? 0, true);
        case "Q":
          throw new Quit(command.code ?? 0, false);
      }
    }
  }

  private substitute(command: SedCommand): void {
    const re = this.regex(command.re ?? null);
    const pattern = new RegExp(re.source, re.flags.includes("g") ? re.flags : re.flags + "g");
    const occurrence = command.occurrence ?? 1;
    let out = "";
    let copied = 0;
    let count = 0;
    for (let m = pattern.exec(this.space); m; m = pattern.exec(this.space)) {
      // An empty match right where the previous match ended does not count (GNU, POSIX).
      if (m[0] === "" && m.index === copied && count > 0) {
        pattern.lastIndex++;
        continue;
      }
      count++;
      if (count >= occurrence) {
        out += this.space.slice(copied, m.index) + expandReplacement(command.replacement ?? "", m);
        copied = m.index + m[0].length;
        if (!command.global) break;
      }
      if (m[0] === "") pattern.lastIndex++;
    }
    if (count < occurrence) return;
    this.space = out + this.space.slice(copied);
    if (command.print) this.output += this.space + "\n";
  }
}
