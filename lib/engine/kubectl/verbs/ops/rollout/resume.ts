/**
 * `kubectl rollout resume`: clears `spec.paused` so the deployment controller rolls out what
 * changed while it was paused (`defaultObjectResumer`).
 *
 * @example
 * kubectl rollout resume deployment/web   // deployment.apps/web resumed
 * kubectl rollout resume deployment/web   // error: deployments.apps "web" is not paused
 */
import type { Deployment } from "../../../../api";
import type { KubectlVerb } from "../../../types";
import { type PatchVerb, patchEach } from "./patching";
import { PATCHING_FLAGS } from "./shared";

const resume: PatchVerb = {
  operation: "resumed",
  change(info, copy) {
    if (info.kind !== "Deployment") return { refusal: "resuming is not supported" };
    const deployment = copy as Deployment;
    if (!deployment.spec.paused) return { refusal: "is not paused" };
    delete deployment.spec.paused;
    return { object: deployment };
  },
  unchanged: { print: "already resumed" },
};

/** `kubectl rollout resume`. */
export const rolloutResumeVerb: KubectlVerb = {
  name: "resume",
  short: "Resume a paused resource",
  long:
    "Resume a paused resource.\n\n Paused resources will not be reconciled by a controller. By resuming a resource, we allow it to be reconciled again. Currently only deployments support being resumed.",
  examples: "  # Resume an already paused deployment\n  kubectl rollout resume deployment/nginx",
  usage: "kubectl rollout resume RESOURCE [options]",
  flags: PATCHING_FLAGS,
  run: (args, ctx) => patchEach(args, ctx, resume),
};
