import { done, localeQuote } from "../command-kit";
import type { Command } from "../types";

/** `env`: print the environment, or run a command with changes to it. */
export const env: Command = {
  name: "env",
  summary: "run a program in a modified environment",
  usage: "env [OPTION]... [-] [NAME=VALUE]... [COMMAND [ARG]...]",
  description: "Set each NAME to VALUE in the environment and run COMMAND.",
  spec: {
    stopAtOperand: true,
    usageExitCode: 125,
    flags: [{ name: "unset", short: "u", long: "unset", value: "required", valueName: "NAME", help: "remove variable from the environment" }],
  },
  async run(args, ctx) {
    const operands = [...args.operands];
    const assigned: Record<string, string> = {};
    while (operands.length > 0 && /^[^=]+=/.test(operands[0])) {
      const word = operands.shift() as string;
      const eq = word.indexOf("=");
      assigned[word.slice(0, eq)] = word.slice(eq + 1);
    }
    const removed = new Set(args.values("unset"));
    if (operands.length === 0) {
      const entries = new Map(ctx.env.environment());
      for (const name of removed) entries.delete(name);
      for (const [name, value] of Object.entries(assigned)) entries.set(name, value);
      return done([...entries].map(([name, value]) => `${name}=${value}\n`).join(""));
    }
    const [name, ...rest] = operands;
    if (!ctx.commands.has(name)) return done("", `env: ${localeQuote(name)}: No such file or directory\n`, 127);
    return ctx.exec([name, ...rest], { stdin: ctx.stdin, env: assigned, unset: [...removed] });
  },
};
