/**
 * A container whose PID 1 is a shell script or a plain utility (`sh -c 'while true; do date;
 * sleep 5; done'`, `sleep 3600`, `echo hi`). The script is parsed with the shell layer's
 * parser and run here by a small machine over virtual time: `sleep` suspends it until the
 * runtime's timer wakes it, output becomes the container's log, `>`/`>>` write the
 * container's file system (so two containers can share an emptyDir), and `exit` ends it.
 * Where a script stands is data (a stack of frames over its syntax tree, not a suspended
 * generator), so a forked cluster's scripts carry on from the same place.
 *
 * A subset runs: simple commands, `;` `&&` `||`, pipelines, if, while/until, for, groups,
 * `trap … TERM`, `cmd &` + `wait`. Text filters (`grep`, `head`, `wc`, `sed`…) and the network
 * clients (`wget`, `curl`, `nc`, `ping`…) are the terminal's own commands run from the pod (see
 * container/tools.ts); other tools the image ships that are not simulated here run without output. A shell without a script whose container keeps stdin open
 * (`kubectl run -it … -- sh`) waits on it until the attached terminal ends it (`stdinEnded`).
 *
 * @example
 * scriptProgram(ctx, ["sh", "-c", "echo hi"], tools, "ash").step(now); // { output: [{ stream: "stdout", text: "hi" }], exitCode: 0 }
 */
import { parse, type FileSystem, type ParseResult } from "../../shell";
import { freezeDeep } from "../../util/plain";
import { dateCommandTime } from "../format";
import { err, logLines, out, proc, type BindFailure, type Listen, type LogLine, type ProcSpec, type ProgramContext, type ProgramTools, type ProgramRun, type SignalReply, type Step } from "./kit";
import { arith, copyTool, parseDuration } from "./script-tools";

type Script = ParseResult["script"];
type Statement = Script["body"][number];
type Pipeline = Statement["first"];
type Cmd = Pipeline["commands"][number];
type Simple = Extract<Cmd, { type: "SimpleCommand" }>;
type Word = Simple["words"][number];
type Part = Word["parts"][number];

/** Whose messages the script's shell prints: busybox ash, Debian's dash, or bash. */
export type Dialect = "ash" | "dash" | "bash";

type IfCmd = Extract<Cmd, { type: "If" }>;
type WhileCmd = Extract<Cmd, { type: "While" }>;
type ForCmd = Extract<Cmd, { type: "For" }>;

type Wait = { sleep: number; foreground: boolean };

/** A utility that waits (`sleep`, `wait`, `tail -f`), and its status once woken. */
interface Suspension {
  wait: Wait;
  /** The utility's status once woken. */
  after: { status: number };
}

class ExitScript {
  constructor(readonly code: number) {}
}

const MAX_STEPS = 50_000;

/** Interpreter state for one script. */
class ScriptState {
  readonly vars = new Map<string, string>();
  output: LogLine[] = [];
  now = 0;
  status = 0;
  steps = 0;
  bgUntil = 0;
  trap: number | undefined;
  /** The image's tools as the terminal runs them, during a step only (they reach the cluster, which is not the script's state). */
  runner: ProgramTools | undefined;
  constructor(readonly ctx: ProgramContext, readonly tools: ReadonlySet<string>, readonly dialect: Dialect, readonly name: string) {
    for (const [k, v] of Object.entries(ctx.env)) this.vars.set(k, v);
    this.vars.set("HOSTNAME", ctx.podName);
  }
  get fs(): FileSystem {
    return this.ctx.fs;
  }
  notFound(cmd: string): string {
    if (this.dialect === "ash") return `${this.name}: ${cmd}: not found`;
    if (this.dialect === "dash") return `${this.name}: 1: ${cmd}: not found`;
    return `${this.name}: line 1: ${cmd}: command not found`;
  }
}

function expandPart(part: Part, st: ScriptState): string {
  switch (part.type) {
    case "Literal":
    case "Quoted":
      return part.value;
    case "DoubleQuoted":
      return part.parts.map((p) => expandPart(p, st)).join("");
    case "Param":
      if (part.name === "?") return String(st.status);
      if (part.name === "$") return "1";
      return st.vars.get(part.name) ?? "";
    case "Arith":
      return String(arith(part.expression, st.vars));
    case "CommandSub":
      return substitute(part.script, st);
    default:
      return "";
  }
}

/**
 * `$(…)`: runs the inner script to completion (its sleeps take no time) and takes its stdout.
 * One that spins without end stops at the step limit, which then stops the script as well.
 */
function substitute(script: Script, st: ScriptState): string {
  const saved = st.output;
  st.output = [];
  const machine = new ScriptMachine(list(script.body, ""));
  for (let r = machine.run(st); typeof r !== "number" && Number.isFinite(r.sleep); r = machine.run(st));
  const text = st.output.filter((l) => l.stream === "stdout").map((l) => l.text).join("\n");
  st.output = saved;
  return text;
}

function words(list: readonly Word[], st: ScriptState): string[] {
  const outWords: string[] = [];
  for (const w of list) {
    const split = w.parts.some((p) => p.type === "Param" || p.type === "CommandSub");
    const quoted = w.parts.every((p) => p.type !== "Literal" && p.type !== "Param" && p.type !== "CommandSub");
    const value = w.parts.map((p) => expandPart(p, st)).join("");
    if (split && !quoted) outWords.push(...value.split(/\s+/).filter(Boolean));
    else outWords.push(value);
  }
  return outWords;
}

/**
 * One construct being run. A frame that finishes hands its status to the frame below it,
 * which receives it on its next step; the shapes follow bash's: a list returns the last
 * status, `&&`/`||` skip by status, a pipeline feeds each stage's stdout to the next.
 */
type Frame =
  | { type: "list"; body: readonly Statement[]; next: number; stdin: string }
  | { type: "and-or"; statement: Statement; next: number; stdin: string; background: boolean }
  | { type: "pipeline"; pipeline: Pipeline; next: number; input: string; status: number; saved: LogLine[]; background: boolean }
  | { type: "command"; command: Cmd; stdin: string; background: boolean; counted: boolean }
  | { type: "utility"; argv: string[] }
  | { type: "resume"; command?: Simple; before: number; after: Suspension["after"] }
  | { type: "if"; command: IfCmd; clause: number; stdin: string }
  | { type: "while"; command: WhileCmd; inBody: boolean; stdin: string }
  | { type: "for"; command: ForCmd; items: string[]; next: number; stdin: string };

/** What a frame's step did: push a frame, become another frame (and maybe wait), finish, or wait. */
type Move = { push: Frame } | { become: Frame; wait?: Wait } | { done: number } | { wait: Wait };

/** A script's frames: `run` goes on until the script waits or ends. */
class ScriptMachine {
  private readonly frames: Frame[];
  /** The status of the frame that finished last, for the frame now on top (which pushed it). */
  private received: number | undefined;

  constructor(start: Frame) {
    this.frames = [start];
  }

  /** Runs until the script waits (the wait) or ends (its exit status). */
  run(st: ScriptState): Wait | number {
    while (this.frames.length > 0) {
      const received = this.received;
      this.received = undefined;
      const move = step(this.frames[this.frames.length - 1], st, received);
      if ("push" in move) {
        this.frames.push(move.push);
      } else if ("become" in move) {
        this.frames[this.frames.length - 1] = move.become;
        if (move.wait) return move.wait;
      } else if ("done" in move) {
        this.frames.pop();
        this.received = move.done;
      } else {
        return move.wait;
      }
    }
    return this.received ?? st.status;
  }
}

function list(body: readonly Statement[], stdin: string): Frame {
  return { type: "list", body, next: 0, stdin };
}

function pipelineFrame(pipeline: Pipeline, input: string, background: boolean): Frame {
  return { type: "pipeline", pipeline, next: 0, input, status: 0, saved: [], background };
}

/** One step of `frame`; `received` is the status of the frame it pushed, when that just finished. */
function step(frame: Frame, st: ScriptState, received: number | undefined): Move {
  switch (frame.type) {
    case "list": {
      const statement = frame.body[frame.next++];
      if (!statement) return { done: st.status };
      // Only `sleep N &` matters in the background: `wait` then waits for it.
      return { push: { type: "and-or", statement, next: 0, stdin: frame.stdin, background: Boolean(statement.background) } };
    }
    case "and-or": {
      if (received !== undefined) st.status = received;
      for (;;) {
        const index = frame.next++;
        if (index === 0) return { push: pipelineFrame(frame.statement.first, frame.stdin, frame.background) };
        const rest = frame.statement.rest[index - 1];
        if (!rest) return { done: st.status };
        if ((rest.op === "&&") === (st.status === 0)) return { push: pipelineFrame(rest.pipeline, frame.stdin, frame.background) };
      }
    }
    case "pipeline": {
      const stages = frame.pipeline.commands;
      if (received !== undefined) {
        frame.status = received;
        if (frame.next < stages.length) {
          // A stage before the last: its stdout feeds the next one, its stderr goes to the log.
          frame.input = st.output.filter((l) => l.stream === "stdout").map((l) => l.text + "\n").join("");
          st.output = [...frame.saved, ...st.output.filter((l) => l.stream === "stderr")];
        }
      }
      const command = stages[frame.next++];
      if (!command) return { done: frame.pipeline.negated ? (frame.status === 0 ? 1 : 0) : frame.status };
      if (frame.next < stages.length) {
        frame.saved = st.output;
        st.output = [];
      }
      return { push: { type: "command", command, stdin: frame.input, background: frame.background, counted: false } };
    }
    case "command":
      return command(frame, st);
    case "utility": {
      const result = utility(frame.argv, st, "", false);
      return typeof result === "number" ? { done: result } : { become: { type: "resume", before: 0, after: result.after }, wait: result.wait };
    }
    case "resume": {
      // The utility that waited is back: it finishes, and its redirections apply.
      const { status } = frame.after;
      if (frame.command) redirect(frame.command, st, frame.before);
      return { done: status };
    }
    case "if": {
      // Conditions run in turn; the first that succeeds picks the body (the frame becomes it).
      const { clauses, elseBody } = frame.command;
      if (received === 0) return { become: list(clauses[frame.clause].body, frame.stdin) };
      if (received !== undefined) frame.clause++;
      if (frame.clause < clauses.length) return { push: list(clauses[frame.clause].condition, frame.stdin) };
      return elseBody ? { become: list(elseBody, frame.stdin) } : { done: 0 };
    }
    case "while":
      if (received !== undefined) {
        if (!frame.inBody && (received === 0) === frame.command.until) return { done: 0 };
        frame.inBody = !frame.inBody;
      }
      return { push: list(frame.inBody ? frame.command.body : frame.command.condition, frame.stdin) };
    case "for":
      if (frame.next >= frame.items.length) return { done: st.status };
      st.vars.set(frame.command.variable, frame.items[frame.next++]);
      return { push: list(frame.command.body, frame.stdin) };
  }
}

function command(frame: Extract<Frame, { type: "command" }>, st: ScriptState): Move {
  if (!frame.counted) {
    frame.counted = true;
    // A loop that never sleeps spins the CPU forever; it prints nothing more we keep.
    if (++st.steps > MAX_STEPS) return { wait: { sleep: Infinity, foreground: true } };
  }
  const { command: cmd, stdin } = frame;
  switch (cmd.type) {
    case "SimpleCommand":
      return simple(cmd, st, stdin, frame.background);
    case "If":
      return { become: { type: "if", command: cmd, clause: 0, stdin } };
    case "While":
      return { become: { type: "while", command: cmd, inBody: false, stdin } };
    case "For":
      return { become: { type: "for", command: cmd, items: words(cmd.items ?? [], st), next: 0, stdin } };
    case "Group":
    case "Subshell":
      return { become: list(cmd.body, stdin) };
    default:
      return { done: 0 };
  }
}

function simple(cmd: Simple, st: ScriptState, stdin: string, background: boolean): Move {
  for (const a of cmd.assignments) st.vars.set(a.name, words([a.value], st).join(" "));
  const argv = words(cmd.words, st);
  if (argv.length === 0) return { done: 0 };
  const before = st.output.length;
  const result = utility(argv, st, stdin, background);
  if (typeof result !== "number") return { become: { type: "resume", command: cmd, before, after: result.after }, wait: result.wait };
  redirect(cmd, st, before);
  return { done: result };
}

/** Applies `>`/`>>` (to files), `>&2` and `>/dev/null` to what the command just printed. */
function redirect(cmd: Simple, st: ScriptState, from: number): void {
  for (const r of cmd.redirects) {
    if (r.type !== "Redirect") continue;
    const fd = r.fd ?? 1;
    const stream = fd === 2 ? "stderr" : "stdout";
    const target = words([r.target], st)[0] ?? "";
    const printed = st.output.slice(from);
    const mine = printed.filter((l) => l.stream === stream);
    if (r.op === ">&") {
      if (target === "2" && fd === 1) for (const l of mine) l.stream = "stderr";
      continue;
    }
    if (r.op !== ">" && r.op !== ">>" && r.op !== ">|") continue;
    st.output = [...st.output.slice(0, from), ...printed.filter((l) => l.stream !== stream)];
    if (target === "/dev/null") continue;
    const path = target.startsWith("/") ? target : `/${target}`;
    const text = mine.map((l) => l.text + "\n").join("");
    try {
      if (r.op === ">>") st.fs.appendFile(path, text);
      else st.fs.writeFile(path, text);
    } catch {
      st.output.push(err(`${st.name}: can't create ${target}: nonexistent directory`));
    }
  }
}

function utility(argv: string[], st: ScriptState, stdin: string, background: boolean): number | Suspension {
  const [name, ...args] = argv;
  const say = (text: string) => st.output.push({ ...out(text), at: st.now });
  const complain = (text: string) => st.output.push({ ...err(text), at: st.now });
  switch (name) {
    case "exit":
      throw new ExitScript(args[0] === undefined ? st.status : Number(args[0]) & 255);
    case "true":
    case ":":
      return 0;
    case "false":
      return 1;
    case "trap":
      if (args.slice(1).some((s) => /^(SIG)?TERM$|^15$/.test(s))) st.trap = /exit\s+(\d+)/.exec(args[0])?.[1] ? Number(/exit\s+(\d+)/.exec(args[0])![1]) : 0;
      return 0;
    case "wait":
      return st.bgUntil > st.now ? { wait: { sleep: st.bgUntil - st.now, foreground: false }, after: { status: 0 } } : 0;
    case "cd":
      return 0;
  }
  if (!st.tools.has(name)) {
    complain(st.notFound(name));
    return 127;
  }
  switch (name) {
    case "echo": {
      const noNewline = args[0] === "-n";
      const text = (noNewline ? args.slice(1) : args).join(" ");
      if (!(noNewline && text === "")) say(text);
      return 0;
    }
    case "printf": {
      let i = 1;
      const text = (args[0] ?? "").replace(/%[sd]/g, () => args[i++] ?? "").replace(/\\n/g, "\n").replace(/\n$/, "");
      for (const line of text.split("\n")) say(line);
      return 0;
    }
    case "sleep": {
      const ms = parseDuration(args[0] ?? "");
      if (ms === undefined) {
        complain(`sleep: invalid number '${args[0] ?? ""}'`);
        return 1;
      }
      if (!background) return { wait: { sleep: ms, foreground: true }, after: { status: 0 } };
      st.bgUntil = Math.max(st.bgUntil, st.now + ms);
      return 0;
    }
    case "date":
      say(dateCommandTime(st.now));
      return 0;
    case "hostname":
      say(st.ctx.podName);
      return 0;
    case "env":
    case "printenv":
      for (const [k, v] of st.vars) if (k in st.ctx.env || k === "HOSTNAME") say(`${k}=${v}`);
      return 0;
    case "tail":
      // `tail -f` prints what is there, then follows for ever.
      if (args.includes("-f")) {
        const status = runTool(st, ["tail", ...args.filter((a) => a !== "-f")], stdin);
        return { wait: { sleep: Infinity, foreground: true }, after: { status } };
      }
      return runTool(st, argv, stdin);
    case "mkdir":
      for (const a of args.filter((x) => !x.startsWith("-"))) st.fs.mkdirp(a);
      return 0;
    case "touch":
      for (const a of args) if (!st.fs.exists(a)) st.fs.writeFile(a, "");
      return 0;
    case "cp":
      return copyTool(args, { fs: st.fs, output: st.output, busybox: st.dialect === "ash" });
    default:
      return runTool(st, argv, stdin);
  }
}

/**
 * A tool as the terminal runs it (text filters, network clients) from the container: its output
 * joins the script's, and the script's time moves on by what it took (not a suspension: its
 * output may feed the next stage of a pipeline). Tools not run that way do nothing here.
 */
function runTool(st: ScriptState, argv: readonly string[], stdin: string): number {
  const ran = st.runner?.run(argv, stdin, st.now);
  if (!ran) return 0;
  st.now += ran.elapsedMs;
  for (const line of logLines([{ fd: 1, text: ran.stdout }, { fd: 2, text: ran.stderr }])) st.output.push({ ...line, at: st.now });
  return ran.exitCode;
}

/**
 * A program whose PID 1 is `argv` run by a shell (`sh -c SCRIPT`) or a single utility.
 * `tools` are the programs the image ships.
 */
export function scriptProgram(ctx: ProgramContext, argv: readonly string[], tools: ReadonlySet<string>, dialect: Dialect): ProgramRun {
  return new ScriptRun(ctx, argv, tools, dialect);
}

class ScriptRun implements ProgramRun {
  readonly processes: readonly ProcSpec[];
  readonly listens: readonly Listen[] = [];
  private readonly st: ScriptState;
  private readonly machine: ScriptMachine;
  /** What the script waits for now. */
  private waiting: Wait | undefined;
  /** SIGTERM arrived during a foreground command: the trap runs once it returns. */
  private pendingTrap = false;
  /** The shell, while it waits on the standard input the pod spec keeps open (`stdin: true`). */
  stdinShell: string | undefined;

  constructor(ctx: ProgramContext, argv: readonly string[], tools: ReadonlySet<string>, dialect: Dialect) {
    const shellName = argv[0].replace(/^.*\//, "");
    const isShell = shellName === "sh" || shellName === "bash" || shellName === "ash";
    this.st = new ScriptState(ctx, tools, dialect, shellName === "bash" ? "bash" : "sh");
    this.processes = [proc(argv.join(" "), ctx.image.user ?? 0, isShell ? 1_716 : 1_588, isShell ? 1_024 : 768, "Ss")];
    let start: Frame;
    if (!isShell) {
      // A plain utility (`sleep 3600`): its argv as given, no shell in between.
      start = { type: "utility", argv: [shellName, ...argv.slice(1)] };
    } else if (argv[1] === "-c") {
      let body: readonly Statement[] = [];
      try {
        body = parseScript(argv[2] ?? "");
      } catch (e) {
        this.st.output.push(err(`${this.st.name}: syntax error: ${e instanceof Error ? e.message : String(e)}`));
        this.st.status = 2;
      }
      start = list(body, "");
    } else {
      // A shell without a script reads its standard input. Without one (no `stdin: true` in the
      // pod spec) that is end-of-file at once and it exits; with one it waits there for what an
      // attached terminal types. A script file operand (`sh run.sh`) is not read from stdin.
      if (ctx.stdin === true && argv.slice(1).every((a) => a.startsWith("-"))) this.stdinShell = shellName;
      start = list([], "");
    }
    this.machine = new ScriptMachine(start);
  }

  step(now: number, runner?: ProgramTools): Step {
    const st = this.st;
    st.now = now;
    if (this.stdinShell) return { output: this.take() };
    if (this.pendingTrap) return { output: this.take(), exitCode: st.trap ?? 0 };
    st.runner = runner;
    try {
      const wait = this.machine.run(st);
      if (typeof wait === "number") return { output: this.take(), exitCode: wait };
      this.waiting = wait;
      // st.now: the network tools the step ran took their time too.
      return Number.isFinite(wait.sleep) ? { output: this.take(), wakeAt: st.now + wait.sleep } : { output: this.take() };
    } catch (e) {
      if (e instanceof ExitScript) return { output: this.take(), exitCode: e.code };
      throw e;
    } finally {
      st.runner = undefined;
    }
  }

  signal(): SignalReply {
    // PID 1 has no default action for SIGTERM: without a trap the signal is ignored, and a
    // trap only runs once the foreground command (a `sleep`) returns.
    if (this.st.trap === undefined) return undefined;
    if (this.waiting && !this.waiting.foreground) return { afterMs: 0, exitCode: this.st.trap, output: [] };
    this.pendingTrap = true;
    return undefined;
  }

  bindFailed(): BindFailure {
    return { output: [], exitCode: 1 };
  }

  stdinEnded(status: number): Step {
    this.stdinShell = undefined;
    return { output: this.take(), exitCode: status & 255 };
  }

  private take(): LogLine[] {
    const o = this.st.output;
    this.st.output = [];
    return o;
  }
}

// Parsing is pure: the same script (every replica of a pod) parses once, frozen and shared.
const parsedScripts = new Map<string, readonly Statement[]>();

function parseScript(text: string): readonly Statement[] {
  let body = parsedScripts.get(text);
  if (!body) {
    if (parsedScripts.size >= 256) parsedScripts.clear();
    body = freezeDeep(parse(text).script.body);
    parsedScripts.set(text, body);
  }
  return body;
}
