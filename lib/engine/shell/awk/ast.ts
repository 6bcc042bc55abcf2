/** Expressions of the awk subset. */
export type AwkExpr =
  | { type: "num"; value: number }
  | { type: "str"; value: string }
  /** `/re/` as a value: whether it matches $0. */
  | { type: "regex"; source: string }
  | { type: "field"; index: AwkExpr }
  | { type: "var"; name: string }
  | { type: "index"; name: string; keys: AwkExpr[] }
  | { type: "assign"; op: string; target: AwkLValue; value: AwkExpr }
  | { type: "cond"; test: AwkExpr; yes: AwkExpr; no: AwkExpr }
  | { type: "binary"; op: string; left: AwkExpr; right: AwkExpr }
  | { type: "match"; negate: boolean; left: AwkExpr; right: AwkExpr }
  | { type: "unary"; op: string; arg: AwkExpr }
  | { type: "incdec"; op: "++" | "--"; prefix: boolean; target: AwkLValue }
  | { type: "call"; name: string; args: AwkExpr[] }
  | { type: "in"; keys: AwkExpr[]; array: string };

export type AwkLValue = Extract<AwkExpr, { type: "var" | "index" | "field" }>;

export type AwkStmt =
  | { type: "print"; printf: boolean; args: AwkExpr[]; redirect: { append: boolean; target: AwkExpr } | null }
  | { type: "expr"; expr: AwkExpr }
  | { type: "if"; test: AwkExpr; then: AwkStmt; otherwise: AwkStmt | null }
  | { type: "while"; test: AwkExpr; body: AwkStmt; doWhile: boolean }
  | { type: "for"; init: AwkExpr | null; test: AwkExpr | null; step: AwkExpr | null; body: AwkStmt }
  | { type: "forIn"; variable: string; array: string; body: AwkStmt }
  | { type: "block"; body: AwkStmt[] }
  | { type: "delete"; array: string; keys: AwkExpr[] | null }
  | { type: "exit"; code: AwkExpr | null }
  | { type: "next" | "break" | "continue" };

/** A pattern-action rule; no pattern matches every record, no action prints it. */
export interface AwkRule {
  pattern: AwkExpr | null;
  /** The end pattern of a `start, end` range. */
  until: AwkExpr | null;
  action: AwkStmt[] | null;
}

export interface AwkProgram {
  begin: AwkStmt[][];
  rules: AwkRule[];
  end: AwkStmt[][];
}
