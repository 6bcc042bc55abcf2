import { parseArgs, type ParsedArgs } from "./args";
import { renderHelp, usageError } from "./help";
import type { Command, CommandContext, CommandResult } from "./types";

/** The command's parsed options, or what the shell answers itself (a usage error, `--help`). */
function parsedOrAnswer(command: Command, argv: readonly string[]): { value: ParsedArgs } | { answer: CommandResult } {
  const parsed = parseArgs(command.spec, argv);
  if (!parsed.ok) {
    const exitCode = command.builtin ? 2 : (command.spec.usageExitCode ?? 1);
    return { answer: { stdout: "", stderr: usageError(command, parsed.error, parsed.option), exitCode } };
  }
  if (parsed.help) return { answer: { stdout: renderHelp(command), stderr: "", exitCode: 0 } };
  return { value: parsed.value };
}

/**
 * Runs a command module the way the shell does: options parsed from its spec, `--help`
 * answered from the spec, usage errors worded like the tool (and its exit status).
 *
 * @example
 * await invokeCommand(ls, ["-z"], ctx); // { stderr: "ls: invalid option -- 'z'\n…", exitCode: 2 }
 */
export async function invokeCommand(command: Command, argv: readonly string[], ctx: CommandContext): Promise<CommandResult> {
  const p = parsedOrAnswer(command, argv);
  return "answer" in p ? p.answer : command.run(p.value, ctx);
}

/**
 * {@link invokeCommand} for a caller that cannot wait (a container's PID 1 steps synchronously):
 * only for commands whose `run` answers at once; one that returns a promise is a caller's bug.
 */
export function invokeCommandNow(command: Command, argv: readonly string[], ctx: CommandContext): CommandResult {
  const p = parsedOrAnswer(command, argv);
  if ("answer" in p) return p.answer;
  const result = command.run(p.value, ctx);
  if (result instanceof Promise) throw new Error(`${command.name} does not answer at once`);
  return result;
}
