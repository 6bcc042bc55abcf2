import { formatPrintf } from "../text/format";
import type { AwkExpr } from "./ast";
import { AwkRuntimeError } from "./errors";
import type { AwkInterpreter } from "./interpreter";
import { type AwkValue, StrNum, toNumber, toText } from "./values";

/** A regex argument: a `/re/` literal is taken as a pattern, anything else as its text. */
function pattern(run: AwkInterpreter, arg: AwkExpr | undefined): string {
  if (!arg) return "";
  return arg.type === "regex" ? arg.source : toText(run.eval(arg));
}

function text(run: AwkInterpreter, arg: AwkExpr | undefined): string {
  return arg ? toText(run.eval(arg), toText(run.vars.get("CONVFMT"))) : toText(run.getField(0));
}

/** sub/gsub: `&` in the replacement is the match, `\&` a literal ampersand. */
function substitute(run: AwkInterpreter, args: AwkExpr[], global: boolean): number {
  const [re, replacement, target] = args;
  const lvalue = target ?? { type: "field" as const, index: { type: "num" as const, value: 0 } };
  if (lvalue.type !== "var" && lvalue.type !== "index" && lvalue.type !== "field") throw new AwkRuntimeError("sub: third argument is not a variable");
  const subject = toText(run.eval(lvalue));
  const repl = toText(run.eval(replacement));
  let count = 0;
  const result = subject.replace(run.regex(pattern(run, re), true), (match: string) => {
    if (!global && count > 0) return match;
    count++;
    return repl.replace(/\\\\&|\\&|&/g, (token) => (token === "&" ? match : token === "\\&" ? "&" : "\\&"));
  });
  if (count > 0) run.assign(lvalue, result);
  return count;
}

/** The awk built-in functions this subset has; others are reported as never defined. */
export function callBuiltin(run: AwkInterpreter, name: string, args: AwkExpr[]): AwkValue {
  const num = (i: number) => toNumber(args[i] ? run.eval(args[i]) : undefined);
  switch (name) {
    case "length": {
      const arg = args[0];
      if (arg?.type === "var" && run.arrays.has(arg.name)) return run.array(arg.name).size;
      return [...text(run, arg)].length;
    }
    case "substr": {
      const chars = [...text(run, args[0])];
      const start = Math.round(num(1));
      const end = args.length > 2 ? start + Math.round(num(2)) : Infinity;
      return chars.slice(Math.max(start, 1) - 1, Math.max(0, Math.min(end, chars.length + 1) - 1)).join("");
    }
    case "index":
      return text(run, args[0]).indexOf(text(run, args[1])) + 1;
    case "split": {
      const target = args[1];
      if (target?.type !== "var") throw new AwkRuntimeError("split: second argument is not an array");
      const parts = run.split(text(run, args[0]), args[2] ? pattern(run, args[2]) : toText(run.vars.get("FS")));
      const array = run.array(target.name);
      array.clear();
      parts.forEach((part, i) => array.set(String(i + 1), new StrNum(part)));
      return parts.length;
    }
    case "sub":
    case "gsub":
      return substitute(run, args, name === "gsub");
    case "match": {
      const m = run.regex(pattern(run, args[1])).exec(text(run, args[0]));
      run.vars.set("RSTART", m ? [...text(run, args[0]).slice(0, m.index)].length + 1 : 0);
      run.vars.set("RLENGTH", m ? [...m[0]].length : -1);
      return run.vars.get("RSTART");
    }
    case "sprintf": {
      const [format, ...rest] = args.map((a) => run.eval(a));
      return formatPrintf(toText(format), rest.map((v) => (typeof v === "number" ? String(v) : toText(v))), { lenient: true }).text;
    }
    case "tolower":
      return text(run, args[0]).toLowerCase();
    case "toupper":
      return text(run, args[0]).toUpperCase();
    case "int":
      return Math.trunc(num(0));
    case "sqrt":
      return Math.sqrt(num(0));
    case "exp":
      return Math.exp(num(0));
    case "log":
      return Math.log(num(0));
    case "sin":
      return Math.sin(num(0));
    case "cos":
      return Math.cos(num(0));
    case "atan2":
      return Math.atan2(num(0), num(1));
  }
  throw new AwkRuntimeError(`function ${name} never defined`);
}
