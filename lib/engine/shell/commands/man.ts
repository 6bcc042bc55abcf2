import { done } from "../command-kit";
import { renderManPage } from "../help";
import type { Command } from "../types";

/** `man`: manual pages rendered from each command's spec; builtins have none, as on Ubuntu. */
export const man: Command = {
  name: "man",
  summary: "an interface to the system reference manuals",
  usage: "man [OPTION...] [SECTION] PAGE...",
  description: "man is the system's manual pager. Each page argument given to man is\nnormally the name of a program, utility or function.",
  spec: { flags: [] },
  run(args, ctx) {
    const pages = args.operands.filter((p) => !/^\d$/.test(p));
    if (pages.length === 0) return done("", "What manual page do you want?\nFor example, try 'man man'.\n", 1);
    let stdout = "";
    let stderr = "";
    for (const page of pages) {
      const command = ctx.commands.get(page);
      if (!command || command.builtin) stderr += `No manual entry for ${page}\n`;
      else stdout += renderManPage(command);
    }
    return done(stdout, stderr, stderr === "" ? 0 : 16);
  },
  complete: (_args, ctx) => ctx.commands.names().filter((n) => !ctx.commands.get(n)?.builtin),
};
