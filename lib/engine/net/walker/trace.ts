/**
 * An exchange as the cluster's trace (what the diagram draws and graders read): one hop per
 * namespace the first packet crossed, as a pod (its sandbox's namespace) or a host (a node,
 * or a machine beside the cluster), with the kernel's steps there; the answer's way back as
 * `replyHops`. The last hop says how it ended, in the words the diagram has always used.
 *
 * @example
 * recordExchange(network, exchange, { host: "10.96.0.10", port: 80 });
 * cluster.traces.latest; // { protocol: "TCP", outcome: "connected", hops: [pod, node01, node02, pod], … }
 */
import { formatIP } from "../../util/ipv4";
import type { PacketTrace, TraceHop, TraceOutcome } from "../../cluster/traces";
import type { NetStack } from "../kernel/stack";
import type { ClusterNetwork } from "../network";
import type { Exchange, Outcome } from "./exchange";
import type { WalkHop } from "./walk";

/** The trace's outcome class for an exchange's outcome. */
export function traceOutcome(outcome: Outcome): TraceOutcome {
  switch (outcome.kind) {
    case "connected":
    case "delivered":
      return "connected";
    case "refused":
      return "refused";
    case "timeout":
      return "timeout";
    case "unreachable":
    case "error":
      return "unreachable";
  }
}

/** The address a namespace is known by: a pod's IP, a machine's address on its network. */
function addressOf(stack: NetStack | undefined, fallback: number): string {
  if (!stack) return formatIP(fallback);
  const links = [...stack.links.values()].sort((a, b) => a.index - b.index);
  const nic = links.find((l) => l.segment && l.addrs.length > 0) ?? links.find((l) => l.kind !== "loopback" && l.addrs.some((a) => a.scope === "global"));
  const address = nic?.addrs.find((a) => a.scope === "global");
  return address ? formatIP(address.ip) : formatIP(fallback);
}

function traceHops(net: ClusterNetwork, hops: readonly WalkHop[]): TraceHop[] {
  return hops.map((hop, i) => {
    const stack = net.stack(hop.stack);
    const pod = stack && net.machine(hop.host)?.podOf(stack);
    const address = addressOf(stack, i === 0 ? hop.src : hop.dst);
    const detail = hop.steps.map((s) => s.detail).join("; ");
    const base = { node: hop.host, address, detail, interfaces: { in: hop.in, out: hop.out }, steps: hop.steps.map((s) => ({ ...s })) };
    return pod ? { kind: "pod" as const, pod: { ...pod }, ...base } : { kind: "host" as const, ...base };
  });
}

/** The exchange as a trace (without its sequence number and time, which the recorder adds). */
export function traceOf(net: ClusterNetwork, exchange: Exchange, target: { host: string; port: number }): Omit<PacketTrace, "seq" | "at"> {
  return {
    protocol: exchange.protocol,
    target: { ...target },
    hops: traceHops(net, exchange.hops),
    replyHops: traceHops(net, exchange.replyHops),
    outcome: traceOutcome(exchange.outcome),
  };
}

/** Records the exchange as the cluster's latest trace, where the network has a recorder. */
export function recordExchange(net: ClusterNetwork, exchange: Exchange, target: { host: string; port: number }): void {
  net.traces?.record(traceOf(net, exchange, target));
}
