/**
 * Layer 3, the node agents: on every node a kubelet (registration, leases, the pod life
 * cycle, static pods), a container runtime (sandboxes, containers, images, processes) and
 * the node's tools (`crictl`, `systemctl`, `journalctl`, `ps`, `nsenter`, …). See CONTEXT.md.
 *
 * @example
 * const cluster = new Cluster(loadScenario("three-node-flannel"), 7);
 * const agents = startNodeAgents(cluster);
 * cluster.advance(10_000);                       // nodes registered, static pods running
 * commands.register(...nodeCommands(agents, "node01"));
 * agents.runtime.logs("default", "web", "web", {}); // { ok: true, text: "…" }
 */
import type { Cluster } from "../cluster/cluster";
import type { Command } from "../shell";
import { NodeAgents, type NodeAgentsOptions } from "./agents";
import { nodeCommandList } from "./commands";

export { NodeAgents, type Component, type ComponentListener, type NodeAgentsOptions } from "./agents";
export type { NodeAgent } from "./agent";
export type { NetworkStatus, PodNetwork, SandboxNetwork } from "./pod-network";
export type { Dialer } from "./programs";

/** Starts the kubelet and container runtime of every node of the cluster and writes their files. */
export function startNodeAgents(cluster: Cluster, options: NodeAgentsOptions = {}): NodeAgents {
  return new NodeAgents(cluster, options);
}

/** The commands a shell on `node` gets from its agents (crictl, systemctl, ps, nsenter, …). */
export function nodeCommands(agents: NodeAgents, node: string): Command[] {
  const agent = agents.node(node);
  if (!agent) throw new Error(`unknown node ${node}`);
  return nodeCommandList(agents, agent);
}
