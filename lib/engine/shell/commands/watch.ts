import { done } from "../command-kit";
import { Watch } from "../programs/watch";
import type { Command } from "../types";

const USAGE = `
Usage:
 watch [options] command

Options:
  -b, --beep             beep if command has a non-zero exit
  -c, --color            interpret ANSI color and style sequences
  -d, --differences[=<permanent>]
                         highlight changes between updates
  -e, --errexit          exit if command has a non-zero exit
  -g, --chgexit          exit when output from command changes
  -n, --interval <secs>  seconds to wait between updates
  -p, --precise          attempt run command in precise intervals
  -t, --no-title         turn off header
  -x, --exec             pass command to exec instead of "sh -c"

 -h, --help     display this help and exit
 -v, --version  output version information and exit

For more details see watch(1).
`;

const LONG: Record<string, string> = {
  beep: "b", color: "c", differences: "d", errexit: "e", chgexit: "g", interval: "n", precise: "p", "no-title": "t", exec: "x", help: "h", version: "v",
};

/** Options up to the command (getopt with `+`: the first operand starts the command). */
function parseWatchArgs(words: readonly string[], env: string | undefined): { flags: Set<string>; interval: number; command: string[] } | { error: string; code: number; stdout?: boolean } {
  const flags = new Set<string>();
  let interval = 2;
  const acceptInterval = (text: string) => {
    const value = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(text) ? Number(text) : NaN;
    if (!Number.isFinite(value)) return false;
    interval = value;
    return true;
  };
  if (env !== undefined && !acceptInterval(env)) return { error: `watch: Could not parse interval from WATCH_INTERVAL: '${env}'\n`, code: 1 };
  let i = 0;
  for (; i < words.length; i++) {
    const word = words[i];
    if (word === "--") {
      i++;
      break;
    }
    if (!word.startsWith("-") || word === "-") break;
    if (word.startsWith("--")) {
      const [name, attached] = word.slice(2).split(/=(.*)/s);
      const matches = Object.keys(LONG).filter((l) => l.startsWith(name));
      const long = LONG[name] !== undefined ? name : matches.length === 1 ? matches[0] : undefined;
      if (!long) return { error: `watch: ${matches.length > 1 ? "option '" + word + "' is ambiguous" : "unrecognized option '" + word + "'"}\n${USAGE}`, code: 1 };
      const short = LONG[long];
      if (short === "n") {
        const value = attached ?? words[++i];
        if (value === undefined) return { error: `watch: option '--interval' requires an argument\n${USAGE}`, code: 1 };
        if (!acceptInterval(value)) return { error: `watch: failed to parse argument: '${value}'\n`, code: 1 };
      } else flags.add(short);
      continue;
    }
    for (let k = 1; k < word.length; k++) {
      const c = word[k];
      if (c === "n") {
        const value = k + 1 < word.length ? word.slice(k + 1) : words[++i];
        if (value === undefined) return { error: `watch: option requires an argument -- 'n'\n${USAGE}`, code: 1 };
        if (!acceptInterval(value)) return { error: `watch: failed to parse argument: '${value}'\n`, code: 1 };
        break;
      }
      if (!"bcdegptxhv".includes(c)) return { error: `watch: invalid option -- '${c}'\n${USAGE}`, code: 1 };
      flags.add(c);
    }
  }
  return { flags, interval: Math.min(Math.max(interval, 0.1), 4294967295), command: words.slice(i) };
}

/**
 * `watch`: runs a command every N seconds of virtual time, full screen (see programs/watch):
 * `watch -n 5 kubectl get pods`. The command runs with `sh -c` (`-x`: directly); stdout and
 * stderr both show. Ctrl-C leaves. `-g` leaves when the output changes, `-b` beeps on a
 * failing run; `-d` is not built.
 */
export const watch: Command = {
  name: "watch",
  summary: "execute a program periodically, showing output fullscreen",
  usage: "watch [options] command",
  spec: { flags: [], raw: true },
  // The watched command completes as it would on its own line (bash-completion's _command).
  complete(args, ctx, partial) {
    const parsed = parseWatchArgs(args, undefined);
    if ("error" in parsed || parsed.command.length === 0) return ctx.commands.names();
    const [name, ...rest] = parsed.command;
    return ctx.commands.get(name)?.complete?.(rest, ctx, partial);
  },
  async run(args, ctx) {
    const parsed = parseWatchArgs(args.operands, ctx.env.get("WATCH_INTERVAL"));
    if ("error" in parsed) return done("", parsed.error, parsed.code);
    const { flags, interval, command } = parsed;
    if (flags.has("h")) return done(USAGE.slice(1));
    if (flags.has("v")) return done("watch from procps-ng 3.3.17\n");
    if (command.length === 0) return done("", USAGE, 1);
    if (flags.has("d")) return done("", "watch: --differences is not supported here\n", 1);
    if (flags.has("e")) return done("", "watch: --errexit is not supported here\n", 1);
    const title = command.join(" ");
    const program = new Watch({
      title,
      interval,
      header: !flags.has("t"),
      host: ctx.host.name,
      clock: ctx.clock,
      beep: flags.has("b"),
      chgexit: flags.has("g"),
      precise: flags.has("p"),
      async run() {
        const result = flags.has("x") ? await ctx.exec(command) : await ctx.session.runScript(title, "", ctx.env);
        const output = result.chunks ? result.chunks.map((c) => c.text).join("") : result.stdout + result.stderr;
        return { output, exitCode: result.exitCode };
      },
    });
    return ctx.session.startProgram(program);
  },
};
