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
import type { TraceHop } from "../cluster/traces";
import type { PodRuntimeService } from "../cluster/services";
import { CORE_COMMANDS, type Command } from "../shell";
import { NodeAgent } from "./agent";
import { PodRuntime } from "./container/exec";
import { ImageCatalog } from "./images/catalog";
import { pemBlock, writeKubeadmFiles } from "./kubeadm/files";
import { SYSTEM_USERS } from "./machine";
import { HostLocalPodNetwork, type PodNetwork } from "./pod-network";
import type { Dialer, DialResult } from "./programs";
import { ROOT_NETNS, type NetNamespace } from "./runtime/processes";

/** The control-plane components that run as static pods. */
export type Component = "etcd" | "kube-apiserver" | "kube-controller-manager" | "kube-scheduler";
const COMPONENTS: readonly Component[] = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"];

/** Told when a control-plane component starts or stops (an object: state holds no closures). */
export interface ComponentListener {
  componentChanged(component: Component, running: boolean): void;
}

export interface NodeAgentsOptions {
  /** The CNI plugin; host-local IPAM over node podCIDRs (or Calico blocks) by default. */
  network?: PodNetwork;
  /** The cluster CA (PEM) kubeadm made, shared with the root CA publisher; seeded bytes by default. */
  caCert?: string;
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
  private containerPool: readonly Command[] = Object.freeze([...CORE_COMMANDS]);
  private readonly listeners = new Set<ComponentListener>();
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
        agents: this,
      }));
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

  /** Where an address lives: a node (its host namespace) or a pod sandbox. */
  private resolve(ip: string): { agent: NodeAgent; netns: NetNamespace; pod?: { namespace: string; name: string } } | undefined {
    for (const agent of this.agents.values()) {
      if (agent.host.ip === ip) return { agent, netns: ROOT_NETNS };
      for (const s of agent.runtime.sandboxes.values()) {
        if (s.state === "SANDBOX_READY" && s.ip === ip && !s.hostNetwork) return { agent, netns: s.netns, pod: { namespace: s.namespace, name: s.name } };
      }
    }
    return undefined;
  }

  /** The namespace `ip` belongs to (resolved as `at`; on `node` if no one owns it), as a hop of a trace. */
  private hop(ip: string, at: ReturnType<NodeAgents["resolve"]>, node: string, detail: string): TraceHop {
    return at?.pod ? { kind: "pod", node: at.agent.host.name, address: ip, pod: at.pod, detail } : { kind: "host", node: at?.agent.host.name ?? node, address: ip, detail };
  }

  /**
   * Direct reachability by address: a listening socket answers, an address without one refuses.
   * The hops it resolved (the sender, then the receiver if the packet got there) become the
   * cluster's latest trace.
   */
  dial(from: { nodeName: string; podIP: string }, host: string, port: number, protocol: "TCP" | "UDP"): DialResult {
    const hops = [this.hop(from.podIP, this.resolve(from.podIP), from.nodeName, `${protocol} to ${host}:${port}`)];
    const record = (result: DialResult) => {
      this.cluster.traces.record({ protocol, target: { host, port }, hops, outcome: typeof result === "string" ? result : "unresolved" });
      return result;
    };
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(host) && host !== "localhost") return record({ error: `lookup ${host}: no such host` });
    const ip = host === "localhost" || host.startsWith("127.") ? from.podIP : host;
    const target = this.resolve(ip);
    if (!target || !target.agent.host.powered) return record("timeout");
    const open = target.agent.runtime.socketsOf(target.netns).some((s) => s.listen.port === port && s.listen.protocol === protocol);
    hops.push(this.hop(ip, target, target.agent.host.name, open ? `${port}/${protocol} open: connected` : `nothing listens on ${port}/${protocol}: refused`));
    return record(open ? "connected" : "refused");
  }
}
