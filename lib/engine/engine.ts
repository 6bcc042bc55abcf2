import { addonManifests } from "./addons";
import { Cluster } from "./cluster/cluster";
import { ClusterClock } from "./cluster/clock";
import { sshCommand } from "./cluster/commands/ssh";
import { createFromManifests } from "./cluster/manifests";
import type { NodeHost } from "./cluster/node-host";
import type { Controller } from "./cluster/controller";
import { clusterCACertificate, controlPlaneControllers } from "./controllers";
import { kubectlCommand, kubectlVerbs } from "./kubectl";
import { nodeCommands, startNodeAgents, type Component, type NodeAgents } from "./node";
import { loadScenario, type ScenarioInput, type ScenarioSpec } from "./scenarios";
import { createCoreRegistry, installCommands, ShellSession, type CommandRegistry, type Completion, type InputResult, type LocationInit, type RunResult } from "./shell";

export interface CreateClusterOptions {
  /** A built-in scenario name (`single-node`, `three-node-flannel`, `three-node-calico`) or YAML text. */
  scenario?: string;
  /** A scenario as data, e.g. a lesson's parsed scenario.yaml (may name a built-in `base`). */
  spec?: Partial<ScenarioInput> & { base?: string };
  /** Every random choice (names, IPs, uids) derives from it. Default 1. */
  seed?: number;
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

/**
 * Builds a cluster from a scenario and a seed, with its system components running as they
 * would a few minutes after `kubeadm init` and the joins.
 */
export function createCluster(options: CreateClusterOptions = {}): ClusterHandle {
  const scenario = loadScenario(options.spec ?? options.scenario ?? "single-node");
  const seed = options.seed ?? 1;
  const cluster = new Cluster(scenario, seed);
  // One cluster CA: the kubeadm files on the nodes and every namespace's kube-root-ca.crt agree.
  const caCert = clusterCACertificate(cluster.rng.fork(), Date.parse(scenario.createdAt));
  const agents = startNodeAgents(cluster, { caCert });
  for (const controller of controlPlaneControllers({ caCert })) cluster.register(gate(controller, agents));
  agents.onComponentChange((component, running) => {
    if (!running) return;
    for (const name of cluster.controllerNames()) if (componentOf(name) === component) cluster.resync(name);
  });
  cluster.advance(30_000);
  createFromManifests(cluster.store, addonManifests(scenario));
  cluster.advance(ADDONS_AGE_MS - MANIFESTS_AGE_MS);
  if (scenario.manifests.trim()) createFromManifests(cluster.store, scenario.manifests);
  cluster.advance(MANIFESTS_AGE_MS);

  const shellClock = new ClusterClock(cluster);
  const kubectl = kubectlCommand({ cluster, runtime: agents.runtime, verbs: kubectlVerbs });
  const registries = new Map<string, CommandRegistry>();

  const login = (node: NodeHost): LocationInit => ({
    host: { name: node.name, user: "root", uid: 0, gid: 0, home: "/root", addresses: () => [node.ip] },
    fs: node.fs,
    commands: registries.get(node.name)!,
    ps1: "\\h:\\w$ ",
  });
  const ssh = sshCommand({
    lookup: (target) => cluster.nodes.get(target) ?? [...cluster.nodes.values()].find((n) => n.ip === target),
    login,
  });
  for (const node of cluster.nodes.values()) {
    const commands = createCoreRegistry().register(ssh).register(kubectl);
    for (const command of nodeCommands(agents, node.name)) commands.register(command);
    installCommands(node.fs, commands);
    registries.set(node.name, commands);
  }
  const controlPlane = [...cluster.nodes.values()].find((n) => n.role === "control-plane")!;
  return {
    scenario,
    seed,
    internals: cluster,
    shell(): Shell {
      const session = new ShellSession({ clock: shellClock, location: login(controlPlane) });
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
function gate(controller: Controller, agents: NodeAgents): Controller {
  const component = componentOf(controller.name);
  return { ...controller, reconcile: (key, ctx) => (agents.componentRunning(component) ? controller.reconcile(key, ctx) : undefined) };
}
