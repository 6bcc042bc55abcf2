/**
 * The shell's syntax tree: a discriminated union on `type`, every node with its source span
 * (offsets into the input, end exclusive). Produced by `parse`, consumed by the expander and
 * the interpreter.
 */
export interface Span {
  start: number;
  end: number;
}

/** Unquoted text: subject to tilde expansion, globbing, and keyword recognition. */
export interface LiteralPart {
  type: "Literal";
  value: string;
  span: Span;
}

/** Text that no expansion touches: `'…'`, `$'…'` (decoded) and `\x`. */
export interface QuotedPart {
  type: "Quoted";
  value: string;
  span: Span;
}

export interface DoubleQuotedPart {
  type: "DoubleQuoted";
  parts: WordPart[];
  span: Span;
}

/** `${NAME:-word}` and friends; `${#NAME}` is `length`. */
export type ParamOp =
  | { kind: "default" | "assign" | "alternative" | "error"; colon: boolean; word: Word }
  | { kind: "length" }
  | { kind: "trimPrefix" | "trimSuffix"; longest: boolean; pattern: Word }
  | { kind: "replace"; all: boolean; anchor: "start" | "end" | null; pattern: Word; replacement: Word }
  | { kind: "substring"; offset: string; length: string | null }
  /** `${V^}`, `${V^^}`, `${V,}`, `${V,,}`. */
  | { kind: "case"; upper: boolean; all: boolean }
  /** Parsed but not supported: expanding it fails with "bad substitution", as bash does. */
  | { kind: "bad"; text: string };

/** `$NAME`, `${NAME…}`, `$?`, `$0`, `$1`. */
export interface ParamPart {
  type: "Param";
  name: string;
  op: ParamOp | null;
  span: Span;
}

/** `$(…)` or `` `…` ``. */
export interface CommandSubPart {
  type: "CommandSub";
  script: Script;
  backtick: boolean;
  span: Span;
}

/** `$((…))`, kept as text and evaluated at expansion time. */
export interface ArithPart {
  type: "Arith";
  expression: string;
  span: Span;
}

export type WordPart = LiteralPart | QuotedPart | DoubleQuotedPart | ParamPart | CommandSubPart | ArithPart;

export interface Word {
  type: "Word";
  parts: WordPart[];
  /** The word as written (for messages such as "ambiguous redirect"). */
  text: string;
  span: Span;
}

export type RedirectOp = ">" | ">>" | ">|" | "<" | "<>" | "&>" | "&>>" | ">&" | "<&";

/** `2>file`, `>>log`, `2>&1`, `&>/dev/null`. `fd` is null when not written. */
export interface FileRedirect {
  type: "Redirect";
  op: RedirectOp;
  fd: number | null;
  target: Word;
  span: Span;
}

/** `<<EOF`, `<<'EOF'` (quoted: no expansion), `<<-EOF` (leading tabs stripped). */
export interface HereDoc {
  type: "HereDoc";
  fd: number | null;
  delimiter: string;
  quoted: boolean;
  stripTabs: boolean;
  body: Word;
  span: Span;
}

/** `<<< word`. */
export interface HereString {
  type: "HereString";
  fd: number | null;
  word: Word;
  span: Span;
}

export type Redirect = FileRedirect | HereDoc | HereString;

export interface Assignment {
  type: "Assignment";
  name: string;
  value: Word;
  append: boolean;
  span: Span;
}

export interface SimpleCommand {
  type: "SimpleCommand";
  assignments: Assignment[];
  words: Word[];
  redirects: Redirect[];
  span: Span;
}

export interface IfCommand {
  type: "If";
  clauses: { condition: Statement[]; body: Statement[] }[];
  elseBody: Statement[] | null;
  redirects: Redirect[];
  span: Span;
}

export interface ForCommand {
  type: "For";
  variable: string;
  /** null for `for x; do` (the positional parameters, none at a prompt). */
  items: Word[] | null;
  body: Statement[];
  redirects: Redirect[];
  span: Span;
}

export interface WhileCommand {
  type: "While";
  /** `until` loops run while the condition fails. */
  until: boolean;
  condition: Statement[];
  body: Statement[];
  redirects: Redirect[];
  span: Span;
}

/** `{ …; }` runs in the current shell; `( … )` in a subshell. */
export interface GroupCommand {
  type: "Group" | "Subshell";
  body: Statement[];
  redirects: Redirect[];
  span: Span;
}

/** The expression inside `[[ … ]]`: words are not split or globbed; `==` matches patterns. */
export type CondExpr =
  | { kind: "and" | "or"; left: CondExpr; right: CondExpr }
  | { kind: "not"; expr: CondExpr }
  | { kind: "unary"; op: string; word: Word }
  | { kind: "binary"; op: string; left: Word; right: Word }
  | { kind: "word"; word: Word };

export interface CondCommand {
  type: "Cond";
  expr: CondExpr;
  redirects: Redirect[];
  span: Span;
}

/** `case WORD in PATTERN|PATTERN) LIST ;; … esac`. */
export interface CaseCommand {
  type: "Case";
  word: Word;
  items: { patterns: Word[]; body: Statement[] }[];
  redirects: Redirect[];
  span: Span;
}

/** `(( expression ))`: true (status 0) when the arithmetic is non-zero. */
export interface ArithCommand {
  type: "ArithCommand";
  expression: string;
  redirects: Redirect[];
  span: Span;
}

export type Command = SimpleCommand | IfCommand | ForCommand | WhileCommand | GroupCommand | CondCommand | CaseCommand | ArithCommand;

export interface Pipeline {
  type: "Pipeline";
  negated: boolean;
  commands: Command[];
  span: Span;
}

/** An and-or list: `a && b || c`, ended by `;`, `&` or a newline. */
export interface Statement {
  type: "Statement";
  first: Pipeline;
  rest: { op: "&&" | "||"; pipeline: Pipeline }[];
  /** Ended by `&`. There is no job control here: it runs in the foreground. */
  background: boolean;
  span: Span;
}

export interface Script {
  type: "Script";
  body: Statement[];
  span: Span;
}
