import { parseArgs } from "./args";
import { renderHelp, usageError } from "./help";
import type { Command, CommandContext, CommandResult } from "./types";

/**
 * Runs a command module the way the shell does: options parsed from its spec, `--help`
 * answered from the spec, usage errors worded like the tool (and its exit status).
 *
 * @example
 * await invokeCommand(ls, ["-z"], ctx); // { stderr: "ls: invalid option -- 'z'\n…", exitCode: 2 }
 */
export async function invokeCommand(command: Command, argv: readonly string[], ctx: CommandContext): Promise<CommandResult> {
  const parsed = parseArgs(command.spec, argv);
  if (!parsed.ok) {
    const exitCode = command.builtin ? 2 : (command.spec.usageExitCode ?? 1);
    return { stdout: "", stderr: usageError(command, parsed.error, parsed.option), exitCode };
  }
  if (parsed.help) return { stdout: renderHelp(command), stderr: "", exitCode: 0 };
  return command.run(parsed.value, ctx);
}
