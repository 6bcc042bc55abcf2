/**
 * `kubectl rollout status`: kubectl watches the object and prints the status viewer's message
 * for every change until the rollout is done. Here the watch is a loop over virtual time: one
 * second at a time the cluster advances (controllers and kubelets do their work), and each new
 * message is printed. It ends when the viewer says done, with `--watch=false` after one look,
 * on `--timeout`, or when the Deployment's progress deadline has passed (the controller marks
 * it `ProgressDeadlineExceeded` and the viewer turns that into an error).
 *
 * @example
 * kubectl rollout status deploy/web
 * // Waiting for deployment "web" rollout to finish: 0 of 3 updated replicas are available...
 * // Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...
 * // deployment "web" successfully rolled out
 */
import type { DaemonSet, Deployment, Stored } from "../../../../api";
import { KubectlError } from "../../../errors";
import { parseGoDuration } from "../../../parse";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../../../types";
import { withOutput } from "../common/output";
import { REVISION_ANNOTATION } from "./revisions";
import { selectorFlag } from "../../../flags";
import { FILENAME_FLAGS, groupKind, requireResources, rolloutTargets } from "./shared";

/** A status viewer's verdict on one version of the object. */
interface Status {
  message: string;
  done: boolean;
}

/** How long one step of the simulated watch lets the cluster run. */
const STEP_MS = 1_000;
/** Without `--timeout`, give up this long after a deadline that should have ended the watch. */
const GRACE_MS = 60_000;

/** `DeploymentStatusViewer.Status`. */
function deploymentStatus(d: Stored<Deployment>, revision: number): Status {
  if (revision > 0) {
    const text = d.metadata.annotations?.[REVISION_ANNOTATION];
    if (text === undefined || !/^\d+$/.test(text)) {
      throw new KubectlError(`cannot get the revision of deployment "${d.metadata.name}": ${text === undefined ? "<nil>" : `strconv.ParseInt: parsing "${text}": invalid syntax`}`);
    }
    if (Number(text) !== revision) throw new KubectlError(`desired revision (${revision}) is different from the running revision (${text})`);
  }
  const name = d.metadata.name;
  const s = d.status ?? {};
  if ((d.metadata.generation ?? 0) <= (s.observedGeneration ?? 0)) {
    const progressing = s.conditions?.find((c) => c.type === "Progressing");
    if (progressing?.reason === "ProgressDeadlineExceeded") throw new KubectlError(`deployment "${name}" exceeded its progress deadline`);
    const updated = s.updatedReplicas ?? 0;
    const wanted = d.spec.replicas;
    if (wanted !== undefined && updated < wanted) {
      return { message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${wanted} new replicas have been updated...\n`, done: false };
    }
    if ((s.replicas ?? 0) > updated) {
      return { message: `Waiting for deployment "${name}" rollout to finish: ${(s.replicas ?? 0) - updated} old replicas are pending termination...\n`, done: false };
    }
    if ((s.availableReplicas ?? 0) < updated) {
      return { message: `Waiting for deployment "${name}" rollout to finish: ${s.availableReplicas ?? 0} of ${updated} updated replicas are available...\n`, done: false };
    }
    return { message: `deployment "${name}" successfully rolled out\n`, done: true };
  }
  return { message: "Waiting for deployment spec update to be observed...\n", done: false };
}

/** `DaemonSetStatusViewer.Status` (revisions are ignored, as upstream does). */
function daemonSetStatus(ds: Stored<DaemonSet>): Status {
  if ((ds.spec.updateStrategy?.type ?? "RollingUpdate") !== "RollingUpdate") {
    throw new KubectlError("rollout status is only available for RollingUpdate strategy type");
  }
  const name = ds.metadata.name;
  const s = ds.status ?? {};
  if ((ds.metadata.generation ?? 0) <= (s.observedGeneration ?? 0)) {
    const desired = s.desiredNumberScheduled ?? 0;
    if ((s.updatedNumberScheduled ?? 0) < desired) {
      return { message: `Waiting for daemon set "${name}" rollout to finish: ${s.updatedNumberScheduled ?? 0} out of ${desired} new pods have been updated...\n`, done: false };
    }
    if ((s.numberAvailable ?? 0) < desired) {
      return { message: `Waiting for daemon set "${name}" rollout to finish: ${s.numberAvailable ?? 0} of ${desired} updated pods are available...\n`, done: false };
    }
    return { message: `daemon set "${name}" successfully rolled out\n`, done: true };
  }
  return { message: "Waiting for daemon set spec update to be observed...\n", done: false };
}

/** The longest this watch may run: `--timeout`, else past the progress deadline. */
function watchLimit(object: Stored, timeoutMs: number): number {
  if (timeoutMs > 0) return timeoutMs;
  const deadline = (object as Stored<Deployment>).spec?.progressDeadlineSeconds ?? 600;
  return deadline * 1000 + GRACE_MS;
}

function run(args: KubectlArgs, ctx: KubectlContext) {
  return withOutput((out) => {
    const revision = args.int("revision") ?? 0;
    const timeout = parseGoDuration(args.string("timeout") ?? "0s") ?? 0;
    requireResources(args);
    if (revision < 0) throw new KubectlError(`revision must be a positive integer: ${revision}`);
    const { targets, missing } = rolloutTargets(args, ctx);
    if (missing.length > 0) throw missing[0];
    if (targets.length !== 1) {
      throw new KubectlError(`rollout status is only supported on individual resources and resource collections - ${targets.length} resources were found`);
    }
    const { info, object: first } = targets[0];
    const view = (o: Stored): Status => {
      if (info.kind === "Deployment") return deploymentStatus(o as Stored<Deployment>, revision);
      if (info.kind === "DaemonSet") return daemonSetStatus(o as Stored<DaemonSet>);
      throw new KubectlError(`no status viewer has been implemented for ${groupKind(info)}`);
    };
    const namespace = first.metadata.namespace;
    const started = ctx.cluster.clock.now();
    const limit = watchLimit(first, timeout);
    let last = "";
    for (;;) {
      const current = ctx.store.find(info.kind, namespace, first.metadata.name);
      if (!current || current.metadata.uid !== first.metadata.uid) throw new KubectlError("object has been deleted");
      const status = view(current);
      // kubectl prints on every watch event; consecutive repeats carry no news, so they are folded.
      if (status.message !== last) out.out(status.message);
      last = status.message;
      if (status.done || !args.bool("watch")) return 0;
      if (ctx.cluster.clock.now() - started >= limit) throw new KubectlError("timed out waiting for the condition");
      ctx.cluster.advance(Math.min(STEP_MS, started + limit - ctx.cluster.clock.now()));
    }
  });
}

/** `kubectl rollout status`. */
export const rolloutStatusVerb: KubectlVerb = {
  name: "status",
  short: "Show the status of the rollout",
  long:
    "Show the status of the rollout.\n\n By default 'rollout status' will watch the status of the latest rollout until it's done. If you don't want to wait for the rollout to finish then you can use --watch=false. Note that if a new rollout starts in-between, then 'rollout status' will continue watching the latest revision. If you want to pin to a specific revision and abort if it is rolled over by another revision, use --revision=N where N is the revision you need to watch for.",
  examples: "  # Watch the rollout status of a deployment\n  kubectl rollout status deployment/nginx",
  usage: "kubectl rollout status (TYPE NAME | TYPE/NAME) [flags] [options]",
  flags: [
    ...FILENAME_FLAGS,
    { name: "revision", type: "int", default: "0", usage: "Pin to a specific revision for showing its status. Defaults to 0 (last revision)." },
    selectorFlag,
    {
      name: "timeout",
      type: "duration",
      default: "0s",
      usage: "The length of time to wait before ending watch, zero means never. Any other values should contain a corresponding time unit (e.g. 1s, 2m, 3h).",
    },
    { name: "watch", short: "w", type: "bool", default: "true", usage: "Watch the status of the rollout until it's done." },
  ],
  run,
};
