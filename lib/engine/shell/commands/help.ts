import { done } from "../command-kit";
import { renderHelp } from "../help";
import type { Command } from "../types";

/** bash's builtin help: the help text of builtins (other commands have `--help` and `man`). */
export const help: Command = {
  name: "help",
  summary: "display information about builtin commands",
  usage: "help [-s] [pattern ...]",
  description: "Displays brief summaries of builtin commands.",
  builtin: true,
  spec: { flags: [{ name: "s", short: "s", help: "output only a short usage synopsis for each topic matching PATTERN" }] },
  run(args, ctx) {
    const builtins = ctx.commands.names().flatMap((n) => {
      const command = ctx.commands.get(n);
      return command?.builtin ? [command] : [];
    });
    if (args.operands.length === 0) {
      const head = "These shell commands are defined internally.  Type `help' to see this list.\nType `help name' to find out more about the function `name'.\n\n";
      return done(head + builtins.map((c) => ` ${c.usage}\n`).join(""));
    }
    let stdout = "";
    let stderr = "";
    for (const topic of args.operands) {
      const command = builtins.find((c) => c.name === topic);
      if (!command) stderr += `bash: help: no help topics match \`${topic}'.  Try \`help help' or \`man -k ${topic}' or \`info ${topic}'.\n`;
      else stdout += args.has("s") ? `${command.name}: ${command.usage}\n` : renderHelp(command);
    }
    return done(stdout, stderr, stderr === "" ? 0 : 1);
  },
};
