/**
 * ipsets as data (Linux 5.15's ip_set, driven by ipset 7.15): named sets of addresses, networks
 * and ports that `-m set --match-set NAME src,dst` tests a packet against. Calico keeps its
 * policy and IPAM sets here, kube-proxy in IPVS mode its KUBE-CLUSTER-IP & co. Entries are kept
 * by their canonical text (what `ipset list` prints) with their parsed numbers beside.
 *
 * @example
 * createSet(stack, { name: "KUBE-CLUSTER-IP", type: "hash:ip,port" });
 * addEntry(stack, "KUBE-CLUSTER-IP", "10.96.0.1,tcp:443");
 * setMatches(stack.ipsets.get("KUBE-CLUSTER-IP")!, packet, ["dst", "dst"]); // true for 10.96.0.1:443/tcp
 */
import { fnv1a32 } from "../../util/hash";
import type { NetStack } from "../kernel/stack";
import { formatQuad, numericToAddr, parseUint } from "./xtables";

export type IpSetType = "hash:ip" | "hash:net" | "hash:ip,port" | "hash:ip,port,ip" | "hash:ip,port,net" | "hash:net,port" | "bitmap:port";

/** Dimensions of each type, in order. */
const DIMS: Readonly<Record<IpSetType, readonly ("ip" | "net" | "port")[]>> = {
  "hash:ip": ["ip"],
  "hash:net": ["net"],
  "hash:ip,port": ["ip", "port"],
  "hash:ip,port,ip": ["ip", "port", "ip"],
  "hash:ip,port,net": ["ip", "port", "net"],
  "hash:net,port": ["net", "port"],
  "bitmap:port": ["port"],
};

/** The revision Linux 5.15 creates each type with (the newest ipset 7.15 and the kernel share). */
export const IPSET_REVISIONS: Readonly<Record<IpSetType, number>> = {
  "hash:ip": 5,
  "hash:net": 7,
  "hash:ip,port": 6,
  "hash:ip,port,ip": 5,
  "hash:ip,port,net": 8,
  "hash:net,port": 8,
  "bitmap:port": 3,
};

export function isIpSetType(text: string): text is IpSetType {
  return text in DIMS;
}

export interface IpSetEntry {
  /** First address (or network) and its prefix length (32 for an address). */
  readonly ip: number;
  readonly cidr: number;
  /** Protocol number and port of a port dimension (bitmap:port has no protocol). */
  readonly proto?: number;
  readonly port?: number;
  /** The second address of hash:ip,port,ip / hash:ip,port,net. */
  readonly ip2?: number;
  readonly cidr2?: number;
}

export interface IpSet {
  readonly name: string;
  readonly type: IpSetType;
  readonly hashsize: number;
  readonly maxelem: number;
  /** bitmap:port's `range lo-hi`. */
  readonly range?: { readonly lo: number; readonly hi: number };
  /** The hash seed `ipset list` shows (`initval 0x…`), fixed per set name. */
  readonly initval: number;
  /** By canonical text, in insertion order. */
  readonly entries: Map<string, IpSetEntry>;
  /**
   * The same entries for the packet path, by the first dimension's number: prefix length →
   * masked address → entries (bitmap:port: 32 → port). A packet is tested with one lookup per
   * prefix length present, as the kernel's hash:net does, and no text is built.
   */
  readonly index: Map<number, Map<number, IpSetEntry[]>>;
}

/** What can go wrong, in ipset 7.15's words (the command prefixes `ipset v7.15: `). */
export class IpSetError extends Error {}

const PROTOS: Readonly<Record<string, number>> = { tcp: 6, udp: 17, sctp: 132, udplite: 136, icmp: 1 };
const PROTO_NAMES: Readonly<Record<number, string>> = { 6: "tcp", 17: "udp", 132: "sctp", 136: "udplite", 1: "icmp" };

export interface CreateOptions {
  name: string;
  type: string;
  hashsize?: number;
  maxelem?: number;
  range?: { lo: number; hi: number };
  /** `-exist`: an identical set already there is not an error. */
  exist?: boolean;
}

export function createSet(stack: NetStack, o: CreateOptions): IpSet {
  if (!isIpSetType(o.type)) throw new IpSetError(`Syntax error: typename '${o.type}' is unknown`);
  if (o.name.length > 31) throw new IpSetError(`Syntax error: setname '${o.name}' is longer than 31 characters`);
  if (o.type === "bitmap:port" && !o.range) throw new IpSetError("Syntax error: Missing mandatory argument to command create: 'range'");
  const existing = stack.ipsets.get(o.name);
  if (existing) {
    if (o.exist && existing.type === o.type) return existing;
    throw new IpSetError("Set cannot be created: set with the same name already exists");
  }
  // The kernel rounds the hash size up to a power of two, at least 64.
  let hashsize = 64;
  while (hashsize < (o.hashsize ?? 1024)) hashsize *= 2;
  const set: IpSet = { name: o.name, type: o.type, hashsize, maxelem: o.maxelem ?? 65536, range: o.range, initval: fnv1a32(`${stack.id}/${o.name}`), entries: new Map(), index: new Map() };
  stack.ipsets.set(o.name, set);
  return set;
}

function getSet(stack: NetStack, name: string): IpSet {
  const set = stack.ipsets.get(name);
  if (!set) throw new IpSetError("The set with the given name does not exist");
  return set;
}

/** Parses `ip[/cidr]` for an ip or net dimension. */
function parseAddr(text: string, net: boolean): { ip: number; cidr: number } {
  const [host, bits] = text.split("/");
  const ip = host.split(".").length === 4 ? numericToAddr(host) : undefined;
  if (ip === undefined) throw new IpSetError(`Syntax error: cannot parse ${text}: resolving to IPv4 address failed`);
  if (bits === undefined) return { ip, cidr: 32 };
  const cidr = parseUint(bits, net ? 1 : 0, 32);
  if (cidr === undefined) throw new IpSetError(`Syntax error: cannot parse ${text}: resolving to IPv4 address failed`);
  return { ip: cidr === 0 ? 0 : (ip & ((0xffffffff << (32 - cidr)) >>> 0)) >>> 0, cidr };
}

/** `[proto:]port`; tcp when the protocol is left out. */
function parsePortDim(text: string, bitmap: boolean): { proto?: number; port: number } {
  const colon = text.indexOf(":");
  const protoName = colon < 0 ? "tcp" : text.slice(0, colon);
  const portText = colon < 0 ? text : text.slice(colon + 1);
  const port = parseUint(portText, 0, 65535);
  if (port === undefined) throw new IpSetError(`Syntax error: cannot parse '${portText}' as a port number`);
  if (bitmap) return { port };
  const proto = PROTOS[protoName];
  if (proto === undefined) throw new IpSetError(`Syntax error: cannot parse '${protoName}' as a protocol`);
  return { proto, port };
}

/** An entry of the set's type from its text; returns its canonical text too. */
export function parseEntry(set: IpSet, text: string): { key: string; entry: IpSetEntry } {
  const dims = DIMS[set.type];
  const parts = text.split(",");
  if (parts.length !== dims.length) throw new IpSetError(`Syntax error: Second element is missing from ${text}.`);
  let entry: { -readonly [K in keyof IpSetEntry]: IpSetEntry[K] } = { ip: 0, cidr: 32 };
  let addrs = 0;
  dims.forEach((dim, i) => {
    if (dim === "port") {
      const p = parsePortDim(parts[i], set.type === "bitmap:port");
      entry = { ...entry, ...p };
      if (set.range && (p.port < set.range.lo || p.port > set.range.hi)) throw new IpSetError("Element is out of the range of the set");
      return;
    }
    const a = parseAddr(parts[i], dim === "net");
    if (dim === "ip" && a.cidr !== 32 && set.type !== "hash:ip") throw new IpSetError(`Syntax error: plain IP address must be supplied: ${parts[i]}`);
    if (addrs++ === 0) entry = { ...entry, ip: a.ip, cidr: a.cidr };
    else entry = { ...entry, ip2: a.ip, cidr2: a.cidr };
  });
  return { key: entryText(set, entry), entry: Object.freeze(entry) };
}

/** How `ipset list` prints an entry. */
export function entryText(set: IpSet, e: IpSetEntry): string {
  const net = (ip: number, cidr: number) => (cidr === 32 ? formatQuad(ip) : `${formatQuad(ip)}/${cidr}`);
  const port = () => (set.type === "bitmap:port" ? String(e.port) : `${PROTO_NAMES[e.proto!]}:${e.port}`);
  return DIMS[set.type]
    .map((dim, i) => {
      if (dim === "port") return port();
      const first = DIMS[set.type].slice(0, i).every((d) => d === "port");
      return first ? net(e.ip, e.cidr) : net(e.ip2!, e.cidr2!);
    })
    .join(",");
}

/** `ipset add` (a /N on a hash:ip adds each address of the network). */
export function addEntry(stack: NetStack, name: string, text: string, exist = false): void {
  const set = getSet(stack, name);
  for (const { key, entry } of expand(set, text)) {
    if (set.entries.has(key)) {
      if (exist) continue;
      throw new IpSetError("Element cannot be added to the set: it's already added");
    }
    if (set.entries.size >= set.maxelem) throw new IpSetError("Hash is full, cannot add more elements");
    set.entries.set(key, entry);
    indexAdd(set, entry);
  }
}

export function deleteEntry(stack: NetStack, name: string, text: string, exist = false): void {
  const set = getSet(stack, name);
  for (const { key } of expand(set, text)) {
    const stored = set.entries.get(key);
    if (stored) {
      set.entries.delete(key);
      indexRemove(set, stored);
    } else if (!exist) throw new IpSetError("Element cannot be deleted from the set: it's not added");
  }
}

/** `ipset test`: whether the entry (or the address, for a net type) is in the set. */
export function testEntry(stack: NetStack, name: string, text: string): boolean {
  const set = getSet(stack, name);
  const { key, entry } = parseEntry(set, text);
  if (set.entries.has(key)) return true;
  return [...set.entries.values()].some((e) => entryCovers(set, e, entry.ip, entry.port, entry.proto, entry.ip2));
}

function expand(set: IpSet, text: string): { key: string; entry: IpSetEntry }[] {
  if (set.type !== "hash:ip" || !text.includes("/")) return [parseEntry(set, text)];
  const { ip, cidr } = parseAddr(text, false);
  if (cidr < 16) throw new IpSetError("Syntax error: cannot parse " + text + ": too many elements");
  const out: { key: string; entry: IpSetEntry }[] = [];
  for (let i = 0; i < 2 ** (32 - cidr); i++) out.push(parseEntry(set, formatQuad(ip + i)));
  return out;
}

export function flushSet(stack: NetStack, name?: string): void {
  for (const set of name === undefined ? stack.ipsets.values() : [getSet(stack, name)]) {
    set.entries.clear();
    set.index.clear();
  }
}

/** The index's keys of an entry: its first dimension's prefix length and masked number. */
function indexKey(set: IpSet, e: IpSetEntry): [number, number] {
  return set.type === "bitmap:port" ? [32, e.port!] : [e.cidr, e.ip];
}

function indexAdd(set: IpSet, e: IpSetEntry): void {
  const [cidr, key] = indexKey(set, e);
  let byKey = set.index.get(cidr);
  if (!byKey) {
    byKey = new Map();
    set.index.set(cidr, byKey);
  }
  const list = byKey.get(key);
  if (list) list.push(e);
  else byKey.set(key, [e]);
}

function indexRemove(set: IpSet, e: IpSetEntry): void {
  const [cidr, key] = indexKey(set, e);
  const byKey = set.index.get(cidr);
  const list = byKey?.get(key);
  if (!byKey || !list) return;
  list.splice(list.indexOf(e), 1);
  if (list.length > 0) return;
  byKey.delete(key);
  if (byKey.size === 0) set.index.delete(cidr);
}

/** `ipset destroy [NAME]`: refused while an iptables rule references the set. */
export function destroySet(stack: NetStack, name?: string): void {
  const names = name === undefined ? [...stack.ipsets.keys()] : [getSet(stack, name).name];
  for (const n of names) if (setReferences(stack, n) > 0) throw new IpSetError("Set cannot be destroyed: it is in use by a kernel component");
  for (const n of names) stack.ipsets.delete(n);
}

/** How many iptables rules of the namespace match against the set (`References:`). */
export function setReferences(stack: NetStack, name: string): number {
  let n = 0;
  for (const table of Object.values(stack.netfilter)) {
    for (const chain of table.chains.values()) for (const rule of chain.rules) for (const m of rule.spec.matches) if (m.kind === "set" && m.name === name) n++;
  }
  return n;
}

function inNet(ip: number, base: number, cidr: number): boolean {
  return cidr === 0 || ((ip & ((0xffffffff << (32 - cidr)) >>> 0)) >>> 0) === base;
}

function entryCovers(set: IpSet, e: IpSetEntry, ip: number, port: number | undefined, proto: number | undefined, ip2: number | undefined): boolean {
  const dims = DIMS[set.type];
  let addrs = 0;
  for (const dim of dims) {
    if (dim === "port") {
      if (e.port !== port) return false;
      if (set.type !== "bitmap:port" && e.proto !== proto) return false;
      continue;
    }
    const first = addrs++ === 0;
    const want = first ? ip : ip2;
    if (want === undefined || !inNet(want, first ? e.ip : e.ip2!, first ? e.cidr : e.cidr2!)) return false;
  }
  return true;
}

/** A packet's fields the set match reads. */
export interface SetPacket {
  src: number;
  dst: number;
  protocol: number;
  sport: number;
  dport: number;
}

/**
 * `-m set --match-set NAME dirs`: the packet's address or port of each dimension taken from
 * the side `dirs` names. A match with fewer directions than the set has dimensions never matches.
 */
export function setMatches(set: IpSet, p: SetPacket, dirs: readonly ("src" | "dst")[]): boolean {
  const dims = DIMS[set.type];
  if (dirs.length < dims.length) return false;
  let ip = 0;
  let ip2: number | undefined;
  let port: number | undefined;
  let addrs = 0;
  for (let i = 0; i < dims.length; i++) {
    const src = dirs[i] === "src";
    if (dims[i] === "port") {
      if (!PROTO_NAMES[p.protocol] || p.protocol === 1) return false;
      port = src ? p.sport : p.dport;
    } else if (addrs++ === 0) ip = src ? p.src : p.dst;
    else ip2 = src ? p.src : p.dst;
  }
  const first = set.type === "bitmap:port" ? port! : ip;
  for (const cidr of set.index.keys()) {
    const candidates = set.index.get(cidr)!.get(cidr === 32 ? first : cidr === 0 ? 0 : (first & ((0xffffffff << (32 - cidr)) >>> 0)) >>> 0);
    if (candidates) for (const e of candidates) if (entryCovers(set, e, ip, port, p.protocol, ip2)) return true;
  }
  return false;
}
