import { Cluster } from "@/lib/engine/cluster/cluster";
import { ClusterClock } from "@/lib/engine/cluster/clock";
import { sshCommand } from "@/lib/engine/cluster/commands/ssh";
import type { NodeHost } from "@/lib/engine/cluster/node-host";
import type { KubeObject, Pod, Stored } from "@/lib/engine/api";
import { nodeCommands, startNodeAgents } from "@/lib/engine/node";
import { loadScenario, type ScenarioInput } from "@/lib/engine/scenarios";
import { createCoreRegistry, installCommands, ShellSession, type CommandRegistry, type LocationInit } from "@/lib/engine/shell";

const CIDRS: Record<string, string> = { controlplane: "10.244.0.0/24", node01: "10.244.1.0/24", node02: "10.244.2.0/24" };

/**
 * A cluster with only the node agents running (no scheduler or other controllers): pods are
 * created bound (`spec.nodeName`), node podCIDRs are set as the IPAM controller would, the
 * pod network is the bridge plugin, and the `default` ServiceAccount exists as the
 * serviceaccount controller would make it.
 */
export function nodeCluster(scenario: string | (Partial<ScenarioInput> & { base?: string }) = "three-node-flannel", seed = 7, options: { podCIDRs?: boolean } = {}) {
  // No CNI DaemonSet runs here: the nodes use the plain bridge plugin a lab's setup installs with their pod CIDRs.
  const spec = typeof scenario === "string" ? { base: scenario, cni: { plugin: "bridge" as const } } : { cni: { plugin: "bridge" as const }, ...scenario };
  const cluster = new Cluster(loadScenario(spec), seed);
  const agents = startNodeAgents(cluster);
  cluster.settle();
  if (options.podCIDRs !== false) {
    for (const name of cluster.nodes.keys()) cluster.store.patch("Node", undefined, name, { spec: { podCIDR: CIDRS[name], podCIDRs: [CIDRS[name]] } });
  }
  cluster.store.create({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace: "default" } });
  cluster.advance(0);
  const clock = new ClusterClock(cluster);
  const registries = new Map<string, CommandRegistry>();
  const login = (node: NodeHost): LocationInit => ({
    host: { name: node.name, user: "root", uid: 0, gid: 0, home: "/root", addresses: () => [node.ip] },
    fs: node.fs,
    commands: registries.get(node.name)!,
    ps1: "\\h:\\w$ ",
  });
  const ssh = sshCommand({ lookup: (t) => cluster.nodes.get(t), login });
  for (const node of cluster.nodes.values()) {
    const commands = createCoreRegistry().register(ssh);
    for (const c of nodeCommands(agents, node.name)) commands.register(c);
    installCommands(node.fs, commands);
    registries.set(node.name, commands);
  }
  /** A root shell on a node (output not a terminal, like a transcript). */
  const shell = (name = "controlplane") => new ShellSession({ clock, location: login(cluster.nodes.get(name)!), terminal: false });
  /** Creates a pod bound to `node` in `default`. */
  const pod = (name: string, node: string, spec: Partial<Pod["spec"]> & Pick<Pod["spec"], "containers">, meta: Partial<KubeObject["metadata"]> = {}) =>
    cluster.store.create<Pod>({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default", ...meta }, spec: { nodeName: node, ...spec } });
  const get = (name: string, ns = "default") => cluster.store.find<Pod>("Pod", ns, name) as Stored<Pod>;
  /** The pod's events as `HH:MM:SS Type Reason Message (xN)`, oldest first. */
  const events = (name: string, ns = "default") =>
    cluster.store
      .list<KubeObject>("Event", { namespace: ns })
      .filter((e) => (e.involvedObject as { name: string }).name === name)
      .map((e) => `${String(e.firstTimestamp).slice(11, 19)} ${e.type} ${e.reason} ${e.message}${(e.count as number) > 1 ? ` (x${e.count})` : ""}`);
  return { cluster, agents, shell, pod, get, events };
}

/** Runs lines in a shell and returns the combined output of each. */
export async function run(sh: ShellSession, ...lines: string[]): Promise<string> {
  let out = "";
  for (const line of lines) out += (await sh.run(line)).output;
  return out;
}
