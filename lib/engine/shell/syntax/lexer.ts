import type { HereDoc, RedirectOp, Script, Span, Word, WordPart } from "./ast";
import { ShellSyntaxError, unexpectedEof } from "./errors";
import { scanParameter } from "./params";
import { decodeAnsiC } from "../text/escapes";

export type Operator = "|" | "||" | "&&" | ";" | ";;" | "&" | "(" | ")" | "\n";
export type RedirectToken = RedirectOp | "<<" | "<<-" | "<<<";

export type Token =
  | { kind: "word"; word: Word; span: Span }
  | { kind: "op"; op: Operator; span: Span }
  | { kind: "redirect"; op: RedirectToken; fd: number | null; heredoc?: HereDoc; span: Span }
  | { kind: "eof"; span: Span };

/** Turns the tokens of a `$(…)` or backtick body into a script (the parser, passed in). */
export type SubParser = (tokens: Token[]) => Script;

const OPERATORS: readonly string[] = [
  "<<<", "<<-", "&>>", "&&", "||", ";;", "<<", "<&", "<>", ">>", ">&", ">|", "&>",
  "|", "&", ";", "(", ")", "<", ">",
];
const REDIRECTS = new Set(["<<<", "<<-", "&>>", "<<", "<&", "<>", ">>", ">&", ">|", "&>", "<", ">"]);
const META = " \t\n|&;<>()";

interface PendingHereDoc {
  doc: HereDoc;
  line: number;
}

/**
 * Splits shell source into tokens: words (already broken into quoted/unquoted/expansion
 * parts), operators and redirections. Here-document bodies are read at the next newline, as
 * bash does, and attached to their `<<` token. Command substitutions are lexed recursively
 * and handed to the parser.
 *
 * @example
 * new Lexer("echo hi | wc -c", 0, parseTokens).tokenize().map((t) => t.kind);
 * // ["word", "word", "op", "word", "word", "eof"]
 */
export class Lexer {
  /** Cursor into `src`; the parameter scanner moves it too. */
  pos = 0;
  private pending: PendingHereDoc[] = [];
  /** Warnings bash prints but runs anyway (a here-document cut short by the end of input). */
  readonly warnings: string[] = [];
  /** More input could complete this: an unterminated here-document or a trailing backslash. */
  wantsMore = false;
  /** Top-level tokens read so far; after an error, what came before it. */
  readonly lexed: Token[] = [];

  constructor(
    readonly src: string,
    /** Offset of `src` in the whole input, so that spans point into the original text. */
    readonly base: number,
    private readonly subParse: SubParser,
  ) {}

  /** All tokens up to the end of input, ending with an `eof` token. */
  tokenize(): Token[] {
    return this.tokens(false, this.lexed);
  }

  /** The text of an unquoted here-document body as word parts (only `$`, `` ` `` and `\` are special). */
  heredocParts(): WordPart[] {
    return this.quotedRun(null, "$`\\\n");
  }

  span(start: number, end = this.pos): Span {
    return { start: this.base + start, end: this.base + end };
  }

  private tokens(untilParen: boolean, out: Token[] = []): Token[] {
    let depth = 0;
    for (;;) {
      this.skipBlanks();
      if (this.pos >= this.src.length) {
        this.readHereDocs();
        if (untilParen) throw unexpectedEof(")", this.base + this.pos);
        out.push({ kind: "eof", span: this.span(this.pos) });
        return out;
      }
      const start = this.pos;
      const c = this.src[this.pos];
      if (c === "#") {
        while (this.pos < this.src.length && this.src[this.pos] !== "\n") this.pos++;
        continue;
      }
      if (c === "\n") {
        this.pos++;
        out.push({ kind: "op", op: "\n", span: this.span(start) });
        this.readHereDocs();
        continue;
      }
      const fd = /^(\d+)[<>]/.exec(this.src.slice(this.pos, this.pos + 12));
      if (fd) this.pos += fd[1].length;
      const op = OPERATORS.find((o) => this.src.startsWith(o, this.pos));
      if (op && REDIRECTS.has(op)) {
        this.pos += op.length;
        out.push(this.redirect(op as RedirectToken, fd ? Number(fd[1]) : null, start));
        continue;
      }
      if (op) {
        this.pos += op.length;
        if (op === ")" && untilParen && depth === 0) {
          out.push({ kind: "eof", span: this.span(start) });
          return out;
        }
        if (op === "(") depth++;
        if (op === ")") depth--;
        out.push({ kind: "op", op: op as Operator, span: this.span(start) });
        continue;
      }
      const word = this.word("");
      out.push({ kind: "word", word, span: word.span });
    }
  }

  private skipBlanks(): void {
    for (;;) {
      const c = this.src[this.pos];
      if (c === " " || c === "\t") this.pos++;
      else if (c === "\\" && this.src[this.pos + 1] === "\n") this.pos += 2;
      else return;
    }
  }

  private redirect(op: RedirectToken, fd: number | null, start: number): Token {
    if (op !== "<<" && op !== "<<-") return { kind: "redirect", op, fd, span: this.span(start) };
    this.skipBlanks();
    const c = this.src[this.pos];
    if (c === undefined || META.includes(c)) {
      const near = c === undefined || c === "\n" ? "newline" : (OPERATORS.find((o) => this.src.startsWith(o, this.pos)) ?? c);
      throw new ShellSyntaxError(`syntax error near unexpected token \`${near}'`, false, this.base + this.pos);
    }
    const delimiterWord = this.word("");
    const quoted = delimiterWord.parts.some((p) => p.type !== "Literal");
    const delimiter = delimiterWord.text.replace(/['"\\]/g, "");
    const doc: HereDoc = {
      type: "HereDoc",
      fd,
      delimiter,
      quoted,
      stripTabs: op === "<<-",
      body: { type: "Word", parts: [], text: "", span: this.span(this.pos) },
      span: this.span(start),
    };
    const line = this.src.slice(0, start).split("\n").length;
    this.pending.push({ doc, line });
    return { kind: "redirect", op, fd, heredoc: doc, span: this.span(start) };
  }

  private readHereDocs(): void {
    for (const { doc, line } of this.pending) {
      const bodyStart = this.pos;
      let body = "";
      let terminated = false;
      while (this.pos < this.src.length) {
        const newline = this.src.indexOf("\n", this.pos);
        const end = newline < 0 ? this.src.length : newline;
        let text = this.src.slice(this.pos, end);
        this.pos = newline < 0 ? end : end + 1;
        if (doc.stripTabs) text = text.replace(/^\t+/, "");
        if (text === doc.delimiter) {
          terminated = true;
          break;
        }
        body += text + "\n";
      }
      if (!terminated) {
        this.wantsMore = true;
        this.warnings.push(`warning: here-document at line ${line} delimited by end-of-file (wanted \`${doc.delimiter}')`);
      }
      const span = this.span(bodyStart);
      const parts: WordPart[] = doc.quoted
        ? [{ type: "Quoted", value: body, span }]
        : new Lexer(body, this.base + bodyStart, this.subParse).heredocParts();
      doc.body = { type: "Word", parts, text: body, span };
    }
    this.pending = [];
  }

  /**
   * One word in normal context, or inside `${…}` when `stops` is given (then blanks and
   * operators are ordinary characters and the word ends before any character of `stops`).
   */
  word(stops: string): Word {
    const start = this.pos;
    const parts: WordPart[] = [];
    let literal = "";
    let literalStart = start;
    const flush = () => {
      if (literal !== "") parts.push({ type: "Literal", value: literal, span: this.span(literalStart) });
      literal = "";
    };
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (stops === "" ? META.includes(c) : stops.includes(c)) break;
      if (c === "\\") {
        const next = this.src[this.pos + 1];
        if (next === "\n") {
          this.pos += 2;
          continue;
        }
        if (next === undefined) {
          this.wantsMore = true;
          literal += c;
          this.pos++;
          continue;
        }
        flush();
        parts.push({ type: "Quoted", value: next, span: this.span(this.pos, this.pos + 2) });
        this.pos += 2;
      } else if (c === "'" || c === '"' || c === "`" || c === "$") {
        const part = this.special(c);
        if (part) {
          flush();
          parts.push(part);
        } else {
          literal += c;
          this.pos++;
        }
      } else {
        literal += c;
        this.pos++;
      }
      if (literal === "") literalStart = this.pos;
    }
    flush();
    return { type: "Word", parts, text: this.src.slice(start, this.pos), span: this.span(start) };
  }

  /** A quote, backtick or `$` expansion starting at the cursor; null for a plain `$`. */
  private special(c: string): WordPart | null {
    const start = this.pos;
    if (c === "'") {
      const end = this.src.indexOf("'", start + 1);
      if (end < 0) throw unexpectedEof("'", this.base + start);
      this.pos = end + 1;
      return { type: "Quoted", value: this.src.slice(start + 1, end), span: this.span(start) };
    }
    if (c === '"') {
      this.pos++;
      const parts = this.quotedRun('"', '$`"\\\n');
      return { type: "DoubleQuoted", parts, span: this.span(start) };
    }
    if (c === "`") return this.backtick();
    return this.dollar();
  }

  /** Text up to `end` (or the end of input when null) where only `$`, backticks and `\` act. */
  private quotedRun(end: string | null, escapable: string): WordPart[] {
    const parts: WordPart[] = [];
    let literal = "";
    let literalStart = this.pos;
    const flush = () => {
      if (literal !== "") parts.push({ type: "Literal", value: literal, span: this.span(literalStart) });
      literal = "";
    };
    for (;;) {
      if (this.pos >= this.src.length) {
        if (end !== null) throw unexpectedEof(end, this.base + this.pos);
        break;
      }
      const c = this.src[this.pos];
      if (c === end) {
        this.pos++;
        break;
      }
      const part = c === "$" || c === "`" ? this.special(c) : null;
      if (part) {
        flush();
        parts.push(part);
        literalStart = this.pos;
        continue;
      }
      const next = this.src[this.pos + 1];
      if (c === "\\" && next !== undefined && escapable.includes(next)) {
        if (next !== "\n") literal += next;
        this.pos += 2;
        continue;
      }
      literal += c;
      this.pos++;
    }
    flush();
    return parts;
  }

  private backtick(): WordPart {
    const start = this.pos;
    let inner = "";
    let i = start + 1;
    for (;;) {
      if (i >= this.src.length) throw unexpectedEof("`", this.base + start);
      const c = this.src[i];
      if (c === "`") break;
      if (c === "\\" && "$`\\".includes(this.src[i + 1] ?? "")) {
        inner += this.src[i + 1];
        i += 2;
        continue;
      }
      inner += c;
      i++;
    }
    this.pos = i + 1;
    const tokens = new Lexer(inner, this.base + start + 1, this.subParse).tokenize();
    return { type: "CommandSub", script: this.subParse(tokens), backtick: true, span: this.span(start) };
  }

  private dollar(): WordPart | null {
    const start = this.pos;
    const next = this.src[start + 1];
    if (next === "'") {
      const end = /^((?:[^'\\]|\\[\s\S])*)'/.exec(this.src.slice(start + 2));
      if (!end) throw unexpectedEof("'", this.base + start);
      this.pos = start + 2 + end[0].length;
      return { type: "Quoted", value: decodeAnsiC(end[1]), span: this.span(start) };
    }
    if (next === "(" && this.src[start + 2] === "(") return this.arithmetic();
    if (next === "(") {
      this.pos += 2;
      const tokens = this.tokens(true);
      return { type: "CommandSub", script: this.subParse(tokens), backtick: false, span: this.span(start) };
    }
    if (next === "{") {
      this.pos += 2;
      const { name, op } = scanParameter(this);
      return { type: "Param", name, op, span: this.span(start) };
    }
    const simple = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9?#@*])/.exec(this.src.slice(start + 1));
    if (!simple) return null;
    this.pos = start + 1 + simple[0].length;
    return { type: "Param", name: simple[0], op: null, span: this.span(start) };
  }

  private arithmetic(): WordPart {
    const start = this.pos;
    let depth = 0;
    for (let i = start + 3; i < this.src.length; i++) {
      const c = this.src[i];
      if (c === "(") depth++;
      else if (c === ")" && depth > 0) depth--;
      else if (c === ")" && this.src[i + 1] === ")") {
        this.pos = i + 2;
        return { type: "Arith", expression: this.src.slice(start + 3, i), span: this.span(start) };
      }
    }
    throw unexpectedEof(")", this.base + start);
  }
}
