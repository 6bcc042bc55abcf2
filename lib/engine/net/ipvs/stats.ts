/**
 * IPVS traffic counters and the kernel's rate estimator (net/netfilter/ipvs/ip_vs_est.c, Linux
 * 5.15): every 2 seconds each rate moves a quarter of the way toward the last interval's rate,
 * kept scaled (×1024 for connections and packets, ×32 for bytes). Counters only change when a
 * packet is counted here, so the estimator catches up lazily on virtual time: the ticks between
 * two events see the same counters they would have seen on a real timer.
 *
 * @example
 * countPacket(vs.stats, "in", 60, now);
 * readRates(vs.stats, now); // { cps: 1, inpps: 1, … } two seconds later
 */
import type { IpvsStats } from "./types";

/** The estimator timer's period. */
const TICK_MS = 2_000;

type Counter = "conns" | "inpkts" | "outpkts" | "inbytes" | "outbytes";
type Rate = "cps" | "inpps" | "outpps" | "inbps" | "outbps";
/** Each rate, the counter it follows and the scaling shift (2^10 per 2 s = <<9; 2^5 per 2 s = <<4). */
const RATES: readonly [Rate, Counter, number][] = [
  ["cps", "conns", 512],
  ["inpps", "inpkts", 512],
  ["outpps", "outpkts", 512],
  ["inbps", "inbytes", 16],
  ["outbps", "outbytes", 16],
];

/** Runs the estimator's 2-second ticks up to `now`. */
export function estimate(stats: IpvsStats, now: number): void {
  const e = stats.est;
  const due = Math.floor(now / TICK_MS) * TICK_MS;
  if (e.at === 0) {
    // A new entry starts estimating at the next tick with what it has counted so far.
    e.at = due;
    return;
  }
  while (e.at < due) {
    e.at += TICK_MS;
    let moving = false;
    for (const [rate, counter, scale] of RATES) {
      const r = (stats[counter] - e[counter]) * scale;
      e[counter] = stats[counter];
      e[rate] += Math.floor((r - e[rate]) / 4);
      if (e[rate] !== 0) moving = true;
    }
    // Every rate has decayed to 0 and the counters are caught up: the remaining ticks change nothing.
    if (!moving) e.at = due;
  }
}

/** Counts one packet in a direction (`in`: client to server). */
export function countPacket(stats: IpvsStats, direction: "in" | "out", bytes: number, now: number): void {
  estimate(stats, now);
  if (direction === "in") {
    stats.inpkts++;
    stats.inbytes += bytes;
  } else {
    stats.outpkts++;
    stats.outbytes += bytes;
  }
}

/** Counts a new connection. */
export function countConnection(stats: IpvsStats, now: number): void {
  estimate(stats, now);
  stats.conns++;
}

/** What `ipvsadm --rate` prints: `ip_vs_read_estimator`'s rounding of the smoothed rates. */
export function readRates(stats: IpvsStats, now: number): Record<Rate, number> {
  estimate(stats, now);
  const e = stats.est;
  return {
    cps: Math.floor((e.cps + 0x1ff) / 1024),
    inpps: Math.floor((e.inpps + 0x1ff) / 1024),
    outpps: Math.floor((e.outpps + 0x1ff) / 1024),
    inbps: Math.floor((e.inbps + 0xf) / 32),
    outbps: Math.floor((e.outbps + 0xf) / 32),
  };
}
