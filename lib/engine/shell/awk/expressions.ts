import type { AwkExpr, AwkLValue } from "./ast";
import { AwkSyntaxError } from "./errors";
import type { AwkToken } from "./lexer";

const ASSIGN_OPS = new Set(["=", "+=", "-=", "*=", "/=", "%=", "^="]);
const COMPARE_OPS = new Set(["<", "<=", "==", "!=", ">", ">="]);

/**
 * Token handling and awk's expression grammar, by precedence: ?: (and assignment), ||, &&,
 * in, ~ !~, comparisons, concatenation, + -, * / %, unary, ^, ++/--, $ and primaries.
 * The statement parser builds on it.
 */
export class AwkExpressionParser {
  protected i = 0;
  /** Inside print's argument list `>` redirects instead of comparing. */
  protected printDepth = 0;

  constructor(protected readonly tokens: AwkToken[]) {}

  protected peek(offset = 0): AwkToken {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)];
  }

  protected next(): AwkToken {
    return this.tokens[this.i++];
  }

  protected is(value: string): boolean {
    const t = this.peek();
    return (t.kind === "op" || t.kind === "keyword") && t.value === value;
  }

  protected fail(token: AwkToken = this.peek()): never {
    throw new AwkSyntaxError(token.line, token.kind === "newline" ? "end of line" : String(token.value));
  }

  protected expect(value: string): void {
    if (!this.is(value)) this.fail();
    this.i++;
  }

  protected newlines(): void {
    while (this.peek().kind === "newline") this.i++;
  }

  /** Statement terminators: newlines and semicolons. */
  protected terminators(): void {
    while (this.peek().kind === "newline" || this.is(";")) this.i++;
  }

  protected subscript(): AwkExpr[] {
    this.expect("[");
    const keys = [this.expr()];
    while (this.is(",")) {
      this.i++;
      keys.push(this.expr());
    }
    this.expect("]");
    return keys;
  }

  expr(): AwkExpr {
    return this.ternary();
  }

  private ternary(): AwkExpr {
    const test = this.or();
    if (!this.is("?")) {
      if (this.peek().kind === "op" && ASSIGN_OPS.has(String(this.peek().value))) return this.assignment(test);
      return test;
    }
    this.i++;
    this.newlines();
    const yes = this.ternary();
    this.newlines();
    this.expect(":");
    this.newlines();
    return { type: "cond", test, yes, no: this.ternary() };
  }

  private assignment(target: AwkExpr): AwkExpr {
    if (target.type !== "var" && target.type !== "index" && target.type !== "field") this.fail();
    const op = String(this.next().value);
    this.newlines();
    return { type: "assign", op, target, value: this.ternary() };
  }

  private or(): AwkExpr {
    let left = this.and();
    while (this.is("||")) {
      this.i++;
      this.newlines();
      left = { type: "binary", op: "||", left, right: this.and() };
    }
    return left;
  }

  private and(): AwkExpr {
    let left = this.inExpr();
    while (this.is("&&")) {
      this.i++;
      this.newlines();
      left = { type: "binary", op: "&&", left, right: this.inExpr() };
    }
    return left;
  }

  private inExpr(): AwkExpr {
    let left = this.matchExpr();
    while (this.is("in")) {
      this.i++;
      const array = this.next();
      if (array.kind !== "name") this.fail(array);
      left = { type: "in", keys: [left], array: array.value };
    }
    return left;
  }

  private matchExpr(): AwkExpr {
    let left = this.comparison();
    while (this.is("~") || this.is("!~")) {
      const negate = this.next().value === "!~";
      left = { type: "match", negate, left, right: this.comparison() };
    }
    return left;
  }

  private comparison(): AwkExpr {
    const left = this.concatenation();
    const t = this.peek();
    if (t.kind === "op" && COMPARE_OPS.has(t.value) && !(t.value === ">" && this.printDepth > 0)) {
      this.i++;
      return { type: "binary", op: t.value, left, right: this.concatenation() };
    }
    return left;
  }

  /** Whether the next token begins an operand, which makes juxtaposition a concatenation. */
  private startsOperand(): boolean {
    const t = this.peek();
    if (t.kind === "number" || t.kind === "string" || t.kind === "name" || t.kind === "call") return true;
    return t.kind === "op" && (t.value === "$" || t.value === "(");
  }

  protected concatenation(): AwkExpr {
    let left = this.additive();
    while (this.startsOperand()) {
      left = { type: "binary", op: " ", left, right: this.additive() };
    }
    return left;
  }

  private additive(): AwkExpr {
    let left = this.multiplicative();
    while (this.is("+") || this.is("-")) {
      const op = String(this.next().value);
      left = { type: "binary", op, left, right: this.multiplicative() };
    }
    return left;
  }

  private multiplicative(): AwkExpr {
    let left = this.unary();
    while (this.is("*") || this.is("/") || this.is("%")) {
      const op = String(this.next().value);
      left = { type: "binary", op, left, right: this.unary() };
    }
    return left;
  }

  private unary(): AwkExpr {
    if (this.is("!") || this.is("-") || this.is("+")) {
      const op = String(this.next().value);
      return { type: "unary", op, arg: this.unary() };
    }
    return this.power();
  }

  private power(): AwkExpr {
    const base = this.postfix();
    if (!this.is("^")) return base;
    this.i++;
    return { type: "binary", op: "^", left: base, right: this.unary() };
  }

  private postfix(): AwkExpr {
    if (this.is("++") || this.is("--")) {
      const op = this.next().value as "++" | "--";
      return { type: "incdec", op, prefix: true, target: this.lvalue(this.primary()) };
    }
    const value = this.primary();
    if ((this.is("++") || this.is("--")) && (value.type === "var" || value.type === "index" || value.type === "field")) {
      const op = this.next().value as "++" | "--";
      return { type: "incdec", op, prefix: false, target: value };
    }
    return value;
  }

  private lvalue(expr: AwkExpr): AwkLValue {
    if (expr.type !== "var" && expr.type !== "index" && expr.type !== "field") this.fail();
    return expr;
  }

  private primary(): AwkExpr {
    const t = this.next();
    switch (t.kind) {
      case "number":
        return { type: "num", value: t.value };
      case "string":
        return { type: "str", value: t.value };
      case "regex":
        return { type: "regex", source: t.value };
      case "name":
        return this.is("[") ? { type: "index", name: t.value, keys: this.subscript() } : { type: "var", name: t.value };
      case "call": {
        this.expect("(");
        const args: AwkExpr[] = [];
        this.newlines();
        while (!this.is(")")) {
          args.push(this.expr());
          this.newlines();
          if (!this.is(")")) this.expect(",");
          this.newlines();
        }
        this.i++;
        return { type: "call", name: t.value, args };
      }
      case "op":
        if (t.value === "$") {
          if (this.is("++") || this.is("--") || this.is("-")) return { type: "field", index: this.unary() };
          return { type: "field", index: this.primary() };
        }
        if (t.value === "(") {
          const depth = this.printDepth;
          this.printDepth = 0;
          const inner = this.expr();
          this.printDepth = depth;
          if (this.is(",")) {
            const keys = [inner];
            while (this.is(",")) {
              this.i++;
              keys.push(this.expr());
            }
            this.expect(")");
            this.expect("in");
            const array = this.next();
            if (array.kind !== "name") this.fail(array);
            return { type: "in", keys, array: array.value };
          }
          this.expect(")");
          return inner;
        }
    }
    return this.fail(t);
  }
}
