/**
 * OpenSSL 3.0's option parsing (apps/lib/opt.c) for one subcommand: single-dash options (a
 * double dash works too), values in the next word, and its two errors —
 * `x509: Unknown option: -foo` and `x509: Option -in needs a value` — each followed by
 * `x509: Use -help for summary.` (exit code 1). Options are kept in order: x509 prints in
 * the order they were given.
 *
 * @example
 * parseOptions("x509", ["-in", "ca.crt", "-noout", "-text"], { in: "value", noout: "flag", text: "flag" });
 * // { ok: true, options: [["in","ca.crt"],["noout",""],["text",""]], rest: [] }
 */
export type OptionKind = "flag" | "value";

export type Parsed = { ok: true; options: [string, string][]; rest: string[] } | { ok: false; stderr: string };

export function parseOptions(prog: string, args: readonly string[], table: Record<string, OptionKind>): Parsed {
  const options: [string, string][] = [];
  const rest: string[] = [];
  const fail = (message: string): Parsed => ({ ok: false, stderr: `${message}${prog}: Use -help for summary.\n` });
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    if (!word.startsWith("-") || word === "-" || rest.length) {
      rest.push(word);
      continue;
    }
    const name = word.replace(/^--?/, "");
    const kind = table[name];
    if (!kind) return fail(`${prog}: Unknown option: ${word}\n`);
    if (kind === "flag") {
      options.push([name, ""]);
      continue;
    }
    if (i + 1 >= args.length) return fail(`${prog}: Option ${word} needs a value\n`);
    options.push([name, args[++i]]);
  }
  return { ok: true, options, rest };
}

/** The last value given for `name`. */
export const valueOf = (options: readonly [string, string][], name: string): string | undefined => options.filter(([n]) => n === name).pop()?.[1];
export const has = (options: readonly [string, string][], name: string): boolean => options.some(([n]) => n === name);
