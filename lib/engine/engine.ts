import { Cluster } from "./cluster/cluster";
import { ClusterClock } from "./cluster/clock";
import { sshCommand } from "./cluster/commands/ssh";
import type { NodeHost } from "./cluster/node-host";
import { loadScenario, type ScenarioInput, type ScenarioSpec } from "./scenarios";
import { createCoreRegistry, installCommands, ShellSession, type CommandRegistry, type Completion, type LocationInit, type RunResult } from "./shell";

export interface CreateClusterOptions {
  /** A built-in scenario name (`single-node`, `three-node-flannel`, `three-node-calico`) or YAML text. */
  scenario?: string;
  /** A scenario as data, e.g. a lesson's parsed scenario.yaml (may name a built-in `base`). */
  spec?: Partial<ScenarioInput> & { base?: string };
  /** Every random choice (names, IPs, uids) derives from it. Default 1. */
  seed?: number;
}

/** A login shell on the cluster: run lines, complete them, show the prompt. */
export interface Shell {
  run(line: string, options?: { elapsedMs?: number }): Promise<RunResult>;
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

/**
 * Builds a cluster from a scenario and a seed, with its system components running as they
 * would a few minutes after `kubeadm init` and the joins.
 */
export function createCluster(options: CreateClusterOptions = {}): ClusterHandle {
  const scenario = loadScenario(options.spec ?? options.scenario ?? "single-node");
  const seed = options.seed ?? 1;
  const cluster = new Cluster(scenario, seed);
  const shellClock = new ClusterClock(cluster);
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
    const commands = createCoreRegistry().register(ssh);
    installCommands(node.fs, commands);
    registries.set(node.name, commands);
  }
  cluster.settle();

  const controlPlane = [...cluster.nodes.values()].find((n) => n.role === "control-plane")!;
  return {
    scenario,
    seed,
    internals: cluster,
    shell(): Shell {
      const session = new ShellSession({ clock: shellClock, location: login(controlPlane) });
      return {
        run: (line, opts) => session.run(line, opts),
        complete: (line, cursor) => session.complete(line, cursor),
        prompt: () => session.prompt(),
      };
    },
  };
}
