/**
 * A container whose PID 1 is a shell script or a plain utility (`sh -c 'while true; do date;
 * sleep 5; done'`, `sleep 3600`, `echo hi`). The script is parsed with the shell layer's
 * parser and run here as a generator over virtual time: `sleep` suspends it until the
 * runtime's timer wakes it, output becomes the container's log, `>`/`>>` write the
 * container's file system (so two containers can share an emptyDir), and `exit` ends it.
 *
 * A subset runs: simple commands, `;` `&&` `||`, pipelines into cat/grep/wc/head/tee, if,
 * while/until, for, groups, `trap … TERM`, `cmd &` + `wait`. Tools the image ships that are not
 * simulated here run without output.
 *
 * @example
 * scriptProgram(ctx, ["sh", "-c", "echo hi"], tools).step(now); // { output: [{ stream: "stdout", text: "hi" }], wakeAt: … }
 */
import { parse, type FileSystem, type ParseResult } from "../../shell";
import { dateCommandTime } from "../format";
import { err, out, proc, type LogLine, type ProgramContext, type ProgramRun, type SignalReply } from "./kit";
import { arith, parseDuration, textTool } from "./script-tools";

type Script = ParseResult["script"];
type Statement = Script["body"][number];
type Pipeline = Statement["first"];
type Cmd = Pipeline["commands"][number];
type Simple = Extract<Cmd, { type: "SimpleCommand" }>;
type Word = Simple["words"][number];
type Part = Word["parts"][number];

/** Whose messages the script's shell prints: busybox ash, Debian's dash, or bash. */
export type Dialect = "ash" | "dash" | "bash";

type Wait = { sleep: number; foreground: boolean };
type Run = Generator<Wait, number, void>;

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

/** `$(…)`: runs the inner script to completion (no sleeping inside) and takes its stdout. */
function substitute(script: Script, st: ScriptState): string {
  const saved = st.output;
  st.output = [];
  const gen = statements(script.body, st, "");
  let r = gen.next();
  while (!r.done) r = gen.next();
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

function* statements(list: readonly Statement[], st: ScriptState, stdin: string): Run {
  for (const s of list) {
    if (s.background) {
      // Only `sleep N &` matters here: `wait` then waits for it.
      yield* andOr(s, st, stdin, true);
      continue;
    }
    yield* andOr(s, st, stdin, false);
  }
  return st.status;
}

function* andOr(s: Statement, st: ScriptState, stdin: string, background: boolean): Run {
  st.status = yield* pipeline(s.first, st, stdin, background);
  for (const { op, pipeline: p } of s.rest) {
    if ((op === "&&") !== (st.status === 0)) continue;
    st.status = yield* pipeline(p, st, stdin, background);
  }
  return st.status;
}

function* pipeline(p: Pipeline, st: ScriptState, stdin: string, background: boolean): Run {
  let input = stdin;
  let status = 0;
  for (const [i, cmd] of p.commands.entries()) {
    const last = i === p.commands.length - 1;
    if (last) {
      status = yield* command(cmd, st, input, background);
    } else {
      const saved = st.output;
      st.output = [];
      status = yield* command(cmd, st, input, background);
      input = st.output.filter((l) => l.stream === "stdout").map((l) => l.text + "\n").join("");
      st.output = [...saved, ...st.output.filter((l) => l.stream === "stderr")];
    }
  }
  return p.negated ? (status === 0 ? 1 : 0) : status;
}

function* command(cmd: Cmd, st: ScriptState, stdin: string, background: boolean): Run {
  if (++st.steps > MAX_STEPS) {
    // A loop that never sleeps spins the CPU forever; it prints nothing more we keep.
    yield { sleep: Infinity, foreground: true };
  }
  switch (cmd.type) {
    case "SimpleCommand":
      return yield* simple(cmd, st, stdin, background);
    case "If":
      for (const clause of cmd.clauses) {
        if ((yield* statements(clause.condition, st, stdin)) === 0) return yield* statements(clause.body, st, stdin);
      }
      return cmd.elseBody ? yield* statements(cmd.elseBody, st, stdin) : 0;
    case "While":
      for (;;) {
        const c = yield* statements(cmd.condition, st, stdin);
        if ((c === 0) === cmd.until) return 0;
        yield* statements(cmd.body, st, stdin);
      }
    case "For":
      for (const item of words(cmd.items ?? [], st)) {
        st.vars.set(cmd.variable, item);
        yield* statements(cmd.body, st, stdin);
      }
      return st.status;
    case "Group":
    case "Subshell":
      return yield* statements(cmd.body, st, stdin);
    default:
      return 0;
  }
}

function* simple(cmd: Simple, st: ScriptState, stdin: string, background: boolean): Run {
  for (const a of cmd.assignments) st.vars.set(a.name, words([a.value], st).join(" "));
  const argv = words(cmd.words, st);
  if (argv.length === 0) return 0;
  const before = st.output.length;
  const status = yield* utility(argv, st, stdin, background);
  redirect(cmd, st, before);
  return status;
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

function* utility(argv: string[], st: ScriptState, stdin: string, background: boolean): Run {
  const [name, ...args] = argv;
  const say = (text: string) => st.output.push(out(text));
  const complain = (text: string) => st.output.push(err(text));
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
      if (st.bgUntil > st.now) yield { sleep: st.bgUntil - st.now, foreground: false };
      return 0;
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
      if (background) st.bgUntil = Math.max(st.bgUntil, st.now + ms);
      else yield { sleep: ms, foreground: true };
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
    case "cat":
    case "tee":
    case "grep":
    case "head":
    case "wc":
      return textTool(name, args, { fs: st.fs, output: st.output, busybox: st.dialect === "ash" }, stdin);
    case "tail":
      if (args.includes("-f")) yield { sleep: Infinity, foreground: true };
      return textTool("cat", args.filter((a) => !a.startsWith("-")), { fs: st.fs, output: st.output, busybox: st.dialect === "ash" }, stdin);
    case "mkdir":
      for (const a of args.filter((x) => !x.startsWith("-"))) st.fs.mkdirp(a);
      return 0;
    case "touch":
      for (const a of args) if (!st.fs.exists(a)) st.fs.writeFile(a, "");
      return 0;
    default:
      return 0;
  }
}

/**
 * A program whose PID 1 is `argv` run by a shell (`sh -c SCRIPT`) or a single utility.
 * `tools` are the programs the image ships.
 */
export function scriptProgram(ctx: ProgramContext, argv: readonly string[], tools: ReadonlySet<string>, dialect: Dialect): ProgramRun {
  const shellName = argv[0].replace(/^.*\//, "");
  const st = new ScriptState(ctx, tools, dialect, shellName === "bash" ? "bash" : "sh");
  let gen: Run;
  const isShell = shellName === "sh" || shellName === "bash" || shellName === "ash";
  if (isShell && argv[1] === "-c") {
    let script: Script | undefined;
    try {
      script = parse(argv[2] ?? "").script;
    } catch (e) {
      st.output.push(err(`${st.name}: syntax error: ${e instanceof Error ? e.message : String(e)}`));
    }
    gen = script ? statements(script.body, st, "") : (function* (): Run { return 2; })();
  } else if (isShell) {
    // A shell without a script reads its (empty) standard input and exits.
    gen = (function* (): Run { return 0; })();
  } else {
    gen = utility([...argv.slice(0, 1).map((a) => a.replace(/^.*\//, "")), ...argv.slice(1)], st, "", false);
  }
  let waiting: Wait | undefined;
  let pendingTrap = false;
  const take = () => {
    const o = st.output;
    st.output = [];
    return o;
  };
  return {
    processes: [proc(argv.join(" "), ctx.image.user ?? 0, isShell ? 1_716 : 1_588, isShell ? 1_024 : 768, "Ss")],
    listens: [],
    step(now) {
      st.now = now;
      if (pendingTrap) return { output: take(), exitCode: st.trap ?? 0 };
      try {
        const r = gen.next();
        if (r.done) return { output: take(), exitCode: r.value };
        waiting = r.value;
        return Number.isFinite(r.value.sleep) ? { output: take(), wakeAt: now + r.value.sleep } : { output: take() };
      } catch (e) {
        if (e instanceof ExitScript) return { output: take(), exitCode: e.code };
        throw e;
      }
    },
    signal(): SignalReply {
      // PID 1 has no default action for SIGTERM: without a trap the signal is ignored, and a
      // trap only runs once the foreground command (a `sleep`) returns.
      if (st.trap === undefined) return undefined;
      if (waiting && !waiting.foreground) return { afterMs: 0, exitCode: st.trap, output: [] };
      pendingTrap = true;
      return undefined;
    },
    bindFailed: () => ({ output: [], exitCode: 1 }),
  };
}
