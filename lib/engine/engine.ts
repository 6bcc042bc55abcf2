import { addonManifests } from "./addons";
import { BootCache } from "./cluster/boot-cache";
import { Cluster } from "./cluster/cluster";
import { ClusterClock } from "./cluster/clock";
import { sshCommand } from "./cluster/commands/ssh";
import { createFromManifests } from "./cluster/manifests";
import type { NodeHost } from "./cluster/node-host";
import type { Controller, ControllerContext } from "./cluster/controller";
import { clusterCACertificate, controlPlaneControllers } from "./controllers";
import { kubectlCommand, kubectlVerbs } from "./kubectl";
import { nodeCommands, startNodeAgents, type Component, type ComponentListener, type NodeAgents } from "./node";
import { loadScenario, type ScenarioInput, type ScenarioSpec } from "./scenarios";
import { createCoreRegistry, FileSystem, installCommands, ShellSession, type CommandRegistry, type Completion, type InputResult, type LocationInit, type RunResult } from "./shell";
import { HOST_NETNS_INODE, NETWORK_COMMANDS, type ClusterNetwork } from "./net";
import { copyGraph, visitGraph } from "./util/graph-copy";
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
  const booted = options.fresh ? boot(scenario, seed) : copyGraph(boots.get(`${seed}\u0000${JSON.stringify(scenario)}`, () => template(scenario, seed)));
  booted.cluster.interruption = options.interrupt ? new Interruption(options.interrupt) : undefined;
  return handle(booted, scenario, seed);
}

/** The templates the process holds, least recently used first (for tests). */
export function bootTemplateKeys(): string[] {
  return boots.keys();
}

/** A boot to fork from: its file systems are sealed, so forks share their trees until they write. */
function template(scenario: ScenarioSpec, seed: number): Booted {
  const booted = boot(scenario, seed);
  visitGraph(booted, (value) => {
    if (value instanceof FileSystem) value.seal();
  });
  return booted;
}

function boot(scenario: ScenarioSpec, seed: number): Booted {
  const cluster = new Cluster(scenario, seed);
  // One cluster CA: the kubeadm files on the nodes and every namespace's kube-root-ca.crt agree.
  const caCert = clusterCACertificate(cluster.rng.fork(), Date.parse(scenario.createdAt));
  const agents = startNodeAgents(cluster, { caCert });
  // Containers get the network tools their image ships (busybox's ip and ping, curl's curl…).
  agents.addContainerCommands(NETWORK_COMMANDS);
  for (const controller of controlPlaneControllers({ caCert })) cluster.register(new GatedController(controller, agents));
  agents.onComponentChange(new ComponentResync(cluster));
  cluster.advance(30_000);
  createFromManifests(cluster.store, addonManifests(scenario));
  cluster.advance(ADDONS_AGE_MS - MANIFESTS_AGE_MS);
  if (scenario.manifests.trim()) createFromManifests(cluster.store, scenario.manifests);
  cluster.advance(MANIFESTS_AGE_MS);
  const booted = { cluster, agents };
  // The commands' files (/usr/bin/kubectl, /usr/bin/crictl…) are part of each node's disk.
  for (const [name, commands] of registries(booted)) installCommands(cluster.nodes.get(name)!.fs, commands);
  return booted;
}

/** Each node's commands: the core utilities, ssh, kubectl and the node's own tools. */
function registries({ cluster, agents }: Booted): Map<string, CommandRegistry> {
  const kubectl = kubectlCommand({ cluster, runtime: agents.runtime, verbs: kubectlVerbs });
  const byNode = new Map<string, CommandRegistry>();
  const ssh = sshCommand({
    lookup: (target) => cluster.nodes.get(target) ?? [...cluster.nodes.values()].find((n) => n.ip === target),
    login: (node) => login(node, byNode, cluster.network),
  });
  for (const node of cluster.nodes.values()) {
    const commands = createCoreRegistry().register(ssh).register(kubectl);
    for (const command of nodeCommands(agents, node.name)) commands.register(command);
    for (const command of NETWORK_COMMANDS) commands.register(command);
    byNode.set(node.name, commands);
  }
  return byNode;
}

/** A root login on `node`. */
function login(node: NodeHost, registriesByNode: ReadonlyMap<string, CommandRegistry>, network: ClusterNetwork): LocationInit {
  return {
    host: { name: node.name, user: "root", uid: 0, gid: 0, home: "/root", addresses: () => [node.ip], netns: { network, host: node.name, inode: HOST_NETNS_INODE } },
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
  return {
    scenario,
    seed,
    internals: cluster,
    shell(): Shell {
      const session = new ShellSession({ clock: shellClock, location: login(controlPlane, byNode, cluster.network), interruption: cluster.interruption });
      return {
        run: (line, opts) => session.run(line, opts),
        input: (data, opts) => session.input(data, opts),
        resize: ({ rows, columns }) => session.resize(columns, rows),
        complete: (line, cursor) => session.complete(line, cursor),
        prompt: () => session.prompt(),
      };
    },
  };
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
