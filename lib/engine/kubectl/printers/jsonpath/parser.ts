/**
 * client-go's JSONPath template parser (`util/jsonpath/parser.go`), ported step for step so
 * templates parse — and fail — as kubectl's do: text outside `{…}` is literal, actions hold
 * fields (`.a.b`, escaped `\.`), `[…]` indexes/slices/unions/quoted keys, `[?(…)]` filters,
 * `..` recursion, `*`, quoted strings, numbers, `true`/`false`, and `range`/`end`.
 *
 * @example
 * parseJSONPath("{range .items[*]}{.metadata.name}{\"\\n\"}{end}");
 * parseJSONPath("{.foo");   // throws JSONPathError("unclosed action")
 */

export type Node =
  | { type: "list"; nodes: Node[] }
  | { type: "text"; text: string }
  | { type: "field"; name: string }
  | { type: "identifier"; name: string }
  | { type: "int"; value: number }
  | { type: "float"; value: number }
  | { type: "bool"; value: boolean }
  | { type: "array"; params: [ArrayParam, ArrayParam, ArrayParam] }
  | { type: "filter"; left: ListNode; right: ListNode; operator: string }
  | { type: "wildcard" }
  | { type: "recursive" }
  | { type: "union"; nodes: ListNode[] };

export type ListNode = Extract<Node, { type: "list" }>;

/** One slice bound: `known` when written (or derived, for the end of `[i]`). */
export interface ArrayParam {
  value: number;
  known: boolean;
  derived: boolean;
}

/** A template that does not parse; `message` is client-go's text. */
export class JSONPathError extends Error {}

const isDigit = (r: string) => /^\p{Nd}$/u.test(r);
const isAlphaNumeric = (r: string) => r === "_" || /^[\p{L}\p{Nd}]$/u.test(r);
const isEndOfLine = (r: string) => r === "\r" || r === "\n";
const isTerminator = (r: string) => r === "" || r === " " || r === "\t" || isEndOfLine(r) || ".,[]$@{}".includes(r);

class Parser {
  private pos = 0;
  private start = 0;
  private width = 0;
  readonly root: ListNode = { type: "list", nodes: [] };

  constructor(private readonly input: string) {}

  parse(): ListNode {
    this.parseText(this.root);
    return this.root;
  }

  private consume(): string {
    const v = this.input.slice(this.start, this.pos);
    this.start = this.pos;
    return v;
  }

  /** The next code point, or "" at the end. */
  private next(): string {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return "";
    }
    const r = String.fromCodePoint(this.input.codePointAt(this.pos)!);
    this.width = r.length;
    this.pos += r.length;
    return r;
  }

  private peek(): string {
    const r = this.next();
    this.pos -= this.width;
    return r;
  }

  private rest(): string {
    return this.input.slice(this.pos);
  }

  private parseText(cur: ListNode): void {
    for (;;) {
      if (this.rest().startsWith("{")) {
        if (this.pos > this.start) cur.nodes.push({ type: "text", text: this.consume() });
        this.pos += 1;
        this.consume();
        const action: ListNode = { type: "list", nodes: [] };
        cur.nodes.push(action);
        return this.parseInsideAction(action);
      }
      if (this.next() === "") break;
    }
    if (this.pos > this.start) cur.nodes.push({ type: "text", text: this.consume() });
  }

  private parseInsideAction(cur: ListNode): void {
    for (;;) {
      const rest = this.rest();
      if (rest.startsWith("}")) {
        this.pos += 1;
        this.consume();
        return this.parseText(this.root);
      }
      if (rest.startsWith("[?(")) return this.parseFilter(cur);
      if (rest.startsWith("..")) return this.parseRecursive(cur);
      const r = this.next();
      if (r === "" || isEndOfLine(r)) throw new JSONPathError("unclosed action");
      if (r === " " || r === "@" || r === "$") this.consume();
      else if (r === "[") return this.parseArray(cur);
      else if (r === '"' || r === "'") return this.parseQuote(cur, r);
      else if (r === ".") return this.parseField(cur);
      else if (r === "+" || r === "-" || isDigit(r)) {
        this.pos -= this.width;
        return this.parseNumber(cur);
      } else if (isAlphaNumeric(r)) {
        this.pos -= this.width;
        return this.parseIdentifier(cur);
      } else {
        const cp = r.codePointAt(0)!;
        throw new JSONPathError(`unrecognized character in action: U+${cp.toString(16).toUpperCase().padStart(4, "0")} '${r}'`);
      }
    }
  }

  private parseIdentifier(cur: ListNode): void {
    for (;;) {
      const r = this.next();
      if (isTerminator(r)) {
        this.pos -= this.width;
        break;
      }
    }
    const value = this.consume();
    if (value === "true" || value === "false") cur.nodes.push({ type: "bool", value: value === "true" });
    else cur.nodes.push({ type: "identifier", name: value });
    this.parseInsideAction(cur);
  }

  private parseRecursive(cur: ListNode): void {
    if (cur.nodes.at(-1)?.type === "recursive") throw new JSONPathError("invalid multiple recursive descent");
    this.pos += 2;
    this.consume();
    cur.nodes.push({ type: "recursive" });
    if (isAlphaNumeric(this.peek())) return this.parseField(cur);
    this.parseInsideAction(cur);
  }

  private parseNumber(cur: ListNode): void {
    const first = this.peek();
    if (first === "+" || first === "-") this.next();
    for (;;) {
      const r = this.next();
      if (r !== "." && !isDigit(r)) {
        this.pos -= this.width;
        break;
      }
    }
    const value = this.consume();
    if (/^[+-]?\d+$/.test(value)) cur.nodes.push({ type: "int", value: Number(value) });
    else if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(value)) cur.nodes.push({ type: "float", value: Number(value) });
    else throw new JSONPathError(`cannot parse number ${value}`);
    this.parseInsideAction(cur);
  }

  private parseArray(cur: ListNode): void {
    for (;;) {
      const r = this.next();
      if (r === "" || r === "\n") throw new JSONPathError("unterminated array");
      if (r === "]") break;
    }
    let text = this.consume().slice(1, -1);
    if (text === "*") text = ":";
    const parts = text.split(",");
    if (parts.length > 1) {
      const union = parts.map((p) => parseAction(`[${p.trim()}]`));
      cur.nodes.push({ type: "union", nodes: union });
      return this.parseInsideAction(cur);
    }
    const key = /^'([^']*)'$/.exec(text);
    if (key) {
      cur.nodes.push(...parseAction(`.${key[1]}`).nodes);
      return this.parseInsideAction(cur);
    }
    const m = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/.exec(text);
    if (!m) throw new JSONPathError(`invalid array index ${text}`);
    const params = [0, 1, 2].map((i): ArrayParam => {
      const raw = m[i + 1] ?? "";
      if (raw !== "") {
        const digits = i > 0 ? raw.slice(1) : raw;
        if (i > 0 && digits === "") return { value: 0, known: false, derived: false };
        if (!/^-?\d+$/.test(digits)) throw new JSONPathError(`array index ${digits} is not a number`);
        return { value: Number(digits), known: true, derived: false };
      }
      return { value: 0, known: false, derived: false };
    }) as [ArrayParam, ArrayParam, ArrayParam];
    // `[i]` (no colon) is the slice `[i:i+1]`.
    if ((m[2] ?? "") === "") params[1] = { value: params[0].value + 1, known: true, derived: true };
    cur.nodes.push({ type: "array", params });
    this.parseInsideAction(cur);
  }

  private parseFilter(cur: ListNode): void {
    this.pos += 3;
    this.consume();
    let begin = false, end = false, pair = "";
    for (;;) {
      const r = this.next();
      if (r === "" || r === "\n") throw new JSONPathError("unterminated filter");
      if (r === '"' || r === "'") {
        if (!begin) {
          begin = true;
          pair = r;
          continue;
        }
        if (this.input[this.pos - 2] !== "\\" && r === pair) end = true;
      } else if (r === ")" && begin === end) break;
    }
    if (this.next() !== "]") throw new JSONPathError("unclosed array expect ]");
    const text = this.consume().slice(0, -2);
    const m = /^([^!<>=]+)([!<>=]+)(.+?)$/.exec(text);
    if (!m) cur.nodes.push({ type: "filter", left: parseAction(text), right: { type: "list", nodes: [] }, operator: "exists" });
    else cur.nodes.push({ type: "filter", left: parseAction(m[1]), right: parseAction(m[3]), operator: m[2] });
    this.parseInsideAction(cur);
  }

  private parseQuote(cur: ListNode, end: string): void {
    for (;;) {
      const r = this.next();
      if (r === "" || r === "\n") throw new JSONPathError("unterminated quoted string");
      if (r === end && this.input[this.pos - 2] !== "\\") break;
    }
    const value = this.consume();
    cur.nodes.push({ type: "text", text: unquoteExtend(value) });
    this.parseInsideAction(cur);
  }

  private parseField(cur: ListNode): void {
    this.consume();
    for (;;) {
      const r = this.next();
      if (r === "\\") this.next();
      else if (isTerminator(r)) {
        this.pos -= this.width;
        break;
      }
    }
    const value = this.consume();
    if (value === "*") cur.nodes.push({ type: "wildcard" });
    else cur.nodes.push({ type: "field", name: value.replace(/\\/g, "") });
    this.parseInsideAction(cur);
  }
}

/** `parseAction`: a sub-expression parsed as if it were `{text}`. */
function parseAction(text: string): ListNode {
  const root = new Parser(`{${text}}`).parse();
  return root.nodes[0] as ListNode;
}

/** client-go's `UnquoteExtend`: Go's `strconv.Unquote` for '…' as well as "…" strings. */
function unquoteExtend(s: string): string {
  const body = s.slice(1, -1);
  if (!body.includes("\\") && !body.includes(s[0])) return body;
  const simple: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", "'": "'", '"': '"' };
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === s[0]) throw new JSONPathError(`unquote string ${s} error invalid syntax`);
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = body[++i];
    const hex = { x: 2, u: 4, U: 8 }[e as "x" | "u" | "U"];
    if (simple[e] !== undefined && (e !== "'" || s[0] === "'") && (e !== '"' || s[0] === '"')) out += simple[e];
    else if (hex && /^[0-9a-fA-F]+$/.test(body.substr(i + 1, hex)) && body.substr(i + 1, hex).length === hex) {
      out += String.fromCodePoint(parseInt(body.substr(i + 1, hex), 16));
      i += hex;
    } else if (/^[0-7]{3}$/.test(body.substr(i, 3))) {
      out += String.fromCharCode(parseInt(body.substr(i, 3), 8));
      i += 2;
    } else throw new JSONPathError(`unquote string ${s} error invalid syntax`);
  }
  return out;
}

/** Parses a JSONPath template as client-go does; throws {@link JSONPathError}. */
export function parseJSONPath(template: string): ListNode {
  return new Parser(template).parse();
}
