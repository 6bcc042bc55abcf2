/**
 * Connection tracking and NAT as a namespace applies them to a packet: conntrack finds (or
 * starts) the packet's connection where the packet enters (PREROUTING, OUTPUT); the nat table is
 * consulted for a connection only until each kind of NAT is decided (destination at
 * PREROUTING/OUTPUT, source at POSTROUTING/INPUT); every later packet of the connection, either
 * way, gets the recorded translation (nf_nat_packet). ICMP errors are RELATED to the connection
 * they quote and are translated with it, quoted header included, so a client behind NAT still
 * recognises the error as about its own packet.
 *
 * @example
 * const ct = conntrackIn(stack, packet, now);          // where the packet enters the namespace
 * natDestination(walk, stack, packet, ct, { chain: "PREROUTING", inLink });
 * natSource(walk, stack, packet, ct, { chain: "POSTROUTING", outLink, nexthop });
 * confirm(stack, ct);                                  // where it leaves or is delivered
 */
import { formatIP } from "../../util/ipv4";
import { ctConfirm, ctFind, ctMayStart, ctNew, ctReplyTaken, ctUpdate, type Direction } from "../conntrack/table";
import type { ConntrackEntry, Tuple } from "../conntrack/types";
import type { Link } from "../kernel/link";
import type { NetStack } from "../kernel/stack";
import { evaluate, tracksConnections, type CtState, type HookInput, type Verdict } from "./netfilter";
import { ctView, isIcmpError, portsOf, setPorts, type Ipv4Packet } from "./packet";
import type { Walk } from "./walk";

/** The packet's connection in this namespace. */
export interface CtContext {
  entry: ConntrackEntry;
  dir: Direction;
  state: CtState;
  /** An ICMP error about the connection (translated together with its quoted header). */
  related: boolean;
}

/** Where a nat hook sits and which interfaces the packet has there. */
export interface HookPlace {
  chain: "PREROUTING" | "OUTPUT" | "POSTROUTING" | "INPUT";
  inLink?: Link;
  outLink?: Link;
  physIn?: Link;
  physOut?: Link;
  /** POSTROUTING: the next hop, for MASQUERADE's choice of source address. */
  nexthop?: number;
}

/**
 * nf_conntrack_in: the packet's connection, new if none (unconfirmed until {@link confirm}),
 * undefined where the namespace tracks nothing. An invalid packet gets state INVALID and no
 * connection.
 */
export function conntrackIn(stack: NetStack, p: Ipv4Packet, now: number): CtContext | { state: "INVALID" } | undefined {
  if (!tracksConnections(stack)) return undefined;
  if (isIcmpError(p)) return relatedOf(stack, p, now);
  const view = ctView(p);
  if (!view) return undefined;
  const found = ctFind(stack.conntrack, view, now);
  if (found) {
    const valid = ctUpdate(found.entry, found.dir, view, now, stack.conntrack);
    if (!valid) return { state: "INVALID" };
    return { entry: found.entry, dir: found.dir, state: found.dir === "reply" || found.entry.replied ? "ESTABLISHED" : "NEW", related: false };
  }
  if (!ctMayStart(view)) return { state: "INVALID" };
  const entry = ctNew(stack.conntrack, view, now);
  ctUpdate(entry, "original", view, now);
  return { entry, dir: "original", state: "NEW", related: false };
}

/** An ICMP error: the connection whose packet it quotes (looked up by the quoted tuple inverted). */
function relatedOf(stack: NetStack, p: Ipv4Packet, now: number): CtContext | undefined {
  const quoted = p.l4.kind === "icmp" ? p.l4.quoted : undefined;
  const view = quoted && ctView(quoted);
  if (!view) return undefined;
  const inverted = { ...view, src: view.dst, dst: view.src, sport: view.dport, dport: view.sport, icmpType: view.icmpType === undefined ? undefined : view.icmpType === 8 ? 0 : view.icmpType === 0 ? 8 : view.icmpType };
  const found = ctFind(stack.conntrack, inverted, now);
  return found ? { entry: found.entry, dir: found.dir, state: "RELATED", related: true } : undefined;
}

/** nf_conntrack_confirm: a new connection enters the table as its first packet leaves or is delivered. */
export function confirm(stack: NetStack, ct: CtContext | { state: "INVALID" } | undefined): void {
  if (ct && "entry" in ct && !ct.related && ct.dir === "original") ctConfirm(stack.conntrack, ct.entry);
}

const isContext = (ct: CtContext | { state: "INVALID" } | undefined): ct is CtContext => !!ct && "entry" in ct;

function natVerdict(w: Walk, stack: NetStack, p: Ipv4Packet, ct: CtContext, place: HookPlace): Verdict {
  const input: HookInput = { stack, table: "nat", chain: place.chain, packet: p, inLink: place.inLink, outLink: place.outLink, physIn: place.physIn, physOut: place.physOut, ct, now: w.now };
  return evaluate(input, w.net.traffic).verdict;
}

/**
 * The destination half of NAT (PREROUTING, OUTPUT): the nat chain decides DNAT/REDIRECT for a
 * new connection; then the recorded translation is applied (the reply direction undoes SNAT).
 */
export function natDestination(w: Walk, stack: NetStack, p: Ipv4Packet, ct: CtContext | { state: "INVALID" } | undefined, place: HookPlace): void {
  if (!isContext(ct)) return;
  const { entry } = ct;
  if (!entry.natDone.dst && ct.dir === "original" && !ct.related) {
    const verdict = natVerdict(w, stack, p, ct, place);
    const target = dnatTarget(stack, entry, verdict, place);
    if (target) {
      entry.reply = { ...entry.reply, src: target.ip, sport: target.port };
      w.step("nat", `${place.chain}: ${verdict.kind} ${formatIP(entry.original.dst)}:${entry.original.dport} → ${formatIP(target.ip)}:${target.port} (${verdict.rule})`);
    }
    entry.natDone.dst = true;
  }
  // Original direction: to the reply's source (IPVS rewrites its own connections itself, at LOCAL_IN).
  // Reply direction: back to the original source.
  if (ct.dir === "original" && entry.ipvs) return;
  const to = ct.dir === "original" ? { ip: entry.reply.src, port: entry.reply.sport } : { ip: entry.original.src, port: entry.original.sport };
  rewrite(w, p, ct, "dst", to);
}

function dnatTarget(stack: NetStack, entry: ConntrackEntry, verdict: Verdict, place: HookPlace): { ip: number; port: number } | undefined {
  if (verdict.kind === "DNAT") return { ip: verdict.ip ?? entry.original.dst, port: verdict.port ?? entry.original.dport };
  if (verdict.kind === "REDIRECT") {
    // REDIRECT: to the incoming interface's primary address (127.0.0.1 for locally made packets).
    const ip = place.chain === "OUTPUT" ? 0x7f000001 : (place.inLink && stack.primaryAddress(place.inLink)?.ip) ?? entry.original.dst;
    return { ip, port: verdict.port ?? entry.original.dport };
  }
  return undefined;
}

/**
 * The source half of NAT (POSTROUTING, INPUT): SNAT/MASQUERADE for a new connection, then
 * the recorded translation (the reply direction undoes DNAT: the client sees the Service IP).
 */
export function natSource(w: Walk, stack: NetStack, p: Ipv4Packet, ct: CtContext | { state: "INVALID" } | undefined, place: HookPlace): void {
  if (!isContext(ct)) return;
  const { entry } = ct;
  if (!entry.natDone.src && ct.dir === "original" && !ct.related) {
    const verdict = natVerdict(w, stack, p, ct, place);
    const target = snatTarget(w, stack, entry, verdict, place);
    if (target) {
      entry.reply = { ...entry.reply, dst: target.ip, dport: target.port };
      w.step("nat", `${place.chain}: ${verdict.kind} ${formatIP(entry.original.src)}:${entry.original.sport} → ${formatIP(target.ip)}:${target.port} (${verdict.rule})`);
    }
    entry.natDone.src = true;
  }
  if (ct.dir === "reply" && entry.ipvs) return;
  const to = ct.dir === "original" ? { ip: entry.reply.dst, port: entry.reply.dport } : { ip: entry.original.dst, port: entry.original.dport };
  rewrite(w, p, ct, "src", to);
}

function snatTarget(w: Walk, stack: NetStack, entry: ConntrackEntry, verdict: Verdict, place: HookPlace): { ip: number; port: number } | undefined {
  if (verdict.kind !== "SNAT" && verdict.kind !== "MASQUERADE") return undefined;
  const ip = verdict.kind === "SNAT" ? (verdict.ip ?? entry.original.src) : place.outLink && masqueradeSource(stack, place.outLink, place.nexthop ?? entry.original.dst);
  if (ip === undefined) return undefined;
  const range = verdict.kind === "MASQUERADE" ? verdict.ports : verdict.port === undefined ? undefined : { lo: verdict.port, hi: verdict.port };
  const port = uniquePort(w, stack, entry, ip, entry.original.sport, verdict.randomFully, range);
  return { ip, port };
}

/** MASQUERADE's source: the out interface's address on the next hop's subnet, else its primary one (inet_select_addr). */
export function masqueradeSource(stack: NetStack, out: Link, nexthop: number): number | undefined {
  const global = out.addrs.filter((a) => a.scope === "global");
  const onSubnet = global.find((a) => a.prefix > 0 && (((a.ip ^ nexthop) >>> (32 - a.prefix)) === 0));
  // A device without an address of its own (Calico's cali* veths) lends none: the kernel takes the namespace's first global one.
  const elsewhere = global.length ? undefined : [...stack.links.values()].sort((x, y) => x.index - y.index).flatMap((l) => l.addrs).find((a) => a.scope === "global");
  return (onSubnet ?? global[0] ?? elsewhere ?? out.addrs[0])?.ip;
}

/**
 * nf_nat_l4proto_unique_tuple: keep the port unless another connection's reply already uses
 * it; `--random-fully` draws every port at random from 1024–65535.
 */
function uniquePort(w: Walk, stack: NetStack, entry: ConntrackEntry, ip: number, wanted: number, random: boolean, range?: { lo: number; hi: number }): number {
  const taken = (port: number) => {
    const reply: Tuple = { src: entry.reply.src, dst: ip, sport: entry.reply.sport, dport: port };
    return ctReplyTaken(stack.conntrack, entry.protocol, reply);
  };
  const inRange = !range || (wanted >= range.lo && wanted <= range.hi);
  if (!random && inRange && !taken(wanted)) return wanted;
  // ICMP ids are remapped only on a clash, over the whole id space.
  const [low, high] = range ? [range.lo, range.hi] : entry.protocol === "icmp" ? [0, 65535] : wanted < 1024 ? [1, 1023] : [1024, 65535];
  for (let i = 0; i < 64; i++) {
    const port = low + w.random(high - low + 1);
    if (!taken(port)) return port;
  }
  return wanted;
}

/** Whether the connection has the NAT a manipulation of `side` in direction `dir` applies or undoes. */
function natted(e: ConntrackEntry, dir: "original" | "reply", side: "src" | "dst"): boolean {
  const dnat = e.reply.src !== e.original.dst || e.reply.sport !== e.original.dport;
  const snat = e.reply.dst !== e.original.src || e.reply.dport !== e.original.sport;
  return (side === "dst") === (dir === "original") ? dnat : snat;
}

/** Applies a translation to one side of the packet (and, for an ICMP error, the other side of what it quotes). */
function rewrite(w: Walk, p: Ipv4Packet, ct: CtContext, side: "src" | "dst", to: { ip: number; port: number }): void {
  if (ct.related) {
    // nf_nat_icmp_reply_translation: only a kind of NAT the connection has is applied (its status bit).
    if (!natted(ct.entry, ct.dir, side)) return;
    const quoted = p.l4.kind === "icmp" ? p.l4.quoted : undefined;
    const was = side === "dst" ? p.dst : p.src;
    if (was === to.ip) return;
    if (side === "dst") p.dst = to.ip;
    else p.src = to.ip;
    if (quoted) {
      const ports = portsOf(quoted);
      if (side === "dst") {
        quoted.src = to.ip;
        setPorts(quoted, to.port, ports.dport);
      } else {
        quoted.dst = to.ip;
        setPorts(quoted, ports.sport, to.port);
      }
    }
    w.step("conntrack", `related ICMP error: ${side === "dst" ? "destination" : "source"} ${formatIP(was)} → ${formatIP(to.ip)}`);
    return;
  }
  const ports = portsOf(p);
  const [ip, port] = side === "dst" ? [p.dst, ports.dport] : [p.src, ports.sport];
  if (ip === to.ip && port === to.port) return;
  if (side === "dst") {
    p.dst = to.ip;
    setPorts(p, ports.sport, to.port);
  } else {
    p.src = to.ip;
    setPorts(p, to.port, ports.dport);
  }
  if (ct.entry.natDone.dst && ct.entry.natDone.src && (ct.dir === "reply" || ct.state !== "NEW")) {
    w.step("conntrack", `${ct.dir === "reply" ? "reply" : "established"} connection: ${side === "dst" ? "destination" : "source"} ${formatIP(ip)}:${port} → ${formatIP(to.ip)}:${to.port}`);
  }
}
