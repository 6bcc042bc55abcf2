import { formatPrintf } from "../text/format";
import { compileRegex } from "../text/regex";
import type { AwkExpr, AwkLValue, AwkProgram, AwkStmt } from "./ast";
import { callBuiltin } from "./builtins";
import { AwkRuntimeError } from "./errors";
import { type AwkValue, compare, StrNum, toNumber, toText, truthy } from "./values";

class NextSignal {}
class ExitSignal {
  constructor(readonly code: number) {}
}
class LoopSignal {
  constructor(readonly kind: "break" | "continue") {}
}

/** What the program reads and where `print > file` writes. */
export interface AwkHost {
  /** Text of an input operand (`-` is standard input), or the reason it cannot be read. */
  read(name: string): { text: string } | { error: string };
  /** Writes (truncating on first use when `fresh`) to a file named by `print > name`. */
  write(name: string, text: string, fresh: boolean): void;
  environment: readonly [string, string][];
}

const MAX_LOOP_ITERATIONS = 100_000;

/**
 * Runs a parsed awk program over its operands (files, or `name=value` assignments applied when
 * reached) or standard input. Returns what was printed and the exit status.
 *
 * @example
 * new AwkInterpreter(parseAwk("{ print $2 }"), host).run(["-"]); // { stdout: "b\n", exitCode: 0 }
 */
export class AwkInterpreter {
  readonly vars = new Map<string, AwkValue>([
    ["FS", " "], ["OFS", " "], ["ORS", "\n"], ["RS", "\n"], ["SUBSEP", "\x1c"], ["CONVFMT", "%.6g"],
    ["OFMT", "%.6g"], ["NR", 0], ["FNR", 0], ["FILENAME", ""], ["RSTART", 0], ["RLENGTH", -1],
  ]);
  readonly arrays = new Map<string, Map<string, AwkValue>>();
  private record = "";
  private fields: string[] = [];
  private stdout = "";
  private readonly opened = new Set<string>();
  private readonly inRange = new Set<number>();
  private iterations = 0;

  constructor(
    private readonly program: AwkProgram,
    private readonly host: AwkHost,
  ) {
    this.arrays.set("ENVIRON", new Map(host.environment.map(([k, v]) => [k, new StrNum(v)])));
  }

  run(operands: readonly string[]): { stdout: string; stderr: string; exitCode: number } {
    let exitCode = 0;
    try {
      try {
        for (const block of this.program.begin) this.statements(block);
        if (this.program.rules.length > 0 || this.program.end.length > 0) this.input(operands);
      } catch (signal) {
        if (!(signal instanceof ExitSignal)) throw signal;
        exitCode = signal.code;
      }
      try {
        for (const block of this.program.end) this.statements(block);
      } catch (signal) {
        if (!(signal instanceof ExitSignal)) throw signal;
        exitCode = signal.code;
      }
    } catch (error) {
      if (error instanceof AwkRuntimeError) return { stdout: this.stdout, stderr: `awk: ${error.message}\n`, exitCode: 2 };
      throw error;
    }
    return { stdout: this.stdout, stderr: "", exitCode };
  }

  private input(operands: readonly string[]): void {
    const files = operands.filter((o) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(o));
    for (const operand of files.length > 0 ? operands : [...operands, "-"]) {
      const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(operand);
      if (assignment) {
        this.vars.set(assignment[1], new StrNum(assignment[2]));
        continue;
      }
      const read = this.host.read(operand);
      if ("error" in read) throw new AwkRuntimeError(`cannot open ${operand} (${read.error})`);
      this.vars.set("FILENAME", operand === "-" ? "" : operand);
      this.vars.set("FNR", 0);
      for (const record of this.records(read.text)) {
        this.vars.set("NR", toNumber(this.vars.get("NR")) + 1);
        this.vars.set("FNR", toNumber(this.vars.get("FNR")) + 1);
        this.setRecord(record);
        try {
          this.rules();
        } catch (signal) {
          if (!(signal instanceof NextSignal)) throw signal;
        }
      }
    }
  }

  private records(text: string): string[] {
    const rs = toText(this.vars.get("RS"));
    if (rs === "") return text.split(/\n\n+/).map((r) => r.replace(/^\n+|\n+$/g, "")).filter((r) => r !== "");
    const parts = text.split(rs[0] ?? "\n");
    if (parts.at(-1) === "") parts.pop();
    return parts;
  }

  private rules(): void {
    this.program.rules.forEach((rule, index) => {
      let matched: boolean;
      if (rule.until === null) matched = rule.pattern === null || truthy(this.eval(rule.pattern));
      else if (this.inRange.has(index)) {
        matched = true;
        if (truthy(this.eval(rule.until))) this.inRange.delete(index);
      } else {
        matched = rule.pattern !== null && truthy(this.eval(rule.pattern));
        if (matched && !truthy(this.eval(rule.until))) this.inRange.add(index);
      }
      if (!matched) return;
      if (rule.action === null) this.print([this.record]);
      else this.statements(rule.action);
    });
  }

  setRecord(text: string): void {
    this.record = text;
    this.fields = ["", ...this.split(text, toText(this.vars.get("FS")))];
  }

  /** Fields of `text` by an awk field separator: blanks for " ", a literal character, or an ERE. */
  split(text: string, fs: string): string[] {
    if (fs === " ") return text.split(/[ \t\n]+/).filter((f) => f !== "");
    if (text === "") return [];
    if (fs.length === 1 && fs !== "\\") return text.split(fs);
    return text.split(this.regex(fs));
  }

  regex(source: string, global = false): RegExp {
    return compileRegex(source, { extended: true, global });
  }

  private get nf(): number {
    return this.fields.length - 1;
  }

  getField(index: number): AwkValue {
    if (index < 0) throw new AwkRuntimeError(`trying to access out of range field ${index}`);
    if (index === 0) return new StrNum(this.record);
    return new StrNum(this.fields[index] ?? "");
  }

  setField(index: number, value: string): void {
    if (index === 0) return this.setRecord(value);
    while (this.fields.length <= index) this.fields.push("");
    this.fields[index] = value;
    this.rebuild();
  }

  private rebuild(): void {
    this.record = this.fields.slice(1).join(toText(this.vars.get("OFS")));
  }

  getVar(name: string): AwkValue {
    return name === "NF" ? this.nf : this.vars.get(name);
  }

  setVar(name: string, value: AwkValue): void {
    if (name !== "NF") {
      this.vars.set(name, value);
      return;
    }
    const count = Math.max(0, Math.trunc(toNumber(value)));
    this.fields = [...this.fields.slice(0, count + 1), ...new Array<string>(Math.max(0, count + 1 - this.fields.length)).fill("")];
    this.rebuild();
  }

  array(name: string): Map<string, AwkValue> {
    let array = this.arrays.get(name);
    if (!array) {
      array = new Map();
      this.arrays.set(name, array);
    }
    return array;
  }

  private key(keys: AwkExpr[]): string {
    return keys.map((k) => toText(this.eval(k), toText(this.vars.get("CONVFMT")))).join(toText(this.vars.get("SUBSEP")));
  }

  private print(values: AwkValue[]): void {
    const ofmt = toText(this.vars.get("OFMT"));
    this.stdout += values.map((v) => toText(v, ofmt)).join(toText(this.vars.get("OFS"))) + toText(this.vars.get("ORS"));
  }

  private tick(): void {
    if (++this.iterations > MAX_LOOP_ITERATIONS) throw new AwkRuntimeError(`program stopped after ${MAX_LOOP_ITERATIONS} loop iterations`);
  }

  private statements(list: AwkStmt[]): void {
    for (const statement of list) this.statement(statement);
  }

  private loopBody(body: AwkStmt): "break" | "continue" {
    this.tick();
    try {
      this.statement(body);
    } catch (signal) {
      if (signal instanceof LoopSignal) return signal.kind;
      throw signal;
    }
    return "continue";
  }

  private statement(s: AwkStmt): void {
    switch (s.type) {
      case "expr":
        this.eval(s.expr);
        return;
      case "block":
        return this.statements(s.body);
      case "print": {
        const values = s.args.length === 0 ? [new StrNum(this.record)] : s.args.map((a) => this.eval(a));
        const before = this.stdout;
        if (s.printf) {
          const [format, ...rest] = values;
          this.stdout += formatPrintf(toText(format), rest.map((v) => (typeof v === "number" ? String(v) : toText(v))), { lenient: true }).text;
        } else this.print(values);
        if (s.redirect) {
          const name = toText(this.eval(s.redirect.target));
          this.host.write(name, this.stdout.slice(before.length), !s.redirect.append && !this.opened.has(name));
          this.opened.add(name);
          this.stdout = before;
        }
        return;
      }
      case "if":
        if (truthy(this.eval(s.test))) this.statement(s.then);
        else if (s.otherwise) this.statement(s.otherwise);
        return;
      case "while":
        if (s.doWhile && this.loopBody(s.body) === "break") return;
        while (truthy(this.eval(s.test))) if (this.loopBody(s.body) === "break") return;
        return;
      case "for":
        if (s.init) this.eval(s.init);
        for (; s.test === null || truthy(this.eval(s.test)); s.step && this.eval(s.step)) {
          if (this.loopBody(s.body) === "break") return;
        }
        return;
      case "forIn":
        for (const key of [...this.array(s.array).keys()]) {
          this.setVar(s.variable, new StrNum(key));
          if (this.loopBody(s.body) === "break") return;
        }
        return;
      case "delete":
        if (s.keys === null) this.array(s.array).clear();
        else this.array(s.array).delete(this.key(s.keys));
        return;
      case "exit":
        throw new ExitSignal(s.code === null ? 0 : toNumber(this.eval(s.code)) & 255);
      case "next":
        throw new NextSignal();
      case "break":
      case "continue":
        throw new LoopSignal(s.type);
    }
  }

  assign(target: AwkLValue, value: AwkValue): AwkValue {
    if (target.type === "var") this.setVar(target.name, value);
    else if (target.type === "index") this.array(target.name).set(this.key(target.keys), value);
    else this.setField(Math.trunc(toNumber(this.eval(target.index))), toText(value, toText(this.vars.get("CONVFMT"))));
    return value;
  }

  eval(e: AwkExpr): AwkValue {
    switch (e.type) {
      case "num":
        return e.value;
      case "str":
        return e.value;
      case "regex":
        return this.regex(e.source).test(this.record) ? 1 : 0;
      case "field":
        return this.getField(Math.trunc(toNumber(this.eval(e.index))));
      case "var":
        return this.getVar(e.name);
      case "index": {
        // Referring to an element creates it, as in every awk (`x[k]; if (k in x)` is true).
        const array = this.array(e.name);
        const key = this.key(e.keys);
        if (!array.has(key)) array.set(key, undefined);
        return array.get(key);
      }
      case "in":
        return this.array(e.array).has(this.key(e.keys)) ? 1 : 0;
      case "assign": {
        const value = this.eval(e.value);
        if (e.op === "=") return this.assign(e.target, value);
        return this.assign(e.target, arithmetic(e.op.slice(0, -1), toNumber(this.eval(e.target)), toNumber(value)));
      }
      case "cond":
        return truthy(this.eval(e.test)) ? this.eval(e.yes) : this.eval(e.no);
      case "incdec": {
        const old = toNumber(this.eval(e.target));
        const updated = old + (e.op === "++" ? 1 : -1);
        this.assign(e.target, updated);
        return e.prefix ? updated : old;
      }
      case "unary": {
        const value = this.eval(e.arg);
        return e.op === "!" ? (truthy(value) ? 0 : 1) : e.op === "-" ? -toNumber(value) : toNumber(value);
      }
      case "match": {
        const pattern = e.right.type === "regex" ? e.right.source : toText(this.eval(e.right));
        const hit = this.regex(pattern).test(toText(this.eval(e.left)));
        return hit !== e.negate ? 1 : 0;
      }
      case "call":
        return callBuiltin(this, e.name, e.args);
      case "binary":
        return this.binary(e.op, e.left, e.right);
    }
  }

  private binary(op: string, left: AwkExpr, right: AwkExpr): AwkValue {
    if (op === "&&") return truthy(this.eval(left)) && truthy(this.eval(right)) ? 1 : 0;
    if (op === "||") return truthy(this.eval(left)) || truthy(this.eval(right)) ? 1 : 0;
    const [a, b] = [this.eval(left), this.eval(right)];
    if (op === " ") {
      const convfmt = toText(this.vars.get("CONVFMT"));
      return toText(a, convfmt) + toText(b, convfmt);
    }
    switch (op) {
      case "<":
        return compare(a, b) < 0 ? 1 : 0;
      case "<=":
        return compare(a, b) <= 0 ? 1 : 0;
      case ">":
        return compare(a, b) > 0 ? 1 : 0;
      case ">=":
        return compare(a, b) >= 0 ? 1 : 0;
      case "==":
        return compare(a, b) === 0 ? 1 : 0;
      case "!=":
        return compare(a, b) !== 0 ? 1 : 0;
    }
    return arithmetic(op, toNumber(a), toNumber(b));
  }
}

function arithmetic(op: string, a: number, b: number): number {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return a / b;
    case "%":
      return a % b;
    default:
      return a ** b;
  }
}
