import { done, localeQuote, tryHelpText } from "../command-kit";
import type { Command } from "../types";

const UNITS: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600, d: 86400 };

/** `sleep`: advances the virtual clock (nothing real waits). Accepts `1`, `0.5`, `2s`, `1m`. */
export const sleep: Command = {
  name: "sleep",
  summary: "delay for a specified amount of time",
  usage: "sleep NUMBER[SUFFIX]...",
  description: "Pause for NUMBER seconds.  SUFFIX may be 's' for seconds (the default),\n'm' for minutes, 'h' for hours or 'd' for days.",
  spec: { flags: [] },
  run(args, ctx) {
    if (args.operands.length === 0) return done("", `sleep: missing operand\n${tryHelpText("sleep")}`, 1);
    let seconds = 0;
    for (const operand of args.operands) {
      const m = /^(\d+\.?\d*|\.\d+)([smhd]?)$/.exec(operand);
      if (!m) return done("", `sleep: invalid time interval ${localeQuote(operand)}\n${tryHelpText("sleep")}`, 1);
      seconds += Number(m[1]) * UNITS[m[2]];
    }
    ctx.clock.advance(seconds * 1000);
    return done("");
  },
};
