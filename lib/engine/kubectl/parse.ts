/**
 * kubectl's command line, parsed as cobra and spf13/pflag do: the command path is found first
 * (flags may come before the verb), then the verb's flags and the global flags are parsed
 * anywhere between operands. `--flag=value`, `--flag value`, `-n value`, `-nvalue`, `-n=value`,
 * bundled booleans (`-it`), `--bool=false`, `--` ending flags, `_` read as `-` in flag names
 * (kubectl's `WordSepNormalizeFunc`). Errors carry pflag's wording, without cobra's `Error: `.
 *
 * @example
 * const r = parseFlags(["pods", "-n", "kube-system", "-o=wide"], [...getVerb.flags, ...GLOBAL_FLAGS]);
 * if (r.ok) { r.args.operands; r.args.string("namespace"); } // ["pods"], "kube-system"
 */
import type { KubectlArgs, KubectlFlag } from "./types";

/** The parse result: arguments, or pflag's error text (`unknown flag: --foo`). */
export type ParseOutcome = { ok: true; args: ParsedKubectlArgs } | { ok: false; error: string };

/** {@link KubectlArgs} plus whether `-h/--help` was given. */
export class ParsedKubectlArgs implements KubectlArgs {
  constructor(
    readonly operands: readonly string[],
    readonly afterDash: readonly string[],
    private readonly values: ReadonlyMap<string, readonly string[]>,
    private readonly flags: ReadonlyMap<string, KubectlFlag>,
    readonly help: boolean,
  ) {}

  has(flag: string): boolean {
    return this.values.has(flag);
  }

  string(flag: string): string | undefined {
    return this.values.get(flag)?.at(-1) ?? this.flags.get(flag)?.default;
  }

  bool(flag: string): boolean {
    const value = this.string(flag);
    return value !== undefined && parseBool(value) === true;
  }

  int(flag: string): number | undefined {
    const value = this.string(flag);
    return value === undefined ? undefined : parseGoInt(value);
  }

  strings(flag: string): readonly string[] {
    const given = this.values.get(flag);
    if (given) return given;
    const def = this.flags.get(flag)?.default;
    return def === undefined ? [] : splitCSV(def);
  }
}

const TRUE = ["1", "t", "T", "TRUE", "true", "True"];
const FALSE = ["0", "f", "F", "FALSE", "false", "False"];

/** Go's `strconv.ParseBool`. */
export function parseBool(text: string): boolean | undefined {
  if (TRUE.includes(text)) return true;
  if (FALSE.includes(text)) return false;
  return undefined;
}

/** Go's `strconv.ParseInt(s, 0, 64)`: decimal, `0x`, `0o`/`0`, `0b`, optional sign and `_`. */
export function parseGoInt(text: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO]?[0-7_]*|[1-9][0-9_]*)$/.exec(text);
  if (!m || /__|_$/.test(m[2])) return undefined;
  const body = m[2].replace(/_/g, "");
  let value: number;
  if (/^0[xX]/.test(body)) value = parseInt(body.slice(2), 16);
  else if (/^0[bB]/.test(body)) value = parseInt(body.slice(2), 2);
  else if (/^0[oO]/.test(body)) value = parseInt(body.slice(2), 8);
  else if (body.length > 1 && body.startsWith("0")) value = parseInt(body.slice(1), 8);
  else value = parseInt(body, 10);
  return m[1] === "-" ? -value : value;
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's `time.ParseDuration`, in milliseconds (`90s`, `1m30s`, `0`). */
export function parseGoDuration(text: string): number | undefined {
  if (text === "0") return 0;
  const m = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(text);
  if (!m) return undefined;
  let total = 0;
  for (const part of text.slice(m[1].length).matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(part[1]) * DURATION_UNITS[part[2]];
  }
  return m[1] === "-" ? -total : total;
}

/** pflag's stringSlice reads each value as one CSV record (`a,b` → two values). */
function splitCSV(text: string): string[] {
  if (text === "") return [];
  const out: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      out.push(field);
      field = "";
    } else field += c;
  }
  out.push(field);
  return out;
}

/** How pflag names a flag in errors: `-A, --all-namespaces` or `--replicas`. */
export function flagTitle(flag: KubectlFlag): string {
  return flag.short ? `-${flag.short}, --${flag.name}` : `--${flag.name}`;
}

/** Checks a value against the flag's type; returns pflag's error text when it does not parse. */
function checkValue(flag: KubectlFlag, value: string): string | undefined {
  const bad = (why: string) => `invalid argument "${value}" for "${flagTitle(flag)}" flag: ${why}`;
  if (flag.type === "bool" && parseBool(value) === undefined) return bad(`strconv.ParseBool: parsing "${value}": invalid syntax`);
  if (flag.type === "int" && parseGoInt(value) === undefined) return bad(`strconv.ParseInt: parsing "${value}": invalid syntax`);
  if (flag.type === "duration" && parseGoDuration(value) === undefined) return bad(`time: invalid duration "${value}"`);
  return undefined;
}

const HELP_FLAG: KubectlFlag = { name: "help", short: "h", type: "bool", usage: "help" };

/**
 * pflag over `argv` (the words after the command path) with `flags` (the verb's and the
 * global ones). Operands and flags may interleave; `--` ends flags.
 */
export function parseFlags(argv: readonly string[], flags: readonly KubectlFlag[]): ParseOutcome {
  const byName = new Map<string, KubectlFlag>();
  const byShort = new Map<string, KubectlFlag>();
  for (const f of [...flags, HELP_FLAG]) {
    if (!byName.has(f.name)) byName.set(f.name, f);
    if (f.short && !byShort.has(f.short)) byShort.set(f.short, f);
  }
  const values = new Map<string, string[]>();
  const operands: string[] = [];
  let afterDash: string[] = [];
  const set = (flag: KubectlFlag, value: string): string | undefined => {
    const error = checkValue(flag, value);
    if (error) return error;
    const list = values.get(flag.name) ?? [];
    // pflag's slice flags append; every other kind keeps the last value given.
    if (flag.type === "stringSlice") list.push(...splitCSV(value));
    else if (flag.type === "stringArray") list.push(value);
    else list.splice(0, list.length, value);
    values.set(flag.name, list);
    return undefined;
  };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === "--") {
      afterDash = argv.slice(i + 1);
      operands.push(...afterDash);
      break;
    }
    if (!word.startsWith("-") || word === "-") {
      operands.push(word);
      continue;
    }
    if (word.startsWith("--")) {
      const eq = word.indexOf("=");
      const name = word.slice(2, eq < 0 ? undefined : eq).replace(/_/g, "-");
      if (name === "" || name.startsWith("-")) return { ok: false, error: `bad flag syntax: ${word}` };
      const flag = byName.get(name);
      if (!flag) return { ok: false, error: `unknown flag: --${name}` };
      let value: string;
      if (eq >= 0) value = word.slice(eq + 1);
      else if (flag.type === "bool") value = "true";
      else if (flag.noOptDefault !== undefined) value = flag.noOptDefault;
      else if (i + 1 < argv.length) value = argv[++i];
      else return { ok: false, error: `flag needs an argument: --${name}` };
      const error = set(flag, value);
      if (error) return { ok: false, error };
      continue;
    }
    // Shorthand cluster: booleans may bundle (`-it`); a value flag takes the rest or the next word.
    let rest = word.slice(1);
    while (rest.length > 0) {
      const c = rest[0];
      const flag = byShort.get(c);
      if (!flag) return { ok: false, error: `unknown shorthand flag: '${c}' in ${word}` };
      let value: string;
      if (rest.length > 2 && rest[1] === "=") {
        value = rest.slice(2);
        rest = "";
      } else if (flag.type === "bool" || flag.noOptDefault !== undefined) {
        value = flag.type === "bool" ? "true" : flag.noOptDefault!;
        rest = rest.slice(1);
      } else if (rest.length > 1) {
        value = rest.slice(1);
        rest = "";
      } else if (i + 1 < argv.length) {
        value = argv[++i];
        rest = "";
      } else return { ok: false, error: `flag needs an argument: '${c}' in ${word}` };
      const error = set(flag, value);
      if (error) return { ok: false, error };
    }
  }
  const help = values.has("help") && parseBool(values.get("help")!.at(-1)!) === true;
  values.delete("help");
  return { ok: true, args: new ParsedKubectlArgs(operands, afterDash, values, byName, help) };
}

/**
 * Where the non-flag words of `argv` are, skipping flag values the way cobra's `stripFlags`
 * guesses them (a `--flag` or `-f` without `=` that is not boolean swallows the next word).
 * Used to find the command path before the verb's own flags are known.
 */
export function wordIndexes(argv: readonly string[], flags: readonly KubectlFlag[]): number[] {
  const isBool = (name: string, short: boolean) =>
    flags.some((f) => (short ? f.short === name : f.name === name) && (f.type === "bool" || f.noOptDefault !== undefined)) ||
    name === "help" ||
    name === "h";
  const words: number[] = [];
  for (let i = 0; i < argv.length; i++) {
    const s = argv[i];
    if (s === "--") break;
    const long = s.startsWith("--") && !s.includes("=") && !isBool(s.slice(2), false);
    const short = !s.startsWith("--") && s.startsWith("-") && !s.includes("=") && s.length === 2 && !isBool(s.slice(1), true);
    if (long || short) {
      // cobra gives up when at most one word follows: it cannot tell a value from a command.
      if (argv.length - i - 1 <= 1) break;
      i++;
    } else if (s !== "" && !s.startsWith("-")) words.push(i);
  }
  return words;
}

/** The non-flag words of `argv` (see {@link wordIndexes}). */
export function stripFlags(argv: readonly string[], flags: readonly KubectlFlag[]): string[] {
  return wordIndexes(argv, flags).map((i) => argv[i]);
}
