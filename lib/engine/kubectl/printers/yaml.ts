/**
 * `kubectl -o yaml`: sigs.k8s.io/yaml, which marshals the object to JSON and re-emits it with
 * go-yaml v2. This is a port of the parts of go-yaml's emitter (`emitterc.go`) and encoder that
 * such documents reach: block mappings with keys in go-yaml's order, sequences not indented
 * under their key, `{}`/`[]` for empty collections, and go-yaml's choice of scalar style —
 * plain, `'single'`, `"double"` with its escapes, or a `|` literal block with its indentation and
 * chomping hints — including its folding of long scalars at column 80.
 *
 * @example
 * goYAML({ kind: "Pod", spec: { ports: [{ port: 80, name: "80" }] } });
 * // "kind: Pod\nspec:\n  ports:\n  - name: \"80\"\n    port: 80\n"
 */
import { formatFloatG } from "./gofmt";
import { needsQuotes, resolveScalar } from "./yaml-resolve";

type Style = "plain" | "single" | "double" | "literal";

interface Analysis {
  multiline: boolean;
  flowPlain: boolean;
  blockPlain: boolean;
  single: boolean;
  block: boolean;
}

const BEST_WIDTH = 80;
const BEST_INDENT = 2;

const isBreak = (c: string | undefined) => c === "\r" || c === "\n" || c === "\u0085" || c === "\u2028" || c === "\u2029";
const isBlank = (c: string | undefined) => c === " " || c === "\t";
const isBlankz = (c: string | undefined) => isBlank(c) || isBreak(c) || c === "\0";

/** go-yaml's `is_printable`, by code point (its UTF-8 byte tests, restated). */
function isPrintable(c: string): boolean {
  const cp = c.codePointAt(0)!;
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);
}

function utf8Length(s: string): number {
  let n = 0;
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

/** `yaml_emitter_analyze_scalar`: which styles can carry `value` unchanged. */
function analyze(value: string): Analysis {
  if (value === "") return { multiline: false, flowPlain: false, blockPlain: true, single: true, block: false };
  const cs = [...value];
  let blockInd = value.startsWith("---") || value.startsWith("...");
  let flowInd = blockInd;
  let lineBreaks = false, special = false, leadingSpace = false, leadingBreak = false, trailingSpace = false;
  let trailingBreak = false, breakSpace = false, spaceBreak = false, prevSpace = false, prevBreak = false;
  let precededByWhitespace = true;
  cs.forEach((c, i) => {
    const followedByWhitespace = i + 1 >= cs.length || isBlank(cs[i + 1]);
    if (i === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(c)) flowInd = blockInd = true;
      else if (c === "?" || c === ":") {
        flowInd = true;
        if (followedByWhitespace) blockInd = true;
      } else if (c === "-" && followedByWhitespace) flowInd = blockInd = true;
    } else if (",?[]{}".includes(c)) flowInd = true;
    else if (c === ":") {
      flowInd = true;
      if (followedByWhitespace) blockInd = true;
    } else if (c === "#" && precededByWhitespace) flowInd = blockInd = true;
    if (!isPrintable(c)) special = true;
    const last = i === cs.length - 1;
    if (c === " ") {
      if (i === 0) leadingSpace = true;
      if (last) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (last) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevSpace = false;
      prevBreak = true;
    } else prevSpace = prevBreak = false;
    precededByWhitespace = isBlankz(c);
  });
  const a: Analysis = { multiline: lineBreaks, flowPlain: true, blockPlain: true, single: true, block: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.flowPlain = a.blockPlain = false;
  if (trailingSpace) a.block = false;
  if (breakSpace) a.flowPlain = a.blockPlain = a.single = false;
  if (spaceBreak || special) a.flowPlain = a.blockPlain = a.single = a.block = false;
  if (lineBreaks) a.flowPlain = a.blockPlain = false;
  if (flowInd) a.flowPlain = false;
  if (blockInd) a.blockPlain = false;
  return a;
}

/** go-yaml's double-quoted escape for one character. */
function escape(c: string): string {
  const named: Record<string, string> = {
    "\0": "0", "\x07": "a", "\b": "b", "\t": "t", "\n": "n", "\v": "v", "\f": "f", "\r": "r", "\x1b": "e",
    '"': '"', "\\": "\\", "\u0085": "N", "\u00a0": "_", "\u2028": "L", "\u2029": "P",
  };
  if (named[c]) return `\\${named[c]}`;
  const cp = c.codePointAt(0)!;
  const hex = cp.toString(16).toUpperCase();
  if (cp <= 0xff) return `\\x${hex.padStart(2, "0")}`;
  return cp <= 0xffff ? `\\u${hex.padStart(4, "0")}` : `\\U${hex.padStart(8, "0")}`;
}

/** go-yaml v2's map key order (`keyList.Less`) for string keys: letters after other runes, digit runs numerically. */
export function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a], br = [...b];
  const letter = (c: string) => /\p{L}/u.test(c);
  const digit = (c: string | undefined) => c !== undefined && /\p{Nd}/u.test(c);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = letter(ar[i]), bl = letter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return bl;
    let an = 0, bn = 0;
    if (ar[i] === "0" || br[i] === "0") {
      for (let j = i - 1; j >= 0 && digit(ar[j]); j--) {
        if (ar[j] !== "0") {
          an = bn = 1;
          break;
        }
      }
    }
    let ai = i, bi = i;
    for (; ai < ar.length && digit(ar[ai]); ai++) an = an * 10 + (ar[ai].charCodeAt(0) - 48);
    for (; bi < br.length && digit(br[bi]); bi++) bn = bn * 10 + (br[bi].charCodeAt(0) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.length < br.length;
}

/** The text and requested style go-yaml's encoder gives a JSON scalar. */
function scalarOf(v: unknown): { text: string; style: Style } {
  if (v === null || v === undefined) return { text: "null", style: "plain" };
  if (typeof v === "boolean") return { text: String(v), style: "plain" };
  if (typeof v === "number") {
    // The number went through JSON text and was read back by the resolver: int, uint or float.
    const r = resolveScalar(String(v));
    return { text: r.tag === "int" ? r.text : formatFloatG(r.tag === "float" ? r.value : v), style: "plain" };
  }
  const s = String(v);
  if (s.includes("\n")) return { text: s, style: "literal" };
  return { text: s, style: needsQuotes(s) ? "double" : "plain" };
}

/** The emitter's state machine, reduced to block collections and scalars. */
class Emitter {
  private out = "";
  private column = 0;
  private indent = -1;
  private readonly indents: number[] = [];
  private whitespace = true;
  private indention = true;
  private mappingContext = false;

  document(value: unknown): string {
    this.node(value, false);
    this.writeIndent();
    return this.out;
  }

  private put(s: string): void {
    this.out += s;
    this.column += [...s].length;
  }

  private putBreak(): void {
    this.out += "\n";
    this.column = 0;
    this.indention = true;
  }

  private writeBreak(c: string): void {
    if (c === "\n") this.putBreak();
    else {
      this.out += c;
      this.column = 0;
    }
  }

  private writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(" ");
    this.whitespace = true;
    this.indention = true;
  }

  private indicator(s: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(" ");
    this.put(s);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private node(v: unknown, mapping: boolean, simpleKey = false): void {
    this.mappingContext = mapping;
    if (Array.isArray(v)) return v.length === 0 ? this.emptyFlow("[", "]") : this.sequence(v);
    if (v !== null && typeof v === "object") {
      const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined);
      return keys.length === 0 ? this.emptyFlow("{", "}") : this.mapping(v as Record<string, unknown>, keys);
    }
    this.scalar(scalarOf(v), simpleKey);
  }

  private emptyFlow(open: string, close: string): void {
    this.indicator(open, true, true, false);
    this.indicator(close, false, false, false);
  }

  private sequence(items: readonly unknown[]): void {
    this.increaseIndent(false, this.mappingContext && !this.indention);
    for (const item of items) {
      this.writeIndent();
      this.indicator("-", true, false, true);
      this.node(item, false);
    }
    this.indent = this.indents.pop()!;
  }

  private mapping(obj: Record<string, unknown>, keys: string[]): void {
    this.increaseIndent(false, false);
    keys.sort((a, b) => (yamlKeyLess(a, b) ? -1 : yamlKeyLess(b, a) ? 1 : 0));
    for (const key of keys) {
      this.writeIndent();
      const k = scalarOf(key);
      if (!analyze(k.text).multiline && utf8Length(k.text) <= 128) {
        this.scalar(k, true);
        this.indicator(":", false, false, false);
      } else {
        this.indicator("?", true, false, true);
        this.scalar(k, false);
        this.writeIndent();
        this.indicator(":", true, false, true);
      }
      this.node(obj[key], true);
    }
    this.indent = this.indents.pop()!;
  }

  /** `yaml_emitter_select_scalar_style` then `process_scalar`. */
  private scalar(s: { text: string; style: Style }, simpleKey: boolean): void {
    const a = analyze(s.text);
    let style = s.style;
    if (simpleKey && a.multiline) style = "double";
    if (style === "plain" && (!a.blockPlain || (s.text === "" && simpleKey))) style = "single";
    if (style === "single" && !a.single) style = "double";
    if (style === "literal" && (!a.block || simpleKey)) style = "double";
    this.increaseIndent(true, false);
    if (style === "plain") this.plain(s.text, !simpleKey);
    else if (style === "single") this.singleQuoted(s.text, !simpleKey);
    else if (style === "double") this.doubleQuoted(s.text, !simpleKey);
    else this.literal(s.text);
    this.indent = this.indents.pop()!;
  }

  private plain(value: string, allowBreaks: boolean): void {
    if (!this.whitespace) this.put(" ");
    const cs = [...value];
    let spaces = false, breaks = false;
    cs.forEach((c, i) => {
      if (c === " ") {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && cs[i + 1] !== " ") this.writeIndent();
        else this.put(c);
        spaces = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(c);
        this.indention = spaces = breaks = false;
      }
    });
    this.whitespace = this.indention = false;
  }

  private singleQuoted(value: string, allowBreaks: boolean): void {
    this.indicator("'", true, false, false);
    const cs = [...value];
    let spaces = false, breaks = false;
    cs.forEach((c, i) => {
      if (c === " ") {
        const fold = allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < cs.length - 1 && cs[i + 1] !== " ";
        if (fold) this.writeIndent();
        else this.put(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === "\n") this.putBreak();
        this.writeBreak(c);
        this.indention = breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(c === "'" ? "''" : c);
        this.indention = spaces = breaks = false;
      }
    });
    this.indicator("'", false, false, false);
    this.whitespace = this.indention = false;
  }

  private doubleQuoted(value: string, allowBreaks: boolean): void {
    this.indicator('"', true, false, false);
    const cs = [...value];
    // go-yaml's is_bom looks at the start of the value, not at the current character.
    const bom = value.startsWith("\ufeff");
    let spaces = false;
    cs.forEach((c, i) => {
      if (!isPrintable(c) || bom || isBreak(c) || c === '"' || c === "\\") {
        this.put(escape(c));
        spaces = false;
      } else if (c === " ") {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < cs.length - 1) {
          this.writeIndent();
          if (cs[i + 1] === " ") this.put("\\");
        } else this.put(c);
        spaces = true;
      } else {
        this.put(c);
        spaces = false;
      }
    });
    this.indicator('"', false, false, false);
    this.whitespace = this.indention = false;
  }

  private literal(value: string): void {
    this.indicator("|", true, false, false);
    const cs = [...value];
    if (cs[0] === " " || isBreak(cs[0])) this.indicator(String(BEST_INDENT), false, false, false);
    const last = cs.length - 1;
    let chomp = "";
    if (!isBreak(cs[last])) chomp = "-";
    else if (last === 0 || isBreak(cs[last - 1])) chomp = "+";
    if (chomp) this.indicator(chomp, false, false, false);
    this.putBreak();
    this.indention = this.whitespace = true;
    let breaks = true;
    for (const c of cs) {
      if (isBreak(c)) {
        this.writeBreak(c);
        this.indention = breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(c);
        this.indention = breaks = false;
      }
    }
  }
}

/** One YAML document for `value`, exactly as `sigs.k8s.io/yaml.Marshal` writes it. */
export function goYAML(value: unknown): string {
  return new Emitter().document(value);
}
