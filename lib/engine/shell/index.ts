/**
 * The shell layer: a bash subset over a per-host in-memory file system, with commands as
 * modules. Syntax → expansion → interpretation; commands never parse shell syntax.
 *
 * Build a login shell for a node:
 *
 * ```ts
 * const fs = new FileSystem(clock);
 * createUbuntuSkeleton(fs, { hostname: "controlplane" });
 * const commands = createCoreRegistry();
 * installCommands(fs, commands);
 * const host = { name: "controlplane", user: "root", uid: 0, gid: 0, home: "/root" };
 * const sh = new ShellSession({ clock, location: { host, fs, commands, ps1: "\\h:\\w$ " } });
 * await sh.run("echo hi | tr a-z A-Z"); // { stdout: "HI\n", stderr: "", exitCode: 0, output: "HI\n" }
 * sh.prompt();                         // "controlplane:~$ "
 * ```
 *
 * Register an external command (kubectl, ssh, crictl…) — a plain object; `spec` drives option
 * parsing, `--help`, `man` and flag completion; `complete` offers operands:
 *
 * ```ts
 * const crictl: Command = {
 *   name: "crictl",
 *   summary: "CLI for CRI-compatible container runtimes",
 *   usage: "crictl [global options] command [command options] [arguments...]",
 *   spec: { flags: [{ name: "quiet", short: "q", long: "quiet", help: "only display IDs" }] },
 *   run(args, ctx) {
 *     if (args.operands[0] !== "ps") return { stdout: "", stderr: "crictl: unknown command\n", exitCode: 1 };
 *     return { stdout: runtime.list(ctx.host.name, args.has("quiet")), stderr: "", exitCode: 0 };
 *   },
 *   complete: (words) => (words.length === 0 ? ["ps", "images", "pods"] : undefined),
 * };
 * commands.register(crictl);
 * ```
 *
 * Commands that move the learner (`ssh node-1`, `kubectl exec -it pod -- sh`) call
 * `ctx.session.pushLocation({ host, fs, commands, ps1, exitMessage })`; `exit` pops it.
 * One-shot remote commands (`ssh node-1 ls`, `kubectl exec pod -- cat x`) call
 * `ctx.session.runOn(location, "ls", ctx.stdin)` and return its result.
 * A full-screen program (vi, nano, watch) is a `Program` the command hands to
 * `ctx.session.startProgram(program)`: the session answers the line with `program: { screen }`,
 * routes `sh.input(keys, { elapsedMs })` to it until a step returns `done`, and the command
 * then returns that result (see `Program` in types.ts and program-host.ts).
 * A command that needs raw words (its own sub-command parser, like kubectl) sets
 * `spec.raw = true` and reads `args.operands`; `Output` keeps stdout and stderr in order
 * when a command interleaves them.
 */
export { ShellSession, type InputResult, type RunResult, type SessionOptions } from "./session";
export { ALT_SCREEN_OFF, ALT_SCREEN_ON } from "./program-host";
export { splitKeys } from "./programs/screen";
export { FileSystem, FsError, reasonOf, byteLength, type Errno, type FsStat, type FsWatcher, type VirtualSource, type CreateOptions } from "./fs";
export { CommandRegistry, CORE_COMMANDS, createCoreRegistry } from "./registry";
export { createUbuntuSkeleton, installCommands } from "./skeleton";
export { ParsedArgs, parseArgs } from "./args";
export { renderHelp, renderManPage } from "./help";
export { invokeCommandNow } from "./invoke";
export { argvSource, done, Output, quote, localeQuote, readOperand, splitLines, tryHelpText } from "./command-kit";
export { Variables } from "./variables";
export { isCleanPath } from "./path";
export { Location } from "./location";
export { isIncomplete, parseInput } from "./syntax/input";
export { ShellSyntaxError } from "./syntax/errors";
export { parse, type ParseResult } from "./syntax/parser";
export type { Completion } from "./complete";
export type {
  Command,
  CommandContext,
  CommandFollower,
  CommandResult,
  CommandSpec,
  ExecOptions,
  FlagSpec,
  HostInfo,
  NamespaceProcess,
  LocationExitHook,
  LocationInit,
  Program,
  ProgramStep,
  Screen,
  ShellControl,
  ShellOption,
} from "./types";
