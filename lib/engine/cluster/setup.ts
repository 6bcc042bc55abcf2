import { ScenarioError, type ScenarioSpec } from "../scenarios";
import { FsError } from "../shell";
import type { Cluster } from "./cluster";

/**
 * A scenario's `setup`: what broke before the learner arrived, done to the booted cluster's
 * disks (boot calls it right after the scenario's manifests, so their pods meet the breakage).
 * A path that is not a file on that node at this point is the scenario's mistake, said as such.
 *
 * @example
 * applyScenarioSetup(cluster, [{ node: "node02", remove: ["/etc/cni/net.d/10-calico.conflist"] }]);
 */
export function applyScenarioSetup(cluster: Cluster, setup: ScenarioSpec["setup"]): void {
  for (const [i, step] of setup.entries()) {
    const fs = cluster.nodes.get(step.node)!.fs;
    for (const [j, path] of step.remove.entries()) {
      try {
        fs.unlink(path);
      } catch (err) {
        if (!(err instanceof FsError)) throw err;
        throw new ScenarioError(`${cluster.scenario.name}: setup.${i}.remove.${j}: cannot remove ${path} on ${step.node}: ${err.reason}`);
      }
    }
  }
}
