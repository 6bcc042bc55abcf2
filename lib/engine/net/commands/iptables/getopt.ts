/**
 * glibc's getopt_long as iptables-save and iptables-restore use it (errors printed by getopt
 * itself, under the program's name): bundled short options, `-tnat` and `-t nat`, long options
 * by unambiguous prefix with `=value` or the next word.
 *
 * @example
 * getopt("iptables-save", ["-c", "--table=nat"], OPTIONS); // { options: [["c"], ["t", "nat"]], operands: [] }
 */

export interface GetoptOption {
  short?: string;
  long?: string;
  /** 0 none, 1 required, 2 optional (attached only). */
  arg: 0 | 1 | 2;
  /** The key the option is reported under. */
  key: string;
}

export type GetoptResult = { options: [string, string | undefined][]; operands: string[] } | { error: string };

export function getopt(program: string, argv: readonly string[], table: readonly GetoptOption[]): GetoptResult {
  const options: [string, string | undefined][] = [];
  const operands: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === "--") {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (word.startsWith("--")) {
      const eq = word.indexOf("=");
      const name = word.slice(2, eq < 0 ? undefined : eq);
      const exact = table.find((o) => o.long === name);
      const prefixed = table.filter((o) => o.long?.startsWith(name));
      const opt = exact ?? (prefixed.length === 1 ? prefixed[0] : undefined);
      if (!opt) {
        if (prefixed.length > 1) return { error: `${program}: option '${word}' is ambiguous; possibilities:${prefixed.map((o) => ` '--${o.long}'`).join("")}\n` };
        return { error: `${program}: unrecognized option '${word}'\n` };
      }
      if (opt.arg === 0 && eq >= 0) return { error: `${program}: option '--${opt.long}' doesn't allow an argument\n` };
      let value = eq < 0 ? undefined : word.slice(eq + 1);
      if (opt.arg === 1 && value === undefined) {
        if (i + 1 >= argv.length) return { error: `${program}: option '--${opt.long}' requires an argument\n` };
        value = argv[++i];
      }
      options.push([opt.key, value]);
      continue;
    }
    if (word.startsWith("-") && word.length > 1) {
      for (let k = 1; k < word.length; k++) {
        const opt = table.find((o) => o.short === word[k]);
        if (!opt) return { error: `${program}: invalid option -- '${word[k]}'\n` };
        if (opt.arg === 0) {
          options.push([opt.key, undefined]);
          continue;
        }
        let value: string | undefined = word.slice(k + 1) || undefined;
        if (value === undefined && opt.arg === 1) {
          if (i + 1 >= argv.length) return { error: `${program}: option requires an argument -- '${word[k]}'\n` };
          value = argv[++i];
        }
        options.push([opt.key, value]);
        break;
      }
      continue;
    }
    operands.push(word);
  }
  return { options, operands };
}
