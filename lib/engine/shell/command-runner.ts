import type { VirtualClock } from "../util/clock";
import { InterruptedError, type Interruption } from "../util/interrupt";
import { commandContext } from "./context";
import { type ExpandContext, expandWord, expandWords, ExpansionError } from "./expand";
import { BufferSink, InputStream, type IO } from "./io";
import { invokeCommand } from "./invoke";
import type { Location } from "./location";
import { applyRedirects } from "./redirects";
import { type Resolution, resolveCommand } from "./resolve";
import { ExitSignal, LoopSignal, StepLimitError } from "./signals";
import type { SimpleCommand, Statement } from "./syntax/ast";
import { ShellSyntaxError } from "./syntax/errors";
import { parse } from "./syntax/parser";
import type { CommandContext, CommandFollower, CommandResult, ExecOptions, LocationInit, Program, ShellControl, ShellIdentity } from "./types";
import type { Variables } from "./variables";

/** What the interpreter needs from the session that owns it. */
export interface InterpreterHost {
  readonly clock: VirtualClock;
  readonly columns: number;
  location(): Location;
  pushLocation(init: LocationInit): Location;
  /** Removes this location from the stack (after `runOn`). */
  removeLocation(location: Location): void;
  /** Runs a full-screen program on the session's terminal (see ShellControl.startProgram). */
  startProgram(program: Program): Promise<CommandResult>;
  /** Keeps a follower for after the next command line (see ShellControl.afterNextCommand). */
  afterNextCommand(follower: CommandFollower): void;
  /** The host's way to stop a long run: asked every 1,024 steps (commands and loop iterations). */
  readonly interruption?: Interruption;
}

/**
 * The shell's state and simple commands: expansion, redirections, prefix assignments, command
 * resolution and invocation, `set -x`, subshells, and what commands may ask of the shell
 * (`ShellControl`). {@link Interpreter} adds the control flow on top.
 */
const BASH: ShellIdentity = Object.freeze({ name: "bash", dialect: "bash" });

export abstract class CommandRunner {
  lastStatus = 0;
  protected steps = 0;
  protected loopDepth = 0;
  /** Depth of if/while conditions and and-or operands, where `set -e` does not apply. */
  protected conditions = 0;
  private pendingExit: { code: number; message?: string } | null = null;
  private pendingLoop: LoopSignal | null = null;
  private substitutionStatus: number | null = null;
  /** The `-c` string or script being run, and the shell running it (none: the location's interactive shell). */
  private script: { shell: ShellIdentity; source: string } | undefined;

  constructor(
    protected readonly host: InterpreterHost,
    protected readonly maxSteps: number,
  ) {}

  /** What commands may ask of the shell (`cd`, `exit`, `break`, `history`, `bash -c`). */
  readonly control: ShellControl = this.makeControl();

  private makeControl(): ShellControl {
    const status = () => this.lastStatus;
    const options = () => this.host.location().options;
    const sh = () => this.host.location().sh;
    return {
      get sh() {
        return sh();
      },
      get lastStatus() {
        return status();
      },
      get options() {
        return options();
      },
      chdir: (path) => {
        this.host.location().cwd = path;
      },
      pushLocation: (init) => void this.host.pushLocation(init),
      history: () => this.host.location().history,
      clearHistory: () => {
        this.host.location().history.length = 0;
      },
      exit: (code, message) => {
        this.pendingExit = { code, message };
      },
      loopControl: (kind, levels) => {
        if (this.loopDepth === 0) return false;
        this.pendingLoop = new LoopSignal(kind, Math.min(levels, this.loopDepth));
        return true;
      },
      runScript: (source, stdin, env, shell) => this.runSource(source, stdin, env, undefined, shell),
      startProgram: (program) => this.host.startProgram(program),
      afterNextCommand: (follower) => this.host.afterNextCommand(follower),
      runOn: async (init, source, stdin) => {
        const location = this.host.pushLocation(init);
        try {
          return await this.runSource(source, stdin, location.vars);
        } finally {
          this.host.removeLocation(location);
        }
      },
    };
  }

  /** Starts a new input: the step budget is per `run`. */
  resetSteps(): void {
    this.steps = 0;
  }

  /** Runs a list of statements (control flow lives in the subclass). */
  protected abstract list(statements: readonly Statement[], io: IO): Promise<number>;

  /** Runs `body` with a copy of the variables (of `base`, by default the shell's) and directory. */
  protected async subshell(body: () => Promise<number>, base?: Variables): Promise<number> {
    const location = this.host.location();
    const { vars, cwd, options } = location;
    location.vars = (base ?? vars).clone();
    // A new shell (`bash -c`, a script) starts without the caller's `set` options.
    location.options = base ? new Set() : new Set(options);
    const { conditions, loopDepth } = this;
    if (base) {
      this.conditions = 0;
      this.loopDepth = 0;
    }
    try {
      return await body();
    } catch (signal) {
      if (signal instanceof ExitSignal) return signal.code;
      throw signal;
    } finally {
      location.vars = vars;
      location.cwd = cwd;
      location.options = options;
      this.conditions = conditions;
      this.loopDepth = loopDepth;
    }
  }

  protected async expandOrReport<T>(expand: () => Promise<T>, io: IO): Promise<T | null> {
    try {
      return await expand();
    } catch (error) {
      if (!(error instanceof ExpansionError)) throw error;
      io.stderr.write(`bash: ${error.message}\n`);
      return null;
    }
  }

  protected expandContext(io: IO): ExpandContext {
    const location = this.host.location();
    const status = () => this.lastStatus;
    return {
      vars: location.vars,
      nounset: location.options.has("nounset"),
      get lastStatus() {
        return status();
      },
      fs: location.fs,
      cwd: location.cwd,
      homeOf: (user) => (user === location.host.user ? location.host.home : homeFromPasswd(location, user)),
      substitute: async (script) => {
        const stdout = new BufferSink();
        const status = await this.subshell(() => this.list(script.body, { stdin: new InputStream(""), stdout, stderr: io.stderr }));
        this.substitutionStatus = status;
        this.lastStatus = status;
        return stdout.text;
      },
    };
  }

  protected async simple(command: SimpleCommand, io: IO): Promise<number> {
    this.host.interruption?.step();
    const vars = this.host.location().vars;
    const cx = this.expandContext(io);
    this.substitutionStatus = null;
    const expanded = await this.expandOrReport(async () => {
      const argv = await expandWords(command.words, cx);
      const assignments: [string, string][] = [];
      for (const a of command.assignments) {
        const value = await expandWord(a.value, cx);
        assignments.push([a.name, a.append ? (vars.get(a.name) ?? "") + value : value]);
      }
      return { argv, assignments };
    }, io);
    if (expanded === null) return 1;
    const redirected = await applyRedirects(command.redirects, io, cx);
    if ("error" in redirected) {
      io.stderr.write(redirected.error);
      return 1;
    }
    const { argv, assignments } = expanded;
    if (this.host.location().options.has("xtrace")) {
      io.stderr.write(`+ ${[...assignments.map(([n, v]) => `${n}=${traceQuote(v)}`), ...argv.map(traceQuote)].join(" ")}\n`);
    }
    if (argv.length === 0) {
      for (const [name, value] of assignments) vars.set(name, value);
      return this.substitutionStatus ?? 0;
    }
    return this.invoke(argv, redirected.io, vars, assignments, command.span.start);
  }

  /**
   * Runs a command word. Prefix assignments (`FOO=1 cmd`) reach an external command through a
   * copy of the variables; a builtin sees them in the shell itself, restored afterwards, so that
   * what it assigns (`IFS=: read a b`) stays.
   */
  private async invoke(argv: string[], io: IO, vars: Variables, assignments: readonly [string, string][] = [], at = 0): Promise<number> {
    const location = this.host.location();
    // A script's errors name its line; an interactive shell counts the lines typed at it.
    const found = this.script
      ? resolveCommand(argv[0], location, { shell: this.script.shell, line: lineAt(this.script.source, at) })
      : resolveCommand(argv[0], location, { shell: location.shell, line: Math.max(1, location.history.length), interactive: true });
    if ("error" in found) {
      io.stderr.write(found.error);
      return found.status;
    }
    if (assignments.length > 0 && "command" in found && found.command.builtin) {
      const saved = assignments.map(([name]) => [name, vars.get(name), vars.isExported(name)] as const);
      for (const [name, value] of assignments) vars.set(name, value, { exported: true });
      try {
        return await this.invokeFound(found, argv, io, vars);
      } finally {
        for (const [name, value, exported] of saved) {
          if (value === undefined) vars.unset(name);
          else {
            vars.set(name, value);
            if (!exported) vars.unexport(name);
          }
        }
      }
    }
    let env = vars;
    if (assignments.length > 0) {
      env = vars.clone();
      for (const [name, value] of assignments) env.set(name, value, { exported: true });
    }
    return this.invokeFound(found, argv, io, env);
  }

  private async invokeFound(found: Exclude<Resolution, { error: string }>, argv: string[], io: IO, env: Variables): Promise<number> {
    const ctx = this.context(io, env);
    let result: CommandResult;
    try {
      result =
        "script" in found
          ? await this.runSource(found.script, ctx.stdin, env.exportedOnly(), argv[0])
          : await invokeCommand(found.command, argv.slice(1), ctx);
    } catch (error) {
      if (error instanceof ExitSignal || error instanceof StepLimitError || error instanceof LoopSignal || error instanceof InterruptedError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      io.stderr.write(`bash: ${argv[0]}: internal error: ${message}\n`);
      return 1;
    }
    // A command that caught the interruption on its way out does not get to finish the run.
    this.host.interruption?.rethrow();
    if (result.chunks) {
      for (const chunk of result.chunks) (chunk.fd === 1 ? io.stdout : io.stderr).write(chunk.text);
    } else {
      io.stdout.write(result.stdout);
      io.stderr.write(result.stderr);
    }
    this.raisePending();
    return result.exitCode;
  }

  private raisePending(): void {
    if (this.pendingExit !== null) {
      const { code, message } = this.pendingExit;
      this.pendingExit = null;
      throw new ExitSignal(code, message);
    }
    if (this.pendingLoop !== null) {
      const signal = this.pendingLoop;
      this.pendingLoop = null;
      throw signal;
    }
  }

  protected context(io: IO, env: Variables): CommandContext {
    return commandContext(this.host.location(), {
      io,
      env,
      clock: this.host.clock,
      columns: this.host.columns,
      control: this.control,
      exec: (argv, options) => this.exec(argv, options ?? {}, env),
    });
  }

  private async exec(argv: string[], options: ExecOptions, vars: Variables): Promise<CommandResult> {
    const stdout = new BufferSink();
    const stderr = new BufferSink();
    let env = vars;
    if (options.env || options.unset) {
      env = vars.clone();
      for (const [name, value] of Object.entries(options.env ?? {})) env.set(name, value, { exported: true });
      for (const name of options.unset ?? []) env.unset(name);
    }
    const exitCode = await this.invoke(argv, { stdin: new InputStream(options.stdin ?? ""), stdout, stderr }, env);
    return { stdout: stdout.text, stderr: stderr.text, exitCode };
  }

  /**
   * Shell source run in a subshell (scripts, `bash -c`, `sh -c`); `name` prefixes its syntax
   * errors, `shell` words its other errors (the caller's shell when not given).
   */
  private async runSource(source: string, stdin: string, env: Variables, name = "bash: -c", shell?: ShellIdentity): Promise<CommandResult> {
    const stdout = new BufferSink();
    const stderr = new BufferSink();
    let script;
    try {
      script = parse(source).script;
    } catch (error) {
      if (!(error instanceof ShellSyntaxError)) throw error;
      const line = source.slice(0, error.offset).split("\n").length;
      return { stdout: "", stderr: `${name}: line ${line}: ${error.message}\n`, exitCode: 2 };
    }
    const io = { stdin: new InputStream(stdin), stdout, stderr };
    const outer = this.script;
    this.script = { shell: shell ?? (name === "bash: -c" ? (outer?.shell ?? BASH) : { name, dialect: "bash" }), source };
    try {
      const exitCode = await this.subshell(() => this.list(script.body, io), env);
      return { stdout: stdout.text, stderr: stderr.text, exitCode };
    } finally {
      this.script = outer;
    }
  }
}

/** A user's home directory from the location's /etc/passwd, for `~user`. */
function homeFromPasswd(location: Location, user: string): string | undefined {
  if (!location.fs.isFile("/etc/passwd")) return undefined;
  const entry = location.fs
    .readFile("/etc/passwd")
    .split("\n")
    .map((line) => line.split(":"))
    .find((fields) => fields[0] === user && fields.length >= 6);
  return entry?.[5];
}

/** How `set -x` shows a word: bare when safe, otherwise single-quoted. */
function traceQuote(word: string): string {
  return /^[A-Za-z0-9_.\/:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/** The 1-based line of `source` that `offset` falls on. */
function lineAt(source: string, offset: number): number {
  let line = 1;
  for (let i = source.indexOf("\n"); i >= 0 && i < offset; i = source.indexOf("\n", i + 1)) line++;
  return line;
}
