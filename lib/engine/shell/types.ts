import type { ClusterNetwork } from "../net/network";
import type { VirtualClock } from "../util/clock";
import type { ParsedArgs } from "./args";
import type { FileSystem } from "./fs";
import type { CommandRegistry } from "./registry";
import type { Variables } from "./variables";

/** What a command (or a whole `run`) produced. */
export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /**
   * The same text in the order it was written, when a command interleaves the two streams
   * (`cat a nope b`); without it the shell writes stdout, then stderr.
   */
  chunks?: readonly { fd: 1 | 2; text: string }[];
}

/** The machine a shell runs on, and who is logged in. */
export interface HostInfo {
  /** Full host name (`hostname` prints it; the prompt's `\h` shows it up to the first dot). */
  name: string;
  user: string;
  uid: number;
  gid: number;
  home: string;
  /** The host's addresses, for `hostname -I`; read on every call, so it may change. */
  addresses?: () => string[];
  /**
   * The network namespace this location's commands run in: the cluster's network, the machine
   * and the namespace's nsfs inode. The network tools (`ip`, `iptables`, `curl`) are
   * module-level commands shared by every fork, so they find their kernel state through this.
   */
  netns?: { network: ClusterNetwork; host: string; inode: number };
  /**
   * The processes of this location's PID namespace as it numbers them (a container's: its own,
   * or its target's when an ephemeral container shares it), for a container's `ps`.
   */
  processes?: () => readonly NamespaceProcess[];
}

/** A process as seen from inside its PID namespace. */
export interface NamespaceProcess {
  pid: number;
  user: string;
  /** CPU time used, in seconds. */
  cpuSeconds: number;
  args: string;
}

/** How a shell is set up on a host: the cluster creates one per node, later per container. */
export interface LocationInit {
  host: HostInfo;
  fs: FileSystem;
  commands: CommandRegistry;
  /** Starting directory; the user's home by default. */
  cwd?: string;
  /** Extra exported variables (HOME, USER, LOGNAME, PATH, PWD, SHELL, HOSTNAME are set anyway). */
  env?: Record<string, string>;
  /** A bash PS1, e.g. `\h:\w$ ` for a node, `\u@\h:\w\$ ` (the default) for a container. */
  ps1?: string;
  /** Printed to stderr when `exit` leaves this location, e.g. `logout\nConnection to node-1 closed.\n`. */
  exitMessage?: string;
  /** What else ends when `exit` leaves this location (a command attached to it finishes). */
  onExit?: LocationExitHook;
  /** The shell that reads this location's input; bash by default. */
  shell?: ShellIdentity;
  /** What `/bin/sh` is here: dash on Ubuntu and Debian, busybox ash in busybox and Alpine. */
  sh?: "dash" | "ash";
}

/**
 * Which shell is interpreting, for the words of its errors: bash's `bash: x: command not
 * found`, dash's `sh: 1: x: not found`, busybox ash's `sh: x: not found`.
 */
export interface ShellIdentity {
  /** The name it was started as (`sh`, `bash`, `/bin/sh`). */
  name: string;
  dialect: "bash" | "dash" | "ash";
}

/**
 * Told when `exit` has left a location, with exit's status: `kubectl run -it` and `kubectl
 * attach` finish there (the container's shell ends, `--rm` deletes the pod). An object with a
 * method rather than a closure, like every callback the engine keeps. What it returns is
 * printed after the location's exit message, and its exit code becomes `$?`.
 */
export interface LocationExitHook {
  left(status: number): Promise<CommandResult>;
}

/** The `set -o` options this shell implements. */
export type ShellOption = "errexit" | "nounset" | "pipefail" | "xtrace";

/** What a command may ask of the shell that runs it. */
export interface ShellControl {
  /** The current shell's `set` options (a subshell works on its own copy). */
  readonly options: Set<ShellOption>;
  /** Sets the current directory (an absolute, logical path; the caller checked it). */
  chdir(path: string): void;
  /** Moves the session onto another host or into a container (`ssh`, `kubectl exec -it`). */
  pushLocation(init: LocationInit): void;
  /** The current location's history, oldest first. */
  history(): readonly string[];
  clearHistory(): void;
  /** `$?` before this command. */
  readonly lastStatus: number;
  /** What `/bin/sh` is at the current location. */
  readonly sh: "dash" | "ash";
  /**
   * Ends the current location (`exit`); takes effect when the command returns. `message`, when
   * given, is printed instead of the location's `exitMessage`: a session the remote end dropped
   * (`poweroff` over ssh) ends without bash's `logout`.
   */
  exit(code: number, message?: string): void;
  /** `break N` / `continue N`; returns false outside a loop. */
  loopControl(kind: "break" | "continue", levels: number): boolean;
  /** Runs shell source in a subshell with these variables (for `sh -c`, `bash -c` and scripts). */
  runScript(source: string, stdin: string, env: Variables, shell?: ShellIdentity): Promise<CommandResult>;
  /**
   * Runs shell source in a fresh shell at another location and comes back (`ssh node-1 ls`,
   * `kubectl exec pod -- cat /etc/hosts`).
   */
  runOn(init: LocationInit, source: string, stdin: string): Promise<CommandResult>;
  /**
   * Runs a full-screen program (vi, nano, watch) on the terminal: the session hands it the
   * learner's keys and the passing of virtual time until it is done, then this resolves with
   * what the program returned (see {@link Program}).
   */
  startProgram(program: Program): Promise<CommandResult>;
  /**
   * Asks the session to run `follower` once the next command line has run (not this one):
   * what it returns is written after that line's output. `tcpdump` arms a capture and prints
   * the packets the next command's traffic made, as a second terminal would have shown them.
   */
  afterNextCommand(follower: CommandFollower): void;
}

/**
 * Told when the command line after the one that registered it has run, with a context at the
 * session's location then. An object with a method (it is kept between inputs, as state).
 */
export interface CommandFollower {
  follow(ctx: CommandContext): CommandResult;
}

/** Options for {@link CommandContext.exec}. */
export interface ExecOptions {
  stdin?: string;
  /** Exported variables added for this one command (`env X=1 cmd`). */
  env?: Record<string, string>;
  /** Variables removed for this one command (`env -u X cmd`). */
  unset?: readonly string[];
}

/** Everything a command sees. Commands never parse shell syntax and never touch globals. */
export interface CommandContext {
  /** Standard input. Reading it consumes it, so a command that does not read leaves it for the next. */
  readonly stdin: string;
  /** Reads one line of standard input without its newline; null at end of input (for `read`). */
  readLine(): string | null;
  readonly env: Variables;
  readonly cwd: string;
  readonly fs: FileSystem;
  readonly clock: VirtualClock;
  readonly host: HostInfo;
  readonly session: ShellControl;
  /** The commands available here (for `which`, `type`, `man`, `xargs`). */
  readonly commands: CommandRegistry;
  /** Whether standard output is the terminal (ls prints columns then) and its width. */
  readonly terminal: { isTerminal: boolean; columns: number };
  /** An absolute path for `path` relative to the current directory (not normalized). */
  resolve(path: string): string;
  /** Runs another registered command with these arguments (argv[0] is its name). */
  exec(argv: string[], options?: ExecOptions): Promise<CommandResult>;
}

/** One option a command accepts. The same declaration drives parsing, `--help`, `man` and completion. */
export interface FlagSpec {
  /** Key under which {@link ParsedArgs} reports it. */
  name: string;
  short?: string;
  long?: string;
  /** `required`: takes an argument (`-n 5`, `-n5`, `--lines=5`); `optional`: only attached (`-i.bak`). */
  value?: "required" | "optional";
  /** Placeholder in help, e.g. `NUM`. */
  valueName?: string;
  help: string;
}

/** How a command's arguments are parsed. */
export interface CommandSpec {
  flags: readonly FlagSpec[];
  /** No option parsing at all: the command gets its words as operands (echo, test, `[`). */
  raw?: boolean;
  /** Options stop at the first operand (xargs, env): the rest belongs to another command. */
  stopAtOperand?: boolean;
  /** Words like `-5` or `-0.5` are operands, not options (seq). */
  negativeNumbers?: boolean;
  /** A word `-N` sets this flag to N (`head -5`). */
  numericFlag?: string;
  /** Exit status for an invalid option (GNU tools differ: ls and grep use 2). Default 1. */
  usageExitCode?: number;
  /** Print `Usage: …` before `Try '… --help'` on a usage error (grep does). */
  usageOnError?: boolean;
}

/** A command module: `commands/<name>.ts` exports one of these. */
export interface Command {
  name: string;
  /** One line, lower case, as in `man`'s NAME section: "list directory contents". */
  summary: string;
  /** Synopsis without "Usage: ", e.g. `ls [OPTION]... [FILE]...`. */
  usage: string;
  /** Longer text for `--help` and `man` (defaults to the summary as a sentence). */
  description?: string;
  spec: CommandSpec;
  /** A bash builtin: `type` says so, `--help` and usage errors use bash's builtin format. */
  builtin?: boolean;
  /** Where `which` finds it; `/usr/bin/<name>` by default. */
  path?: string;
  run(args: ParsedArgs, ctx: CommandContext): CommandResult | Promise<CommandResult>;
  /**
   * Candidates for the next positional argument (tab completion); file names when absent.
   * `args` are the words before the one being completed, `partial` that word as typed so far.
   */
  complete?(args: readonly string[], ctx: CommandContext, partial?: string): string[] | undefined;
}

/** The terminal a full-screen program draws on, in character cells. */
export interface Screen {
  rows: number;
  columns: number;
}

/** What a program did with a key or with the passing of time. */
export interface ProgramStep {
  /** Bytes for the terminal, escape sequences and all, written as they are. */
  output: string;
  /** Set when the program has ended: the result of the command that started it. */
  done?: CommandResult;
  /** Virtual milliseconds until the program next wants `tick` (watch's next run); none: only keys move it. */
  wakeMs?: number;
}

/**
 * A full-screen interactive program (vi, nano, watch), started by a command through
 * `ctx.session.startProgram(program)`. The session switches the terminal to the alternate
 * screen, draws what `start` returns, feeds it the learner's keys (a chunk of terminal input:
 * one key, an escape sequence, or pasted text) and the passing of virtual time, and leaves
 * the alternate screen once a step returns `done`. Everything runs on the virtual clock, so a
 * replay of the same keys at the same elapsed times draws the same bytes.
 */
export interface Program {
  /** The first screen. */
  start(screen: Screen): ProgramStep | Promise<ProgramStep>;
  /** Terminal input while the program runs. */
  key(data: string): ProgramStep | Promise<ProgramStep>;
  /** Virtual time passed (`now` is the clock's epoch ms). */
  tick?(now: number): ProgramStep | Promise<ProgramStep>;
  /** The terminal changed size: a full redraw. Also used to redraw a restored session. */
  resize?(screen: Screen): ProgramStep | Promise<ProgramStep>;
}
