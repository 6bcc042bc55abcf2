/**
 * `kubectl rollout undo`: kubectl's `DeploymentRollbacker`, on the client. It picks the
 * ReplicaSet of the requested revision (default: the one before the newest), refuses a paused
 * Deployment, skips when the template already matches, and otherwise replaces the Deployment's
 * template with the ReplicaSet's (without `pod-template-hash`) and its annotations with the
 * ReplicaSet's (keeping the Deployment's own revision bookkeeping). The deployment controller
 * then rolls the change out as a new revision.
 *
 * @example
 * kubectl rollout undo deployment/web --to-revision=1
 * // deployment.apps/web rolled back
 */
import type { ApiError, Deployment, Stored } from "../../../../api";
import { clonePlain } from "../../../../util/plain";
import { KubectlError } from "../../../errors";
import { dryRunFlag, printFlags, selectorFlag } from "../../../flags";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../../../types";
import { type DryRun, dryRunOf, nameLine, printErrors, withOutput } from "../common/output";
import { outputFormat, printObject } from "../common/print";
import { describePodTemplate } from "./pod-template";
import { REVISION_ANNOTATION, deploymentHistory, equalIgnoreHash, withoutHash } from "./revisions";
import { FILENAME_FLAGS, groupKind, rolloutTargets } from "./shared";

/** Deployment annotations a rollback keeps rather than copying from the ReplicaSet. */
const KEPT_ANNOTATIONS = [
  "kubectl.kubernetes.io/last-applied-configuration",
  REVISION_ANNOTATION,
  "deployment.kubernetes.io/revision-history",
  "deployment.kubernetes.io/desired-replicas",
  "deployment.kubernetes.io/max-replicas",
  "deprecated.deployment.rollback.to",
];

const revisionNotFound = (revision: number) => new KubectlError(`unable to find specified revision ${revision} in history`);

/** `deploymentRevision`: the ReplicaSet for `toRevision`, or for 0 the second newest. */
function replicaSetFor(ctx: KubectlContext, deployment: Stored<Deployment>, toRevision: number) {
  const history = deploymentHistory(ctx.store, deployment);
  if (toRevision > 0) {
    const found = history.find((h) => h.revision === toRevision);
    if (!found) throw revisionNotFound(toRevision);
    return found.replicaSet;
  }
  if (history.length < 2) throw new KubectlError(`no rollout history found for deployment "${deployment.metadata.name}"`);
  return history[history.length - 2].replicaSet;
}

/** `DeploymentRollbacker.Rollback`: the name printer's operation, or throws. */
function rollbackDeployment(ctx: KubectlContext, deployment: Stored<Deployment>, toRevision: number, dryRun: DryRun): string {
  if (toRevision < 0) throw revisionNotFound(toRevision);
  const rs = replicaSetFor(ctx, deployment, toRevision);
  const template = rs.spec.template ?? { spec: { containers: [] } };
  if (dryRun === "client") return describePodTemplate(template);
  if (deployment.spec.paused) {
    throw new KubectlError(
      `you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/${deployment.metadata.name}' and try again`,
    );
  }
  if (equalIgnoreHash(template, deployment.spec.template)) return `skipped rollback (current template already matches revision ${toRevision})`;
  const annotations: Record<string, string> = {};
  for (const key of KEPT_ANNOTATIONS) {
    const value = deployment.metadata.annotations?.[key];
    if (value !== undefined) annotations[key] = value;
  }
  for (const [key, value] of Object.entries(rs.metadata.annotations ?? {})) {
    if (!KEPT_ANNOTATIONS.includes(key)) annotations[key] = value;
  }
  const next = clonePlain(deployment) as Deployment;
  next.spec.template = withoutHash(template)!;
  if (Object.keys(annotations).length > 0) next.metadata.annotations = annotations;
  else delete next.metadata.annotations;
  ctx.store.update(next, { dryRun: dryRun === "server" });
  return "rolled back";
}

function run(args: KubectlArgs, ctx: KubectlContext) {
  return withOutput((out) => {
    const dryRun = dryRunOf(args);
    const format = outputFormat(args);
    const toRevision = args.int("to-revision") ?? 0;
    const { targets, missing } = rolloutTargets(args, ctx);
    const errors: (ApiError | string)[] = [...missing];
    for (const { info, object } of targets) {
      let result: string;
      try {
        if (info.kind === "Deployment") result = rollbackDeployment(ctx, object as Stored<Deployment>, toRevision, dryRun);
        // DaemonSet revisions live in ControllerRevisions, which this API does not serve: none to return to.
        else if (info.kind === "DaemonSet") throw toRevision === 0 ? new KubectlError("no last revision to roll back to") : revisionNotFound(toRevision);
        else throw new KubectlError(`no rollbacker has been implemented for "${groupKind(info)}"`);
      } catch (error) {
        if (!(error instanceof KubectlError)) throw error;
        errors.push(error.message);
        continue;
      }
      // kubectl prints the object as it read it, before the rollback.
      if (format) out.out(printObject(object, format));
      else out.out(nameLine(info, object.metadata.name, result, dryRun));
    }
    return printErrors(out, errors);
  });
}

/** `kubectl rollout undo`. */
export const rolloutUndoVerb: KubectlVerb = {
  name: "undo",
  short: "Undo a previous rollout",
  long: "Roll back to a previous rollout.",
  examples:
    "  # Roll back to the previous deployment\n  kubectl rollout undo deployment/abc\n  \n  # Roll back to daemonset revision 3\n  kubectl rollout undo daemonset/abc --to-revision=3\n  \n  # Roll back to the previous deployment with dry-run\n  kubectl rollout undo --dry-run=server deployment/abc",
  usage: "kubectl rollout undo (TYPE NAME | TYPE/NAME) [flags] [options]",
  flags: [
    ...FILENAME_FLAGS,
    ...printFlags(),
    dryRunFlag,
    selectorFlag,
    { name: "to-revision", type: "int", default: "0", usage: "The revision to rollback to. Default to 0 (last revision)." },
  ],
  run,
};
