/**
 * `kubectl rollout` and its sub-commands, one module each. The parent only groups them: run
 * without a sub-command, kubectl prints its help.
 *
 * @example
 * rolloutVerb.subcommands?.map((v) => v.name); // ["history", "pause", "restart", "resume", "status", "undo"]
 */
import type { KubectlVerb } from "../../../types";
import { rolloutHistoryVerb } from "./history";
import { rolloutPauseVerb } from "./pause";
import { rolloutRestartVerb } from "./restart";
import { rolloutResumeVerb } from "./resume";
import { rolloutStatusVerb } from "./status";
import { rolloutUndoVerb } from "./undo";

/** `kubectl rollout`. */
export const rolloutVerb: KubectlVerb = {
  name: "rollout",
  short: "Manage the rollout of a resource",
  long:
    "Manage the rollout of one or many resources.\n        \n Valid resource types include:\n\n  *  deployments\n  *  daemonsets\n  *  statefulsets",
  examples:
    "  # Rollback to the previous deployment\n  kubectl rollout undo deployment/abc\n  \n  # Check the rollout status of a daemonset\n  kubectl rollout status daemonset/foo\n  \n  # Restart a deployment\n  kubectl rollout restart deployment/abc\n  \n  # Restart deployments with the 'app=nginx' label\n  kubectl rollout restart deployment --selector=app=nginx",
  usage: "kubectl rollout SUBCOMMAND [options]",
  flags: [],
  subcommands: [rolloutHistoryVerb, rolloutPauseVerb, rolloutRestartVerb, rolloutResumeVerb, rolloutStatusVerb, rolloutUndoVerb],
};
