/**
 * One node's agents and their life cycle: the machine (power, boots), systemd units
 * (`containerd`, `kubelet`) with their processes and journal lines, the container runtime and
 * image store, and the kubelet with its heartbeat and static-pod housekeeping loops. Powering
 * off stops every process at once; a reboot brings the node back 30 s later with its disks
 * (images, manifests) intact and its runtime state gone.
 *
 * @example
 * agent.setUnit("kubelet", "inactive"); // leases stop, containers keep running
 * agent.reboot();                        // back after 30 s of virtual time
 */
import type { Cluster } from "../cluster/cluster";
import type { ObjectStore } from "../api";
import type { FsWatcher } from "../shell";
import type { NodeAgents } from "./agents";
import type { NodeHost } from "../cluster/node-host";
import { syncKubeletChains, type ClusterNetwork } from "../net";
import type { NodeSpec } from "../scenarios";
import type { Rng } from "../util/rng";
import type { ImageCatalog } from "./images/catalog";
import { Heartbeat, LEASE_RENEW_MS } from "./kubelet/heartbeat";
import { Journal } from "./kubelet/journal";
import { Kubelet } from "./kubelet/kubelet";
import { MANIFEST_DIR } from "./kubelet/static-pods";
import { CONTAINERD_REVISION, CONTAINERD_VERSION, DOCKER_VERSION, Machine } from "./machine";
import type { PodNetwork } from "./pod-network";
import { ContainerTools } from "./container/tools";
import { imageTools } from "./programs";
import { tcp, udp, type ProgramTools } from "./programs/kit";
import { ContainerRuntime, type ContainerInfo, type RuntimeOwner } from "./runtime/containerd";
import { ImageStore } from "./runtime/image-store";
import { ProcessTable, ROOT_NETNS } from "./runtime/processes";

/** How long a rebooting node is away. */
const REBOOT_MS = 30_000;
/**
 * `fileCheckFrequency`: how often the kubelet relists its manifest directory. Changes in
 * between reach it through inotify (see `fsChanged`), as they reach the real kubelet.
 */
const STATIC_RESYNC_MS = 20_000;

const KUBELET_ARGS = "/usr/bin/kubelet --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf --config=/var/lib/kubelet/config.yaml";

export interface AgentDeps {
  cluster: Cluster;
  host: NodeHost;
  spec: NodeSpec;
  rng: Rng;
  catalog: ImageCatalog;
  network: PodNetwork;
  caCert: string;
  clusterDNS: string;
  /** Every node's agents: dialing, and control-plane components starting or stopping. */
  agents: NodeAgents;
}

/** What a node's timers do (module-level: a timer is data, see ../cluster/timers.ts). */
type AgentTimer = "heartbeat" | "static-pods" | "manifests-changed" | "power-on";

function agentTimer(agent: NodeAgent, what: AgentTimer): void {
  agent.timerFired(what);
}

export class NodeAgent implements RuntimeOwner, FsWatcher {
  readonly name: string;
  readonly host: NodeHost;
  readonly machine: Machine;
  readonly journal: Journal;
  readonly images: ImageStore;
  readonly runtime: ContainerRuntime;
  readonly kubelet: Kubelet;
  readonly runtimeVersion: string;
  processes: ProcessTable;
  /** PIDs of the unit daemons in the current boot. */
  readonly pids = new Map<string, number>();
  /** When each unit last became active or inactive. */
  readonly unitSince = new Map<string, number>();
  /** When each unit's current (or last) process started. */
  readonly unitStarted = new Map<string, number>();
  private readonly heartbeat: Heartbeat;

  /** The cluster's network: this machine's namespaces live in it. */
  get network(): ClusterNetwork {
    return this.deps.cluster.network;
  }

  /** The cluster's API objects (what a program that reads policies, such as a mesh proxy, is served). */
  get store(): ObjectStore {
    return this.deps.cluster.store;
  }

  constructor(private readonly deps: AgentDeps) {
    const { cluster, host, spec, rng } = deps;
    const now = cluster.clock.now();
    this.name = host.name;
    this.host = host;
    this.machine = new Machine(host.name, rng, now - 9 * 60_000 - rng.int(60_000));
    this.journal = new Journal(cluster.clock);
    this.journal.boot = this.machine.bootID;
    this.processes = new ProcessTable(700, host.fs);
    this.images = new ImageStore(deps.catalog);
    this.runtimeVersion = cluster.scenario.runtime === "docker" ? `docker://${DOCKER_VERSION}` : `containerd://${CONTAINERD_VERSION}`;
    this.runtime = new ContainerRuntime({ node: host.name, clock: cluster.clock, timers: cluster.timers, rng, fs: host.fs, owner: this });
    this.kubelet = new Kubelet({
      cluster, host, runtime: this.runtime, images: this.images, catalog: deps.catalog, network: deps.network, journal: this.journal,
      rng, caCert: deps.caCert, clusterDNS: deps.clusterDNS, agent: this, agents: deps.agents,
    });
    this.heartbeat = new Heartbeat({
      store: cluster.store, clock: cluster.clock, host, spec, scenario: cluster.scenario, machine: this.machine, images: this.images,
      runtimeVersion: this.runtimeVersion, journal: this.journal, agent: this, network: deps.network,
    });
    for (const image of deps.catalog.images) {
      if (image.preload === "all" || (image.preload === "control-plane" && spec.role === "control-plane")) this.images.preload(image, this.machine.bootTime);
    }
    cluster.register(this.kubelet);
    host.fs.watch(MANIFEST_DIR, this);
    this.boot(this.machine.bootTime);
  }

  /**
   * inotify on the manifest directory: a file there was added, changed or moved. The kubelet
   * rereads the directory as soon as virtual time moves on.
   */
  fsChanged(): void {
    if (!this.host.kubeletRunning) return;
    const { cluster } = this.deps;
    cluster.timers.at(cluster.clock.now(), this.timerKey("manifests-changed"), agentTimer, this, "manifests-changed");
  }

  /** The kubelet's PID in this boot (klog lines carry it); 0 while it has none. */
  kubeletPid(): number {
    return this.pids.get("kubelet") ?? 0;
  }

  /** The runtime saw a pod's containers change state: the kubelet and the control plane hear of it. */
  containersChanged(podUid: string): void {
    this.kubelet.notify(podUid);
    this.deps.agents.checkComponents();
  }

  /** The client tools a container's PID 1 runs, from its sandbox's network namespace (the node's for hostNetwork). */
  programTools(c: ContainerInfo): ProgramTools | undefined {
    const sandbox = this.runtime.sandboxes.get(c.sandboxId);
    if (!sandbox) return undefined;
    const uid = c.image.user ?? 0;
    return new ContainerTools({
      commands: this.deps.agents.containerCommands(), tools: imageTools(c.image), fs: c.fs, env: c.env,
      host: { name: sandbox.name, user: uid === 0 ? "root" : String(uid), uid, gid: uid, home: "/", netns: { network: this.network, host: this.name, inode: sandbox.netns.inode } },
    });
  }

  /** One of this node's timers is due. */
  timerFired(what: AgentTimer): void {
    if (what === "heartbeat") this.heartbeatLoop();
    else if (what === "static-pods") this.staticLoop();
    else if (what === "manifests-changed") this.kubelet.pollStaticPods();
    else this.powerOn();
  }

  /** `systemctl start|stop UNIT`. */
  setUnit(unit: "kubelet" | "containerd", state: "active" | "inactive"): void {
    if (this.host.unit(unit) === state || !this.host.powered) return;
    if (state === "active") this.startUnit(unit);
    else this.stopUnit(unit);
  }

  /** `systemctl restart UNIT`. */
  restartUnit(unit: "kubelet" | "containerd"): void {
    if (this.host.unit(unit) === "active") this.stopUnit(unit);
    this.startUnit(unit);
  }

  /** `poweroff`: every process ends now. */
  powerOff(): void {
    if (!this.host.powered) return;
    this.journal.add("systemd", "systemd", 1, "Reached target System Power Off.");
    this.host.powered = false;
    this.runtime.clear();
    this.images.cancelPulls();
    this.kubelet.powerLost();
    this.deps.network.powerLost(this.name);
    this.deps.cluster.timers.cancel(this.timerKey("heartbeat"));
    this.deps.cluster.timers.cancel(this.timerKey("static-pods"));
    this.deps.cluster.timers.cancel(this.timerKey("manifests-changed"));
    this.deps.agents.checkComponents();
  }

  /** `reboot`: off now, back after {@link REBOOT_MS}. */
  reboot(): void {
    this.powerOff();
    const { cluster } = this.deps;
    cluster.timers.at(cluster.clock.now() + REBOOT_MS, this.timerKey("power"), agentTimer, this, "power-on");
  }

  /** Power on: a new boot with its units enabled. */
  powerOn(): void {
    if (this.host.powered) return;
    const now = this.deps.cluster.clock.now();
    this.machine.reboot(now);
    this.journal.boot = this.machine.bootID;
    this.processes = new ProcessTable(700, this.host.fs);
    this.host.powered = true;
    this.boot(now);
  }

  private timerKey(what: string): string {
    return `node/${this.name}/${what}`;
  }

  private boot(at: number): void {
    this.machine.bootProcesses(this.processes);
    this.runtime.bindHost(tcp(22), 622);
    // systemd-resolved's stub listener, the nameserver of the node's /etc/resolv.conf.
    this.runtime.bindHost({ ...udp(53, "127.0.0.53"), device: "lo" }, 514);
    this.runtime.bindHost({ ...tcp(53, "127.0.0.53"), device: "lo" }, 514);
    this.host.setUnit("containerd", "inactive");
    this.host.setUnit("kubelet", "inactive");
    this.startUnit("containerd", at + 6_000);
    this.startUnit("kubelet", at + 8_000);
  }

  private startUnit(unit: "kubelet" | "containerd", at = this.deps.cluster.clock.now()): void {
    const { cluster } = this.deps;
    const proc = this.processes.spawn(
      unit === "containerd"
        ? { ppid: 1, uid: 0, args: "/usr/bin/containerd", netns: ROOT_NETNS, start: at, vsz: 1_913_000, rss: 52_000, stat: "Ssl", cpu: 0.8 }
        : { ppid: 1, uid: 0, args: `${KUBELET_ARGS} --container-runtime-endpoint=unix:///var/run/containerd/containerd.sock --pod-infra-container-image=registry.k8s.io/pause:3.10`, netns: ROOT_NETNS, start: at, vsz: 2_120_000, rss: 98_000, stat: "Ssl", cpu: 1.4 },
      this.deps.rng.int(40),
    );
    this.pids.set(unit, proc.pid);
    this.unitSince.set(unit, at);
    this.unitStarted.set(unit, at);
    this.host.setUnit(unit, "active");
    const j = this.journal;
    if (unit === "containerd") {
      j.add("containerd", "systemd", 1, "Starting containerd container runtime...", at);
      j.add("containerd", "containerd", proc.pid, `time="${new Date(at).toISOString().replace("Z", "000000Z")}" level=info msg="starting containerd" revision=${CONTAINERD_REVISION} version=${CONTAINERD_VERSION}`, at);
      j.add("containerd", "containerd", proc.pid, `time="${new Date(at + 52).toISOString().replace("Z", "000000Z")}" level=info msg="containerd successfully booted in 0.052147s"`, at + 52);
      j.add("containerd", "systemd", 1, "Started containerd container runtime.", at + 52);
    } else {
      this.runtime.bindHost(tcp(10250, "::"), proc.pid);
      this.runtime.bindHost(tcp(10248, "127.0.0.1"), proc.pid);
      j.add("kubelet", "systemd", 1, "Started kubelet: The Kubernetes Node Agent.", at);
      j.add("kubelet", "kubelet", proc.pid, "Flag --pod-infra-container-image has been deprecated, will be removed in 1.35. Image garbage collector will get sandbox image information from CRI.", at + 40);
      j.klog(proc.pid, "I", "server.go:484", `"Kubelet version" kubeletVersion="${cluster.scenario.kubernetesVersion}"`, at + 41);
      j.klog(proc.pid, "I", "server.go:486", '"Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""', at + 41);
      j.klog(proc.pid, "I", "server.go:954", '"Client rotation is on, will bootstrap in background"', at + 45);
      j.klog(proc.pid, "I", "kubelet.go:2388", '"Starting kubelet main sync loop"', at + 310);
    }
    // A kubelet that starts, or a runtime it can reach again, means a full resync.
    if (this.host.kubeletRunning) this.kubeletStarted();
  }

  private stopUnit(unit: "kubelet" | "containerd"): void {
    const pid = this.pids.get(unit);
    const label = unit === "kubelet" ? "kubelet: The Kubernetes Node Agent" : "containerd container runtime";
    this.journal.add(unit, "systemd", 1, `Stopping ${label}...`);
    if (pid !== undefined) {
      this.processes.kill(pid);
      this.runtime.unbindPid(pid);
    }
    this.host.setUnit(unit, "inactive");
    this.unitSince.set(unit, this.deps.cluster.clock.now());
    this.journal.add(unit, "systemd", 1, `${unit}.service: Deactivated successfully.`);
    this.journal.add(unit, "systemd", 1, `Stopped ${label}.`);
    if (unit === "kubelet") {
      this.deps.cluster.timers.cancel(this.timerKey("heartbeat"));
      this.deps.cluster.timers.cancel(this.timerKey("static-pods"));
      this.deps.cluster.timers.cancel(this.timerKey("manifests-changed"));
    }
  }

  /** The kubelet runs (again): heartbeats, the manifest loop and a full resync. */
  private kubeletStarted(): void {
    if (!this.host.kubeletRunning) return;
    // The kubelet's own iptables chains (KUBE-FIREWALL, its canaries), there before kube-proxy runs.
    const stack = this.network.host(this.name);
    if (stack) syncKubeletChains(stack);
    this.heartbeatLoop();
    this.staticLoop();
    this.kubelet.resyncAll();
  }

  private heartbeatLoop(): void {
    if (!this.host.kubeletRunning) return;
    this.heartbeat.beat();
    const { cluster } = this.deps;
    cluster.timers.at(cluster.clock.now() + LEASE_RENEW_MS, this.timerKey("heartbeat"), agentTimer, this, "heartbeat");
  }

  private staticLoop(): void {
    if (!this.host.kubeletRunning) return;
    this.kubelet.pollStaticPods();
    const { cluster } = this.deps;
    cluster.timers.at(cluster.clock.now() + STATIC_RESYNC_MS, this.timerKey("static-pods"), agentTimer, this, "static-pods");
  }

}
