import { done } from "../command-kit";
import type { Command } from "../types";

/** bash's builtin history: the numbered list, the last N entries, or -c to clear. */
export const history: Command = {
  name: "history",
  summary: "display or manipulate the history list",
  usage: "history [-c] [-d offset] [n] or history -anrw [filename] or history -ps arg [arg...]",
  description: "Display the history list with line numbers, prefixing each modified\nentry with a `*'.  An argument of N lists only the last N entries.",
  builtin: true,
  spec: { flags: [{ name: "c", short: "c", help: "clear the history list by deleting all of the entries" }] },
  run(args, ctx) {
    if (args.has("c")) {
      ctx.session.clearHistory();
      return done("");
    }
    const entries = ctx.session.history();
    const [count, extra] = args.operands;
    if (extra !== undefined) return done("", "bash: history: too many arguments\n", 1);
    if (count !== undefined && !/^\d+$/.test(count)) return done("", `bash: history: ${count}: numeric argument required\n`, 1);
    const first = count === undefined ? 0 : Math.max(0, entries.length - Number(count));
    return done(entries.slice(first).map((entry, i) => `${String(first + i + 1).padStart(5)}  ${entry}\n`).join(""));
  },
};
