import { evalArith } from "./arith";
import { binary, unary } from "./conditions";
import { type ExpandContext, expandPattern, expandRegex, expandWord } from "./expand";
import { matchGlob } from "./pattern";
import type { CondExpr } from "./syntax/ast";
import { compileRegex } from "./text/regex";
import type { CommandContext } from "./types";

const ARITHMETIC = new Set(["-eq", "-ne", "-lt", "-gt", "-le", "-ge"]);

/**
 * Evaluates `[[ … ]]`. Words expand without splitting or globbing; the right side of `==`/`!=`
 * is a pattern and of `=~` an extended regex (quoted parts literal); `-eq` and friends compare
 * arithmetic expressions. Throws TestError, ArithError or RegexError for bad operands.
 *
 * @example
 * await evaluateConditional(parse("[[ $f == *.txt ]]")…expr, cx, ctx); // true for f=a.txt
 */
export async function evaluateConditional(expr: CondExpr, cx: ExpandContext, ctx: CommandContext): Promise<boolean> {
  switch (expr.kind) {
    case "and":
      return (await evaluateConditional(expr.left, cx, ctx)) && evaluateConditional(expr.right, cx, ctx);
    case "or":
      return (await evaluateConditional(expr.left, cx, ctx)) || evaluateConditional(expr.right, cx, ctx);
    case "not":
      return !(await evaluateConditional(expr.expr, cx, ctx));
    case "word":
      return (await expandWord(expr.word, cx)) !== "";
    case "unary":
      return unary(expr.op, await expandWord(expr.word, cx), ctx);
    case "binary": {
      const left = await expandWord(expr.left, cx);
      switch (expr.op) {
        case "=":
        case "==":
        case "!=":
          return matchGlob(await expandPattern(expr.right, cx), left) === (expr.op !== "!=");
        case "=~":
          return compileRegex(await expandRegex(expr.right, cx), { extended: true }).test(left);
      }
      const right = await expandWord(expr.right, cx);
      if (!ARITHMETIC.has(expr.op)) return binary(left, expr.op, right, ctx);
      const scope = { get: (name: string) => cx.vars.get(name), set: (name: string, value: string) => cx.vars.set(name, value) };
      return binary(String(evalArith(left, scope)), expr.op, String(evalArith(right, scope)), ctx);
    }
  }
}
