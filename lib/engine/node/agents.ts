/**
 * Every node's agents together, and what the rest of the engine asks of them: the
 * PodRuntimeService behind `kubectl logs`/`exec`, whether a control-plane component's static
 * pod runs (the scheduler and controller manager stop when theirs does), and reachability of
 * an address and port for programs that dial before the packet layer exists.
 *
 * @example
 * const agents = new NodeAgents(cluster);
 * agents.componentRunning("kube-scheduler"); // true until its manifest is moved away
 * agents.onComponentChange(() => requeuePendingPods());
 */
import type { Cluster } from "../cluster/cluster";
import type { PodRuntimeService } from "../cluster/services";
import { CORE_COMMANDS, type Command } from "../shell";
import { NodeAgent } from "./agent";
import { PodRuntime } from "./container/exec";
import { ImageCatalog } from "./images/catalog";
import { pemBlock, writeKubeadmFiles } from "./kubeadm/files";
import { SYSTEM_USERS } from "./machine";
import { HostLocalPodNetwork, type PodNetwork } from "./pod-network";
import type { Dialer } from "./programs";
import { ROOT_NETNS, type NetNamespace } from "./runtime/processes";

/** The control-plane components that run as static pods. */
export type Component = "etcd" | "kube-apiserver" | "kube-controller-manager" | "kube-scheduler";
const COMPONENTS: readonly Component[] = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"];

export interface NodeAgentsOptions {
  /** The CNI plugin; host-local IPAM over node podCIDRs (or Calico blocks) by default. */
  network?: PodNetwork;
  /** The cluster CA (PEM) kubeadm made, shared with the root CA publisher; seeded bytes by default. */
  caCert?: string;
}

export class NodeAgents {
  readonly runtime: PodRuntimeService;
  readonly network: PodNetwork;
  readonly catalog: ImageCatalog;
  /** The cluster CA certificate (PEM) every node trusts. */
  readonly caCert: string;
  readonly clusterDNS: string;
  private readonly agents = new Map<string, NodeAgent>();
  private readonly containerPool: Command[] = [...CORE_COMMANDS];
  private readonly listeners = new Set<(component: Component, running: boolean) => void>();
  private readonly running = new Map<Component, boolean>();

  constructor(readonly cluster: Cluster, options: NodeAgentsOptions = {}) {
    const scenario = cluster.scenario;
    const rng = cluster.rng.fork();
    this.catalog = new ImageCatalog(scenario.kubernetesVersion);
    this.caCert = options.caCert ?? pemBlock("CERTIFICATE", rng, 1107);
    const [base] = scenario.network.serviceCidr.split("/");
    const octets = base.split(".").map(Number);
    this.clusterDNS = `${octets[0]}.${octets[1]}.${octets[2]}.${octets[3] + 10}`;
    this.network = options.network ?? new HostLocalPodNetwork(scenario, rng.fork());
    for (const c of COMPONENTS) this.running.set(c, false);
    const controlPlane = scenario.nodes.find((n) => n.role === "control-plane")!;
    for (const spec of scenario.nodes) {
      const host = cluster.nodes.get(spec.name)!;
      const fs = host.fs;
      if (!fs.exists("/var/run")) fs.symlink("../run", "/var/run");
      fs.appendFile("/etc/passwd", SYSTEM_USERS);
      writeKubeadmFiles(fs, { node: spec, controlPlane, scenario, rng: rng.fork(), caCert: this.caCert, clusterDNS: this.clusterDNS });
      this.agents.set(spec.name, new NodeAgent({
        cluster, host, spec, rng: rng.fork(), catalog: this.catalog, network: this.network, caCert: this.caCert, clusterDNS: this.clusterDNS,
        dial: this.dial, onStaticChange: () => this.checkComponents(),
      }));
    }
    this.runtime = new PodRuntime({ store: cluster.store, agent: (name) => this.agents.get(name), containerCommands: () => this.containerPool });
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
    for (const c of commands) {
      const i = this.containerPool.findIndex((x) => x.name === c.name);
      if (i >= 0) this.containerPool[i] = c;
      else this.containerPool.push(c);
    }
  }

  /** Whether the control-plane node's static pod for `component` has a running container. */
  componentRunning(component: Component): boolean {
    return this.nodes.some((a) => a.host.role === "control-plane" && a.kubelet.staticPodRunning(component));
  }

  /** Calls `listener` whenever a component starts or stops; returns the unsubscribe function. */
  onComponentChange(listener: (component: Component, running: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private checkComponents(): void {
    for (const c of COMPONENTS) {
      const now = this.componentRunning(c);
      if (this.running.get(c) === now) continue;
      this.running.set(c, now);
      for (const l of this.listeners) l(c, now);
    }
  }

  /** Where an address lives: a node (its host namespace) or a pod sandbox. */
  private resolve(ip: string): { agent: NodeAgent; netns: NetNamespace } | undefined {
    for (const agent of this.agents.values()) {
      if (agent.host.ip === ip) return { agent, netns: ROOT_NETNS };
      for (const s of agent.runtime.sandboxes.values()) if (s.state === "SANDBOX_READY" && s.ip === ip && !s.hostNetwork) return { agent, netns: s.netns };
    }
    return undefined;
  }

  /** Direct reachability by address: a listening socket answers, an address without one refuses. */
  readonly dial: Dialer = (from, host, port, protocol) => {
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(host) && host !== "localhost") return { error: `lookup ${host}: no such host` };
    const ip = host === "localhost" || host.startsWith("127.") ? from.podIP : host;
    const target = this.resolve(ip);
    if (!target || !target.agent.host.powered) return "timeout";
    const open = target.agent.runtime.socketsOf(target.netns).some((s) => s.listen.port === port && s.listen.protocol === protocol);
    return open ? "connected" : "refused";
  };
}
