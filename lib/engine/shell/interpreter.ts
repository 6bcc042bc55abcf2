import { ArithError } from "./arith";
import { CommandRunner } from "./command-runner";
import { evaluateConditional } from "./conditional";
import { TestError } from "./conditions";
import { arithmetic, expandPattern, expandWord, expandWords, ExpansionError } from "./expand";
import { BufferSink, InputStream, type IO } from "./io";
import { matchGlob } from "./pattern";
import { applyRedirects } from "./redirects";
import { ExitSignal, LoopSignal, StepLimitError } from "./signals";
import type { CaseCommand, Command, CondCommand, ForCommand, IfCommand, Pipeline, Statement, WhileCommand } from "./syntax/ast";
import { RegexError } from "./text/regex";

export type { InterpreterHost } from "./command-runner";

/**
 * Walks the syntax tree. Pipelines run their stages one after another over buffered text,
 * each stage in a subshell as bash does; `$(…)` and `( … )` get a copy of the variables and
 * directory; loops count iterations against the step limit.
 *
 * @example
 * const interpreter = new Interpreter(host, 10_000);
 * await interpreter.runStatement(parse("echo hi").script.body[0], io);
 */
export class Interpreter extends CommandRunner {
  async runStatement(statement: Statement, io: IO): Promise<number> {
    const pipelines = [statement.first, ...statement.rest.map((r) => r.pipeline)];
    // Only the last pipeline of an and-or list can trip `set -e`; the others are conditions.
    const guarded = statement.rest.length > 0 ? 1 : 0;
    this.conditions += guarded;
    let status: number;
    try {
      status = await this.pipeline(statement.first, io);
    } finally {
      this.conditions -= guarded;
    }
    let last = 0;
    for (const [index, { op, pipeline }] of statement.rest.entries()) {
      if ((op === "&&") !== (status === 0)) continue;
      const final = index === statement.rest.length - 1;
      if (!final) this.conditions++;
      try {
        status = await this.pipeline(pipeline, io);
      } finally {
        if (!final) this.conditions--;
      }
      last = index + 1;
    }
    const tripped = status !== 0 && last === pipelines.length - 1 && !pipelines[last].negated && this.conditions === 0;
    if (tripped && this.host.location().options.has("errexit")) throw new ExitSignal(status);
    return status;
  }

  protected async list(statements: readonly Statement[], io: IO): Promise<number> {
    let status = 0;
    for (const statement of statements) status = await this.runStatement(statement, io);
    return status;
  }

  /** An if/while condition: its failures never trip `set -e`. */
  private async condition(statements: readonly Statement[], io: IO): Promise<number> {
    this.conditions++;
    try {
      return await this.list(statements, io);
    } finally {
      this.conditions--;
    }
  }

  private async pipeline(pipeline: Pipeline, io: IO): Promise<number> {
    let status = 0;
    if (pipeline.commands.length === 1) {
      status = await this.command(pipeline.commands[0], io);
    } else {
      let stdin = io.stdin;
      let failed = 0;
      for (const [index, command] of pipeline.commands.entries()) {
        const last = index === pipeline.commands.length - 1;
        const stdout = last ? io.stdout : new BufferSink();
        status = await this.subshell(() => this.command(command, { stdin, stdout, stderr: io.stderr }));
        if (status !== 0) failed = status;
        if (stdout instanceof BufferSink) stdin = new InputStream(stdout.text);
      }
      if (this.host.location().options.has("pipefail")) status = failed;
    }
    if (pipeline.negated) status = status === 0 ? 1 : 0;
    this.lastStatus = status;
    return status;
  }

  private async command(command: Command, outer: IO): Promise<number> {
    if (command.type === "SimpleCommand") return this.simple(command, outer);
    const redirected = await applyRedirects(command.redirects, outer, this.expandContext(outer));
    if ("error" in redirected) {
      outer.stderr.write(redirected.error);
      return 1;
    }
    const io = redirected.io;
    switch (command.type) {
      case "If":
        return this.ifCommand(command, io);
      case "For":
        return this.forCommand(command, io);
      case "While":
        return this.whileCommand(command, io);
      case "Group":
        return this.list(command.body, io);
      case "Subshell":
        return this.subshell(() => this.list(command.body, io));
      case "Cond":
        return this.conditional(command, io);
      case "Case":
        return this.caseCommand(command, io);
      case "ArithCommand":
        try {
          return arithmetic(command.expression, this.expandContext(io)) !== 0 ? 0 : 1;
        } catch (error) {
          if (!(error instanceof ExpansionError)) throw error;
          io.stderr.write(`bash: ((: ${error.message}\n`);
          return 1;
        }
    }
  }

  private async conditional(command: CondCommand, io: IO): Promise<number> {
    const cx = this.expandContext(io);
    try {
      return (await evaluateConditional(command.expr, cx, this.context(io, cx.vars))) ? 0 : 1;
    } catch (error) {
      const known = error instanceof ExpansionError || error instanceof TestError || error instanceof ArithError || error instanceof RegexError;
      if (!known) throw error;
      io.stderr.write(`bash: ${error.message}\n`);
      return error instanceof ExpansionError ? 1 : 2;
    }
  }

  private async caseCommand(command: CaseCommand, io: IO): Promise<number> {
    const cx = this.expandContext(io);
    const subject = await this.expandOrReport(() => expandWord(command.word, cx), io);
    if (subject === null) return 1;
    for (const item of command.items) {
      for (const pattern of item.patterns) {
        if (matchGlob(await expandPattern(pattern, cx), subject)) return this.list(item.body, io);
      }
    }
    return 0;
  }

  private async ifCommand(command: IfCommand, io: IO): Promise<number> {
    for (const clause of command.clauses) {
      if ((await this.condition(clause.condition, io)) === 0) return this.list(clause.body, io);
    }
    return command.elseBody ? this.list(command.elseBody, io) : 0;
  }

  private async forCommand(command: ForCommand, io: IO): Promise<number> {
    const items = command.items ? await this.expandOrReport(() => expandWords(command.items ?? [], this.expandContext(io)), io) : [];
    if (items === null) return 1;
    let status = 0;
    await this.loop(async () => {
      const item = items.shift();
      if (item === undefined) return false;
      this.host.location().vars.set(command.variable, item);
      status = await this.list(command.body, io);
      return true;
    });
    return status;
  }

  private async whileCommand(command: WhileCommand, io: IO): Promise<number> {
    let status = 0;
    await this.loop(async () => {
      const condition = await this.condition(command.condition, io);
      if ((condition === 0) === command.until) return false;
      status = await this.list(command.body, io);
      return true;
    });
    return status;
  }

  /** Runs iterations until one returns false, honouring `break`/`continue` and the step limit. */
  private async loop(iteration: () => Promise<boolean>): Promise<void> {
    this.loopDepth++;
    try {
      for (;;) {
        if (++this.steps > this.maxSteps) throw new StepLimitError(this.maxSteps);
        this.host.interruption?.step();
        try {
          if (!(await iteration())) return;
        } catch (signal) {
          if (!(signal instanceof LoopSignal)) throw signal;
          if (signal.levels > 1) {
            signal.levels--;
            throw signal;
          }
          if (signal.kind === "break") return;
        }
      }
    } finally {
      this.loopDepth--;
    }
  }
}
