import type { CommandSpec, FlagSpec } from "./types";

/**
 * A command's arguments after option parsing: flags by their spec name, operands in order.
 *
 * @example
 * const args = parseArgs(lsSpec, ["-la", "/tmp"]);
 * if (args.ok) { args.value.has("long"); args.value.operands; } // true, ["/tmp"]
 */
export class ParsedArgs {
  constructor(
    /** The words after the command name, unparsed. */
    readonly argv: readonly string[],
    readonly operands: readonly string[],
    private readonly flags: ReadonlyMap<string, readonly string[]> = new Map(),
  ) {}

  /** Whether the flag was given at least once. */
  has(name: string): boolean {
    return this.flags.has(name);
  }

  /** How many times a flag was given (`-v -v`). */
  count(name: string): number {
    return this.flags.get(name)?.length ?? 0;
  }

  /** The last value of a value flag (last one wins, as with getopt loops). */
  value(name: string): string | undefined {
    return this.flags.get(name)?.at(-1);
  }

  /** Every value of a repeatable value flag, in order (`sed -e a -e b`). */
  values(name: string): readonly string[] {
    return this.flags.get(name) ?? [];
  }
}

/** A usage error in getopt's words, without the program name: "invalid option -- 'z'". */
export type ArgsOutcome = { ok: true; value: ParsedArgs; help: boolean } | { ok: false; error: string; option: string };

const NEGATIVE_NUMBER = /^-\d+(\.\d+)?$/;

/**
 * GNU getopt_long over a {@link CommandSpec}: bundled short flags (`-la`), attached or separate
 * values (`-n5`, `-n 5`, `--lines=5`, `--lines 5`), unambiguous long prefixes (`--al` → `--all`),
 * `--` to end options, operands and options in any order unless `stopAtOperand`. `--help` is
 * always recognised.
 */
export function parseArgs(spec: CommandSpec, argv: readonly string[]): ArgsOutcome {
  if (spec.raw) return { ok: true, value: new ParsedArgs(argv, argv), help: false };
  const flags = new Map<string, string[]>();
  const operands: string[] = [];
  const add = (flag: FlagSpec, value: string) => flags.set(flag.name, [...(flags.get(flag.name) ?? []), value]);
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    const isOption = word.startsWith("-") && word !== "-" && !(spec.negativeNumbers && NEGATIVE_NUMBER.test(word));
    if (word === "--") {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (!isOption) {
      if (spec.stopAtOperand) {
        operands.push(...argv.slice(i));
        break;
      }
      operands.push(word);
      continue;
    }
    if (word.startsWith("--")) {
      const eq = word.indexOf("=");
      const name = word.slice(2, eq < 0 ? undefined : eq);
      const attached = eq < 0 ? undefined : word.slice(eq + 1);
      if ("help".startsWith(name) && !spec.flags.some((f) => f.long?.startsWith(name))) {
        help = true;
        continue;
      }
      const found = findLong(spec.flags, name, word);
      if (typeof found === "string") return { ok: false, error: found, option: word };
      if (!found.value) {
        if (attached !== undefined) return fail(`option '--${found.long}' doesn't allow an argument`, word);
        add(found, "");
      } else if (attached !== undefined) {
        add(found, attached);
      } else if (found.value === "optional") {
        add(found, "");
      } else if (i + 1 < argv.length) {
        add(found, argv[++i]);
      } else {
        return fail(`option '--${found.long}' requires an argument`, word);
      }
      continue;
    }
    if (spec.numericFlag && /^-\d+$/.test(word)) {
      flags.set(spec.numericFlag, [word.slice(1)]);
      continue;
    }
    for (let j = 1; j < word.length; j++) {
      const letter = word[j];
      const flag = spec.flags.find((f) => f.short === letter);
      if (!flag) return fail(`invalid option -- '${letter}'`, `-${letter}`);
      if (!flag.value) {
        add(flag, "");
        continue;
      }
      const rest = word.slice(j + 1);
      if (rest !== "" || flag.value === "optional") add(flag, rest);
      else if (i + 1 < argv.length) add(flag, argv[++i]);
      else return fail(`option requires an argument -- '${letter}'`, `-${letter}`);
      break;
    }
  }
  return { ok: true, value: new ParsedArgs(argv, operands, flags), help };
}

function fail(error: string, option: string): ArgsOutcome {
  return { ok: false, error, option };
}

function findLong(flags: readonly FlagSpec[], name: string, word: string): FlagSpec | string {
  const exact = flags.find((f) => f.long === name);
  if (exact) return exact;
  const prefixed = flags.filter((f) => f.long?.startsWith(name));
  if (prefixed.length === 1) return prefixed[0];
  if (prefixed.length === 0) return `unrecognized option '${word}'`;
  const options = prefixed.map((f) => `'--${f.long}'`).join(" ");
  return `option '--${name}' is ambiguous; possibilities: ${options}`;
}
