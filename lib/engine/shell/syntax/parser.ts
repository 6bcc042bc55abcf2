import type { ArithCommand, Assignment, CaseCommand, Command, CondCommand, ForCommand, IfCommand, Pipeline, Redirect, Script, SimpleCommand, Span, Statement, WhileCommand, Word } from "./ast";
import { parseConditional } from "./conditional";
import { ShellSyntaxError } from "./errors";
import { asAssignment, keyword, tokenText } from "./words";
import { Lexer, type Token } from "./lexer";

/** The outcome of parsing one input. */
export interface ParseResult {
  script: Script;
  /** Bash's warnings for input it still runs (`warning: here-document at line 1 delimited by end-of-file …`). */
  warnings: string[];
  /** False when more lines would change the meaning (an open here-document, a trailing `\`). */
  complete: boolean;
}

/** Words that start or end compound commands; only special as the first word of a command. */
const CLOSERS = new Set(["then", "elif", "else", "fi", "do", "done", "}", "esac", "]]"]);
/** Bash syntax this shell does not implement; refused with a clear message rather than misread. */
const UNSUPPORTED = new Set(["select", "function", "coproc"]);

/**
 * Parses shell source into a {@link Script}. Throws {@link ShellSyntaxError} with bash's wording
 * (`syntax error near unexpected token \`done'`).
 *
 * @example
 * const { script } = parse("for f in *.txt; do wc -l $f; done > counts");
 * script.body[0].first.commands[0].type; // "For"
 */
export function parse(source: string): ParseResult {
  const lexer = new Lexer(source, 0, parseTokens);
  const tokens = lexer.tokenize();
  const script = parseTokens(tokens, source);
  return { script, warnings: lexer.warnings, complete: !lexer.wantsMore };
}

/**
 * Parses an already-lexed token list (the lexer calls it for command substitutions). With the
 * source text, a `[[ … =~ ( a | b ) ]]` regex can be re-read as bash lexes it.
 */
export function parseTokens(tokens: Token[], source?: string): Script {
  return new Parser(tokens, source).script();
}


class Parser {
  private i = 0;

  constructor(
    private readonly tokens: Token[],
    /** The text the tokens came from, to re-read a `[[ … =~ regex ]]` operand; absent in `$(…)`. */
    private readonly source?: string,
  ) {}

  script(): Script {
    const body = this.list([], true);
    const end = this.peek();
    if (end.kind !== "eof") throw this.unexpected(end);
    return { type: "Script", body, span: { start: 0, end: end.span.end } };
  }

  private peek(): Token {
    return this.tokens[this.i];
  }

  private next(): Token {
    return this.tokens[this.i++];
  }

  private isOp(op: string): boolean {
    const token = this.peek();
    return token.kind === "op" && token.op === op;
  }

  private skipNewlines(): void {
    while (this.isOp("\n")) this.i++;
  }

  private unexpected(token: Token): ShellSyntaxError {
    if (token.kind === "eof") return new ShellSyntaxError("syntax error: unexpected end of file", true, token.span.start);
    return new ShellSyntaxError(`syntax error near unexpected token \`${tokenText(token)}'`, false, token.span.start);
  }

  /** Statements up to one of `enders` (keywords), a `)` or the end. */
  private list(enders: readonly string[], allowEmpty = false): Statement[] {
    const out: Statement[] = [];
    this.skipNewlines();
    for (;;) {
      const token = this.peek();
      const word = keyword(token);
      if (token.kind === "eof" || this.isOp(")") || this.isOp(";;") || (word !== null && enders.includes(word))) break;
      const statement = this.statement();
      out.push(statement);
      if (this.isOp(";") || this.isOp("&")) {
        const separator = this.next();
        statement.background = separator.kind === "op" && separator.op === "&";
        this.skipNewlines();
      } else if (this.isOp("\n")) {
        this.skipNewlines();
      } else {
        break;
      }
    }
    if (out.length === 0 && !allowEmpty) throw this.unexpected(this.peek());
    return out;
  }

  private statement(): Statement {
    const first = this.pipeline();
    const rest: Statement["rest"] = [];
    for (;;) {
      const token = this.peek();
      if (token.kind !== "op" || (token.op !== "&&" && token.op !== "||")) break;
      this.next();
      this.skipNewlines();
      rest.push({ op: token.op, pipeline: this.pipeline() });
    }
    const end = (rest.at(-1)?.pipeline ?? first).span.end;
    return { type: "Statement", first, rest, background: false, span: { start: first.span.start, end } };
  }

  private pipeline(): Pipeline {
    const start = this.peek().span.start;
    const negated = keyword(this.peek()) === "!";
    if (negated) this.next();
    const commands = [this.command()];
    while (this.isOp("|")) {
      this.next();
      this.skipNewlines();
      commands.push(this.command());
    }
    return { type: "Pipeline", negated, commands, span: { start, end: commands[commands.length - 1].span.end } };
  }

  private command(): Command {
    const token = this.peek();
    const word = keyword(token);
    if (token.kind === "op" && token.op === "(") {
      const next = this.tokens[this.i + 1];
      if (next.kind === "op" && next.op === "(" && next.span.start === token.span.end) return this.withRedirects(this.arithmetic());
      this.next();
      const body = this.list([]);
      this.expectOp(")");
      return this.withRedirects({ type: "Subshell", body, redirects: [], span: this.from(token) });
    }
    if (word !== null && UNSUPPORTED.has(word)) throw this.unsupported(word);
    if (word !== null && CLOSERS.has(word)) throw this.unexpected(token);
    switch (word) {
      case "if":
        return this.withRedirects(this.ifCommand());
      case "for":
        return this.withRedirects(this.forCommand());
      case "while":
      case "until":
        return this.withRedirects(this.whileCommand(word === "until"));
      case "{": {
        this.next();
        const body = this.list(["}"]);
        this.expectKeyword("}");
        return this.withRedirects({ type: "Group", body, redirects: [], span: this.from(token) });
      }
      case "[[":
        return this.withRedirects(this.conditional());
      case "case":
        return this.withRedirects(this.caseCommand());
    }
    if (token.kind !== "word" && token.kind !== "redirect") throw this.unexpected(token);
    return this.simple();
  }

  private unsupported(word: string): ShellSyntaxError {
    return new ShellSyntaxError(`syntax error: \`${word}' is not supported by this shell`, false, this.peek().span.start);
  }

  private from(token: Token): Span {
    return { start: token.span.start, end: this.tokens[this.i - 1].span.end };
  }

  private expectKeyword(word: string): void {
    if (keyword(this.peek()) !== word) throw this.unexpected(this.peek());
    this.next();
  }

  private expectOp(op: string): void {
    if (!this.isOp(op)) throw this.unexpected(this.peek());
    this.next();
  }

  private ifCommand(): IfCommand {
    const start = this.next();
    const clauses = [];
    let elseBody = null;
    for (;;) {
      const condition = this.list(["then"]);
      this.expectKeyword("then");
      clauses.push({ condition, body: this.list(["elif", "else", "fi"]) });
      const closer = keyword(this.peek());
      if (closer === "elif") {
        this.next();
        continue;
      }
      if (closer === "else") {
        this.next();
        elseBody = this.list(["fi"]);
      }
      this.expectKeyword("fi");
      return { type: "If", clauses, elseBody, redirects: [], span: this.from(start) };
    }
  }

  private forCommand(): ForCommand {
    const start = this.next();
    const name = this.peek();
    if (name.kind !== "word") throw this.unexpected(name);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name.word.text)) {
      throw new ShellSyntaxError(`\`${name.word.text}': not a valid identifier`, false, name.span.start);
    }
    this.next();
    let items: Word[] | null = null;
    this.skipNewlines();
    if (keyword(this.peek()) === "in") {
      this.next();
      items = [];
      for (let t = this.peek(); t.kind === "word"; t = this.peek()) {
        this.next();
        items.push(t.word);
      }
      if (!this.isOp(";") && !this.isOp("\n")) throw this.unexpected(this.peek());
      this.next();
    } else if (this.isOp(";")) {
      this.next();
    }
    this.skipNewlines();
    this.expectKeyword("do");
    const body = this.list(["done"]);
    this.expectKeyword("done");
    return { type: "For", variable: name.word.text, items, body, redirects: [], span: this.from(start) };
  }

  /** `(( … ))`, re-read from the source: its operators are not shell tokens. */
  private arithmetic(): ArithCommand {
    const start = this.peek();
    if (this.source === undefined) throw this.unsupported("((");
    let depth = 0;
    let close = -1;
    for (let at = start.span.start + 2; at < this.source.length; at++) {
      const c = this.source[at];
      if (c === "(") depth++;
      else if (c === ")" && depth > 0) depth--;
      else if (c === ")" && this.source[at + 1] === ")") {
        close = at;
        break;
      }
    }
    if (close < 0) throw new ShellSyntaxError("syntax error: unexpected end of file", true, this.source.length);
    while (this.peek().kind !== "eof" && this.peek().span.start < close + 2) this.next();
    const span = { start: start.span.start, end: close + 2 };
    return { type: "ArithCommand", expression: this.source.slice(start.span.start + 2, close), redirects: [], span };
  }

  private conditional(): CondCommand {
    const start = this.next();
    const inner: Token[] = [];
    for (let t = this.peek(); keyword(t) !== "]]"; t = this.peek()) {
      if (t.kind === "eof") throw this.unexpected(t);
      if (t.kind === "op" && t.op === "\n") throw new ShellSyntaxError("syntax error in conditional expression: unexpected token `newline'", false, t.span.start);
      inner.push(this.next());
      if (t.kind === "word" && t.word.text === "=~") inner.push(this.regexOperand() ?? this.next());
    }
    this.next();
    return { type: "Cond", expr: parseConditional(inner), redirects: [], span: this.from(start) };
  }

  /**
   * The right side of `=~`, where bash lexes `(`, `)` and `|` as part of the word: re-read from
   * the source up to `]]`, `&&` or `||`. Null when it is an ordinary single word.
   */
  private regexOperand(): Token | null {
    let j = this.i;
    let depth = 0;
    for (;; j++) {
      const t = this.tokens[j];
      if (t.kind === "eof" || (t.kind === "op" && t.op === "\n") || (depth === 0 && keyword(t) === "]]")) break;
      if (depth === 0 && t.kind === "op" && (t.op === "&&" || t.op === "||")) break;
      if (t.kind === "op" && t.op === "(") depth++;
      if (t.kind === "op" && t.op === ")") depth--;
    }
    if (this.source === undefined || j <= this.i + 1) return null;
    const { start } = this.tokens[this.i].span;
    const end = this.tokens[j - 1].span.end;
    const text = this.source.slice(start, end);
    const lexer = new Lexer(text, start, parseTokens);
    const word = lexer.word(" \t\n");
    if (lexer.pos !== text.length) return null;
    this.i = j;
    return { kind: "word", word, span: { start, end } };
  }

  private caseCommand(): CaseCommand {
    const start = this.next();
    const subject = this.next();
    if (subject.kind !== "word") throw this.unexpected(subject);
    this.skipNewlines();
    this.expectKeyword("in");
    const items: CaseCommand["items"] = [];
    this.skipNewlines();
    while (keyword(this.peek()) !== "esac") {
      if (this.isOp("(")) this.next();
      const patterns: Word[] = [];
      for (;;) {
        const pattern = this.next();
        if (pattern.kind !== "word") throw this.unexpected(pattern);
        patterns.push(pattern.word);
        if (!this.isOp("|")) break;
        this.next();
      }
      this.expectOp(")");
      const body = this.list(["esac"], true);
      items.push({ patterns, body });
      if (this.isOp(";;")) this.next();
      else if (keyword(this.peek()) !== "esac") throw this.unexpected(this.peek());
      this.skipNewlines();
    }
    this.next();
    return { type: "Case", word: subject.word, items, redirects: [], span: this.from(start) };
  }

  private whileCommand(until: boolean): WhileCommand {
    const start = this.next();
    const condition = this.list(["do"]);
    this.expectKeyword("do");
    const body = this.list(["done"]);
    this.expectKeyword("done");
    return { type: "While", until, condition, body, redirects: [], span: this.from(start) };
  }

  private withRedirects<T extends Exclude<Command, SimpleCommand>>(command: T): T {
    while (this.peek().kind === "redirect") command.redirects.push(this.redirect());
    const next = this.peek();
    if (next.kind === "word" || (next.kind === "op" && next.op === "(")) throw this.unexpected(next);
    command.span.end = this.tokens[this.i - 1].span.end;
    return command;
  }

  private simple(): SimpleCommand {
    const start = this.peek().span.start;
    const assignments: Assignment[] = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    for (;;) {
      const token = this.peek();
      if (token.kind === "redirect") {
        redirects.push(this.redirect());
      } else if (token.kind === "word") {
        this.next();
        const assignment = words.length === 0 ? asAssignment(token.word) : null;
        if (assignment) assignments.push(assignment);
        else words.push(token.word);
      } else if (token.kind === "op" && token.op === "(") {
        throw this.unexpected(token);
      } else {
        break;
      }
    }
    return { type: "SimpleCommand", assignments, words, redirects, span: { start, end: this.tokens[this.i - 1].span.end } };
  }

  private redirect(): Redirect {
    const token = this.next();
    if (token.kind !== "redirect") throw this.unexpected(token);
    if (token.heredoc) return token.heredoc;
    const target = this.peek();
    // Typed input ends in a newline, so a missing target at the end is "near newline".
    if (target.kind === "eof") throw new ShellSyntaxError("syntax error near unexpected token `newline'", false, target.span.start);
    if (target.kind !== "word") throw this.unexpected(target);
    this.next();
    const span = { start: token.span.start, end: target.span.end };
    if (token.op === "<<<") return { type: "HereString", fd: token.fd, word: target.word, span };
    if (token.op === "<<" || token.op === "<<-") throw this.unexpected(token);
    return { type: "Redirect", op: token.op, fd: token.fd, target: target.word, span };
  }
}
