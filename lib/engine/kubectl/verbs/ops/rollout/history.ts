/**
 * `kubectl rollout history`: the `REVISION  CHANGE-CAUSE` table kubectl assembles from the
 * Deployment's ReplicaSets, or with `--revision=N` that revision's pod template. Each object's
 * block is printed by the name printer with the history as its "operation", which is why the
 * header line ends in a space: `deployment.apps/web \nREVISION  CHANGE-CAUSE\n…\n\n`.
 *
 * DaemonSet history lives in ControllerRevisions, which this API does not serve yet, so a
 * DaemonSet reports `No rollout history found.` as one without revisions would.
 *
 * @example
 * kubectl rollout history deployment/web
 * // deployment.apps/web
 * // REVISION  CHANGE-CAUSE
 * // 1         <none>
 * // 2         kubectl set image deployment/web web=nginx:1.27
 */
import type { ApiError, Deployment, Stored } from "../../../../api";
import { KubectlError } from "../../../errors";
import { printFlags, selectorFlag } from "../../../flags";
import { goTabwrite } from "../../../printers";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../../../types";
import { kindPrefix, printErrors, withOutput } from "../common/output";
import { outputFormat, printObject } from "../common/print";
import type { Target } from "../common/targets";
import { describePodTemplate } from "./pod-template";
import { CHANGE_CAUSE_ANNOTATION, deploymentHistory } from "./revisions";
import { FILENAME_FLAGS, groupKind, requireResources, rolloutTargets } from "./shared";

/** `DeploymentHistoryViewer.ViewHistory`. */
function deploymentHistoryText(ctx: KubectlContext, deployment: Stored<Deployment>, revision: number): string {
  const history = deploymentHistory(ctx.store, deployment);
  if (history.length === 0) return "No rollout history found.";
  if (revision > 0) {
    const found = history.find((h) => h.revision === revision);
    if (!found) throw new KubectlError("unable to find the specified revision");
    const template = found.replicaSet.spec.template ?? { spec: { containers: [] } };
    // The change cause travels on the ReplicaSet; kubectl shows it among the template's annotations.
    const cause = found.replicaSet.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION];
    const annotations = { ...template.metadata?.annotations, ...(cause ? { [CHANGE_CAUSE_ANNOTATION]: cause } : {}) };
    return describePodTemplate({ ...template, metadata: { ...template.metadata, annotations } });
  }
  const rows = history.map((h) => `${h.revision}\t${h.replicaSet.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] || "<none>"}\n`);
  return goTabwrite(`REVISION\tCHANGE-CAUSE\n${rows.join("")}`, { minWidth: 0, padding: 2 });
}

function historyText(ctx: KubectlContext, target: Target, revision: number): string {
  const { info, object } = target;
  if (info.kind === "Deployment") return deploymentHistoryText(ctx, object as Stored<Deployment>, revision);
  if (info.kind === "DaemonSet") return "No rollout history found.";
  throw new KubectlError(`no history viewer has been implemented for "${groupKind(info)}"`);
}

function run(args: KubectlArgs, ctx: KubectlContext) {
  return withOutput((out) => {
    requireResources(args);
    const revision = args.int("revision") ?? 0;
    if (revision < 0) throw new KubectlError(`revision must be a positive integer: ${revision}`);
    const format = outputFormat(args);
    const { targets, missing } = rolloutTargets(args, ctx);
    const errors: (ApiError | string)[] = [...missing];
    for (const target of targets) {
      let text: string;
      try {
        text = historyText(ctx, target, revision);
      } catch (error) {
        if (!(error instanceof KubectlError)) throw error;
        errors.push(error.message);
        continue;
      }
      const name = `${kindPrefix(target.info)}/${target.object.metadata.name}`;
      if (format) out.out(printObject(target.object, format));
      else out.out(`${name} ${revision > 0 ? `with revision #${revision}` : ""}\n${text}\n`);
    }
    return printErrors(out, errors);
  });
}

/** `kubectl rollout history`. */
export const rolloutHistoryVerb: KubectlVerb = {
  name: "history",
  short: "View rollout history",
  long: "View previous rollout revisions and configurations.",
  examples:
    "  # View the rollout history of a deployment\n  kubectl rollout history deployment/abc\n  \n  # View the details of daemonset revision 3\n  kubectl rollout history daemonset/abc --revision=3",
  usage: "kubectl rollout history (TYPE NAME | TYPE/NAME) [flags] [options]",
  flags: [
    ...FILENAME_FLAGS,
    ...printFlags(),
    { name: "revision", type: "int", default: "0", usage: "See the details, including podTemplate of the revision specified" },
    selectorFlag,
  ],
  run,
};
