import { compileRegex, RegexError } from "../text/regex";

/** A script error in GNU sed's words: `-e expression #1, char 5: unterminated \`s' command`. */
export class SedScriptError extends Error {
  constructor(expression: number, char: number, problem: string) {
    super(`-e expression #${expression}, char ${char}: ${problem}`);
    this.name = "SedScriptError";
  }
}

export type SedAddress = { kind: "line"; line: number } | { kind: "last" } | { kind: "regex"; re: RegExp | null };

export interface SedCommand {
  /** Index for the range state of two-address commands. */
  id: number;
  from: SedAddress | null;
  to: SedAddress | null;
  negate: boolean;
  name: string;
  /** `s`: pattern (null: the last regex used), replacement, flags. */
  re?: RegExp | null;
  replacement?: string;
  global?: boolean;
  occurrence?: number;
  print?: boolean;
  /** `a`, `i`, `c` text; `y` source and target; `q`/`Q` exit code. */
  text?: string;
  from2?: string[];
  to2?: string[];
  code?: number;
  block?: SedCommand[];
}

/**
 * Parses GNU sed scripts: addresses (`N`, `$`, `/re/`, `\cREc`, ranges, `!`), and the commands
 * s, y, d, p, q, Q, =, a, i, c and `{…}`, separated by `;` or newlines.
 *
 * @example
 * parseSed(["1d;s/a/b/g"], { extended: false }).map((c) => c.name); // ["d", "s"]
 */
export function parseSed(expressions: readonly string[], options: { extended: boolean }): SedCommand[] {
  let id = 0;
  const all: SedCommand[] = [];
  expressions.forEach((source, index) => {
    const parser = new SedParser(source, index + 1, options.extended, () => id++);
    all.push(...parser.list(false));
  });
  return all;
}

class SedParser {
  private i = 0;

  constructor(
    private readonly src: string,
    private readonly expression: number,
    private readonly extended: boolean,
    private readonly nextId: () => number,
  ) {}

  private fail(problem: string, at = this.i): never {
    throw new SedScriptError(this.expression, Math.max(1, Math.min(at, this.src.length)), problem);
  }

  private skip(chars: string): void {
    while (this.i < this.src.length && chars.includes(this.src[this.i])) this.i++;
  }

  list(inBlock: boolean): SedCommand[] {
    const out: SedCommand[] = [];
    for (;;) {
      this.skip(" \t\n;");
      if (this.i >= this.src.length) {
        if (inBlock) this.fail("unmatched `{'", 0);
        return out;
      }
      if (this.src[this.i] === "#") {
        while (this.i < this.src.length && this.src[this.i] !== "\n") this.i++;
        continue;
      }
      if (this.src[this.i] === "}") {
        if (!inBlock) this.fail("unexpected `}'", this.i + 1);
        this.i++;
        return out;
      }
      out.push(this.command());
    }
  }

  private command(): SedCommand {
    const from = this.address();
    let to: SedAddress | null = null;
    if (from && this.src[this.i] === ",") {
      this.i++;
      to = this.address() ?? this.fail("unexpected `,'");
    }
    this.skip(" \t");
    const negate = this.src[this.i] === "!";
    if (negate) this.i++;
    this.skip(" \t");
    const name = this.src[this.i];
    if (name === undefined) this.fail("missing command");
    this.i++;
    const command: SedCommand = { id: this.nextId(), from, to, negate, name };
    switch (name) {
      case "{":
        command.block = this.list(true);
        return command;
      case "s":
        return this.substitute(command);
      case "y": {
        const delimiter = this.src[this.i++];
        const source = this.until(delimiter, "y");
        const target = this.until(delimiter, "y");
        if ([...source].length !== [...target].length) this.fail("strings for `y' command are different lengths");
        return { ...command, from2: [...source], to2: [...target] };
      }
      case "a":
      case "i":
      case "c": {
        this.skip(" \t");
        if (this.src[this.i] === "\\") this.i++;
        if (this.src[this.i] === "\n") this.i++;
        const end = this.src.indexOf("\n", this.i);
        const text = this.src.slice(this.i, end < 0 ? undefined : end);
        this.i = end < 0 ? this.src.length : end;
        return { ...command, text };
      }
      case "q":
      case "Q": {
        this.skip(" \t");
        const digits = /^\d+/.exec(this.src.slice(this.i))?.[0] ?? "";
        this.i += digits.length;
        return this.end({ ...command, code: Number(digits || "0") });
      }
      case "d":
      case "p":
      case "=":
        return this.end(command);
      default:
        return this.fail(`unknown command: \`${name}'`);
    }
  }

  /** After a command: only blanks, then `;`, a newline, `}` or the end. */
  private end(command: SedCommand): SedCommand {
    this.skip(" \t");
    const c = this.src[this.i];
    if (c !== undefined && c !== ";" && c !== "\n" && c !== "}" && c !== "#") this.fail("extra characters after command", this.i + 1);
    return command;
  }

  private address(): SedAddress | null {
    const c = this.src[this.i];
    if (c === "$") {
      this.i++;
      return { kind: "last" };
    }
    const digits = /^\d+/.exec(this.src.slice(this.i));
    if (digits) {
      this.i += digits[0].length;
      return { kind: "line", line: Number(digits[0]) };
    }
    if (c === "/" || c === "\\") {
      if (c === "\\") this.i++;
      const delimiter = this.src[this.i++];
      const source = this.until(delimiter, "address regex");
      const ignoreCase = this.src[this.i] === "I";
      if (ignoreCase) this.i++;
      return { kind: "regex", re: this.regex(source, ignoreCase, false) };
    }
    return null;
  }

  /** Text up to an unescaped delimiter; `\delim` becomes the delimiter itself. */
  private until(delimiter: string, what: string): string {
    let out = "";
    for (;;) {
      const c = this.src[this.i];
      if (c === undefined || c === "\n") this.fail(what === "s" || what === "y" ? `unterminated \`${what}' command` : `unterminated ${what}`, this.src.length);
      this.i++;
      if (c === delimiter) return out;
      if (c === "\\" && this.src[this.i] === delimiter) {
        out += delimiter;
        this.i++;
      } else if (c === "\\" && this.i < this.src.length) {
        out += c + this.src[this.i++];
      } else out += c;
    }
  }

  private regex(source: string, ignoreCase: boolean, global: boolean): RegExp | null {
    if (source === "") return null;
    try {
      return compileRegex(source, { extended: this.extended, ignoreCase, global });
    } catch (error) {
      if (error instanceof RegexError) this.fail(error.message);
      throw error;
    }
  }

  private substitute(command: SedCommand): SedCommand {
    const delimiter = this.src[this.i++];
    if (delimiter === undefined || delimiter === "\n" || delimiter === "\\") this.fail("unterminated `s' command");
    const pattern = this.until(delimiter, "s");
    const replacement = this.until(delimiter, "s");
    let global = false;
    let ignoreCase = false;
    let print = false;
    let occurrence = 1;
    for (;;) {
      const c = this.src[this.i];
      if (c === "g") global = true;
      else if (c === "i" || c === "I") ignoreCase = true;
      else if (c === "p") print = true;
      else if (c !== undefined && /\d/.test(c)) {
        const digits = /^\d+/.exec(this.src.slice(this.i))?.[0] ?? "1";
        occurrence = Number(digits);
        this.i += digits.length - 1;
      } else break;
      this.i++;
    }
    const after = this.src[this.i];
    if (after !== undefined && !" \t;\n}#".includes(after)) this.fail("unknown option to `s'", this.i + 1);
    this.end(command);
    return { ...command, re: this.regex(pattern, ignoreCase, true), replacement, global, occurrence, print };
  }
}
