import { done } from "../command-kit";
import type { Command, ShellOption } from "../types";

const USAGE = "set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]";
const LETTERS: Record<string, ShellOption> = { e: "errexit", u: "nounset", x: "xtrace" };
const NAMES: readonly ShellOption[] = ["errexit", "nounset", "pipefail", "xtrace"];

/** How `set` prints a value: bare when safe, otherwise single-quoted. */
function quoted(value: string): string {
  return /^[A-Za-z0-9_.\/:=@%+,-]*$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

/** bash's builtin set, for the options this shell implements: -e, -u, -x, -o pipefail. */
export const set: Command = {
  name: "set",
  summary: "set or unset values of shell options and positional parameters",
  usage: USAGE,
  description: "Change the value of shell attributes. With no arguments, print the shell variables.",
  builtin: true,
  spec: {
    raw: true,
    flags: [
      { name: "e", short: "e", help: "Exit immediately if a command exits with a non-zero status." },
      { name: "u", short: "u", help: "Treat unset variables as an error when substituting." },
      { name: "x", short: "x", help: "Print commands and their arguments as they are executed." },
      { name: "o", short: "o", value: "required", valueName: "option-name", help: "Set the variable corresponding to option-name (errexit, nounset, pipefail, xtrace)" },
    ],
  },
  run(args, ctx) {
    const options = ctx.session.options;
    const words = [...args.operands];
    if (words.length === 0) {
      return done(ctx.env.names().map((name) => `${name}=${quoted(ctx.env.get(name) ?? "")}\n`).join(""));
    }
    while (words.length > 0) {
      const word = words.shift() as string;
      if (word === "--" || word === "-") {
        if (words.length > 0) return done("", "bash: set: positional parameters are not supported by this shell\n", 1);
        break;
      }
      if (!/^[-+]/.test(word)) return done("", "bash: set: positional parameters are not supported by this shell\n", 1);
      const enable = word.startsWith("-");
      for (const letter of word.slice(1)) {
        if (letter === "o") {
          const name = words.shift();
          if (name === undefined) {
            const listing = NAMES.map((n) => (enable ? `${n.padEnd(15)}\t${options.has(n) ? "on" : "off"}` : `set ${options.has(n) ? "-" : "+"}o ${n}`));
            return done(listing.join("\n") + "\n");
          }
          if (!NAMES.includes(name as ShellOption)) return done("", `bash: set: ${name}: invalid option name\n`, 1);
          if (enable) options.add(name as ShellOption);
          else options.delete(name as ShellOption);
          continue;
        }
        const option = LETTERS[letter];
        if (!option) return done("", `bash: set: ${word[0]}${letter}: invalid option\nset: usage: ${USAGE}\n`, 2);
        if (enable) options.add(option);
        else options.delete(option);
      }
    }
    return done("");
  },
};
