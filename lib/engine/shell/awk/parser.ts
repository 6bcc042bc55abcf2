import type { AwkExpr, AwkProgram, AwkRule, AwkStmt } from "./ast";
import { AwkExpressionParser } from "./expressions";
import { tokenize } from "./lexer";

/**
 * Parses the awk subset: BEGIN/END, `pattern { action }` rules (regex, expression or range
 * patterns), print/printf (with `>`/`>>`), if/else, while, do, for, for-in, arrays, delete,
 * next, exit, and the usual operators. `getline` and user functions are not part of it and
 * fail as syntax errors.
 *
 * @example
 * parseAwk("$3 > 5 { sum += $3 } END { print sum }").rules.length; // 1
 */
export function parseAwk(source: string): AwkProgram {
  return new AwkParser(tokenize(source)).program();
}

class AwkParser extends AwkExpressionParser {
  program(): AwkProgram {
    const program: AwkProgram = { begin: [], rules: [], end: [] };
    this.terminators();
    while (this.peek().kind !== "eof") {
      if (this.is("BEGIN") || this.is("END")) {
        const which = this.next().value;
        this.newlines();
        if (!this.is("{")) this.fail();
        (which === "BEGIN" ? program.begin : program.end).push(this.block());
      } else {
        program.rules.push(this.rule());
      }
      const closedBlock = this.tokens[this.i - 1]?.value === "}";
      if (!closedBlock && this.peek().kind !== "eof" && this.peek().kind !== "newline" && !this.is(";")) this.fail();
      this.terminators();
    }
    return program;
  }

  private rule(): AwkRule {
    if (this.is("{")) return { pattern: null, until: null, action: this.block() };
    const pattern = this.expr();
    let until: AwkExpr | null = null;
    if (this.is(",")) {
      this.i++;
      this.newlines();
      until = this.expr();
    }
    return { pattern, until, action: this.is("{") ? this.block() : null };
  }

  private block(): AwkStmt[] {
    this.expect("{");
    const body: AwkStmt[] = [];
    this.terminators();
    while (!this.is("}")) {
      if (this.peek().kind === "eof") this.fail();
      body.push(this.statement());
      this.terminators();
    }
    this.i++;
    return body;
  }

  /** A statement body after `if (…)`, `while (…)` and friends, possibly on the next line. */
  private body(): AwkStmt {
    this.newlines();
    if (this.is(";")) {
      this.i++;
      return { type: "block", body: [] };
    }
    return this.statement();
  }

  private condition(): AwkExpr {
    this.expect("(");
    const test = this.expr();
    this.expect(")");
    return test;
  }

  private statement(): AwkStmt {
    const t = this.peek();
    if (this.is("{")) return { type: "block", body: this.block() };
    if (t.kind === "keyword") {
      switch (t.value) {
        case "if": {
          this.i++;
          const test = this.condition();
          const then = this.body();
          const save = this.i;
          this.terminators();
          if (this.is("else")) {
            this.i++;
            return { type: "if", test, then, otherwise: this.body() };
          }
          this.i = save;
          return { type: "if", test, then, otherwise: null };
        }
        case "while": {
          this.i++;
          const test = this.condition();
          return { type: "while", test, body: this.body(), doWhile: false };
        }
        case "do": {
          this.i++;
          const body = this.body();
          this.terminators();
          this.expect("while");
          return this.simpleEnd({ type: "while", test: this.condition(), body, doWhile: true });
        }
        case "for":
          return this.forStatement();
        case "next":
        case "break":
        case "continue":
          this.i++;
          return this.simpleEnd({ type: t.value });
        case "exit": {
          this.i++;
          const code = this.atEnd() ? null : this.expr();
          return this.simpleEnd({ type: "exit", code });
        }
        case "delete": {
          this.i++;
          const name = this.next();
          if (name.kind !== "name") this.fail(name);
          const keys = this.is("[") ? this.subscript() : null;
          return this.simpleEnd({ type: "delete", array: name.value, keys });
        }
        case "print":
        case "printf":
          return this.simpleEnd(this.print());
      }
    }
    return this.simpleEnd({ type: "expr", expr: this.expr() });
  }

  private atEnd(): boolean {
    const t = this.peek();
    return t.kind === "newline" || t.kind === "eof" || this.is(";") || this.is("}");
  }

  private simpleEnd(statement: AwkStmt): AwkStmt {
    if (!this.atEnd()) this.fail();
    return statement;
  }

  private forStatement(): AwkStmt {
    this.i++;
    this.expect("(");
    const [a, b, c] = [this.peek(), this.peek(1), this.peek(2)];
    if (a.kind === "name" && b.kind === "keyword" && b.value === "in" && c.kind === "name" && this.peek(3).value === ")") {
      this.i += 4;
      return { type: "forIn", variable: a.value, array: c.value, body: this.body() };
    }
    const init = this.is(";") ? null : this.expr();
    this.expect(";");
    this.newlines();
    const test = this.is(";") ? null : this.expr();
    this.expect(";");
    this.newlines();
    const step = this.is(")") ? null : this.expr();
    this.expect(")");
    return { type: "for", init, test, step, body: this.body() };
  }

  private print(): AwkStmt {
    const printf = this.next().value === "printf";
    this.printDepth++;
    let args: AwkExpr[] = [];
    if (this.is("(")) {
      // `print (a, b)` groups the list; `print (a) b` is a concatenation.
      const save = this.i;
      this.i++;
      this.printDepth--;
      const grouped = [this.expr()];
      while (this.is(",")) {
        this.i++;
        this.newlines();
        grouped.push(this.expr());
      }
      this.printDepth++;
      if (this.is(")") && (this.peek(1).kind === "newline" || ["}", ";", ">", ">>"].includes(String(this.peek(1).value)) || this.peek(1).kind === "eof")) {
        this.i++;
        args = grouped;
      } else {
        this.i = save;
      }
    }
    if (args.length === 0 && !this.atEnd() && !this.is(">") && !this.is(">>")) {
      args.push(this.expr());
      while (this.is(",")) {
        this.i++;
        this.newlines();
        args.push(this.expr());
      }
    }
    this.printDepth--;
    let redirect = null;
    if (this.is(">") || this.is(">>")) {
      const append = this.next().value === ">>";
      redirect = { append, target: this.concatenation() };
    }
    if (printf && args.length === 0) this.fail();
    return { type: "print", printf, args, redirect };
  }

}
