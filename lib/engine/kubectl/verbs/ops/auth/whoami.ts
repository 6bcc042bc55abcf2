/**
 * `kubectl auth whoami`: creates a SelfSubjectReview and prints the user the apiserver saw
 * (after authentication and `--as` impersonation) as kubectl's ATTRIBUTE/VALUE table, or the
 * review with `-o`.
 *
 * @example
 * kubectl auth whoami
 * // ATTRIBUTE   VALUE
 * // Username    kubernetes-admin
 * // Groups      [kubeadm:cluster-admins system:authenticated]
 */
import { ForbiddenError, type UserInfo, authorizeRequest } from "../../../../api";
import { KubectlError } from "../../../errors";
import { printFlags } from "../../../flags";
import { outputFormat, printFormatted } from "../../../output";
import { goTabwrite } from "../../../printers";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../../../types";
import { withOutput } from "../common/output";

/** `authentication.k8s.io/v1` SelfSubjectReview as the apiserver returns it (struct order). */
function review(user: UserInfo) {
  return {
    kind: "SelfSubjectReview",
    apiVersion: "authentication.k8s.io/v1",
    metadata: { creationTimestamp: null },
    status: {
      userInfo: {
        ...(user.name ? { username: user.name } : {}),
        ...(user.uid ? { uid: user.uid } : {}),
        ...(user.groups.length > 0 ? { groups: [...user.groups] } : {}),
        ...(user.extra && Object.keys(user.extra).length > 0 ? { extra: user.extra } : {}),
      },
    },
  };
}

/** `printTableSelfSubjectAccessReview`: Go's `%v` of a slice is `[a b]`. */
function table(user: UserInfo): string {
  let text = "ATTRIBUTE\tVALUE\n";
  if (user.name) text += `Username\t${user.name}\n`;
  if (user.uid) text += `UID\t${user.uid}\n`;
  if (user.groups.length > 0) text += `Groups\t[${user.groups.join(" ")}]\n`;
  for (const key of Object.keys(user.extra ?? {}).sort()) text += `Extra: ${key}\t[${user.extra![key].join(" ")}]\n`;
  return goTabwrite(text, { minWidth: 6, padding: 3 });
}

function run(args: KubectlArgs, ctx: KubectlContext) {
  return withOutput((out) => {
    if (args.operands.length > 0) throw new KubectlError(`unknown command "${args.operands[0]}" for "kubectl auth whoami"`);
    const format = outputFormat(ctx, args, "generic");
    const user = ctx.user;
    try {
      authorizeRequest(ctx.cluster.store, user, { verb: "create", namespace: "", apiGroup: "authentication.k8s.io", resource: "selfsubjectreviews" });
    } catch (error) {
      if (error instanceof ForbiddenError) throw new KubectlError("the selfsubjectreviews API is not enabled in the cluster or you do not have permission to call it");
      throw error;
    }
    if (format.type === "human") out.out(table(user));
    else out.out(printFormatted([review(user)], format, { list: false, typedOrder: true, allowMissingKeys: args.bool("allow-missing-template-keys") }));
    return 0;
  });
}

/** `kubectl auth whoami`. */
export const whoamiVerb: KubectlVerb = {
  name: "whoami",
  short: "Experimental: Check self subject attributes",
  long:
    "Experimental: Check who you are and your attributes (groups, extra).\n\n        This command is helpful to get yourself aware of the current user attributes,\n        especially when dynamic authentication, e.g., token webhook, auth proxy, or OIDC provider,\n        is enabled in the Kubernetes cluster.",
  examples: "  # Get your subject attributes\n  kubectl auth whoami\n  \n  # Get your subject attributes in JSON format\n  kubectl auth whoami -o json",
  usage: "kubectl auth whoami [options]",
  flags: printFlags(),
  run,
};
