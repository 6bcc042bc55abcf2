/**
 * `kubectl rollout restart`: stamps `kubectl.kubernetes.io/restartedAt` (RFC 3339, from the
 * virtual clock) on the pod template, which changes the template and so makes the controller
 * replace every pod (`defaultObjectRestarter`). Paused Deployments refuse.
 *
 * @example
 * kubectl rollout restart deployment/web        // deployment.apps/web restarted
 * kubectl rollout restart deployment -l app=web // every matching Deployment
 */
import type { Deployment, PodTemplateSpec } from "../../../../api";
import type { KubectlVerb } from "../../../types";
import { type PatchVerb, patchEach } from "./patching";
import { PATCHING_FLAGS } from "./shared";

const RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

const restart: PatchVerb = {
  operation: "restarted",
  change(info, copy, ctx) {
    if (info.kind !== "Deployment" && info.kind !== "DaemonSet") return { refusal: "restarting is not supported" };
    if (info.kind === "Deployment" && (copy as Deployment).spec.paused) {
      return { refusal: "can't restart paused deployment (run rollout resume first)" };
    }
    const template = (copy.spec as { template: PodTemplateSpec }).template;
    template.metadata = { ...template.metadata, annotations: { ...template.metadata?.annotations, [RESTARTED_AT]: ctx.shell.clock.rfc3339() } };
    return { object: copy };
  },
  // Two restarts within one second compute the same stamp: kubectl reports the empty patch but still sends it.
  unchanged: { error: (name) => `failed to create patch for ${name}: empty patch` },
};

/** `kubectl rollout restart`. */
export const rolloutRestartVerb: KubectlVerb = {
  name: "restart",
  short: "Restart a resource",
  long: "Restart a resource.\n\n        Resource rollout will be restarted.",
  examples:
    "  # Restart all deployments in the test-namespace namespace\n  kubectl rollout restart deployment -n test-namespace\n  \n  # Restart a deployment\n  kubectl rollout restart deployment/nginx\n  \n  # Restart a daemon set\n  kubectl rollout restart daemonset/abc\n  \n  # Restart deployments with the app=nginx label\n  kubectl rollout restart deployment --selector=app=nginx",
  usage: "kubectl rollout restart RESOURCE [options]",
  flags: PATCHING_FLAGS,
  run: (args, ctx) => patchEach(args, ctx, restart),
};
