import { done } from "../command-kit";
import { commandPath } from "../resolve";
import type { Command } from "../types";

/** `which`: where each command lives; builtins without a file are not found (exit 1). */
export const which: Command = {
  name: "which",
  summary: "locate a command",
  usage: "which [-a] filename ...",
  description: "which returns the pathnames of the files (or links) which would be executed\nin the current environment.",
  spec: { flags: [{ name: "all", short: "a", help: "print all matching pathnames of each argument" }] },
  run(args, ctx) {
    let stdout = "";
    let missing = false;
    for (const name of args.operands) {
      const command = ctx.commands.get(name);
      if (command && (!command.builtin || command.path)) stdout += commandPath(command) + "\n";
      else missing = true;
    }
    return done(stdout, "", missing || args.operands.length === 0 ? 1 : 0);
  },
  complete: (_args, ctx) => ctx.commands.names(),
};
