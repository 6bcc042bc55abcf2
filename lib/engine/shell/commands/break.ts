import { done } from "../command-kit";
import type { Command, CommandContext, CommandResult } from "../types";

function loopControl(kind: "break" | "continue", operands: readonly string[], ctx: CommandContext): CommandResult {
  const [count = "1"] = operands;
  if (!/^-?\d+$/.test(count)) return done("", `bash: ${kind}: ${count}: numeric argument required\n`, 128);
  if (Number(count) < 1) return done("", `bash: ${kind}: ${count}: loop count out of range\n`, 1);
  if (!ctx.session.loopControl(kind, Number(count))) {
    return done("", `bash: ${kind}: only meaningful in a \`for', \`while', or \`until' loop\n`, 0);
  }
  return done("");
}

/** bash's builtin break. */
export const breakCommand: Command = {
  name: "break",
  summary: "exit for, while, or until loops",
  usage: "break [n]",
  description: "Exit a FOR, WHILE or UNTIL loop.  If N is specified, break N enclosing\nloops.",
  builtin: true,
  spec: { raw: true, flags: [] },
  run: (args, ctx) => loopControl("break", args.operands, ctx),
};

/** bash's builtin continue. */
export const continueCommand: Command = {
  name: "continue",
  summary: "resume for, while, or until loops",
  usage: "continue [n]",
  description: "Resumes the next iteration of the enclosing FOR, WHILE or UNTIL loop.\nIf N is specified, resumes the Nth enclosing loop.",
  builtin: true,
  spec: { raw: true, flags: [] },
  run: (args, ctx) => loopControl("continue", args.operands, ctx),
};
