/**
 * `kubectl config delete-context`: removes a context; deleting the current one warns that
 * nothing is selected any more (the `current-context` field itself is left as it was).
 *
 * @example
 * kubectl config delete-context dev   // deleted context dev from /root/.kube/config
 */
import { renderVerbHelp } from "../../../help";
import type { KubectlVerb } from "../../../types";
import { deleteStanza } from "./delete";
import { configRun } from "./shared";

/** `kubectl config delete-context`. */
export const configDeleteContextVerb: KubectlVerb = {
  name: "delete-context",
  short: "Delete the specified context from the kubeconfig",
  long: "Delete the specified context from the kubeconfig.",
  examples: "  # Delete the context for the minikube cluster\n  kubectl config delete-context minikube",
  usage: "kubectl config delete-context NAME [options]",
  flags: [],
  run: configRun(["config", "delete-context"], () => configDeleteContextVerb, (out, args, files) => {
    if (args.operands.length !== 1) {
      out.out(renderVerbHelp(["config", "delete-context"], configDeleteContextVerb));
      return 0;
    }
    const name = args.operands[0];
    const current = files.merged.currentContext === name;
    deleteStanza(out, files, "contexts", name);
    if (current) out.err('warning: this removed your active context, use "kubectl config use-context" to select a different one\n');
    return 0;
  }),
};
