/**
 * IPVS as data (`ipvsadm -Ln`): virtual services (address, port, protocol, scheduler,
 * persistence) and their real servers with weights and connection counts. kube-proxy in IPVS
 * mode writes it; the packet walker schedules new connections through it.
 */
import type { L4Protocol } from "../conntrack/types";

export type IpvsScheduler = "rr" | "wrr" | "lc" | "wlc" | "dh" | "sh" | "sed" | "nq" | "mh";

export interface RealServer {
  ip: number;
  port: number;
  weight: number;
  /** `Masq` (NAT) is what kube-proxy uses. */
  forward: "Masq" | "Route" | "Tunnel";
  activeConns: number;
  inactiveConns: number;
}

export interface VirtualService {
  protocol: Exclude<L4Protocol, "icmp">;
  ip: number;
  port: number;
  scheduler: IpvsScheduler;
  /** `persistent 10800` (sessionAffinity ClientIP): seconds; undefined: none. */
  persistent?: number;
  reals: RealServer[];
  /** Round-robin position (rr/wrr), kept as the kernel keeps it. */
  cursor: number;
  /** Persistence templates: client address → real server index, with expiry (virtual ms). */
  templates: { client: number; real: number; expires: number }[];
}

export interface IpvsState {
  services: VirtualService[];
}

export function emptyIpvs(): IpvsState {
  return { services: [] };
}
