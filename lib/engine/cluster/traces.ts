/**
 * The paths connections took through the cluster, as the engine resolved them (DESIGN §2.5:
 * one trace that `curl`, `ping`, `nc`, the grader and the diagram all read). The packet walker
 * records each namespace the packet crossed as a hop (the sending pod or host, the nodes on the
 * way, the pod or host that answered), with the kernel's steps there (routing, iptables DNAT,
 * bridging, encapsulation). Nothing is recorded that was not walked.
 *
 * @example
 * cluster.traces.record({ protocol: "TCP", target: { host: "10.244.1.5", port: 80 }, outcome: "connected", hops: [from, to] });
 * cluster.traces.latest; // { seq: 1, at: …, hops: [from, to], … }
 */
import type { VirtualClock } from "../util/clock";

/** A place the packet was seen: a pod's network namespace, or a node's host namespace. */
export interface TraceHop {
  kind: "pod" | "host";
  node: string;
  /** The address the packet left from or arrived at here. */
  address: string;
  /** The pod whose namespace this is (kind "pod"). */
  pod?: { namespace: string; name: string };
  /** What happened here, in words (`port 80/TCP open: connected`). */
  detail: string;
  /** The interfaces the packet came in and left by here (from the packet walk). */
  interfaces?: { in?: string; out?: string };
  /** The kernel's steps here, in order: routing, netfilter verdicts, NAT, bridging, encapsulation. */
  steps?: { kind: string; detail: string }[];
}

/** How the connection ended, in the words of the classes programs report (curl's 7/28/6; an ICMP error for ping and traceroute). */
export type TraceOutcome = "connected" | "refused" | "timeout" | "unresolved" | "unreachable";

export interface PacketTrace {
  /** 1, 2, 3… in the order connections were made in this cluster. */
  seq: number;
  /** Virtual epoch milliseconds. */
  at: number;
  protocol: "TCP" | "UDP" | "ICMP";
  /** What the program dialled, as it wrote it. */
  target: { host: string; port: number };
  hops: TraceHop[];
  /** The answer's way back to the sender (the packet walk's reply path), when one came. */
  replyHops?: TraceHop[];
  outcome: TraceOutcome;
}

/** The traces of one cluster. Only the latest is kept until something needs a history. */
export class PacketTraces {
  private count = 0;
  private last: PacketTrace | null = null;

  constructor(private readonly clock: VirtualClock) {}

  record(trace: Omit<PacketTrace, "seq" | "at">): PacketTrace {
    this.last = { seq: ++this.count, at: this.clock.now(), ...trace };
    return this.last;
  }

  get latest(): PacketTrace | null {
    return this.last;
  }
}
