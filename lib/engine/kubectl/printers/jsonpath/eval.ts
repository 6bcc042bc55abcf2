/**
 * client-go's JSONPath evaluator (`util/jsonpath/jsonpath.go`) over decoded JSON: the same
 * walk, the same `range`/`end` bookkeeping, filters compared with text/template's rules
 * (`incompatible types for comparison` when an int64 meets a float64) and the same printing —
 * scalars as `fmt.Print` shows them, maps and lists as compact JSON, results of one action
 * separated by spaces. Errors carry client-go's messages.
 *
 * @example
 * executeJSONPath(parseJSONPath("{.items[*].metadata.name}"), list, { numbers: "int64" }); // "a b"
 */
import { type NumberMode, goNumber, goNumberType, goSprint, goTypeName } from "../gofmt";
import { goJSON } from "../json";
import type { ListNode, Node } from "./parser";

/** An evaluation failure; `message` is client-go's text. */
export class JSONPathExecError extends Error {}

/** Evaluation settings. */
export interface ExecOptions {
  /** How the object's numbers were decoded (server objects: int64; generated ones: float64). */
  numbers: NumberMode;
  /** `--allow-missing-template-keys` (kubectl's default: true). */
  allowMissingKeys?: boolean;
  /** `-o jsonpath-as-json`: print each result group as an indented JSON array. */
  outputJSON?: boolean;
}

/** A literal from the template (`5`, `1.5`): Go int or float64 whatever the object's numbers are. */
class Literal {
  constructor(
    readonly kind: "int" | "float",
    readonly value: number,
  ) {}
}

type Kind = "bool" | "int" | "float" | "string";

function utf8Bytes(s: string): number[] {
  const out: number[] = [];
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return out;
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Literal);

class Evaluator {
  private beginRange = 0;
  private inRange = 0;
  private endRange = 0;
  private lastEndNode: Node | undefined;

  constructor(private readonly options: ExecOptions) {}

  private keys(obj: Record<string, unknown>): string[] {
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined);
    // A server object is a Go map (its iteration order is random; sorted is one of them); a
    // generated object is a struct, whose fields come in declaration order.
    return this.options.numbers === "int64" ? keys.sort() : keys;
  }

  private children(v: unknown): unknown[] {
    if (Array.isArray(v)) return v;
    if (isMap(v)) return this.keys(v).map((k) => v[k]);
    // A Go string indexes as its UTF-8 bytes.
    if (typeof v === "string") return utf8Bytes(v);
    return [];
  }

  findResults(data: unknown, nodes: readonly Node[]): unknown[][] {
    const full: unknown[][] = [];
    for (let i = 0; i < nodes.length; i++) {
      const results = this.walk([data], nodes[i]);
      if (this.endRange > 0 && this.endRange <= this.inRange) {
        this.endRange--;
        this.lastEndNode = nodes[i];
        break;
      }
      if (this.beginRange > 0) {
        this.beginRange--;
        this.inRange++;
        if (results.length > 0) for (const value of results) full.push(...this.findResults(value, nodes.slice(i + 1)));
        else this.findResults(null, nodes.slice(i + 1));
        this.inRange--;
        const end = nodes.indexOf(this.lastEndNode as Node, i + 1);
        if (end >= 0) i = end;
        continue;
      }
      full.push(results);
    }
    return full;
  }

  private walk(input: unknown[], node: Node): unknown[] {
    switch (node.type) {
      case "list":
        return node.nodes.reduce((cur, n) => this.walk(cur, n), input);
      case "text":
        return [node.text];
      case "field":
        return this.field(input, node.name);
      case "array":
        return this.array(input, node);
      case "filter":
        return this.filter(input, node);
      case "int":
      case "float":
        return input.map(() => new Literal(node.type, node.value));
      case "bool":
        return input.map(() => node.value);
      case "wildcard":
        return input.filter((v) => v !== null && v !== undefined).flatMap((v) => this.children(v));
      case "recursive":
        return this.recursive(input);
      case "union":
        return node.nodes.flatMap((l) => this.walk(input, l));
      case "identifier":
        return this.identifier(input, node.name);
    }
  }

  private field(input: unknown[], name: string): unknown[] {
    if (input.length === 0) return [];
    const results = input.filter((v) => isMap(v) && v[name] !== undefined).map((v) => (v as Record<string, unknown>)[name]);
    if (results.length === 0 && this.options.allowMissingKeys === false) throw new JSONPathExecError(`${name} is not found`);
    return results;
  }

  private array(input: unknown[], node: Extract<Node, { type: "array" }>): unknown[] {
    const result: unknown[] = [];
    for (const value of input) {
      if (value === null || value === undefined) continue;
      if (!Array.isArray(value)) throw new JSONPathExecError(`${goTypeName(value, this.options.numbers)} is not array or slice`);
      const [p0, p1, p2] = node.params;
      const len = value.length;
      let start = p0.known ? p0.value : 0;
      if (start < 0) start += len;
      let end = p1.known ? p1.value : len;
      if (end < 0 || (end === 0 && p1.derived)) end += len;
      if (end === start) return result;
      if (start >= len || start < 0) throw new JSONPathExecError(`array index out of bounds: index ${start}, length ${len}`);
      if (end > len || end < 0) throw new JSONPathExecError(`array index out of bounds: index ${end - 1}, length ${len}`);
      if (start > end) throw new JSONPathExecError(`starting index ${start} is greater than ending index ${end}`);
      let step = 1;
      if (p2.known) {
        if (p2.value <= 0) throw new JSONPathExecError("step must be > 0");
        step = p2.value;
      }
      for (let i = start; i < end; i += step) result.push(value[i]);
    }
    return result;
  }

  private recursive(input: unknown[]): unknown[] {
    const result: unknown[] = [];
    for (const value of input) {
      if (value === null || value === undefined) continue;
      const kids = this.children(value);
      if (kids.length > 0) result.push(value, ...this.recursive(kids));
    }
    return result;
  }

  private identifier(input: unknown[], name: string): unknown[] {
    if (name === "range") {
      this.beginRange++;
      return input;
    }
    if (name === "end") {
      if (this.inRange === 0) throw new JSONPathExecError("not in range, nothing to end");
      this.endRange++;
      return [];
    }
    throw new JSONPathExecError(`unrecognized identifier ${name}`);
  }

  private filter(input: unknown[], node: Extract<Node, { type: "filter" }>): unknown[] {
    const results: unknown[] = [];
    for (const value of input) {
      if (!Array.isArray(value)) {
        throw new JSONPathExecError(`${goSprint(value, this.options.numbers)} is not array or slice and cannot be filtered`);
      }
      for (const item of value) {
        if (node.operator === "exists") {
          let lefts: unknown[] = [];
          try {
            lefts = this.walk([item], node.left);
          } catch (e) {
            if (!(e instanceof JSONPathExecError)) throw e;
          }
          if (lefts.length > 0) results.push(item);
          continue;
        }
        const lefts = this.walk([item], node.left);
        if (lefts.length === 0) continue;
        if (lefts.length > 1) throw new JSONPathExecError("can only compare one element at a time");
        const rights = this.walk([item], node.right);
        if (rights.length === 0) continue;
        if (rights.length > 1) throw new JSONPathExecError("can only compare one element at a time");
        if (this.compare(node.operator, lefts[0], rights[0])) results.push(item);
      }
    }
    return results;
  }

  private kind(v: unknown): Kind {
    if (typeof v === "boolean") return "bool";
    if (typeof v === "string") return "string";
    if (v instanceof Literal) return v.kind;
    if (typeof v === "number") return goNumberType(v, this.options.numbers) === "int64" ? "int" : "float";
    throw new JSONPathExecError("invalid type for comparison");
  }

  /** text/template's `eq`, `lt` and the operators built on them. */
  private compare(op: string, a: unknown, b: unknown): boolean {
    const val = (v: unknown) => (v instanceof Literal ? v.value : v) as number | string | boolean;
    const kinds = (): Kind => {
      const ka = this.kind(a), kb = this.kind(b);
      if (ka !== kb) throw new JSONPathExecError("incompatible types for comparison");
      return ka;
    };
    const eq = () => (kinds(), val(a) === val(b));
    const lt = () => {
      if (kinds() === "bool") throw new JSONPathExecError("invalid type for comparison");
      return val(a) < val(b);
    };
    switch (op) {
      case "==":
        return eq();
      case "!=":
        return !eq();
      case "<":
        return lt();
      case "<=":
        return lt() || eq();
      case ">":
        return !(lt() || eq());
      case ">=":
        return !lt();
      default:
        throw new JSONPathExecError(`unrecognized filter operator ${op}`);
    }
  }

  text(v: unknown): string {
    if (v instanceof Literal) return v.kind === "int" ? String(v.value) : goNumber(v.value, "float64");
    if (v === null || v === undefined) return "null";
    if (typeof v === "number") return goNumber(v, this.options.numbers);
    if (typeof v === "object") return goJSON(v, { indent: "", typedOrder: this.options.numbers === "float64" });
    return String(v);
  }

  json(v: unknown[]): string {
    const plain = v.map((x) => (x instanceof Literal ? x.value : x));
    return `${goJSON(plain, { typedOrder: this.options.numbers === "float64" })}\n`;
  }
}

/** The result groups of a template over `data`, template literals turned into plain numbers. */
export function findJSONPathResults(template: ListNode, data: unknown, options: ExecOptions): unknown[][] {
  const groups = new Evaluator(options).findResults(data, template.nodes);
  return groups.map((g) => g.map((v) => (v instanceof Literal ? v.value : v)));
}

/** Runs a parsed template over `data` and returns what kubectl prints (no trailing newline added). */
export function executeJSONPath(template: ListNode, data: unknown, options: ExecOptions): string {
  const ev = new Evaluator(options);
  const groups = ev.findResults(data, template.nodes);
  return groups
    .map((group) => (options.outputJSON ? ev.json(group) : group.map((v) => ev.text(v)).join(" ")))
    .join("");
}
