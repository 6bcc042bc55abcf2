/**
 * Label selectors (apimachinery `labels/selector.go`): the lexer and recursive-descent parser
 * behind `kubectl get -l`, with upstream's error texts, plus matching and canonical `String()`.
 * Grammar: requirements joined by `,` (AND), each `key`, `!key`, `key=v`, `key==v`, `key!=v`,
 * `key in (a,b)`, `key notin (a)`, `key>n`, `key<n`.
 *
 * @example
 * const sel = parseLabelSelector("app=web,tier in (front, back)");
 * sel.matches({ app: "web", tier: "front" });   // true
 * sel.toString();                               // "app=web,tier in (back,front)"
 * parseLabelSelector("app web");                // throws LabelSelectorError:
 * // "unable to parse requirement: found 'web', expected: in, notin, =, ==, !=, gt, lt"
 */
import { type FieldError, FieldPath, aggregateMessage, goStringSlice, invalid, notSupported } from "../validation/field";
import { isQualifiedName, isValidLabelValue } from "../validation/strings";

/** `selection.Operator` values, spelled as upstream. */
export type Operator = "=" | "==" | "!=" | "in" | "notin" | "exists" | "!" | "gt" | "lt";

/** One clause of a selector. `values` are kept sorted and de-duplicated, as upstream. */
export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  readonly values: readonly string[];
}

/** A parsed selector: an AND of requirements, sorted by key. */
export interface Selector {
  readonly requirements: readonly Requirement[];
  /** True for `labels.Nothing()` (a nil LabelSelector), which matches no object. */
  readonly nothing: boolean;
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
  /** True when it restricts nothing (and is not `nothing`). */
  empty(): boolean;
  toString(): string;
}

/** A parse failure; `message` is exactly what the apiserver returns. */
export class LabelSelectorError extends Error {}

const BINARY_OPERATORS = ["in", "notin", "=", "==", "!=", "gt", "lt"];

/** `labels.NewRequirement`: validates key, operator and values; throws the aggregated error. */
export function newRequirement(key: string, operator: Operator, values: readonly string[], path?: FieldPath): Requirement {
  const errs: FieldError[] = [];
  const keyErr = validateKey(key, path ? path.child("key") : FieldPath.root.child("key"));
  if (keyErr) errs.push(keyErr);
  const valuePath = path ? path.child("values") : FieldPath.root.child("values");
  switch (operator) {
    case "in":
    case "notin":
      if (values.length === 0) errs.push(invalid(valuePath, goStringSlice(values), "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case "=":
    case "==":
    case "!=":
      if (values.length !== 1) errs.push(invalid(valuePath, goStringSlice(values), "exact-match compatibility requires one single value"));
      break;
    case "exists":
    case "!":
      if (values.length !== 0) errs.push(invalid(valuePath, goStringSlice(values), "values set must be empty for exists and does not exist"));
      break;
    case "gt":
    case "lt":
      if (values.length !== 1) errs.push(invalid(valuePath, goStringSlice(values), "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (!/^[+-]?\d+$/.test(v)) errs.push(invalid(valuePath.index(i), v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
    default:
      errs.push(notSupported((path ?? FieldPath.root).child("operator"), operator, [...BINARY_OPERATORS, "exists", "!"]));
  }
  values.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    if (msgs.length > 0) errs.push(invalid(valuePath.index(i).key(key), v, msgs.join("; ")));
  });
  if (errs.length > 0) throw new LabelSelectorError(aggregateMessage(errs));
  return { key, operator, values: [...values] };
}

function validateKey(key: string, path: FieldPath | undefined): FieldError | undefined {
  const msgs = isQualifiedName(key);
  // A parser without a path renders Go's nil *field.Path as "<nil>".
  return msgs.length > 0 ? invalid(path ?? NIL_PATH, key, msgs.join("; ")) : undefined;
}

const NIL_PATH = FieldPath.root.child("<nil>");

function requirementMatches(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const v = labels[r.key];
  switch (r.operator) {
    case "in":
    case "=":
    case "==":
      return has && r.values.includes(v);
    case "notin":
    case "!=":
      return !has || !r.values.includes(v);
    case "exists":
      return has;
    case "!":
      return !has;
    case "gt":
    case "lt": {
      if (!has || !/^[+-]?\d+$/.test(v) || r.values.length !== 1) return false;
      const lhs = Number(v);
      const rhs = Number(r.values[0]);
      return r.operator === "gt" ? lhs > rhs : lhs < rhs;
    }
  }
}

function requirementString(r: Requirement): string {
  const prefix = r.operator === "!" ? "!" : "";
  if (r.operator === "exists" || r.operator === "!") return prefix + r.key;
  const op = { "=": "=", "==": "==", "!=": "!=", in: " in ", notin: " notin ", gt: ">", lt: "<" }[r.operator];
  const vals = r.values.length === 1 ? r.values[0] : [...r.values].sort().join(",");
  return r.operator === "in" || r.operator === "notin" ? `${r.key}${op}(${vals})` : `${r.key}${op}${vals}`;
}

/** Builds a selector from requirements, sorting them by key as `Selector.Add` does. */
export function selectorOf(requirements: readonly Requirement[], nothing = false): Selector {
  const reqs = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    requirements: reqs,
    nothing,
    matches: (labels) => !nothing && reqs.every((r) => requirementMatches(r, labels ?? {})),
    empty: () => !nothing && reqs.length === 0,
    toString: () => reqs.map(requirementString).join(","),
  };
}

/** `labels.Everything()`. */
export const everything: Selector = selectorOf([]);

/** `labels.Nothing()`: what a nil LabelSelector converts to. */
export const nothing: Selector = selectorOf([], true);

/** `SelectorFromSet`: equality on every key of a map selector (Services, RCs). */
export function selectorFromSet(set: Readonly<Record<string, string>> | undefined): Selector {
  return selectorOf(Object.entries(set ?? {}).map(([key, v]) => ({ key, operator: "=" as const, values: [v] })));
}

/** `labels.Set.String()` / `FormatLabels` without the `<none>`: `k=v` pairs sorted as strings. */
export function formatLabelSet(set: Readonly<Record<string, string>> | undefined): string {
  return Object.entries(set ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join(",");
}

type Tok = "eos" | ")" | "," | "!" | "==" | "=" | ">" | "id" | "in" | "<" | "!=" | "notin" | "(";
interface Item {
  tok: Tok;
  lit: string;
}

const KEYWORDS: Record<string, Tok> = { ")": ")", ",": ",", "!": "!", "==": "==", "=": "=", ">": ">", in: "in", "<": "<", "!=": "!=", notin: "notin", "(": "(" };
const isSpecial = (c: string) => "=!(),><".includes(c);
const isSpace = (c: string) => c === " " || c === "\t" || c === "\r" || c === "\n";

function lex(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isSpace(s[pos])) pos++;
    if (pos >= s.length) {
      items.push({ tok: "eos", lit: "" });
      return items;
    }
    if (isSpecial(s[pos])) {
      // scanSpecialSymbol: grow while the buffer is still a known operator ("!" then "!=").
      // Every single special character is itself a token, so this always yields one.
      let lit = s[pos++];
      while (pos < s.length && KEYWORDS[lit + s[pos]] !== undefined) lit += s[pos++];
      items.push({ tok: KEYWORDS[lit], lit });
      continue;
    }
    let lit = "";
    while (pos < s.length && !isSpecial(s[pos]) && !isSpace(s[pos])) lit += s[pos++];
    items.push({ tok: KEYWORDS[lit] ?? "id", lit });
  }
}

class Parser {
  private position = 0;
  constructor(private readonly items: Item[]) {}

  /** In a value context the keywords `in`/`notin` are plain identifiers. */
  private peek(values: boolean): Item {
    const it = this.items[this.position];
    return values && (it.tok === "in" || it.tok === "notin") ? { tok: "id", lit: it.lit } : it;
  }

  private next(values: boolean): Item {
    const it = this.peek(values);
    this.position++;
    return it;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.peek(true);
      if (tok === "eos") return reqs;
      if (tok !== "id" && tok !== "!") throw new LabelSelectorError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      try {
        reqs.push(this.requirement());
      } catch (e) {
        if (e instanceof LabelSelectorError) throw new LabelSelectorError(`unable to parse requirement: ${e.message}`);
        throw e;
      }
      const t = this.next(true);
      if (t.tok === "eos") return reqs;
      if (t.tok !== ",") throw new LabelSelectorError(`found '${t.lit}', expected: ',' or 'end of string'`);
      const t2 = this.peek(true);
      if (t2.tok !== "id" && t2.tok !== "!") throw new LabelSelectorError(`found '${t2.lit}', expected: identifier after ','`);
    }
  }

  private requirement(): Requirement {
    let negated = false;
    let { tok, lit } = this.next(true);
    if (tok === "!") {
      negated = true;
      ({ tok, lit } = this.next(true));
    }
    if (tok !== "id") throw new LabelSelectorError(`found '${lit}', expected: identifier`);
    const keyErr = validateKey(lit, undefined);
    if (keyErr) throw new LabelSelectorError(aggregateMessage([keyErr]));
    const key = lit;
    const after = this.peek(true).tok;
    // `!key` is complete on its own; a bare `key` is an existence test only before `,` or the end.
    if (negated || after === "eos" || after === ",") return newRequirement(key, negated ? "!" : "exists", []);
    const opItem = this.next(false);
    const ops: Partial<Record<Tok, Operator>> = { in: "in", "=": "=", "==": "==", ">": "gt", "<": "lt", notin: "notin", "!=": "!=" };
    const op = ops[opItem.tok];
    if (!op) throw new LabelSelectorError(`found '${opItem.lit}', expected: ${BINARY_OPERATORS.join(", ")}`);
    const values = op === "in" || op === "notin" ? this.valueSet() : this.exactValue();
    return newRequirement(key, op, [...new Set(values)].sort());
  }

  private valueSet(): string[] {
    const open = this.next(true);
    if (open.tok !== "(") throw new LabelSelectorError(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.peek(true);
    if (tok === ")") {
      this.next(true);
      return [""];
    }
    if (tok !== "id" && tok !== ",") throw new LabelSelectorError(`found '${lit}', expected: ',', ')' or identifier`);
    const set = this.identifiers();
    if (this.next(true).tok !== ")") throw new LabelSelectorError(`found '${lit}', expected: ')'`);
    return set;
  }

  private identifiers(): string[] {
    const set = new Set<string>();
    for (;;) {
      const { tok, lit } = this.next(true);
      if (tok === "id") {
        set.add(lit);
        const t2 = this.peek(true);
        if (t2.tok === ",") continue;
        if (t2.tok === ")") return [...set];
        throw new LabelSelectorError(`found '${t2.lit}', expected: ',' or ')'`);
      }
      if (tok === ",") {
        if (set.size === 0) set.add("");
        const t2 = this.peek(true).tok;
        if (t2 === ")") {
          set.add("");
          return [...set];
        }
        if (t2 === ",") set.add("");
        continue;
      }
      throw new LabelSelectorError(`found '${lit}', expected: ',', or identifier`);
    }
  }

  private exactValue(): string[] {
    const t = this.peek(true).tok;
    if (t === "eos" || t === ",") return [""];
    const { tok, lit } = this.next(true);
    if (tok === "id") return [lit];
    throw new LabelSelectorError(`found '${lit}', expected: identifier`);
  }
}

/** `labels.Parse`: throws {@link LabelSelectorError} with upstream's message on bad input. */
export function parseLabelSelector(text: string): Selector {
  return selectorOf(new Parser(lex(text)).parse());
}
