/**
 * The pod network of the cluster behind the kubelet's seam (`node/pod-network.ts`): containerd's
 * CNI handling on every node, and the CNI agents that run as DaemonSet pods.
 *
 * For a sandbox, containerd loads the first configuration of `/etc/cni/net.d` (none: the
 * runtime's network is not ready, `cni plugin not initialized`), runs the loopback network and
 * then that network's plugin chain with the CNI_* variables, and logs a failure to its journal.
 * DEL runs when the pod goes, or, for a sandbox lost with its machine's power, when the kubelet
 * makes the pod a new one (as StopPodSandbox of the dead sandbox does).
 *
 * The agents (`CniAgents`) watch Nodes and the agents' pods: wherever flanneld or calico-node
 * runs, its work is done on that node (leases, devices, routes, BGP); a lab on the plain bridge
 * plugin gets its conflist once the node has a pod CIDR.
 *
 * @example
 * const net = new ContainerNetworking(cluster, agents, rng.fork());
 * net.setUp(pod, node, { id: sandboxId, netns }); // { ip: "10.244.1.2" }
 */
import type { Node, Pod, Stored, WatchEvent } from "../../api";
import type { Cluster } from "../../cluster/cluster";
import type { Controller, ControllerWatch } from "../../cluster/controller";
import type { NodeAgent } from "../../node/agent";
import type { NodeAgents } from "../../node/agents";
import type { NetworkStatus, PodNetwork, SandboxNetwork } from "../../node/pod-network";
import type { ContainerInfo } from "../../node/runtime/containerd";
import type { FileSystem, FsWatcher } from "../../shell";
import { encodeBase64 } from "../../util/base64";
import { parseIP } from "../../util/ipv4";
import { freezeDeep } from "../../util/plain";
import type { Rng } from "../../util/rng";
import type { NetStack } from "../kernel/stack";
import { CalicoDatastore, POD_ANNOTATIONS } from "./calico/datastore";
import { GRACEFUL_RESTART_MS, syncCalicoNode } from "./calico/calico-node";
import { FelixPolicy } from "./calico/felix-policy";
import { CONF_DIR, loadNetwork, LOOPBACK_NETWORK, NOT_INITIALIZED } from "./config";
import { BRIDGE_CONFLIST, bridgeConflist, CALICOCTL_CONFIG, installReferencePlugins } from "./files";
import { SUBNET_ENV, syncFlanneld, type FlannelState } from "./flannel/flanneld";
import { appendUnique } from "./iptables";
import { addNetworkList, delNetworkList, execPlugin } from "./runtime";
import type { CniHost, CniResult, Invocation, NetConf, NetConfList, PluginEnv } from "./types";

/** What a pod's sandbox was wired with, so DEL can undo it. */
interface Attachment {
  node: string;
  containerId: string;
  netns: string;
  stackId: string;
  list: NetConfList;
  args: readonly (readonly [string, string])[];
  capabilityArgs: Record<string, unknown>;
}

const CNI_PATH = Object.freeze(["/opt/cni/bin"]);
/** Where namespaces are pinned (`ip netns`, containerd's sandboxes): on /run, a tmpfs. */
const NETNS_DIR = "/run/netns";

/** The calico-node container's binary, and flanneld's. */
const CALICO_NODE_IMAGE = /(^|\/)calico\/node:/;
const FLANNELD = "flanneld";

function runtimeTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000000Z");
}

/** Tells containerd's CNI syncer of one node that `/etc/cni/net.d` changed (fsnotify). */
class ConfDirWatcher implements FsWatcher {
  constructor(
    private readonly networking: ContainerNetworking,
    private readonly node: string,
  ) {}

  fsChanged(): void {
    this.networking.confChanged(this.node);
  }
}

function requeueAgents(networking: ContainerNetworking): void {
  networking.requeueAll();
}

function requeueNode(networking: ContainerNetworking, node: string): void {
  networking.requeue(node);
}

/** How often the agents re-check what they programmed (flanneld's route check, BIRD's kernel scan). */
const AGENT_RESYNC_MS = 10_000;

export class ContainerNetworking implements PodNetwork, CniHost {
  readonly calico: CalicoDatastore;
  /** Felix's NetworkPolicy dataplane (Calico clusters). */
  private readonly felixPolicy: FelixPolicy | undefined;
  private readonly attachments = new Map<string, Attachment>();
  /** Each node's network as last loaded, with the version of its file system it was loaded from. */
  private readonly loaded = new Map<string, { version: number; network: ReturnType<typeof loadNetwork> }>();
  private readonly flannel = new Map<string, FlannelState>();
  /** Nodes the bridge lab's setup has written its conflist on (once: a learner may delete it). */
  private readonly provisioned = new Set<string>();
  /** The boot in which each bridge-lab node last got its masquerade rule. */
  private readonly masqueradedBoot = new Map<string, string>();
  private readonly controller: CniAgents;

  constructor(
    private readonly cluster: Cluster,
    private readonly agents: NodeAgents,
    private readonly rng: Rng,
  ) {
    this.calico = new CalicoDatastore(cluster.store);
    const calicoLab = cluster.scenario.cni.plugin === "calico";
    this.calico.installed = calicoLab;
    cluster.network.calico = this.calico;
    for (const host of cluster.nodes.values()) {
      installReferencePlugins(host.fs);
      if (calicoLab) host.fs.writeFile("/etc/calico/calicoctl.cfg", CALICOCTL_CONFIG, { parents: true, mode: 0o644 });
      host.fs.watch(CONF_DIR, new ConfDirWatcher(this, host.name));
    }
    this.controller = new CniAgents(this, cluster);
    cluster.register(this.controller);
    // Felix enforces NetworkPolicy unless the scenario says policies are not enforced here.
    this.felixPolicy = calicoLab && cluster.scenario.networkPolicy !== false ? new FelixPolicy(cluster.network, this.calico) : undefined;
    if (this.felixPolicy) cluster.register(this.felixPolicy.controller);
  }

  // ---- CRI: the kubelet's runtime ----

  status(node: string): NetworkStatus {
    const fs = this.fs(node);
    if (!fs || "error" in this.network(node, fs)) return { ready: false, message: `Network plugin returns error: ${NOT_INITIALIZED}` };
    return { ready: true };
  }

  setUp(pod: Stored<Pod>, node: Stored<Node>, sandbox: SandboxNetwork): { ip: string } | { error: string } {
    const name = node.metadata.name;
    const stale = this.attachments.get(pod.metadata.uid);
    if (stale && stale.containerId !== sandbox.id) this.detach(pod.metadata.uid, stale);
    const fs = this.fs(name)!;
    const loaded = this.network(name, fs);
    if ("error" in loaded) return { error: NOT_INITIALIZED };
    const netnsPath = `/var/run/netns/${sandbox.netns.name}`;
    const stackId = `${name}/${sandbox.netns.name}`;
    const namespace = pod.metadata.namespace ?? "default";
    const args: [string, string][] = [["IgnoreUnknown", "1"], ["K8S_POD_NAMESPACE", namespace], ["K8S_POD_NAME", pod.metadata.name], ["K8S_POD_INFRA_CONTAINER_ID", sandbox.id], ["K8S_POD_UID", pod.metadata.uid]];
    const inv: Invocation = { command: "ADD", containerId: sandbox.id, netns: netnsPath, ifName: "eth0", args, path: CNI_PATH };
    const capabilityArgs = this.capabilityArgs(pod);
    const env = this.envFor(name, this.cluster.network.stack(stackId));
    const attachment: Attachment = { node: name, containerId: sandbox.id, netns: netnsPath, stackId, list: loaded.list, args, capabilityArgs };
    const lo = addNetworkList(LOOPBACK_NETWORK, { ...inv, ifName: "lo" }, env);
    const out = "error" in lo ? lo : addNetworkList(loaded.list, inv, env, capabilityArgs);
    if ("error" in out) {
      // containerd tears down what the failed ADD left before it gives up on the sandbox.
      this.runDel(attachment, env);
      this.containerdLog(name, "error", `RunPodSandbox for ${podMeta(pod)} failed, error`, `failed to setup network for sandbox \\"${sandbox.id}\\": ${out.error.replace(/"/g, '\\"')}`);
      return out;
    }
    const ip = firstAddress(out.result);
    if (!ip) {
      this.runDel(attachment, env);
      return { error: `failed to find network info for sandbox "${sandbox.id}"` };
    }
    this.attachments.set(pod.metadata.uid, attachment);
    return { ip };
  }

  tearDown(pod: Stored<Pod>): void {
    const held = this.attachments.get(pod.metadata.uid);
    if (held) this.detach(pod.metadata.uid, held);
  }

  powerLost(node: string): void {
    const now = this.cluster.clock.now();
    const bird = this.calico.bird.get(node);
    if (bird?.running) this.birdStopped(node, now, true);
    this.cluster.network.powerLoss(node);
    this.flannel.delete(node);
    // /run is a tmpfs: flanneld's lease file and the namespaces pinned there are gone.
    const fs = this.fs(node);
    if (fs?.isFile(SUBNET_ENV)) fs.unlink(SUBNET_ENV);
    if (fs?.isDirectory(NETNS_DIR)) for (const name of fs.list(NETNS_DIR)) fs.unlink(`${NETNS_DIR}/${name}`);
    this.requeueAll();
  }

  /** containerd's CNI config syncer saw `/etc/cni/net.d` change: it reloads, and logs a config it cannot load. */
  confChanged(node: string): void {
    const fs = this.fs(node);
    if (!fs) return;
    const loaded = loadNetwork(fs);
    if ("error" in loaded && !loaded.error.startsWith("no network config")) {
      this.containerdLog(node, "error", "failed to reload cni configuration after receiving fs change event", `cni config load failed: ${loaded.error}`);
    }
  }

  // ---- What plugins reach (CniHost) ----

  now(): number {
    return this.cluster.clock.now();
  }

  randomVethName(): string {
    return `veth${this.rng.hex(8)}`;
  }

  pid(node: string): number {
    return this.agents.node(node)?.processes.peek() ?? 1;
  }

  delegate(type: string, conf: NetConf, inv: Invocation, env: PluginEnv): CniResult | { error: string } | undefined {
    return execPlugin(type, conf, inv, env);
  }

  annotatePod(namespace: string, name: string, annotations: Record<string, string>): void {
    if (this.cluster.store.find<Pod>("Pod", namespace, name)) this.cluster.store.patch("Pod", namespace, name, { metadata: { annotations } });
  }

  clearPodAnnotations(namespace: string, name: string, containerId: string): void {
    const pod = this.cluster.store.find<Pod>("Pod", namespace, name);
    if (pod?.metadata.annotations?.[POD_ANNOTATIONS.containerID] !== containerId) return;
    this.cluster.store.patch("Pod", namespace, name, { metadata: { annotations: { [POD_ANNOTATIONS.containerID]: null, [POD_ANNOTATIONS.podIP]: null, [POD_ANNOTATIONS.podIPs]: null } } });
  }

  // ---- The node agents (flanneld, calico-node, the bridge lab's setup) ----

  /** One node's agents converge: called by the `cni-agents` controller. */
  syncNode(name: string): void {
    const agent = this.agents.node(name);
    const host = this.cluster.nodes.get(name);
    const stack = this.cluster.network.host(name);
    if (!agent || !host?.powered || !stack) return;
    const now = this.cluster.clock.now();
    if (this.cluster.scenario.cni.plugin === "bridge") this.provisionBridge(name, agent, stack);
    const flanneld = runningContainer(agent, (c) => baseName(c.argv[0] ?? "") === FLANNELD);
    if (flanneld) {
      const state = this.flannel.get(name) ?? { routes: new Map() };
      this.flannel.set(name, state);
      syncFlanneld(this.cluster.network, this.cluster.store, { name, ip: host.ip, fs: host.fs, host: stack }, state, flanneld.id);
    }
    const calicoNode = runningContainer(agent, (c) => CALICO_NODE_IMAGE.test(c.imageRef));
    const bird = this.calico.bird.get(name);
    const starting = calicoNode !== undefined && !bird?.running;
    if (calicoNode && !bird?.running) {
      this.calico.bird.set(name, { running: true, since: now, machineOff: false });
      this.requeueAll();
    } else if (!calicoNode && bird?.running) {
      this.birdStopped(name, now, false);
    }
    // flanneld checks its routes every 10 s and BIRD rescans the kernel table: a deleted route comes back.
    if ((flanneld || calicoNode) && !this.cluster.timers.has(`cni/resync/${name}`)) {
      this.cluster.timers.at(now + AGENT_RESYNC_MS, `cni/resync/${name}`, requeueNode, this, name);
    }
    if (calicoNode) {
      syncCalicoNode(this.cluster.network, this.calico, {
        name, ip: host.ip, fs: host.fs, host: stack, env: calicoNode.env, now, starting,
        wireguard: calicoNode.env.FELIX_WIREGUARDENABLED === "true",
        wireguardKey: () => encodeBase64(Uint8Array.from({ length: 32 }, () => this.rng.int(256))),
      });
      this.felixPolicy?.sync(name, stack);
    }
  }

  /** Every node's agents converge again (a Node changed, a BGP speaker came or went). */
  requeueAll(): void {
    for (const name of this.cluster.nodes.keys()) this.requeue(name);
  }

  requeue(node: string): void {
    this.cluster.enqueue(this.controller.name, node);
  }

  // ---- inner workings ----

  private birdStopped(node: string, now: number, machineOff: boolean): void {
    this.calico.bird.set(node, { running: false, since: now, machineOff });
    // The peers drop the session now and withdraw its routes when graceful restart ends.
    this.cluster.timers.at(now + GRACEFUL_RESTART_MS, `cni/bgp-graceful-restart/${node}`, requeueAgents, this);
    this.requeueAll();
  }

  /**
   * The bridge labs' setup: the conflist with the node's pod CIDR, written once (a learner may
   * remove it), and at every boot the masquerade rule for pod traffic leaving the pod network
   * (the bridge's own ipMasq would also masquerade pods talking to other nodes' pods).
   */
  private provisionBridge(name: string, agent: NodeAgent, host: NetStack): void {
    const node = this.cluster.store.find<Node>("Node", undefined, name);
    if (!node?.spec?.podCIDR) return;
    if (!this.provisioned.has(name)) {
      this.provisioned.add(name);
      agent.host.fs.writeFile(BRIDGE_CONFLIST, bridgeConflist(node.spec.podCIDR), { parents: true, mode: 0o644 });
    }
    if (this.masqueradedBoot.get(name) === agent.machine.bootID) return;
    this.masqueradedBoot.set(name, agent.machine.bootID);
    const pods = this.cluster.scenario.network.podCidr;
    appendUnique(host, "nat", "POSTROUTING", ["-s", pods, "!", "-d", pods, "-m", "comment", "--comment", "pod network masquerade", "-j", "MASQUERADE"]);
  }

  private detach(uid: string, a: Attachment): void {
    this.attachments.delete(uid);
    this.runDel(a, this.envFor(a.node, this.cluster.network.stack(a.stackId)));
  }

  private runDel(a: Attachment, env: PluginEnv): void {
    const inv: Invocation = { command: "DEL", containerId: a.containerId, netns: a.netns, ifName: "eth0", args: a.args, path: CNI_PATH };
    const failed = delNetworkList(a.list, inv, env, a.capabilityArgs) ?? delNetworkList(LOOPBACK_NETWORK, { ...inv, ifName: "lo" }, env);
    if (failed) this.containerdLog(a.node, "error", `Failed to destroy network for sandbox \\"${a.containerId}\\"`, failed.error.replace(/"/g, '\\"'));
    else this.containerdLog(a.node, "info", `TearDown network for sandbox \\"${a.containerId}\\" successfully`);
  }

  private envFor(node: string, netns: NetStack | undefined): PluginEnv {
    const host = this.cluster.nodes.get(node)!;
    return { node, nodeIP: host.ip, host: this.cluster.network.host(node)!, netns, network: this.cluster.network, fs: host.fs, cni: this };
  }

  /** What containerd hands plugins that ask for it: the pod's host ports. */
  private capabilityArgs(pod: Stored<Pod>): Record<string, unknown> {
    const portMappings = pod.spec.containers.flatMap((c) => (c.ports ?? []).filter((p) => p.hostPort).map((p) => ({ hostPort: p.hostPort, containerPort: p.containerPort, protocol: (p.protocol ?? "TCP").toLowerCase(), hostIP: p.hostIP ?? "" })));
    return portMappings.length > 0 ? { portMappings } : {};
  }

  /**
   * The network containerd has loaded on `node` (the kubelet asks for it with every status, every
   * 10 s per node): loaded again only after the node's files changed.
   */
  private network(node: string, fs: FileSystem): ReturnType<typeof loadNetwork> {
    const cached = this.loaded.get(node);
    if (cached?.version === fs.version) return cached.network;
    const network = freezeDeep(loadNetwork(fs));
    this.loaded.set(node, { version: fs.version, network });
    return network;
  }

  private fs(node: string): FileSystem | undefined {
    return this.cluster.nodes.get(node)?.fs;
  }

  private containerdLog(node: string, level: "info" | "error", msg: string, error?: string): void {
    const agent = this.agents.node(node);
    if (!agent) return;
    const now = this.cluster.clock.now();
    const text = `time="${runtimeTime(now)}" level=${level} msg="${msg}"${error === undefined ? "" : ` error="${error}"`}`;
    agent.journal.add("containerd", "containerd", agent.pids.get("containerd") ?? 0, text, now);
  }
}

const baseName = (path: string) => path.replace(/^.*\//, "");

function runningContainer(agent: NodeAgent, which: (c: ContainerInfo) => boolean): ContainerInfo | undefined {
  for (const c of agent.runtime.containers.values()) if (c.state === "CONTAINER_RUNNING" && which(c)) return c;
  return undefined;
}

/** `&PodSandboxMetadata{Name:web,Uid:…,Namespace:default,Attempt:0,}` as containerd logs it. */
function podMeta(pod: Stored<Pod>): string {
  return `&PodSandboxMetadata{Name:${pod.metadata.name},Uid:${pod.metadata.uid},Namespace:${pod.metadata.namespace ?? "default"},Attempt:0,}`;
}

/** The pod's address from the network's result: the first IPv4 one. */
function firstAddress(result: CniResult): string | undefined {
  for (const ip of result.ips ?? []) {
    const addr = ip.address.split("/")[0];
    if (parseIP(addr) !== undefined) return addr;
  }
  return undefined;
}

/** Nodes whose agents are affected by a Node event: all of them (every node routes to every other). */
class NodeWatch implements ControllerWatch {
  readonly kind = "Node";
  constructor(private readonly cluster: Cluster) {}

  keys(): readonly string[] {
    return [...this.cluster.nodes.keys()];
  }
}

/** The node of a pod that is (or was) a CNI agent: flanneld or calico-node starting or stopping there. */
class AgentPodWatch implements ControllerWatch {
  readonly kind = "Pod";

  keys(event: WatchEvent): readonly string[] {
    const keys: string[] = [];
    for (const obj of [event.object, event.old] as (Stored<Pod> | undefined)[]) {
      const node = obj?.spec?.nodeName;
      if (node && obj.spec.hostNetwork && obj.spec.containers.some((c) => CALICO_NODE_IMAGE.test(c.image ?? "") || /flannel:v/.test(c.image ?? ""))) keys.push(node);
    }
    return keys;
  }
}

/** The controller that runs the CNI node agents' work when Nodes or agent pods change. */
class CniAgents implements Controller {
  readonly name = "cni-agents";
  readonly watches: readonly ControllerWatch[];

  constructor(
    private readonly networking: ContainerNetworking,
    cluster: Cluster,
  ) {
    this.watches = [new NodeWatch(cluster), new AgentPodWatch()];
  }

  reconcile(key: string): void {
    this.networking.syncNode(key);
  }
}
