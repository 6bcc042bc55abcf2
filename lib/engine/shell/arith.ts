/** What arithmetic reads and assigns. */
export interface ArithScope {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

/** An arithmetic failure in bash's words, e.g. `1/0: division by 0 (error token is "0")`. */
export class ArithError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ArithError";
  }
}

const TOKEN = /\s*(\d+#[0-9A-Za-z@_]+|0[xX][0-9a-fA-F]+|\d+|[A-Za-z_][A-Za-z0-9_]*|\*\*=?|<<=?|>>=?|\+\+|--|&&|\|\||[=!<>]=|[-+*\/%&|^]=|[-+*\/%()<>!~?:=&|^,])/y;

const BINARY: Record<string, [number, (a: number, b: number) => number]> = {
  "||": [1, (a, b) => +(a !== 0 || b !== 0)],
  "&&": [2, (a, b) => +(a !== 0 && b !== 0)],
  "|": [3, (a, b) => a | b],
  "^": [4, (a, b) => a ^ b],
  "&": [5, (a, b) => a & b],
  "==": [6, (a, b) => +(a === b)],
  "!=": [6, (a, b) => +(a !== b)],
  "<": [7, (a, b) => +(a < b)],
  ">": [7, (a, b) => +(a > b)],
  "<=": [7, (a, b) => +(a <= b)],
  ">=": [7, (a, b) => +(a >= b)],
  "<<": [8, (a, b) => a << b],
  ">>": [8, (a, b) => a >> b],
  "+": [9, (a, b) => a + b],
  "-": [9, (a, b) => a - b],
  "*": [10, (a, b) => a * b],
  "/": [10, (a, b) => Math.trunc(a / b)],
  "%": [10, (a, b) => a % b],
  "**": [11, (a, b) => a ** b],
};

/**
 * Evaluates bash arithmetic (`$((…))`): integers, variables (unset or empty is 0), the C
 * operators with bash's precedence, `**`, assignments (`=`, `+=`, …, `++`, `--`) and `?:`.
 *
 * @example
 * evalArith("i += 2 * 3", scope); // 6 when i was 0, and i is now "6"
 */
export function evalArith(expression: string, scope: ArithScope, depth = 0): number {
  if (expression.trim() === "") return 0;
  if (depth > 64) throw new ArithError(`${expression}: expression recursion level exceeded (error token is "${expression}")`);
  const tokens: string[] = [];
  let pos = 0;
  for (;;) {
    TOKEN.lastIndex = pos;
    const match = TOKEN.exec(expression);
    if (!match) break;
    tokens.push(match[1]);
    pos = TOKEN.lastIndex;
  }
  const rest = expression.slice(pos).trim();
  if (rest !== "") throw new ArithError(`${expression.trim()}: syntax error: invalid arithmetic operator (error token is "${rest}")`);
  return new ArithParser(expression, tokens, scope, depth).run();
}

class ArithParser {
  private i = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: string[],
    private readonly scope: ArithScope,
    private readonly depth: number,
  ) {}

  run(): number {
    const value = this.comma();
    if (this.i < this.tokens.length) this.fail("syntax error in expression", this.tokens.slice(this.i).join(" "));
    return value;
  }

  private fail(what: string, token: string): never {
    throw new ArithError(`${this.source.trim()}: ${what} (error token is "${token}")`);
  }

  private peek(): string | undefined {
    return this.tokens[this.i];
  }

  private comma(): number {
    let value = this.assignment();
    while (this.peek() === ",") {
      this.i++;
      value = this.assignment();
    }
    return value;
  }

  private assignment(): number {
    const name = this.peek();
    const op = this.tokens[this.i + 1];
    if (name && /^[A-Za-z_]/.test(name) && op && /^(?:[-+*\/%&|^]|\*\*|<<|>>)?=$/.test(op) && op !== "==") {
      this.i += 2;
      const right = this.assignment();
      const value = op === "=" ? right : this.apply(op.slice(0, -1), this.variable(name), right);
      this.scope.set(name, String(value));
      return value;
    }
    return this.ternary();
  }

  private ternary(): number {
    const condition = this.binary(1);
    if (this.peek() !== "?") return condition;
    this.i++;
    const yes = this.assignment();
    if (this.peek() !== ":") this.fail("syntax error in expression", this.peek() ?? "");
    this.i++;
    const no = this.assignment();
    return condition !== 0 ? yes : no;
  }

  private binary(minPrecedence: number): number {
    let left = this.unary();
    for (let op = this.peek(); op !== undefined && op in BINARY && BINARY[op][0] >= minPrecedence; op = this.peek()) {
      this.i++;
      const precedence = BINARY[op][0];
      const right = this.binary(op === "**" ? precedence : precedence + 1);
      left = this.apply(op, left, right);
    }
    return left;
  }

  private apply(op: string, left: number, right: number): number {
    if ((op === "/" || op === "%") && right === 0) this.fail("division by 0", String(right));
    return Math.trunc(BINARY[op][1](left, right));
  }

  private unary(): number {
    const op = this.peek();
    if (op === "++" || op === "--") {
      this.i++;
      const name = this.peek() ?? "";
      if (!/^[A-Za-z_]/.test(name)) this.fail("syntax error: operand expected", name);
      this.i++;
      const value = this.variable(name) + (op === "++" ? 1 : -1);
      this.scope.set(name, String(value));
      return value;
    }
    if (op === "-" || op === "+" || op === "!" || op === "~") {
      this.i++;
      const value = this.unary();
      return op === "-" ? -value : op === "+" ? value : op === "!" ? +(value === 0) : ~value;
    }
    return this.postfix();
  }

  private postfix(): number {
    const token = this.peek();
    if (token === undefined) this.fail("syntax error: operand expected", "");
    this.i++;
    if (token === "(") {
      const value = this.comma();
      if (this.peek() !== ")") this.fail("missing `)'", this.peek() ?? "");
      this.i++;
      return value;
    }
    if (/^\d/.test(token)) return parseNumber(token, this);
    if (!/^[A-Za-z_]/.test(token)) this.fail("syntax error: operand expected", token);
    const value = this.variable(token);
    const op = this.peek();
    if (op === "++" || op === "--") {
      this.i++;
      this.scope.set(token, String(value + (op === "++" ? 1 : -1)));
    }
    return value;
  }

  /** A variable's value; bash evaluates its text as an expression in turn. */
  variable(name: string): number {
    const text = (this.scope.get(name) ?? "").trim();
    if (text === "") return 0;
    if (/^-?\d+$/.test(text)) return Number(text);
    return evalArith(text, this.scope, this.depth + 1);
  }

  invalidNumber(token: string): never {
    this.fail("value too great for base", token);
  }
}

const DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ@_";

function parseNumber(token: string, parser: ArithParser): number {
  const based = /^(\d+)#(.+)$/.exec(token);
  if (based) {
    const base = Number(based[1]);
    const digits = base <= 36 ? based[2].toLowerCase() : based[2];
    let value = 0;
    for (const digit of digits) {
      const n = DIGITS.indexOf(digit);
      if (base < 2 || base > 64 || n < 0 || n >= base) parser.invalidNumber(token);
      value = value * base + n;
    }
    return value;
  }
  if (/^0[xX]/.test(token)) return parseInt(token.slice(2), 16);
  if (token.length > 1 && token.startsWith("0")) {
    if (/[89]/.test(token)) parser.invalidNumber(token);
    return parseInt(token, 8);
  }
  return Number(token);
}
