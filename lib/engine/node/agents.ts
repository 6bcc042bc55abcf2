/**
 * Every node's agents together, and what the rest of the engine asks of them: the
 * PodRuntimeService behind `kubectl logs`/`exec`, whether a control-plane component's static
 * pod runs (the scheduler and controller manager stop when theirs does), and reachability of
 * an address and port for programs that dial before the packet layer exists.
 *
 * @example
 * const agents = new NodeAgents(cluster);
 * agents.componentRunning("kube-scheduler"); // true until its manifest is moved away
 * agents.onComponentChange(resync); // resync.componentChanged(component, running) on every change
 */
import type { Cluster } from "../cluster/cluster";
import type { PodRuntimeService } from "../cluster/services";
import { CORE_COMMANDS, type Command } from "../shell";
import { NodeAgent } from "./agent";
import { containerPsCommand } from "./commands/container-ps";
import { PodRuntime } from "./container/exec";
import { ImageCatalog } from "./images/catalog";
import { writeKubeadmFiles } from "./kubeadm/files";
import { clusterCA, type ClusterCA } from "../pki";
import { SYSTEM_USERS } from "./machine";
import { ContainerNetworking } from "../net/cni";
import type { PodNetwork } from "./pod-network";
import type { Dialer, DialResult } from "./programs";
import { ROOT_NETNS } from "./runtime/processes";
import { NodeNetMachine } from "./net-machine";
import type { ClusterNetwork, NetStack } from "../net";
import { connectTcp, recordExchange, sendUdp } from "../net/walker";
import { parseIP } from "../util/ipv4";

/** The control-plane components that run as static pods. */
export type Component = "etcd" | "kube-apiserver" | "kube-controller-manager" | "kube-scheduler";
const COMPONENTS: readonly Component[] = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"];

/** Told when a control-plane component starts or stops (an object: state holds no closures). */
export interface ComponentListener {
  componentChanged(component: Component, running: boolean): void;
}

export interface NodeAgentsOptions {
  /** The pod network; by default the CNI plugins of `/etc/cni/net.d` and the CNI DaemonSets' agents. */
  network?: PodNetwork;
  /** The cluster CA kubeadm made, shared with the root CA publisher; one named from the cluster's generator by default. */
  ca?: ClusterCA;
}

export class NodeAgents implements Dialer {
  readonly runtime: PodRuntimeService;
  readonly network: PodNetwork;
  readonly catalog: ImageCatalog;
  /** The cluster CA certificate (PEM) every node trusts. */
  readonly caCert: string;
  readonly clusterDNS: string;
  private readonly agents = new Map<string, NodeAgent>();
  /** Replaced, never changed in place: frozen, every fork shares it. */
  private containerPool: readonly Command[] = Object.freeze([...CORE_COMMANDS, containerPsCommand]);
  private readonly listeners = new Set<ComponentListener>();
  private readonly running = new Map<Component, boolean>();

  constructor(readonly cluster: Cluster, options: NodeAgentsOptions = {}) {
    const scenario = cluster.scenario;
    const rng = cluster.rng.fork();
    this.catalog = new ImageCatalog(scenario.kubernetesVersion);
    // Booted without the engine's CA (unit fixtures), the agents make one from a fork. The draws a
    // 1,107-byte stand-in certificate once took stay taken, so the IDs seeded after them keep their values.
    const ca = options.ca ?? clusterCA(rng.fork(), scenario);
    for (let i = 1; i < 1107; i++) rng.int(256);
    this.caCert = ca.certificate;
    const [base] = scenario.network.serviceCidr.split("/");
    const octets = base.split(".").map(Number);
    this.clusterDNS = `${octets[0]}.${octets[1]}.${octets[2]}.${octets[3] + 10}`;
    this.network = options.network ?? new ContainerNetworking(cluster, this, rng.fork());
    for (const c of COMPONENTS) this.running.set(c, false);
    const controlPlane = scenario.nodes.find((n) => n.role === "control-plane")!;
    for (const spec of scenario.nodes) {
      const host = cluster.nodes.get(spec.name)!;
      const fs = host.fs;
      if (!fs.exists("/var/run")) fs.symlink("../run", "/var/run");
      fs.appendFile("/etc/passwd", SYSTEM_USERS);
      writeKubeadmFiles(fs, { node: spec, controlPlane, scenario, rng: rng.fork(), ca, clusterDNS: this.clusterDNS });
      this.agents.set(spec.name, new NodeAgent({
        cluster, host, spec, rng: rng.fork(), catalog: this.catalog, network: this.network, caCert: this.caCert, clusterDNS: this.clusterDNS,
        agents: this,
      }));
      // The packet walker asks each node for its sockets and power.
      cluster.network.registerMachine(spec.name, new NodeNetMachine(this.agents.get(spec.name)!));
    }
    this.runtime = new PodRuntime(cluster.store, this);
  }

  get scenario() {
    return this.cluster.scenario;
  }

  /** A node's agents. */
  node(name: string): NodeAgent | undefined {
    return this.agents.get(name);
  }

  get nodes(): NodeAgent[] {
    return [...this.agents.values()];
  }

  /** Makes more commands available to containers whose image ships them (`curl`, `ip`, `ping`…). */
  addContainerCommands(commands: readonly Command[]): void {
    const pool = [...this.containerPool];
    for (const c of commands) {
      const i = pool.findIndex((x) => x.name === c.name);
      if (i >= 0) pool[i] = c;
      else pool.push(c);
    }
    this.containerPool = Object.freeze(pool);
  }

  /** Every command a container could have; each container gets those its image ships. */
  containerCommands(): readonly Command[] {
    return this.containerPool;
  }

  /** Whether the control-plane node's static pod for `component` has a running container. */
  componentRunning(component: Component): boolean {
    return this.nodes.some((a) => a.host.role === "control-plane" && a.kubelet.staticPodRunning(component));
  }

  /** Tells `listener` whenever a component starts or stops. */
  onComponentChange(listener: ComponentListener): void {
    this.listeners.add(listener);
  }

  /** A static pod may have started or stopped: tells the listeners about components that did. */
  checkComponents(): void {
    for (const c of COMPONENTS) {
      const now = this.componentRunning(c);
      if (this.running.get(c) === now) continue;
      this.running.set(c, now);
      for (const l of this.listeners) l.componentChanged(c, now);
    }
  }

  /** The namespace a program of `from` runs in, with the network it belongs to. */
  namespace(from: { nodeName: string; podIP: string }): { network: ClusterNetwork; stack: NetStack } | undefined {
    const stack = this.namespaceOf(from);
    return stack && { network: this.cluster.network, stack };
  }

  /** The namespace a program of `from` runs in: its pod's sandbox, or the node's own (hostNetwork pods, node daemons). */
  private namespaceOf(from: { nodeName: string; podIP: string }): NetStack | undefined {
    const agent = this.agents.get(from.nodeName);
    if (!agent) return undefined;
    let inode = ROOT_NETNS.inode;
    for (const s of agent.runtime.sandboxes.values()) if (s.state === "SANDBOX_READY" && s.ip === from.podIP && !s.hostNetwork) inode = s.netns.inode;
    return this.cluster.network.stackOf(from.nodeName, inode);
  }

  /**
   * A program connects: the packet walker carries its SYN (or datagram) from its namespace
   * through the cluster's kernel state, and the answer back. The walk becomes the cluster's
   * latest trace. Names do not resolve yet (no DNS in the engine).
   */
  dial(from: { nodeName: string; podIP: string }, host: string, port: number, protocol: "TCP" | "UDP"): DialResult {
    const network = this.cluster.network;
    const ip = parseIP(host === "localhost" ? "127.0.0.1" : host);
    const stack = this.namespaceOf(from);
    if (ip === undefined || !stack) {
      this.cluster.traces.record({ protocol, target: { host, port }, hops: [], outcome: "unresolved" });
      return { error: ip === undefined ? `lookup ${host}: no such host` : `no network namespace for ${from.podIP} on ${from.nodeName}` };
    }
    const now = this.cluster.clock.now();
    const exchange = protocol === "TCP" ? connectTcp(network, { from: stack, dst: ip, dport: port, now }) : sendUdp(network, { from: stack, dst: ip, dport: port, now, payload: 5 });
    recordExchange(network, exchange, { host, port });
    const outcome = exchange.outcome;
    switch (outcome.kind) {
      case "connected":
      case "delivered":
        return "connected";
      case "refused":
        return "refused";
      case "timeout":
        return "timeout";
      case "error":
        return "unreachable";
      case "unreachable":
        // A router's net/host unreachable or TTL exceeded is a soft error for a connecting socket: it retries until it times out.
        return protocol === "TCP" && outcome.reason !== "prohibited" ? "timeout" : "unreachable";
    }
  }
}
