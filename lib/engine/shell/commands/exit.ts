import { done } from "../command-kit";
import type { Command } from "../types";

/** bash's builtin exit: leave this shell (back to the previous host after `ssh`). */
export const exit: Command = {
  name: "exit",
  summary: "exit the shell",
  usage: "exit [n]",
  description: "Exits the shell with a status of N.  If N is omitted, the exit status\nis that of the last command executed.",
  builtin: true,
  spec: { raw: true, flags: [] },
  run(args, ctx) {
    const [code, extra] = args.operands;
    if (code !== undefined && !/^[+-]?\d+$/.test(code.trim())) {
      ctx.session.exit(2);
      return done("", `bash: exit: ${code}: numeric argument required\n`, 2);
    }
    if (extra !== undefined) return done("", "bash: exit: too many arguments\n", 1);
    const status = code === undefined ? ctx.session.lastStatus : ((Number(code) % 256) + 256) % 256;
    ctx.session.exit(status);
    return done("", "", status);
  },
};
