/**
 * `kubectl config delete-cluster`: removes a cluster stanza.
 *
 * @example
 * kubectl config delete-cluster staging   // deleted cluster staging from /root/.kube/config
 */
import { renderVerbHelp } from "../../../help";
import type { KubectlVerb } from "../../../types";
import { deleteStanza } from "./delete";
import { configRun } from "./shared";

/** `kubectl config delete-cluster`. */
export const configDeleteClusterVerb: KubectlVerb = {
  name: "delete-cluster",
  short: "Delete the specified cluster from the kubeconfig",
  long: "Delete the specified cluster from the kubeconfig.",
  examples: "  # Delete the minikube cluster\n  kubectl config delete-cluster minikube",
  usage: "kubectl config delete-cluster NAME [options]",
  flags: [],
  run: configRun(["config", "delete-cluster"], () => configDeleteClusterVerb, (out, args, files) => {
    if (args.operands.length !== 1) {
      out.out(renderVerbHelp(["config", "delete-cluster"], configDeleteClusterVerb));
      return 0;
    }
    deleteStanza(out, files, "clusters", args.operands[0]);
    return 0;
  }),
};
