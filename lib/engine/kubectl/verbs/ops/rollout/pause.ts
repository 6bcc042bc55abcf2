/**
 * `kubectl rollout pause`: sets `spec.paused` on a Deployment so its controller stops rolling
 * out template changes (`defaultObjectPauser`). Only Deployments can be paused.
 *
 * @example
 * kubectl rollout pause deployment/web   // deployment.apps/web paused
 * kubectl rollout pause deployment/web   // error: deployments.apps "web" is already paused
 */
import type { Deployment } from "../../../../api";
import type { KubectlVerb } from "../../../types";
import { type PatchVerb, patchEach } from "./patching";
import { PATCHING_FLAGS } from "./shared";

const pause: PatchVerb = {
  operation: "paused",
  change(info, copy) {
    if (info.kind !== "Deployment") return { refusal: "pausing is not supported" };
    const deployment = copy as Deployment;
    if (deployment.spec.paused) return { refusal: "is already paused" };
    deployment.spec.paused = true;
    return { object: deployment };
  },
  unchanged: { print: "already paused" },
};

/** `kubectl rollout pause`. */
export const rolloutPauseVerb: KubectlVerb = {
  name: "pause",
  short: "Mark the provided resource as paused",
  long:
    'Mark the provided resource as paused.\n\n Paused resources will not be reconciled by a controller. Use "kubectl rollout resume" to resume a paused resource. Currently only deployments support being paused.',
  examples:
    "  # Mark the nginx deployment as paused\n  # Any current state of the deployment will continue its function; new updates\n  # to the deployment will not have an effect as long as the deployment is paused\n  kubectl rollout pause deployment/nginx",
  usage: "kubectl rollout pause RESOURCE [options]",
  flags: PATCHING_FLAGS,
  run: (args, ctx) => patchEach(args, ctx, pause),
};
