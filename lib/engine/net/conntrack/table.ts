/**
 * nf_conntrack's bookkeeping over one namespace's table: finding a packet's connection by
 * either tuple, starting a new one, the TCP state machine (nf_conntrack_proto_tcp.c's table,
 * without window tracking), UDP streams, ICMP echo, and timeouts on virtual time. A new entry
 * is unconfirmed while its first packet crosses the namespace; it joins the table when the
 * packet leaves (POSTROUTING) or is delivered (INPUT), as `nf_conntrack_confirm` does.
 *
 * @example
 * const hit = ctFind(stack.conntrack, packet, now) ?? { entry: ctNew(stack.conntrack, packet, now), dir: "original", isNew: true };
 * ctUpdate(hit.entry, hit.dir, packet, now);
 * ctConfirm(stack.conntrack, hit.entry);
 */
import type { ConntrackEntry, ConntrackTable, L4Protocol, Tuple } from "./types";

export type Direction = "original" | "reply";

/** What conntrack reads of a packet. */
export interface CtPacket {
  protocol: L4Protocol;
  src: number;
  dst: number;
  /** tcp/udp ports. icmp: a query carries its id as sport (dport 0), a reply as dport (sport 0), so a reply matches the inverted tuple as a port would. */
  sport: number;
  dport: number;
  /** icmp type and code. */
  icmpType?: number;
  icmpCode?: number;
  /** TCP flag bits (FIN 1, SYN 2, RST 4, PSH 8, ACK 16). */
  tcpFlags?: number;
  /** IP total length, for the counters. */
  bytes: number;
}

export const TCP_FIN = 1;
export const TCP_SYN = 2;
export const TCP_RST = 4;
export const TCP_PSH = 8;
export const TCP_ACK = 16;

const S = 1000;
/** Linux 5.15's default timeouts (net.netfilter.nf_conntrack_*_timeout*), in ms. */
export const TIMEOUTS = Object.freeze({
  tcp: Object.freeze({ SYN_SENT: 120 * S, SYN_RECV: 60 * S, ESTABLISHED: 432000 * S, FIN_WAIT: 120 * S, CLOSE_WAIT: 60 * S, LAST_ACK: 30 * S, TIME_WAIT: 120 * S, CLOSE: 10 * S, SYN_SENT2: 120 * S } as Record<string, number>),
  udp: 30 * S,
  udpStream: 120 * S,
  icmp: 30 * S,
  /** A UDP flow seen both ways for longer than this is a stream. */
  udpStreamAfter: 2 * S,
});

// nf_conntrack_proto_tcp.c: tcp_conntracks[dir][index][state]. States in the kernel's order.
const STATES = ["NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT", "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2"] as const;
const [sNO, sSS, sSR, sES, sFW, sCW, sLA, sTW, sCL, sS2] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const sIV = -1;
const sIG = -2;
const TRANSITIONS: readonly (readonly (readonly number[])[])[] = [
  [
    /* ORIGINAL   sNO, sSS, sSR, sES, sFW, sCW, sLA, sTW, sCL, sS2 */
    /* syn    */ [sSS, sSS, sIG, sIG, sIG, sIG, sIG, sSS, sSS, sS2],
    /* synack */ [sIV, sIV, sSR, sIV, sIV, sIV, sIV, sIV, sIV, sSR],
    /* fin    */ [sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV],
    /* ack    */ [sES, sIV, sES, sES, sCW, sCW, sTW, sTW, sCL, sIV],
    /* rst    */ [sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL],
    /* none   */ [sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV],
  ],
  [
    /* REPLY      sNO, sSS, sSR, sES, sFW, sCW, sLA, sTW, sCL, sS2 */
    /* syn    */ [sIV, sS2, sIV, sIV, sIV, sIV, sIV, sSS, sIV, sS2],
    /* synack */ [sIV, sSR, sIG, sIG, sIG, sIG, sIG, sIG, sIG, sSR],
    /* fin    */ [sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV],
    /* ack    */ [sIV, sIG, sSR, sES, sCW, sCW, sTW, sTW, sCL, sIG],
    /* rst    */ [sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL],
    /* none   */ [sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV],
  ],
];

/** get_conntrack_index: which row a segment's flags select. */
function tcpIndex(flags: number): number {
  if (flags & TCP_RST) return 4;
  if (flags & TCP_SYN) return flags & TCP_ACK ? 1 : 0;
  if (flags & TCP_FIN) return 2;
  if (flags & TCP_ACK) return 3;
  return 5;
}

/** The ICMP type that answers a query type (echo → echo reply, timestamp → reply, …). */
export function icmpReplyType(type: number): number {
  return ({ 8: 0, 0: 8, 13: 14, 14: 13, 15: 16, 16: 15, 17: 18, 18: 17 } as Record<number, number>)[type] ?? type;
}

const sameTuple = (t: Tuple, p: Tuple) => t.src === p.src && t.dst === p.dst && t.sport === p.sport && t.dport === p.dport;

const key = (protocol: L4Protocol, t: { src: number; dst: number; sport: number; dport: number }) => `${protocol}/${t.src}/${t.dst}/${t.sport}/${t.dport}`;

/** The index by tuple, rebuilt when a writer replaced `entries` (deletions, expiry, flush). */
function indexOf(table: ConntrackTable): Map<string, ConntrackEntry> {
  if (table.index?.of !== table.entries) {
    const byTuple = new Map<string, ConntrackEntry>();
    for (const e of table.entries) {
      byTuple.set(key(e.protocol, e.original), e);
      byTuple.set(key(e.protocol, e.reply), e);
    }
    table.index = { of: table.entries, byTuple };
  }
  return table.index.byTuple;
}

/** Drops entries whose timeout passed (the kernel's gc; here lazily, before each look). */
export function ctExpire(table: ConntrackTable, now: number): void {
  if (table.soonest !== undefined && now < table.soonest) return;
  let soonest = Infinity;
  let expired = false;
  for (const e of table.entries) {
    if (e.expires <= now) expired = true;
    else if (e.expires < soonest) soonest = e.expires;
  }
  if (expired) table.entries = table.entries.filter((e) => e.expires > now);
  table.soonest = soonest;
}

/** The confirmed entry whose original or reply tuple is the packet's, and the direction it travels. */
export function ctFind(table: ConntrackTable, p: CtPacket, now: number): { entry: ConntrackEntry; dir: Direction } | undefined {
  ctExpire(table, now);
  const entry = indexOf(table).get(key(p.protocol, p));
  if (!entry) return undefined;
  if (sameTuple(entry.original, p) && (p.protocol !== "icmp" || p.icmpType === entry.icmpType)) return { entry, dir: "original" };
  if (sameTuple(entry.reply, p) && (p.protocol !== "icmp" || p.icmpType === icmpReplyType(entry.icmpType ?? 8))) return { entry, dir: "reply" };
  return undefined;
}

/** Whether another connection already answers on this reply tuple (NAT's clash check). */
export function ctReplyTaken(table: ConntrackTable, protocol: L4Protocol, reply: Tuple): boolean {
  const e = indexOf(table).get(key(protocol, reply));
  return e !== undefined && sameTuple(e.reply, reply);
}

/** A new, unconfirmed connection for a packet in the original direction (no NAT yet). */
export function ctNew(table: ConntrackTable, p: CtPacket, now: number): ConntrackEntry {
  const entry: ConntrackEntry = {
    protocol: p.protocol,
    original: { src: p.src, dst: p.dst, sport: p.sport, dport: p.dport },
    reply: { src: p.dst, dst: p.src, sport: p.dport, dport: p.sport },
    tcpState: p.protocol === "tcp" ? "NONE" : "",
    assured: false,
    replied: false,
    mark: 0,
    expires: now,
    packets: 0,
    bytes: 0,
    id: table.nextId++,
    natDone: { dst: false, src: false },
  };
  if (p.protocol === "icmp") {
    entry.icmpType = p.icmpType ?? 8;
    entry.icmpCode = p.icmpCode ?? 0;
  }
  if (p.protocol === "udp") entry.streamAt = now + TIMEOUTS.udpStreamAfter;
  return entry;
}

/** Whether a packet may start a connection (tcp_new: a SYN, or an ACK picked up mid-stream; icmp_new: a query). */
export function ctMayStart(p: CtPacket): boolean {
  if (p.protocol === "tcp") {
    const row = tcpIndex(p.tcpFlags ?? 0);
    return TRANSITIONS[0][row][sNO] >= 0;
  }
  if (p.protocol === "icmp") return p.icmpType === 8 || p.icmpType === 13 || p.icmpType === 15 || p.icmpType === 17;
  return true;
}

/** Puts a new entry in the table (the packet left the namespace or was delivered). */
export function ctConfirm(table: ConntrackTable, entry: ConntrackEntry): void {
  const index = indexOf(table);
  if (index.get(key(entry.protocol, entry.original)) === entry) return;
  table.entries.push(entry);
  index.set(key(entry.protocol, entry.original), entry);
  index.set(key(entry.protocol, entry.reply), entry);
  table.soonest = Math.min(table.soonest ?? Infinity, entry.expires);
}

/**
 * Accounts a packet to its connection: state, timeout, SEEN_REPLY/ASSURED. Returns false for a
 * packet the state machine calls invalid (conntrack's `--ctstate INVALID`). Give the table the
 * entry is in, so its expiry bookkeeping follows a timeout that got shorter.
 */
export function ctUpdate(entry: ConntrackEntry, dir: Direction, p: CtPacket, now: number, table?: ConntrackTable): boolean {
  const valid = track(entry, dir, p, now);
  // A shorter timeout (ESTABLISHED → TIME_WAIT) may make this the table's next entry to expire.
  if (table && table.soonest !== undefined && entry.expires < table.soonest) table.soonest = entry.expires;
  return valid;
}

function track(entry: ConntrackEntry, dir: Direction, p: CtPacket, now: number): boolean {
  entry.packets++;
  entry.bytes += p.bytes;
  if (dir === "reply") entry.replied = true;
  switch (entry.protocol) {
    case "tcp": {
      const old = STATES.indexOf(entry.tcpState as (typeof STATES)[number]);
      const next = TRANSITIONS[dir === "original" ? 0 : 1][tcpIndex(p.tcpFlags ?? 0)][old < 0 ? sNO : old];
      if (next === sIV) return false;
      if (next === sIG) return true;
      entry.tcpState = STATES[next];
      entry.expires = now + TIMEOUTS.tcp[entry.tcpState];
      if (!entry.assured && (old === sSR || old === sES) && next === sES) entry.assured = true;
      return true;
    }
    case "udp": {
      const stream = entry.replied && now > (entry.streamAt ?? now);
      entry.expires = now + (stream ? TIMEOUTS.udpStream : TIMEOUTS.udp);
      if (stream) entry.assured = true;
      return true;
    }
    case "icmp":
      entry.expires = now + TIMEOUTS.icmp;
      return true;
  }
}

/** Seconds left, as ctnetlink reports them (rounded down, one tick already gone). */
export function ctSecondsLeft(entry: ConntrackEntry, now: number): number {
  return Math.max(0, Math.ceil((entry.expires - now) / 1000) - 1);
}
