import { done } from "../command-kit";
import type { Command } from "../types";

/** bash's builtin pwd: the logical directory, or with -P the one with symlinks resolved. */
export const pwd: Command = {
  name: "pwd",
  summary: "print the name of the current working directory",
  usage: "pwd [-LP]",
  builtin: true,
  path: "/usr/bin/pwd",
  spec: {
    flags: [
      { name: "L", short: "L", help: "print the value of $PWD if it names the current working directory" },
      { name: "P", short: "P", help: "print the physical directory, without any symbolic links" },
    ],
  },
  run(args, ctx) {
    return done((args.has("P") ? ctx.fs.realpath(ctx.cwd) : ctx.cwd) + "\n");
  },
};
