/**
 * pcap-filter expressions (the subset lessons use) compiled to a predicate over a captured
 * frame's outermost headers, as the kernel's BPF filter sees them: `host`, `net`, `port`,
 * `portrange` with `src`/`dst`, the protocols `ip`, `tcp`, `udp`, `icmp`, `arp`, `ether host`,
 * and `and`/`or`/`not` (`&&`, `||`, `!`) with parentheses. A bare value after `and`/`or` takes
 * the qualifiers of the primitive before it (`host a or b`). Encapsulated traffic is matched on
 * its outer headers (VXLAN is `udp port 8472`), as on a real interface.
 *
 * @example
 * const f = compileFilter("tcp port 80 and not host 10.244.1.1"); // { match(frame) } or { error }
 * f.match(frame); // true / false
 */
import { parseCIDR, parseIP } from "../../../util/ipv4";
import type { EthernetFrame } from "../../walker";

type Dir = "src" | "dst" | "src or dst" | "src and dst";
type Proto = "ip" | "tcp" | "udp" | "icmp" | "arp" | "ether";
type Kind = "host" | "net" | "port" | "portrange" | "proto";

type Node =
  | { op: "and" | "or"; left: Node; right: Node }
  | { op: "not"; operand: Node }
  | { op: "proto"; proto: Proto }
  | { op: "prim"; proto?: Proto; dir: Dir; kind: Kind; value: string };

export type Filter = { match(frame: EthernetFrame): boolean } | { error: string };

const PROTOS = new Set(["ip", "tcp", "udp", "icmp", "arp", "ether"]);
const KINDS = new Set(["host", "net", "port", "portrange", "proto"]);
/** IP protocol numbers by name (`ip proto 4`, `proto \\tcp`). */
const IP_PROTOCOLS: Record<string, number> = { icmp: 1, ipip: 4, tcp: 6, udp: 17 };

function tokenize(text: string): string[] {
  return text.match(/\(|\)|&&|\|\||!|[^\s()!&|]+/g) ?? [];
}

class Parser {
  private i = 0;
  private last: Extract<Node, { op: "prim" }> | undefined;

  constructor(private readonly tokens: string[]) {}

  parse(): Node | undefined {
    if (this.tokens.length === 0) return undefined;
    const node = this.or();
    if (this.i < this.tokens.length) throw new Error("syntax error");
    return node;
  }

  private peek(): string | undefined {
    return this.tokens[this.i];
  }

  private or(): Node {
    let left = this.and();
    while (this.peek() === "or" || this.peek() === "||") {
      this.i++;
      left = { op: "or", left, right: this.and() };
    }
    return left;
  }

  private and(): Node {
    let left = this.not();
    while (this.peek() === "and" || this.peek() === "&&") {
      this.i++;
      left = { op: "and", left, right: this.not() };
    }
    return left;
  }

  private not(): Node {
    if (this.peek() === "not" || this.peek() === "!") {
      this.i++;
      return { op: "not", operand: this.not() };
    }
    if (this.peek() === "(") {
      this.i++;
      const inner = this.or();
      if (this.tokens[this.i++] !== ")") throw new Error("syntax error");
      return inner;
    }
    return this.primitive();
  }

  private primitive(): Node {
    const start = this.i;
    let proto: Proto | undefined;
    let dir: Dir | undefined;
    let kind: Kind | undefined;
    if (PROTOS.has(this.peek() ?? "")) proto = this.tokens[this.i++] as Proto;
    if (this.peek() === "src" || this.peek() === "dst") {
      const first = this.tokens[this.i++];
      if ((this.peek() === "or" || this.peek() === "and") && (this.tokens[this.i + 1] === "src" || this.tokens[this.i + 1] === "dst")) {
        dir = `src ${this.tokens[this.i]} dst` as Dir;
        this.i += 2;
      } else dir = first as Dir;
    }
    if (KINDS.has(this.peek() ?? "")) kind = this.tokens[this.i++] as Kind;
    const value = this.peek();
    const isValue = value !== undefined && !["and", "or", "not", "&&", "||", "!", "(", ")"].includes(value) && (kind === "proto" || !PROTOS.has(value));
    if (!kind && !dir && proto) return { op: "proto", proto };
    if (!isValue) {
      if (this.i === start) throw new Error("syntax error");
      throw new Error("syntax error");
    }
    this.i++;
    if (!kind && !dir && !proto && this.last) {
      // `host a or b`: a bare value repeats the qualifiers before it.
      return { ...this.last, value };
    }
    if (!kind) {
      if (value.includes(":") && !proto) kind = "host";
      else kind = value.includes("/") ? "net" : /^\d+$/.test(value) && proto !== "ip" ? "port" : "host";
    }
    const prim = { op: "prim" as const, proto, dir: dir ?? "src or dst", kind, value };
    this.last = prim;
    return prim;
  }
}

/** Compiles an expression; an empty one matches everything. */
export function compileFilter(text: string): Filter {
  let node: Node | undefined;
  try {
    node = new Parser(tokenize(text)).parse();
    if (node) validate(node);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  return { match: (frame) => (node ? evaluate(node, frame) : true) };
}

function validate(node: Node): void {
  if (node.op === "and" || node.op === "or") {
    validate(node.left);
    validate(node.right);
  } else if (node.op === "not") validate(node.operand);
  else if (node.op === "prim") {
    if (node.kind === "host" && node.proto === "ether") {
      if (!/^([0-9a-f]{1,2}:){5}[0-9a-f]{1,2}$/i.test(node.value)) throw new Error(`bogus ethernet address '${node.value}'`);
    } else if (node.kind === "host" && parseIP(node.value) === undefined) throw new Error(`can't resolve host '${node.value}'`);
    if (node.kind === "net" && !parseCIDR(node.value.includes("/") ? node.value : `${node.value}/32`)) throw new Error(`invalid net '${node.value}'`);
    if (node.kind === "port" && !/^\d+$/.test(node.value)) throw new Error(`unknown port '${node.value}'`);
    if (node.kind === "portrange" && !/^\d+-\d+$/.test(node.value)) throw new Error(`illegal port range '${node.value}'`);
    if (node.kind === "proto" && !/^\d+$/.test(node.value) && IP_PROTOCOLS[node.value.replace(/^\\/, "")] === undefined) throw new Error(`unknown ip proto '${node.value}'`);
    if (node.kind === "port" && node.proto && !["tcp", "udp", "ip"].includes(node.proto)) throw new Error(`port qualifier applied to ${node.proto}`);
  }
}

/** The frame's addresses and ports as the outermost headers carry them. */
function fields(frame: EthernetFrame) {
  if (frame.arp) return { src: frame.arp.senderIp, dst: frame.arp.targetIp, proto: "arp" as const, sport: undefined, dport: undefined };
  const ip = frame.ip;
  if (!ip) return undefined;
  const l4 = ip.l4;
  const ports = l4.kind === "tcp" || l4.kind === "udp" ? { sport: l4.sport, dport: l4.dport } : { sport: undefined, dport: undefined };
  return { src: ip.src, dst: ip.dst, proto: l4.kind, ...ports };
}

function pick<T>(dir: Dir, src: T, dst: T, test: (v: T) => boolean): boolean {
  switch (dir) {
    case "src":
      return test(src);
    case "dst":
      return test(dst);
    case "src and dst":
      return test(src) && test(dst);
    default:
      return test(src) || test(dst);
  }
}

function evaluate(node: Node, frame: EthernetFrame): boolean {
  switch (node.op) {
    case "and":
      return evaluate(node.left, frame) && evaluate(node.right, frame);
    case "or":
      return evaluate(node.left, frame) || evaluate(node.right, frame);
    case "not":
      return !evaluate(node.operand, frame);
    case "proto":
      return protoMatches(node.proto, frame);
  }
  const f = fields(frame);
  if (node.proto === "ether") return pick(node.dir, frame.src, frame.dst, (m) => m.toLowerCase() === node.value.toLowerCase());
  if (!f || (node.proto && !protoMatches(node.proto, frame))) return false;
  switch (node.kind) {
    case "host": {
      const ip = parseIP(node.value)!;
      return pick(node.dir, f.src, f.dst, (a) => a === ip);
    }
    case "net": {
      const cidr = parseCIDR(node.value.includes("/") ? node.value : `${node.value}/32`)!;
      const mask = cidr.prefix === 0 ? 0 : (~0 << (32 - cidr.prefix)) >>> 0;
      return pick(node.dir, f.src, f.dst, (a) => ((a & mask) >>> 0) === ((cidr.base & mask) >>> 0));
    }
    case "proto": {
      if (!frame.ip) return false;
      const wanted = /^\d+$/.test(node.value) ? Number(node.value) : IP_PROTOCOLS[node.value.replace(/^\\/, "")];
      return IP_PROTOCOLS[frame.ip.l4.kind] === wanted;
    }
    case "port":
    case "portrange": {
      if (f.sport === undefined || f.dport === undefined) return false;
      const [lo, hi] = node.kind === "port" ? [Number(node.value), Number(node.value)] : node.value.split("-").map(Number);
      return pick(node.dir, f.sport, f.dport, (p) => p >= lo && p <= hi);
    }
  }
}

function protoMatches(proto: Proto, frame: EthernetFrame): boolean {
  if (proto === "ether") return true;
  if (proto === "arp") return Boolean(frame.arp);
  if (!frame.ip) return false;
  return proto === "ip" || frame.ip.l4.kind === proto;
}
