/**
 * The IPVS schedulers, as Linux 5.15 runs them (net/netfilter/ipvs/ip_vs_<name>.c): each picks
 * a real server for a new connection from the service's destination list, in the kernel's list
 * order (newest first), skipping servers that are overloaded or have weight 0 where the kernel
 * does. Round robin and weighted round robin keep their position on the service, as the
 * kernel keeps it in `sched_data`; dh and sh hash into 256 buckets filled from the list.
 *
 * @example
 * const real = pickServer(vs, { src: client, dst: vip });   // undefined: "no destination available"
 */
import type { RealServer, VirtualService } from "./types";

/** What a scheduler looks at: the packet's source and destination addresses. */
export interface ScheduleInput {
  src: number;
  dst: number;
}

/** Buckets of the dh and sh tables (IP_VS_DH_TAB_BITS = IP_VS_SH_TAB_BITS = 8). */
const TAB_SIZE = 256;
/** hash_32's multiplier (include/linux/hash.h). */
const GOLDEN_RATIO_32 = 0x61c88647;

/** `ip:port` of a real server: how a service's cursor names it. */
export const serverKey = (r: RealServer): string => `${r.ip}:${r.port}`;

/** `IP_VS_DEST_F_OVERLOAD`: the server reached its upper connection threshold. */
function overloaded(r: RealServer): boolean {
  return r.upperThreshold > 0 && r.activeConns + r.inactiveConns >= r.upperThreshold;
}

/** `ip_vs_dest_conn_overhead`: active connections weigh 256 inactive ones. */
const connOverhead = (r: RealServer) => r.activeConns * 256 + r.inactiveConns;
/** sed and nq: the expected delay counts only active connections, plus the one being placed. */
const queueOverhead = (r: RealServer) => r.activeConns + 1;

export function pickServer(vs: VirtualService, input: ScheduleInput): RealServer | undefined {
  switch (vs.scheduler) {
    case "rr":
      return roundRobin(vs);
    case "wrr":
      return weightedRoundRobin(vs);
    case "lc":
      return leastConnection(vs);
    case "wlc":
      return weightedLeast(vs, connOverhead, false);
    case "sed":
      return weightedLeast(vs, queueOverhead, false);
    case "nq":
      return weightedLeast(vs, queueOverhead, true);
    case "dh":
      return hashed(vs, dhBucket(input.dst), false);
    case "sh":
      return hashed(vs, shBucket(input.src), true);
    case "fo":
      return failover(vs);
    case "ovf":
      return overflow(vs);
  }
}

/**
 * ip_vs_rr: the next server after the last one picked, wrapping once around the list (from the
 * head, one pass: the kernel stops where it started).
 */
function roundRobin(vs: VirtualService): RealServer | undefined {
  const list = vs.reals;
  if (list.length === 0) return undefined;
  const last = vs.rrLast === undefined ? -1 : list.findIndex((r) => serverKey(r) === vs.rrLast);
  for (let step = 1; step <= list.length; step++) {
    const r = list[(last + step) % list.length];
    if (!overloaded(r) && r.weight > 0) {
      vs.rrLast = serverKey(r);
      return r;
    }
  }
  return undefined;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** ip_vs_wrr's `di` (gcd of the positive weights) and `mw` (max weight − (di − 1)). */
function wrrParams(vs: VirtualService): { di: number; mw: number } {
  let g = 0;
  let max = 0;
  for (const r of vs.reals) {
    if (r.weight > 0) g = g === 0 ? r.weight : gcd(r.weight, g);
    max = Math.max(max, r.weight);
  }
  const di = g || 1;
  return { di, mw: max - (di - 1) };
}

/**
 * The mark kept by ip_vs_wrr after a destination was added, edited or removed
 * (`ip_vs_wrr_dest_changed`): back to the list head, the current weight clamped.
 */
export function wrrReset(vs: VirtualService): void {
  const { di, mw } = wrrParams(vs);
  vs.wrr.last = undefined;
  if (vs.wrr.cw > mw || !vs.wrr.cw) vs.wrr.cw = mw;
  else if (di > 1) vs.wrr.cw = Math.floor(vs.wrr.cw / di) * di + 1;
}

/**
 * ip_vs_wrr_schedule: walk the list from the current server for one whose weight reaches the
 * current weight `cw`; at the end of the list lower `cw` by the gcd, starting over from the
 * maximum once it reaches 0.
 */
function weightedRoundRobin(vs: VirtualService): RealServer | undefined {
  const list = vs.reals;
  const { di, mw } = wrrParams(vs);
  if (mw <= 0 || list.length === 0) return undefined;
  const mark = vs.wrr;
  const start = mark.last === undefined ? -1 : list.findIndex((r) => serverKey(r) === mark.last);
  let pos = start;
  let stop = -2; // -2: no stop position yet (the kernel's NULL)
  let lastPass = false;
  let restarted = false;
  for (let guard = 0; guard < 4 * (list.length + 1) * (mw + 1); guard++) {
    for (pos = pos + 1; pos < list.length; pos++) {
      const r = list[pos];
      if (!overloaded(r) && r.weight >= mark.cw) {
        mark.last = serverKey(r);
        return r;
      }
      if (pos === stop) return undefined;
    }
    mark.cw -= di;
    if (mark.cw <= 0) {
      mark.cw = mw;
      if (lastPass || start < 0) return undefined;
      restarted = true;
    }
    lastPass = mark.cw <= di;
    if (lastPass && restarted && start >= 0) stop = start;
    pos = -1;
  }
  return undefined;
}

/** ip_vs_lc: the fewest connections (active ones weigh 256), first in list order on ties. */
function leastConnection(vs: VirtualService): RealServer | undefined {
  let least: RealServer | undefined;
  let loh = 0;
  for (const r of vs.reals) {
    if (overloaded(r) || r.weight === 0) continue;
    const doh = connOverhead(r);
    if (!least || doh < loh) {
      least = r;
      loh = doh;
    }
  }
  return least;
}

/**
 * ip_vs_wlc, ip_vs_sed and ip_vs_nq: the lowest overhead per unit of weight. nq first takes
 * any server with no active connection at all.
 */
function weightedLeast(vs: VirtualService, overhead: (r: RealServer) => number, idleFirst: boolean): RealServer | undefined {
  let least: RealServer | undefined;
  let loh = 0;
  for (const r of vs.reals) {
    if (overloaded(r) || r.weight <= 0) continue;
    const doh = overhead(r);
    if (idleFirst && r.activeConns === 0) return r;
    if (!least || loh * r.weight > doh * least.weight) {
      least = r;
      loh = doh;
    }
  }
  return least;
}

/** ip_vs_dh_hashkey: the destination address times 2654435761, low 8 bits. */
export function dhBucket(dst: number): number {
  return Math.imul(dst >>> 0, 2654435761 >>> 0) & (TAB_SIZE - 1);
}

/** ip_vs_sh_hashkey without the port: hash_32(source, 8). */
export function shBucket(src: number): number {
  return Math.imul(src >>> 0, GOLDEN_RATIO_32) >>> 24;
}

/**
 * ip_vs_dh_reassign / ip_vs_sh_reassign: the 256 buckets dealt out over the list in order;
 * sh gives each server as many consecutive buckets as its weight.
 */
function bucketOwner(vs: VirtualService, bucket: number, weighted: boolean): RealServer | undefined {
  const list = vs.reals;
  if (list.length === 0) return undefined;
  if (!weighted) return list[bucket % list.length];
  let p = 0;
  let count = 0;
  for (let i = 0; i < bucket; i++) {
    if (++count >= list[p].weight) {
      p = (p + 1) % list.length;
      count = 0;
    }
  }
  return list[p];
}

/** dh and sh: the bucket's server, or nothing when it is overloaded or weighs 0. */
function hashed(vs: VirtualService, bucket: number, weighted: boolean): RealServer | undefined {
  const r = bucketOwner(vs, bucket, weighted);
  return r && !overloaded(r) && r.weight > 0 ? r : undefined;
}

/** ip_vs_fo: the available server with the highest weight, first in list order on ties. */
function failover(vs: VirtualService): RealServer | undefined {
  let best: RealServer | undefined;
  for (const r of vs.reals) if (!overloaded(r) && r.weight > 0 && (!best || r.weight > best.weight)) best = r;
  return best;
}

/** ip_vs_ovf: the highest-weight server whose active connections do not exceed its weight. */
function overflow(vs: VirtualService): RealServer | undefined {
  let best: RealServer | undefined;
  for (const r of vs.reals) {
    if (!overloaded(r) && r.activeConns <= r.weight && r.weight > 0 && (!best || r.weight > best.weight)) best = r;
  }
  return best;
}
