import { done } from "../command-kit";
import { BINARY, binary, TestError, UNARY, unary } from "../conditions";
import type { Command, CommandContext, CommandResult } from "../types";

/** POSIX's rules by argument count, then a recursive parser for longer expressions. */
function evaluate(args: string[], ctx: CommandContext): boolean {
  switch (args.length) {
    case 0:
      return false;
    case 1:
      return args[0] !== "";
    case 2:
      if (args[0] === "!") return !evaluate(args.slice(1), ctx);
      if (UNARY.has(args[0])) return unary(args[0], args[1], ctx);
      throw new TestError(`${args[0]}: unary operator expected`);
    case 3:
      if (BINARY.has(args[1])) return binary(args[0], args[1], args[2], ctx);
      if (args[1] === "-a" || args[1] === "-o") return args[1] === "-a" ? args[0] !== "" && args[2] !== "" : args[0] !== "" || args[2] !== "";
      if (args[0] === "!") return !evaluate(args.slice(1), ctx);
      if (args[0] === "(" && args[2] === ")") return evaluate([args[1]], ctx);
      throw new TestError(`${args[1]}: binary operator expected`);
    case 4:
      if (args[0] === "!") return !evaluate(args.slice(1), ctx);
      if (args[0] === "(" && args[3] === ")") return evaluate(args.slice(1, 3), ctx);
  }
  return new Expression(args, ctx).run();
}

class Expression {
  private i = 0;

  constructor(
    private readonly args: string[],
    private readonly ctx: CommandContext,
  ) {}

  run(): boolean {
    const value = this.or();
    if (this.i < this.args.length) throw new TestError("too many arguments");
    return value;
  }

  private or(): boolean {
    let value = this.and();
    while (this.args[this.i] === "-o") {
      this.i++;
      value = this.and() || value;
    }
    return value;
  }

  private and(): boolean {
    let value = this.not();
    while (this.args[this.i] === "-a") {
      this.i++;
      value = this.not() && value;
    }
    return value;
  }

  private not(): boolean {
    if (this.args[this.i] === "!") {
      this.i++;
      return !this.not();
    }
    return this.primary();
  }

  private primary(): boolean {
    const [a, b, c] = this.args.slice(this.i, this.i + 3);
    if (a === undefined) throw new TestError("argument expected");
    if (a === "(") {
      this.i++;
      const value = this.or();
      if (this.args[this.i] !== ")") throw new TestError("`)' expected");
      this.i++;
      return value;
    }
    if (b !== undefined && c !== undefined && BINARY.has(b)) {
      this.i += 3;
      return binary(a, b, c, this.ctx);
    }
    if (UNARY.has(a) && b !== undefined) {
      this.i += 2;
      return unary(a, b, this.ctx);
    }
    this.i++;
    return a !== "";
  }
}

function runTest(name: string, args: readonly string[], ctx: CommandContext): CommandResult {
  let words = [...args];
  if (name === "[") {
    if (words.at(-1) !== "]") return done("", "bash: [: missing `]'\n", 2);
    words = words.slice(0, -1);
  }
  try {
    return done("", "", evaluate(words, ctx) ? 0 : 1);
  } catch (error) {
    if (error instanceof TestError) return done("", `bash: ${name}: ${error.message}\n`, 2);
    throw error;
  }
}

const description = "Exits with a status of 0 (true) or 1 (false) depending on\nthe evaluation of EXPR.";

/** bash's builtin test. */
export const test: Command = {
  name: "test",
  summary: "evaluate conditional expression",
  usage: "test [expr]",
  description,
  builtin: true,
  path: "/usr/bin/test",
  spec: { raw: true, flags: [] },
  run: (args, ctx) => runTest("test", args.operands, ctx),
};

/** bash's builtin `[`, test with a closing `]`. */
export const bracket: Command = {
  name: "[",
  summary: "evaluate conditional expression",
  usage: "[ arg... ]",
  description,
  builtin: true,
  path: "/usr/bin/[",
  spec: { raw: true, flags: [] },
  run: (args, ctx) => runTest("[", args.operands, ctx),
};
