/**
 * Netfilter's rule evaluation for the packet walker: one table's built-in chain at a hook, as
 * the kernel runs it (ipt_do_table / nf_tables' chain walk). Rules are tried in order; the first
 * whose matches all match counts the packet and acts: a verdict ends the table (ACCEPT, DROP,
 * REJECT, a NAT mapping), a jump pushes a return point, a goto does not, RETURN or the end of a
 * user chain pops one, the end of the built-in chain applies its policy. MARK, CONNMARK, LOG
 * and CT change what they change and the walk goes on.
 *
 * The nat table is consulted for a connection's first packet only (ctState NEW), as nf_nat does:
 * later packets follow the connection's recorded mapping, which is the walker's to apply.
 *
 * @example
 * const r = traverse(stack, "nat", "PREROUTING", packet, { now: clock.now(), rng });
 * if (r.verdict.kind === "DNAT") … // r.by: { table: "nat", chain: "KUBE-SEP-X", rule: 2, text: "-p tcp …" }
 */
import type { Rng } from "../../util/rng";
import type { NetStack } from "../kernel/stack";
import { TABLE_LOCAL } from "../kernel/route";
import { setMatches } from "./ipset";
import { ownerMatches } from "./ext/owner";
import { CT_STATE_BITS, type Chain, type ConntrackMatch, type CtAddr, type Match, type PortRange, type RejectWith, type Rule, type RuleSpec, type TableName } from "./types";

/** Conntrack's view of the packet; UNTRACKED after `-j CT --notrack`, INVALID when conntrack could not track it. */
export type CtState = "NEW" | "ESTABLISHED" | "RELATED" | "INVALID" | "UNTRACKED";

/** A connection tuple as conntrack keeps it. */
export interface CtTuple {
  src: number;
  dst: number;
  sport: number;
  dport: number;
}

/** What `-m conntrack` and CONNMARK read of the packet's connection. */
export interface CtView {
  state: CtState;
  /** The connection was destination / source NATed (`--ctstate DNAT`, `--ctstate SNAT`). */
  dnat?: boolean;
  snat?: boolean;
  /** The packet travels in the connection's reply direction (`--ctdir REPLY`). */
  reply?: boolean;
  /** The connection's mark (CONNMARK). */
  mark?: number;
  original?: CtTuple;
  replyTuple?: CtTuple;
  /** Status bits as CT_STATUS_BITS (`--ctstatus ASSURED`). */
  status?: number;
  /** Seconds until the entry expires (`--ctexpire`). */
  expires?: number;
}

/** The packet as netfilter sees it at the hook. */
export interface PacketView {
  src: number;
  dst: number;
  /** The IP protocol number: 1 icmp, 4 ipip, 6 tcp, 17 udp, 132 sctp. */
  protocol: number;
  /** tcp/udp/sctp ports; 0 otherwise. */
  sport: number;
  dport: number;
  icmpType?: number;
  icmpCode?: number;
  /** TCP flag bits (FIN 1, SYN 2, RST 4, PSH 8, ACK 16, URG 32). */
  tcpFlags?: number;
  /** IP total length (the byte counters). */
  length: number;
  /** A second or later fragment (`-f`). */
  fragment?: boolean;
  /** Interface names; empty where the hook has none (no `-i` in OUTPUT, no `-o` in PREROUTING). */
  inIface: string;
  outIface: string;
  /** Bridged traffic (br_netfilter): the bridge ports it came in and goes out by. */
  bridged?: boolean;
  physIn?: string;
  physOut?: string;
  /** The Ethernet source, where the packet came in on one (`-m mac`). */
  srcMac?: string;
  mark: number;
  ct: CtView;
  /** The sending socket's owner, for locally generated packets at OUTPUT/POSTROUTING (`-m owner`). */
  sk?: { uid: number; gid: number };
}

export interface TraverseEnv {
  /** Virtual epoch ms (`-m recent`). */
  now: number;
  /** The walk's own generator (`-m statistic --mode random`). */
  rng: Rng;
  /**
   * The route type of an address (`-m addrtype`), an index of RTN_TYPES; `dev` restricts it to
   * one interface (`--limit-iface-in/out`). Defaults to the namespace's local routing table.
   */
  addressType?(ip: number, dev?: string): number;
}

/** A rule that matched: where it is, and its iptables-save text. */
export interface RuleHit {
  table: TableName;
  chain: string;
  /** 1-based, as `iptables -L --line-numbers` numbers it. */
  rule: number;
  text: string;
}

export type Verdict =
  | { kind: "ACCEPT" }
  | { kind: "DROP" }
  | { kind: "REJECT"; with: RejectWith }
  /** Map the destination (an absent ip keeps the address, an absent port keeps the port). */
  | { kind: "DNAT"; ip?: number; port?: number }
  | { kind: "SNAT"; ip?: number; port?: number; randomFully: boolean }
  | { kind: "MASQUERADE"; ports?: { lo: number; hi: number }; randomFully: boolean }
  /** DNAT to the address of the interface the packet came in on (or 127.0.0.1 from OUTPUT). */
  | { kind: "REDIRECT"; port?: number };

export interface TraverseResult {
  verdict: Verdict;
  /** The rule that decided; absent when the verdict is a policy or the table let the packet through untouched. */
  by?: RuleHit;
  /** The built-in chain whose policy decided. */
  policy?: string;
  /** The packet mark after MARK and CONNMARK --restore-mark. */
  mark: number;
  /** The connection mark after CONNMARK. */
  ctMark: number;
  /** `-j CT --notrack` / `-j NOTRACK` ran (raw table): the packet will not be tracked. */
  notrack: boolean;
  /** Every rule whose matches all matched, in the order they did. */
  hits: RuleHit[];
  /** `-j LOG` lines the kernel would write. */
  logs: { hit: RuleHit; prefix: string; level: number }[];
}

/** `nat/KUBE-SEP-XYZ rule 2` */
export function hitLabel(hit: RuleHit): string {
  return `${hit.table}/${hit.chain} rule ${hit.rule}`;
}

/** nf_tables' jump stack (NFT_JUMP_STACK_SIZE). */
const JUMP_STACK = 16;
/** xt_recent's defaults: ip_list_tot entries per list, ip_pkt_list_tot timestamps per entry. */
const RECENT_ENTRIES = 100;
const RECENT_STAMPS = 20;

interface Frame {
  chain: CompiledChain;
  next: number;
}

interface Walk {
  stack: NetStack;
  table: TableName;
  p: PacketView;
  env: TraverseEnv;
  mark: number;
  ctMark: number;
  rule?: Rule;
}

/** Runs `packet` through `table`'s built-in chain `hook`. */
export function traverse(stack: NetStack, table: TableName, hook: string, packet: PacketView, env: TraverseEnv): TraverseResult {
  const result: TraverseResult = { verdict: { kind: "ACCEPT" }, mark: packet.mark, ctMark: packet.ct.mark ?? 0, notrack: false, hits: [], logs: [] };
  const chains = stack.netfilter[table].chains;
  const base = chains.get(hook);
  if (!base || base.policy === undefined) return result;
  if (table === "nat" && packet.ct.state !== "NEW") return result;
  const w: Walk = { stack, table, p: packet, env, mark: packet.mark, ctMark: packet.ct.mark ?? 0 };
  const frames: Frame[] = [];
  let cc = compiledChain(chains, base);
  let chain = base;
  let i = 0;
  for (;;) {
    if (i >= cc.rules.length) {
      const back = frames.pop();
      if (!back) {
        base.packets++;
        base.bytes += packet.length;
        result.verdict = { kind: base.policy };
        result.policy = base.name;
        break;
      }
      cc = back.chain;
      chain = cc.chain;
      i = back.next;
      continue;
    }
    const c = cc.rules[i];
    // Only statistic's nth mode reads the rule (its counter): the others leave it untouched.
    if (c.stateful) w.rule = chain.rules[i];
    const n = ++i;
    if (!ruleMatches(c, w)) continue;
    const rule = chain.rules[n - 1];
    rule.packets++;
    rule.bytes += packet.length;
    const hit: RuleHit = { table, chain: chain.name, rule: n, text: rule.spec.text };
    result.hits.push(hit);
    if (c.jumpTo !== undefined) {
      const to = cc.target(chains, n - 1);
      if (!to) continue;
      if (c.pushes) {
        if (frames.length >= JUMP_STACK) continue;
        frames.push({ chain: cc, next: i });
      }
      cc = to;
      chain = to.chain;
      i = 0;
      continue;
    }
    const t = rule.spec.target;
    if (!t) continue;
    switch (t.kind) {
      case "jump":
      case "goto":
        continue;
      case "RETURN": {
        i = chain.rules.length;
        continue;
      }
      case "MARK":
        w.mark = ((w.mark & ~t.mask) ^ t.value) >>> 0;
        continue;
      case "CONNMARK":
        if (t.mode === "set") w.ctMark = ((w.ctMark & ~t.mask) ^ t.value) >>> 0;
        else if (t.mode === "save") w.ctMark = ((w.ctMark & ~t.ctmask) ^ (w.mark & t.nfmask)) >>> 0;
        else w.mark = ((w.mark & ~t.nfmask) ^ (w.ctMark & t.ctmask)) >>> 0;
        continue;
      case "LOG":
        result.logs.push({ hit, prefix: t.prefix, level: t.level });
        continue;
      case "CT":
        if (t.notrack) result.notrack = true;
        continue;
      case "QUEUE":
        // No userspace queue listens: the kernel drops what it cannot queue.
        result.verdict = { kind: "DROP" };
        break;
      case "ACCEPT":
      case "DROP":
        result.verdict = { kind: t.kind };
        break;
      case "REJECT":
        result.verdict = { kind: "REJECT", with: t.with };
        break;
      case "DNAT": {
        // The first range, its lowest address and port (nf_nat picks within a range by hash).
        const r = t.ranges[0];
        result.verdict = { kind: "DNAT", ip: r.minIp, port: r.minPort };
        break;
      }
      case "SNAT": {
        const r = t.ranges[0];
        result.verdict = { kind: "SNAT", ip: r.minIp, port: r.minPort, randomFully: t.randomFully };
        break;
      }
      case "MASQUERADE":
        result.verdict = { kind: "MASQUERADE", ports: t.ports, randomFully: t.randomFully };
        break;
      case "REDIRECT":
        result.verdict = { kind: "REDIRECT", port: t.ports?.lo };
        break;
    }
    result.by = hit;
    break;
  }
  result.mark = w.mark;
  result.ctMark = w.ctMark;
  return result;
}

/**
 * A rule as the walk tests it: the IP header's address and protocol tests, and a
 * mark test where it is safe to make it early, as numbers on one class (one hidden class for
 * every rule, so the tests stay monomorphic), then the other matches in their order without
 * the ones that always match (comment, nfacct, limit). An absent test is a zero mask that
 * passes, or protocol -1.
 */
class CompiledRule {
  srcMask = 0;
  srcAddr = 0;
  srcNegate = false;
  dstMask = 0;
  dstAddr = 0;
  dstNegate = false;
  proto = -1;
  protoNegate = false;
  markMask = 0;
  markValue = 0;
  markNegate = false;
  readonly rest: Match[] = [];
  /** The chain a jump or goto continues in (read here, not from the target's many shapes), and whether it returns. */
  readonly jumpTo: string | undefined;
  readonly pushes: boolean;
  /** A match keeps state (statistic, recent): the walk hands it the rule. */
  readonly stateful: boolean;

  constructor({ matches, target }: RuleSpec) {
    this.jumpTo = target?.kind === "jump" || target?.kind === "goto" ? target.chain : undefined;
    this.pushes = target?.kind === "jump";
    const folded = new Set<Match["kind"]>();
    let stateful = false;
    // The IP header's tests come first in a rule (ip_packet_match runs before any module), so
    // testing them first changes nothing; a mark test moves up only ahead of pure matches.
    for (const m of matches) {
      const fold = !folded.has(m.kind) && (m.kind === "src" || m.kind === "dst" || m.kind === "proto" || (m.kind === "mark" && !stateful));
      if (fold) folded.add(m.kind);
      if (fold && m.kind === "src") [this.srcMask, this.srcAddr, this.srcNegate] = [m.mask, m.addr, m.negate];
      else if (fold && m.kind === "dst") [this.dstMask, this.dstAddr, this.dstNegate] = [m.mask, m.addr, m.negate];
      else if (fold && m.kind === "proto") [this.proto, this.protoNegate] = [m.proto, m.negate];
      else if (fold && m.kind === "mark") [this.markMask, this.markValue, this.markNegate] = [m.mask, m.value, m.negate];
      else if (!ALWAYS.has(m.kind)) {
        stateful ||= STATEFUL.has(m.kind);
        this.rest.push(m);
      }
    }
    this.stateful = stateful;
    Object.freeze(this.rest);
    Object.freeze(this);
  }
}

/** Matches that change state when tested (a test skipped or moved would change it). */
const STATEFUL = new Set<Match["kind"]>(["statistic", "recent"]);
const ALWAYS = new Set<Match["kind"]>(["comment", "nfacct", "limit"]);

/**
 * Compiled once per rule spec and shared by every chain, table and fork holding that spec (specs
 * are frozen; a changed rule is a new spec). Not state: a cache beside it.
 */
const compiledSpecs = new WeakMap<RuleSpec, CompiledRule>();

function compiledOf(spec: RuleSpec): CompiledRule {
  let c = compiledSpecs.get(spec);
  if (!c) {
    c = new CompiledRule(spec);
    compiledSpecs.set(spec, c);
  }
  return c;
}

/**
 * A chain as the walk runs it: its compiled rules in order, and the chain each jump leads to,
 * looked up on its first use. Valid for one version of the table: a write copies the chains it
 * changes and commits a new chains map, so a committed chain's rules never change.
 */
class CompiledChain {
  readonly rules: readonly CompiledRule[];
  private readonly targets: (CompiledChain | null | undefined)[] = [];

  constructor(readonly chain: Chain) {
    this.rules = chain.rules.map((r) => compiledOf(r.spec));
  }

  /** Where rule `index` jumps to; null when the table has no such chain. */
  target(chains: ReadonlyMap<string, Chain>, index: number): CompiledChain | null {
    let to = this.targets[index];
    if (to === undefined) {
      const chain = chains.get(this.rules[index].jumpTo!);
      to = chain ? compiledChain(chains, chain) : null;
      this.targets[index] = to;
    }
    return to;
  }
}

/** Per table version (its chains map), the chains the walk has entered. Not state: a cache beside it. */
const compiledTables = new WeakMap<ReadonlyMap<string, Chain>, Map<string, CompiledChain>>();

function compiledChain(chains: ReadonlyMap<string, Chain>, chain: Chain): CompiledChain {
  let table = compiledTables.get(chains);
  if (!table) {
    table = new Map();
    compiledTables.set(chains, table);
  }
  let c = table.get(chain.name);
  if (!c || c.chain !== chain || c.rules.length !== chain.rules.length) {
    c = new CompiledChain(chain);
    table.set(chain.name, c);
  }
  return c;
}

function ruleMatches(c: CompiledRule, w: Walk): boolean {
  const p = w.p;
  if ((((p.src & c.srcMask) >>> 0) === c.srcAddr) === c.srcNegate) return false;
  if ((((p.dst & c.dstMask) >>> 0) === c.dstAddr) === c.dstNegate) return false;
  if (c.proto !== -1 && (p.protocol === c.proto) === c.protoNegate) return false;
  if ((((w.mark & c.markMask) >>> 0) === c.markValue) === c.markNegate) return false;
  const rest = c.rest;
  for (let k = 0; k < rest.length; k++) if (!matchOne(rest[k], w)) return false;
  return true;
}

const inRange = (n: number, r: PortRange) => (n >= r.lo && n <= r.hi) !== r.negate;

function ifaceMatch(name: string, wildcard: boolean, actual: string): boolean {
  return wildcard ? actual.startsWith(name) : actual === name;
}

function matchOne(m: Match, w: Walk): boolean {
  const p = w.p;
  switch (m.kind) {
    case "src":
      return (((p.src & m.mask) >>> 0) === m.addr) !== m.negate;
    case "dst":
      return (((p.dst & m.mask) >>> 0) === m.addr) !== m.negate;
    case "proto":
      return (p.protocol === m.proto) !== m.negate;
    case "in":
      return ifaceMatch(m.name, m.wildcard, p.inIface) !== m.negate;
    case "out":
      return ifaceMatch(m.name, m.wildcard, p.outIface) !== m.negate;
    case "fragment":
      return (p.fragment ?? false) !== m.negate;
    case "tcp":
    case "udp":
    case "sctp":
      if (p.fragment) return false;
      if (m.sport && !inRange(p.sport, m.sport)) return false;
      if (m.dport && !inRange(p.dport, m.dport)) return false;
      // TCP options are not carried on the walk's packets: an option test sees none.
      if (m.option && !m.option.negate) return false;
      if (m.flags && (((p.tcpFlags ?? 0) & m.flags.mask) === m.flags.comp) === m.flags.negate) return false;
      return true;
    case "multiport": {
      let hit = false;
      for (const [lo, hi] of m.ports) {
        if ((m.side !== "dst" && p.sport >= lo && p.sport <= hi) || (m.side !== "src" && p.dport >= lo && p.dport <= hi)) {
          hit = true;
          break;
        }
      }
      return hit !== m.negate;
    }
    case "comment":
    case "nfacct":
    case "limit":
      return true;
    case "mark":
      return (((w.mark & m.mask) >>> 0) === m.value) !== m.negate;
    case "addrtype": {
      const dev = m.limitIn ? p.inIface : m.limitOut ? p.outIface : undefined;
      if (m.src && ((m.src & (1 << addressType(w, p.src, dev))) !== 0) === m.srcNegate) return false;
      if (m.dst && ((m.dst & (1 << addressType(w, p.dst, dev))) !== 0) === m.dstNegate) return false;
      return true;
    }
    case "conntrack":
      return conntrackMatches(m, w);
    case "statistic":
      if (m.mode === "random") return (Math.floor(w.env.rng.next() * 0x80000000) < m.probability) !== m.negate;
      return nthMatches(m.every, m.packet, w.rule!) !== m.negate;
    case "recent":
      return recentMatches(m, w);
    case "icmp":
      if (p.protocol !== 1 || p.fragment) return false;
      return (m.type === 0xff || (p.icmpType === m.type && (p.icmpCode ?? 0) >= m.codeMin && (p.icmpCode ?? 0) <= m.codeMax)) !== m.negate;
    case "set": {
      const set = w.stack.ipsets.get(m.name);
      return (set !== undefined && setMatches(set, p, m.dirs)) !== m.negate;
    }
    case "mac":
      if (p.srcMac === undefined) return false;
      return (p.srcMac === m.mac) !== m.negate;
    case "physdev":
      return physdevMatches(m, p);
    case "owner":
      return ownerMatches(m, p.sk);
  }
}

/** xt_statistic's nth mode: a per-rule counter that wraps at `every`; the packet that brings it to 0 matches. */
function nthMatches(every: number, packet: number, rule: Rule): boolean {
  const last = every - 1;
  const count = rule.nth ?? last - packet;
  rule.nth = count === last ? 0 : count + 1;
  return rule.nth === 0;
}

/** __inet_dev_addr_type over the local table: broadcast and multicast by address, else the local route's type. */
function addressType(w: Walk, ip: number, dev: string | undefined): number {
  if (w.env.addressType) return w.env.addressType(ip, dev);
  if (ip >>> 24 === 0 || ip === 0xffffffff) return 3; // BROADCAST
  if (ip >>> 28 === 0xe) return 5; // MULTICAST
  const routes = w.stack.routing.routes;
  let best: (typeof routes)[number] | undefined;
  for (const r of routes) {
    if (r.table !== TABLE_LOCAL || r.dst.prefix < (best?.dst.prefix ?? -1)) continue;
    const mask = r.dst.prefix === 0 ? 0 : (0xffffffff << (32 - r.dst.prefix)) >>> 0;
    if (((ip & mask) >>> 0) === r.dst.base) best = r;
  }
  if (!best) return 1; // UNICAST
  if (dev !== undefined && w.stack.links.get(best.dev ?? -1)?.name !== dev) return 1;
  return best.type === "local" ? 2 : best.type === "broadcast" ? 3 : best.type === "blackhole" ? 6 : best.type === "unreachable" ? 7 : best.type === "prohibit" ? 8 : 1;
}

function ctAddrMatches(a: CtAddr | undefined, value: number | undefined): boolean {
  if (!a) return true;
  if (value === undefined) return false;
  return (((value & a.mask) >>> 0) === ((a.addr & a.mask) >>> 0)) !== a.negate;
}

function ctPortMatches(r: PortRange | undefined, value: number | undefined): boolean {
  if (!r) return true;
  if (value === undefined) return false;
  return inRange(value, r);
}

/** xt_conntrack's conntrack_mt (revision 3). */
function conntrackMatches(m: ConntrackMatch, w: Walk): boolean {
  const ct = w.p.ct;
  const tracked = ct.state !== "INVALID" && ct.state !== "UNTRACKED";
  if (m.state) {
    let bits = CT_STATE_BITS[ct.state];
    if (tracked && ct.snat) bits |= CT_STATE_BITS.SNAT;
    if (tracked && ct.dnat) bits |= CT_STATE_BITS.DNAT;
    if (((m.state.mask & bits) !== 0) === m.state.negate) return false;
  }
  if (!tracked) return m.state !== undefined;
  if (m.dir && (m.dir === "REPLY") !== (ct.reply ?? false)) return false;
  if (m.proto && (w.p.protocol === m.proto.proto) === m.proto.negate) return false;
  const o = ct.original;
  const r = ct.replyTuple;
  if (!ctAddrMatches(m.origsrc, o?.src) || !ctAddrMatches(m.origdst, o?.dst) || !ctAddrMatches(m.replsrc, r?.src) || !ctAddrMatches(m.repldst, r?.dst)) return false;
  if (!ctPortMatches(m.origsrcport, o?.sport) || !ctPortMatches(m.origdstport, o?.dport) || !ctPortMatches(m.replsrcport, r?.sport) || !ctPortMatches(m.repldstport, r?.dport)) return false;
  if (m.status && ((m.status.mask & (ct.status ?? 0)) !== 0) === m.status.negate) return false;
  if (m.expire && !inRange(ct.expires ?? 0, m.expire)) return false;
  return true;
}

/** xt_recent's recent_mt: lists of addresses with their last hit times, LRU first. */
function recentMatches(m: Extract<Match, { kind: "recent" }>, w: Walk): boolean {
  const addr = ((m.side === "source" ? w.p.src : w.p.dst) & m.mask) >>> 0;
  let list = w.stack.recent.get(m.name);
  if (!list) {
    list = new Map();
    w.stack.recent.set(m.name, list);
  }
  const now = w.env.now;
  let ret = m.negate;
  const stamps = list.get(addr);
  if (!stamps) {
    if (m.op !== "set") return ret;
    if (list.size >= RECENT_ENTRIES) list.delete(list.keys().next().value!);
    list.set(addr, [now]);
    return !ret;
  }
  if (m.op === "set") ret = !ret;
  else if (m.op === "remove") {
    list.delete(addr);
    return !ret;
  } else {
    const since = now - m.seconds * 1000;
    let hits = 0;
    for (const stamp of stamps) {
      if (m.seconds && stamp < since) continue;
      if (!m.hitcount || ++hits >= m.hitcount) {
        ret = !ret;
        break;
      }
    }
    // --reap drops the least recently seen address of the list when it is stale (not this one).
    if (m.reap) {
      const [oldest, oldestStamps] = list.entries().next().value!;
      if (oldest !== addr && oldestStamps[oldestStamps.length - 1] < since) list.delete(oldest);
    }
  }
  // As the kernel has it: an update refreshes when the match's result (after inversion) is true.
  if (m.op === "set" || (m.op === "update" && ret)) {
    const updated = [...stamps, now].slice(-RECENT_STAMPS);
    list.delete(addr);
    list.set(addr, updated);
  }
  return ret;
}

/** xt_physdev's physdev_mt. */
function physdevMatches(m: Extract<Match, { kind: "physdev" }>, p: PacketView): boolean {
  if (!p.bridged) {
    for (const opt of [m.isBridged, m.isIn, m.isOut, m.in, m.out]) if (opt && !opt.negate) return false;
    return true;
  }
  const out = p.physOut;
  const inn = p.physIn;
  if (m.isBridged && (out !== undefined) === m.isBridged.negate) return false;
  if (m.isIn && (inn === undefined) !== m.isIn.negate) return false;
  if (m.isOut && (out === undefined) !== m.isOut.negate) return false;
  if (m.in && inn !== undefined && ifaceMatch(m.in.name, m.in.wildcard, inn) === m.in.negate) return false;
  if (!m.out || out === undefined) return true;
  return ifaceMatch(m.out.name, m.out.wildcard, out) !== m.out.negate;
}
