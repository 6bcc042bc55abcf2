/**
 * IPVS as data, as the kernel's ip_vs module keeps it (`ipvsadm -Ln`, `ipvsadm -Lnc`): virtual
 * services (protocol, address, port, scheduler, persistence) with their real servers, and the
 * connection table the schedulers fill. kube-proxy in IPVS mode writes the services; `ipvsadm`
 * edits them by hand; the packet walker schedules new connections through `schedule.ts`.
 *
 * A service's `reals` are in the kernel's list order: a new destination goes to the head
 * (`list_add_rcu`), and the round-robin cursor walks that list, so the order is what decides
 * which server answers next. Connection counters are kept as the kernel keeps them: each
 * connection counts once on its server, inactive until a TCP connection is ESTABLISHED.
 */
import type { L4Protocol } from "../conntrack/types";

/**
 * The schedulers this kernel's IPVS runs (`ip_vs_<name>.ko`): round robin, weighted round robin,
 * least connection, weighted least connection, destination/source hashing, shortest expected
 * delay, never queue, weighted failover and weighted overflow.
 */
export type IpvsScheduler = "rr" | "wrr" | "lc" | "wlc" | "dh" | "sh" | "sed" | "nq" | "fo" | "ovf";

export const IPVS_SCHEDULERS: readonly IpvsScheduler[] = Object.freeze(["rr", "wrr", "lc", "wlc", "dh", "sh", "sed", "nq", "fo", "ovf"]);

export type IpvsProtocol = Exclude<L4Protocol, "icmp">;

/** Packet and byte counters with the kernel's rate estimator state (`ipvsadm --stats`, `--rate`). */
export interface IpvsStats {
  conns: number;
  inpkts: number;
  outpkts: number;
  inbytes: number;
  outbytes: number;
  /** Estimator: smoothed rates, scaled as the kernel scales them (cps ×1024, pps ×1024, bps ×32). */
  est: { at: number; conns: number; inpkts: number; outpkts: number; inbytes: number; outbytes: number; cps: number; inpps: number; outpps: number; inbps: number; outbps: number };
}

export interface RealServer {
  ip: number;
  port: number;
  weight: number;
  /** `Masq` (NAT) is what kube-proxy uses; `Route` (direct routing) is ipvsadm's default. */
  forward: "Masq" | "Route" | "Tunnel" | "Local";
  /** Connections in ESTABLISHED (TCP). */
  activeConns: number;
  /** Every other connection: SYN_RECV, FIN_WAIT, TIME_WAIT…, and every UDP one. */
  inactiveConns: number;
  /** Persistence templates that point here. */
  persistConns: number;
  /** `-x`/`-y`: 0 means no limit. */
  upperThreshold: number;
  lowerThreshold: number;
  stats: IpvsStats;
}

export interface VirtualService {
  protocol: IpvsProtocol;
  ip: number;
  port: number;
  scheduler: IpvsScheduler;
  /** `persistent 10800` (sessionAffinity ClientIP): seconds; undefined: none. */
  persistent?: number;
  /** Persistence granularity (`-M`): clients whose addresses match under it share a template. */
  netmask: number;
  /** One-packet scheduling (`-o`, UDP only). */
  onePacket: boolean;
  /** Kernel list order: newest first. */
  reals: RealServer[];
  /** rr: the server last picked (its ip:port), or undefined for the list head. */
  rrLast?: string;
  /** wrr: the kernel's mark (current server, current weight). */
  wrr: { last?: string; cw: number };
  stats: IpvsStats;
}

/** TCP states of an IPVS connection (`ipvsadm -Lnc`), UDP's single one, and a template's. */
export type IpvsConnState = "NONE" | "ESTABLISHED" | "SYN_SENT" | "SYN_RECV" | "FIN_WAIT" | "TIME_WAIT" | "CLOSE" | "CLOSE_WAIT" | "LAST_ACK" | "UDP";

export interface IpvsConnection {
  protocol: IpvsProtocol;
  client: { ip: number; port: number };
  virtual: { ip: number; port: number };
  dest: { ip: number; port: number };
  state: IpvsConnState;
  /** Virtual epoch ms when the entry expires. */
  expires: number;
  /** A persistence template (client port 0, state NONE): the client's server for `persistent` seconds. */
  template: boolean;
}

/** `ipvsadm --set tcp tcpfin udp` (seconds): the timeouts of ESTABLISHED, FIN_WAIT and UDP entries. */
export interface IpvsTimeouts {
  tcp: number;
  tcpFin: number;
  udp: number;
}

export interface IpvsState {
  services: VirtualService[];
  connections: IpvsConnection[];
  timeouts: IpvsTimeouts;
}

/** The kernel's defaults (`ipvsadm -L --timeout` → `Timeout (tcp tcpfin udp): 900 120 300`). */
export function emptyIpvs(): IpvsState {
  return { services: [], connections: [], timeouts: { tcp: 900, tcpFin: 120, udp: 300 } };
}

export function emptyStats(): IpvsStats {
  return {
    conns: 0, inpkts: 0, outpkts: 0, inbytes: 0, outbytes: 0,
    est: { at: 0, conns: 0, inpkts: 0, outpkts: 0, inbytes: 0, outbytes: 0, cps: 0, inpps: 0, outpps: 0, inbps: 0, outbps: 0 },
  };
}
