/**
 * `kubectl config delete-user`: removes a user stanza (unlike its siblings, it insists on a name).
 *
 * @example
 * kubectl config delete-user bob   // deleted user bob from /root/.kube/config
 */
import { usageError } from "../../../errors";
import type { KubectlVerb } from "../../../types";
import { deleteStanza } from "./delete";
import { configRun } from "./shared";

/** `kubectl config delete-user`. */
export const configDeleteUserVerb: KubectlVerb = {
  name: "delete-user",
  short: "Delete the specified user from the kubeconfig",
  long: "Delete the specified user from the kubeconfig.",
  examples: "  # Delete the minikube user\n  kubectl config delete-user minikube",
  usage: "kubectl config delete-user NAME [options]",
  flags: [],
  run: configRun(["config", "delete-user"], () => configDeleteUserVerb, (out, args, files) => {
    if (args.operands.length !== 1) throw usageError("kubectl config delete-user", "user to delete is required");
    deleteStanza(out, files, "users", args.operands[0]);
    return 0;
  }),
};
