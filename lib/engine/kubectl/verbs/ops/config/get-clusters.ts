/**
 * `kubectl config get-clusters`: the cluster names under a `NAME` header. (kubectl walks a Go
 * map, so its order varies from run to run; here it is sorted.)
 *
 * @example
 * kubectl config get-clusters   // NAME\nkubernetes
 */
import type { KubectlVerb } from "../../../types";
import { configRun } from "./shared";

/** `kubectl config get-clusters`. */
export const configGetClustersVerb: KubectlVerb = {
  name: "get-clusters",
  short: "Display clusters defined in the kubeconfig",
  long: "Display clusters defined in the kubeconfig.",
  examples: "  # List the clusters that kubectl knows about\n  kubectl config get-clusters",
  usage: "kubectl config get-clusters [flags] [options]",
  flags: [],
  run: configRun(["config", "get-clusters"], () => configGetClustersVerb, (out, _args, files) => {
    out.out(`NAME\n${[...files.merged.clusters.keys()].sort().map((n) => `${n}\n`).join("")}`);
    return 0;
  }),
};
