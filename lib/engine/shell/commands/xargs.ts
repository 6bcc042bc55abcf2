import type { ParsedArgs } from "../args";
import { done, localeQuote } from "../command-kit";
import type { Command, CommandContext, CommandResult } from "../types";

/** Items from input: blank-separated words with quotes and backslashes, as xargs reads them. */
function words(text: string): string[] | string {
  const out: string[] = [];
  const re = /(?:[^\s'"\\]+|'[^'\n]*'|"[^"\n]*"|\\.)+|['"]/gs;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0] === "'" || m[0] === '"') return `unmatched ${m[0] === "'" ? "single" : "double"} quote; by default quotes are special to xargs unless you use the -0 option`;
    out.push(m[0].replace(/'([^']*)'|"([^"]*)"|\\(.)/gs, (_, a, b, c) => a ?? b ?? c));
  }
  return out;
}

function batches(args: ParsedArgs, text: string): string[][] | string {
  const replace = args.value("replace");
  if (replace !== undefined) return text.split("\n").map((l) => l.trimStart()).filter((l) => l !== "").map((l) => [l]);
  const items = args.has("null") ? text.split("\0").filter((w) => w !== "") : words(text);
  if (typeof items === "string") return items;
  const size = Number(args.value("max-args") ?? "0");
  if (size <= 0) return [items];
  const out: string[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `xargs`: run a command (echo by default) with arguments read from standard input. */
export const xargs: Command = {
  name: "xargs",
  summary: "build and execute command lines from standard input",
  usage: "xargs [OPTION]... COMMAND [INITIAL-ARGS]...",
  description: "Run COMMAND with arguments INITIAL-ARGS and more arguments read from input.",
  spec: {
    stopAtOperand: true,
    flags: [
      { name: "null", short: "0", long: "null", help: "items are separated by a null, not whitespace" },
      { name: "replace", short: "I", value: "required", valueName: "R", help: "replace R in INITIAL-ARGS with names read from standard input" },
      { name: "max-args", short: "n", long: "max-args", value: "required", valueName: "MAX-ARGS", help: "use at most MAX-ARGS arguments per command line" },
      { name: "no-run-if-empty", short: "r", long: "no-run-if-empty", help: "if there are no arguments, then do not run COMMAND" },
      { name: "verbose", short: "t", long: "verbose", help: "print commands before executing them" },
    ],
  },
  async run(args, ctx) {
    const [name = "echo", ...initial] = args.operands;
    const maxArgs = args.value("max-args");
    if (maxArgs !== undefined && !/^\d+$/.test(maxArgs)) return done("", `xargs: invalid number ${localeQuote(maxArgs)} for -n option\n`, 1);
    const groups = batches(args, ctx.stdin);
    if (typeof groups === "string") return done("", `xargs: ${groups}\n`, 1);
    const runs = groups.filter((g) => g.length > 0);
    if (runs.length === 0 && !args.has("no-run-if-empty") && args.value("replace") === undefined) runs.push([]);
    if (runs.length > 0 && !ctx.commands.has(name)) return done("", `xargs: ${name}: No such file or directory\n`, 127);
    return invoke(ctx, name, initial, runs, args);
  },
};

async function invoke(ctx: CommandContext, name: string, initial: string[], runs: string[][], args: ParsedArgs): Promise<CommandResult> {
  const replace = args.value("replace");
  let stdout = "";
  let stderr = "";
  let exitCode = 0;
  for (const items of runs) {
    const argv = replace !== undefined ? [name, ...initial.map((a) => a.split(replace).join(items[0]))] : [name, ...initial, ...items];
    if (args.has("verbose")) stderr += argv.join(" ") + "\n";
    const result = await ctx.exec(argv);
    stdout += result.stdout;
    stderr += result.stderr;
    if (result.exitCode === 255) return done(stdout, stderr + `xargs: ${name}: exited with status 255; aborting\n`, 124);
    if (result.exitCode !== 0) exitCode = 123;
  }
  return done(stdout, stderr, exitCode);
}
