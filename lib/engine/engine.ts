import { addonManifests } from "./addons";
import { BootCache } from "./cluster/boot-cache";
import { Cluster } from "./cluster/cluster";
import { ClusterClock } from "./cluster/clock";
import { sshCommand } from "./cluster/commands/ssh";
import { createFromManifests } from "./cluster/manifests";
import { applyScenarioSetup } from "./cluster/setup";
import type { Controller, ControllerContext } from "./cluster/controller";
import { controlPlaneControllers } from "./controllers";
import { clusterCA } from "./pki";
import { kubectlCommand, kubectlVerbs } from "./kubectl";
import { nodeCommands, startNodeAgents, type Component, type ComponentListener, type NodeAgents } from "./node";
import { loadScenario, type ScenarioInput, type ScenarioSpec } from "./scenarios";
import { createCoreRegistry, FileSystem, installCommands, ShellSession, type CommandRegistry, type Completion, type HostInfo, type InputResult, type Location, type LocationInit, type RunResult } from "./shell";
import { ClusterDns, HOST_NETNS_INODE, NETWORK_COMMANDS, startIngressNginx, startKubeProxies, type ClusterNetwork } from "./net";
import { CLIENT, clientMachine, LoadBalancerAnnouncer } from "./net/machines";
import { installNfsServer, nfsServer, NFS_SERVER, STORAGE_CLIENT_COMMANDS, STORAGE_SERVER_COMMANDS } from "./storage";
import { Rng } from "./util/rng";
import { startMesh } from "./mesh";
import { copyGraph, copyGraphCounting } from "./util/graph-copy";
import { Interruption } from "./util/interrupt";

export interface CreateClusterOptions {
  /** A built-in scenario name (`single-node`, `three-node-flannel`, `three-node-calico`) or YAML text. */
  scenario?: string;
  /** A scenario as data, e.g. a lesson's parsed scenario.yaml (may name a built-in `base`). */
  spec?: Partial<ScenarioInput> & { base?: string };
  /** Every random choice (names, IPs, uids) derives from it. Default 1. */
  seed?: number;
  /**
   * The host's time limit, as a question: the engine asks it at safe points (each timer the
   * cluster fires, every 256 reconciles, every 1,024 shell steps) and, once it answers true,
   * throws `InterruptedError`, which unwinds the whole run (`shell.run` rejects with it). The
   * engine never reads time itself.
   */
  interrupt?: () => boolean;
  /** Boot this cluster from scratch instead of forking the process's boot of the scenario and seed. */
  fresh?: boolean;
}

/**
 * A login shell on the cluster: run lines, complete them, show the prompt. A line that starts a
 * full-screen program (vi, nano, watch, kubectl edit) answers with `program` set; its keys then
 * go to `input` until an answer carries the line's `result`.
 */
export interface Shell {
  run(line: string, options?: { elapsedMs?: number }): Promise<RunResult>;
  /** Keys for the running full-screen program (`""` only lets `elapsedMs` pass: a tick). */
  input(data: string, options?: { elapsedMs?: number }): Promise<InputResult>;
  /** The terminal's size: `ls` columns, and the screen programs draw on (a running one redraws). */
  resize(screen: { rows: number; columns: number }): Promise<InputResult>;
  complete(line: string, cursor: number): Completion;
  prompt(): string;
}

export interface ClusterHandle {
  readonly scenario: ScenarioSpec;
  readonly seed: number;
  /** A new root shell on the control-plane node (`controlplane:~$ `). */
  shell(): Shell;
  /** The engine's internals, for graders, the diagram and tests. */
  readonly internals: Cluster;
}

/** How long before the learner arrives the add-ons were installed, and the scenario's manifests applied. */
const ADDONS_AGE_MS = 8 * 60_000;
const MANIFESTS_AGE_MS = 2 * 60_000;

/** Booted templates kept per process: a lesson page, the playground and a grader use a few pairs. */
const BOOT_TEMPLATES = 4;

/** A booted cluster's state: everything a fork copies (shells and commands are wired per fork). */
interface Booted {
  cluster: Cluster;
  agents: NodeAgents;
}

const boots = new BootCache<Booted>(BOOT_TEMPLATES);

// Wiring kept beside the handles and shells given out, for forkCluster (it is not state: a
// fork gets its own).
const wirings = new WeakMap<ClusterHandle, { booted: Booted; byNode: Map<string, CommandRegistry> }>();
const sessions = new WeakMap<Shell, { session: ShellSession; cluster: ClusterHandle }>();
/** The machine each root login's host stands for (hosts login() made; others are not moved by a fork). */
const loginNodes = new WeakMap<HostInfo, string>();

/**
 * Builds a cluster from a scenario and a seed, with its system components running as they
 * would a few minutes after `kubeadm init` and the joins. Booting is deterministic, so the
 * process boots each scenario and seed once and hands every caller a fork of that boot: an
 * independent copy of its state (see CONTEXT.md, "State is data") that behaves byte for byte
 * as a cluster booted for it alone would.
 */
export function createCluster(options: CreateClusterOptions = {}): ClusterHandle {
  const scenario = loadScenario(options.spec ?? options.scenario ?? "single-node");
  const seed = options.seed ?? 1;
  // A template's file systems are sealed as it is first copied, so every fork shares their trees.
  const booted = options.fresh ? boot(scenario, seed) : copyGraph(boots.get(`${seed}\u0000${JSON.stringify(scenario)}`, () => boot(scenario, seed)), sealFileSystem);
  booted.cluster.interruption = options.interrupt ? new Interruption(options.interrupt) : undefined;
  return handle(booted, scenario, seed);
}

/** A forked cluster and the copy of the shell it was forked with. */
export interface ClusterFork {
  cluster: ClusterHandle;
  shell: Shell;
  /** How many objects the fork copied (the rest it shares, frozen): a measure of its memory. */
  objects: number;
}

/**
 * Forks a live cluster together with one of its shells, between inputs: the copy goes on as the
 * original would have from here, byte for byte, and shares nothing mutable with it (the same
 * copy createCluster makes of a boot; see CONTEXT.md, "State is data"). A grader keeps forks of
 * replayed sessions and replays only what a learner typed since. `interrupt` is the copy's own
 * time limit, as in createCluster.
 *
 * Null when the shell cannot be copied: a full-screen program is running, or a location on its
 * stack is not a root login on a machine (`ssh` and child shells there are; `kubectl exec -it`,
 * `nsenter` and the like are not, since their wiring is made by the command that pushed them).
 *
 * @example
 * const cluster = createCluster({ scenario: "single-node" });
 * const sh = cluster.shell();
 * await sh.run("kubectl create deployment web --image=nginx");
 * const fork = forkCluster(cluster, sh);
 * await fork?.shell.run("kubectl get deploy"); // web, as on the original; neither sees the other's changes
 */
export function forkCluster(cluster: ClusterHandle, shell: Shell, options: Pick<CreateClusterOptions, "interrupt"> = {}): ClusterFork | null {
  const from = wirings.get(cluster);
  const session = sessions.get(shell);
  if (!from || !session || session.cluster !== cluster) throw new Error("forkCluster takes a cluster made by createCluster and a shell of that cluster");
  if (session.session.programRunning) return null;
  const nodeOf = new Map<Location, string>();
  for (const location of session.session.locations) {
    const name = loginNodes.get(location.host);
    const node = name === undefined ? undefined : loginHost(from.booted.cluster, name);
    if (!node || location.fs !== node.fs || location.commands !== from.byNode.get(node.name)) return null;
    nodeOf.set(location, node.name);
  }
  const { copy: booted, objects } = copyGraphCounting(from.booted);
  booted.cluster.interruption = options.interrupt ? new Interruption(options.interrupt) : undefined;
  const copy = handle(booted, cluster.scenario, cluster.seed);
  const { byNode } = wirings.get(copy)!;
  const relocated = session.session.copy({ clock: new ClusterClock(booted.cluster), interruption: booted.cluster.interruption }, (location) => {
    const { host, fs, commands } = login(loginHost(booted.cluster, nodeOf.get(location)!)!, byNode, booted.cluster.network);
    return { host, fs, commands };
  });
  return { cluster: copy, shell: shellOf(relocated, copy), objects };
}

/** The templates the process holds, least recently used first (for tests). */
export function bootTemplateKeys(): string[] {
  return boots.keys();
}

/** Freezes a file system's tree as it stands, to be shared from now on (copy on write). */
function sealFileSystem(instance: object): void {
  if (instance instanceof FileSystem) instance.seal();
}

function boot(scenario: ScenarioSpec, seed: number): Booted {
  const cluster = new Cluster(scenario, seed);
  // One cluster CA: the kubeadm files on the nodes and every namespace's kube-root-ca.crt agree.
  const ca = clusterCA(cluster.rng.fork(), scenario);
  const agents = startNodeAgents(cluster, { ca });
  // Each node's kube-proxy proxies once its DaemonSet pod runs there.
  startKubeProxies(cluster);
  // ingress-nginx: the configuration its pods' nginx serves from, and the Ingress status it publishes.
  startIngressNginx(cluster);
  // CoreDNS's answers (from the API objects and the coredns ConfigMap) for queries that reach its pods.
  cluster.network.dns = new ClusterDns(cluster.store, cluster.clock, agents);
  // istiod's root publisher, and the handle istioctl installs the mesh through.
  startMesh(cluster);
  // LoadBalancer addresses are announced on the node network (MetalLB's layer 2 election).
  cluster.register(new LoadBalancerAnnouncer(cluster.network));
  // Containers get the network tools their image ships (busybox's ip and ping, curl's curl…).
  agents.addContainerCommands(NETWORK_COMMANDS);
  agents.addContainerCommands(STORAGE_CLIENT_COMMANDS);
  agents.addContainerCommands(STORAGE_SERVER_COMMANDS);
  for (const controller of controlPlaneControllers({ caCert: ca.certificate })) cluster.register(new GatedController(controller, agents));
  // The NFS server beside the cluster and its provisioner (the nfs-server add-on), with a stream of its own.
  if (scenario.addons.includes("nfs-server")) installNfsServer(cluster, new Rng(seed + 0x6e6673));
  agents.onComponentChange(new ComponentResync(cluster));
  cluster.advance(30_000);
  createFromManifests(cluster.store, addonManifests(scenario));
  cluster.advance(ADDONS_AGE_MS - MANIFESTS_AGE_MS);
  if (scenario.manifests.trim()) createFromManifests(cluster.store, scenario.manifests);
  // What broke before the learner arrived (a node's CNI configuration gone…), met by the manifests' pods.
  applyScenarioSetup(cluster, scenario.setup);
  cluster.advance(MANIFESTS_AGE_MS);
  const booted = { cluster, agents };
  // The commands' files (/usr/bin/kubectl, /usr/bin/crictl…) are part of each node's disk.
  for (const [name, commands] of registries(booted)) installCommands(loginHost(cluster, name)!.fs, commands);
  return booted;
}

/** Each node's commands: the core utilities, ssh, kubectl and the node's own tools. */
function registries({ cluster, agents }: Booted): Map<string, CommandRegistry> {
  const kubectl = kubectlCommand({ cluster, runtime: agents.runtime, verbs: kubectlVerbs });
  const byNode = new Map<string, CommandRegistry>();
  const client = loginHost(cluster, CLIENT);
  const nfs = loginHost(cluster, NFS_SERVER);
  const ssh = sshCommand<LoginHost>({
    lookup: (target) => loginHost(cluster, target) ?? [...cluster.nodes.values(), ...(client ? [client] : []), ...(nfs ? [nfs] : [])].find((n) => n.ip === target),
    login: (node) => login(node, byNode, cluster.network),
  });
  for (const node of cluster.nodes.values()) {
    const commands = createCoreRegistry().register(ssh).register(kubectl);
    for (const command of nodeCommands(agents, node.name)) commands.register(command);
    for (const command of NETWORK_COMMANDS) commands.register(command);
    for (const command of STORAGE_CLIENT_COMMANDS) commands.register(command);
    byNode.set(node.name, commands);
  }
  // The client host beside the cluster: an Ubuntu machine with the network tools and no kubectl.
  if (client) {
    const commands = createCoreRegistry().register(ssh);
    for (const command of NETWORK_COMMANDS) commands.register(command);
    byNode.set(client.name, commands);
  }
  // The NFS server: an Ubuntu machine with the network tools, nfs-common's and nfs-kernel-server's.
  if (nfs) {
    const commands = createCoreRegistry().register(ssh);
    for (const command of [...NETWORK_COMMANDS, ...STORAGE_CLIENT_COMMANDS, ...STORAGE_SERVER_COMMANDS]) commands.register(command);
    byNode.set(nfs.name, commands);
  }
  return byNode;
}

/** A machine one logs in to: a node, or the client host or the NFS server beside the cluster. */
type LoginHost = { readonly name: string; readonly ip: string; readonly powered: boolean; readonly fs: FileSystem };

function loginHost(cluster: Cluster, name: string): LoginHost | undefined {
  const node = cluster.nodes.get(name);
  if (node) return node;
  const client = name === CLIENT ? clientMachine(cluster.network) : name === NFS_SERVER ? nfsServer(cluster.network) : undefined;
  return client?.fs ? { name: client.name, ip: client.ip, get powered() { return client.powered; }, fs: client.fs } : undefined;
}

/** A root login on `node`. */
function login(node: LoginHost, registriesByNode: ReadonlyMap<string, CommandRegistry>, network: ClusterNetwork): LocationInit {
  const host: HostInfo = { name: node.name, user: "root", uid: 0, gid: 0, home: "/root", addresses: () => [node.ip], netns: { network, host: node.name, inode: HOST_NETNS_INODE } };
  loginNodes.set(host, node.name);
  return {
    host,
    fs: node.fs,
    commands: registriesByNode.get(node.name)!,
    ps1: "\\h:\\w$ ",
  };
}

/** The public face of a booted (or forked) cluster: shells wired to it. */
function handle(booted: Booted, scenario: ScenarioSpec, seed: number): ClusterHandle {
  const { cluster } = booted;
  const shellClock = new ClusterClock(cluster);
  const byNode = registries(booted);
  const controlPlane = [...cluster.nodes.values()].find((n) => n.role === "control-plane")!;
  const made: ClusterHandle = {
    scenario,
    seed,
    internals: cluster,
    shell(): Shell {
      return shellOf(new ShellSession({ clock: shellClock, location: login(controlPlane, byNode, cluster.network), interruption: cluster.interruption }), made);
    },
  };
  wirings.set(made, { booted, byNode });
  return made;
}

function shellOf(session: ShellSession, cluster: ClusterHandle): Shell {
  const shell: Shell = {
    run: (line, opts) => session.run(line, opts),
    input: (data, opts) => session.input(data, opts),
    resize: ({ rows, columns }) => session.resize(columns, rows),
    complete: (line, cursor) => session.complete(line, cursor),
    prompt: () => session.prompt(),
  };
  sessions.set(shell, { session, cluster });
  return shell;
}

/** The static pod a controller runs in: the scheduler in kube-scheduler, the rest in kube-controller-manager. */
function componentOf(controllerName: string): Component {
  return controllerName === "default-scheduler" ? "kube-scheduler" : "kube-controller-manager";
}

/**
 * A controller that only works while its control-plane component runs, so moving
 * kube-scheduler's manifest out of /etc/kubernetes/manifests really stops scheduling.
 */
class GatedController implements Controller {
  readonly name: string;
  readonly watches: Controller["watches"];
  private readonly component: Component;

  constructor(
    private readonly inner: Controller,
    private readonly agents: NodeAgents,
  ) {
    this.name = inner.name;
    this.watches = inner.watches;
    this.component = componentOf(inner.name);
  }

  reconcile(key: string, ctx: ControllerContext): void {
    if (this.agents.componentRunning(this.component)) this.inner.reconcile(key, ctx);
  }
}

/** A component that starts again relists: its controllers requeue everything they watch. */
class ComponentResync implements ComponentListener {
  constructor(private readonly cluster: Cluster) {}

  componentChanged(component: Component, running: boolean): void {
    if (!running) return;
    for (const name of this.cluster.controllerNames()) if (componentOf(name) === component) this.cluster.resync(name);
  }
}
