/**
 * `kubectl drain`: cordons the nodes, then for each node refuses (DaemonSet pods without
 * `--ignore-daemonsets`, emptyDir pods, pods without a controller) or evicts its pods and waits
 * for them to be gone, polling every second of virtual time as kubectl polls every second of
 * real time. An eviction is the apiserver deleting the pod with its grace period; the kubelet
 * then stops it, and its ReplicaSet replaces it on a schedulable node.
 *
 * @example
 * kubectl drain node01 --ignore-daemonsets
 * // node/node01 cordoned
 * // Warning: ignoring DaemonSet-managed Pods: kube-flannel/kube-flannel-ds-4x7kq, kube-system/kube-proxy-9zl2m
 * // evicting pod default/web-7d4b9c6f8-2xkqp
 * // pod/web-7d4b9c6f8-2xkqp evicted
 * // node/node01 drained
 */
import type { Node, Pod, Stored } from "../../../../api";
import { NotFoundError, parseLabelSelector, resourceForKind } from "../../../../api";
import type { Output } from "../../../../shell";
import { KubectlError } from "../../../errors";
import { dryRunFlag, selectorFlag } from "../../../flags";
import { parseGoDuration } from "../../../parse";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../../../types";
import { goDuration } from "../common/duration";
import { type DryRun, dryRunOf, nameLine, withOutput } from "../common/output";
import { type DrainOptions, deletedLongAgo, podsForDeletion } from "./drain-pods";
import { NODE_INFO, cordonNodes, selectNodes } from "./nodes";

const POD_INFO = resourceForKind("Pod")!;
const POLL_MS = 1_000;
/** kubectl waits forever without `--timeout`; a simulated wait has to end somewhere. */
const UNBOUNDED_WAIT_MS = 10 * 60_000;

/** `Warning: …` on stderr, yellow and bold when stderr is a colour terminal (`WarningPrinter`). */
function warning(out: Output, ctx: KubectlContext, message: string): void {
  const colour = ctx.shell.terminal.isTerminal && ctx.shell.env.get("TERM") !== "dumb";
  out.err(colour ? `\u001b[33;1mWarning:\u001b[0m ${message}\n` : `Warning: ${message}\n`);
}

/** `Aggregate.Error()`: one message alone, several as `[a, b]` without repeats. */
function aggregate(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0] : `[${unique.join(", ")}]`;
}

interface Eviction {
  options: DrainOptions;
  useEviction: boolean;
  dryRun: DryRun;
  gracePeriod: number;
  timeoutMs: number;
}

/**
 * `DeleteOrEvictPods` and its wait: evicts (or deletes) every pod, then polls until each is gone
 * (or replaced by a pod with another uid). Returns the error messages, empty on success.
 */
function evictAndWait(out: Output, ctx: KubectlContext, pods: readonly Stored<Pod>[], e: Eviction): string[] {
  const errors: string[] = [];
  const pending: Stored<Pod>[] = [];
  for (const pod of pods) {
    const { namespace, name } = pod.metadata;
    if (e.useEviction) out.out(`evicting pod ${namespace}/${name}${e.dryRun === "server" ? " (server dry run)" : ""}\n`);
    try {
      ctx.store.delete("Pod", namespace, name, { dryRun: e.dryRun === "server", ...(e.gracePeriod >= 0 ? { gracePeriodSeconds: e.gracePeriod } : {}) });
    } catch (error) {
      if (error instanceof NotFoundError) continue;
      throw error;
    }
    if (e.dryRun !== "server") pending.push(pod);
  }
  const started = ctx.cluster.clock.now();
  const limit = e.timeoutMs > 0 ? e.timeoutMs : UNBOUNDED_WAIT_MS;
  const verb = e.useEviction ? "evicted" : "deleted";
  for (;;) {
    for (const pod of [...pending]) {
      const now = ctx.store.find<Pod>("Pod", pod.metadata.namespace, pod.metadata.name);
      if (now && now.metadata.uid === pod.metadata.uid) {
        if (!deletedLongAgo(now, ctx.cluster.clock.now(), e.options.skipWaitSeconds)) continue;
        out.out(`pod "${pod.metadata.name}" has DeletionTimestamp older than ${e.options.skipWaitSeconds} seconds, skipping\n`);
      } else out.out(nameLine(POD_INFO, pod.metadata.name, verb));
      pending.splice(pending.indexOf(pod), 1);
    }
    if (pending.length === 0) return errors;
    if (ctx.cluster.clock.now() - started >= limit) break;
    ctx.cluster.advance(Math.min(POLL_MS, started + limit - ctx.cluster.clock.now()));
  }
  if (!e.useEviction) return ["timed out waiting for the condition"];
  const reached = `global timeout reached: ${goDuration(limit)}`;
  return pending.map((p) => `error when waiting for pod "${p.metadata.name}" in namespace "${p.metadata.namespace}" to terminate: ${reached}`);
}

/** `deleteOrEvictPodsSimple` for one node: the error messages that stop its drain, if any. */
function drainNode(out: Output, ctx: KubectlContext, node: Stored<Node>, e: Eviction): string[] {
  const list = podsForDeletion(ctx, node.metadata.name, e.options);
  if (list.errors.length > 0) return list.errors;
  if (list.warnings !== "") warning(out, ctx, list.warnings);
  if (e.dryRun === "client") {
    for (const pod of list.pods) out.out(`evicting pod ${pod.metadata.namespace}/${pod.metadata.name} (dry run)\n`);
    return [];
  }
  const errors = evictAndWait(out, ctx, list.pods, e);
  if (errors.length > 0) {
    const left = podsForDeletion(ctx, node.metadata.name, e.options).pods;
    if (left.length > 0) {
      out.err(`There are pending pods in node "${node.metadata.name}" when an error occurred: ${aggregate(errors)}\n`);
      for (const pod of left) out.err(`pod/${pod.metadata.name}\n`);
    }
  }
  return errors;
}

function options(args: KubectlArgs, out: Output): Eviction {
  const podSelector = args.string("pod-selector") ?? "";
  if (podSelector !== "") {
    try {
      parseLabelSelector(podSelector);
    } catch {
      throw new KubectlError("--pod-selector=<pod_selector> must be a valid label selector");
    }
  }
  if (args.has("delete-local-data")) {
    out.err("Flag --delete-local-data has been deprecated, This option is deprecated and will be deleted. Use --delete-emptydir-data.\n");
  }
  return {
    options: {
      force: args.bool("force"),
      ignoreDaemonSets: args.bool("ignore-daemonsets"),
      deleteEmptyDir: args.bool("delete-emptydir-data") || args.bool("delete-local-data"),
      podSelector,
      skipWaitSeconds: args.int("skip-wait-for-delete-timeout") ?? 0,
    },
    useEviction: !args.bool("disable-eviction"),
    dryRun: dryRunOf(args),
    gracePeriod: args.int("grace-period") ?? -1,
    timeoutMs: parseGoDuration(args.string("timeout") ?? "0s") ?? 0,
  };
}

function run(args: KubectlArgs, ctx: KubectlContext) {
  return withOutput((out) => {
    const nodes = selectNodes(args, ctx, "kubectl drain", "drain NODE");
    const e = options(args, out);
    cordonNodes(out, ctx, nodes, true, e.dryRun);
    const failed: { node: string; errors: string[] }[] = [];
    for (const node of nodes) {
      const errors = drainNode(out, ctx, node, e);
      if (errors.length === 0) {
        out.out(nameLine(NODE_INFO, node.metadata.name, "drained", e.dryRun));
        continue;
      }
      out.err(`error: unable to drain node "${node.metadata.name}" due to error: ${aggregate(errors)}, continuing command...\n`);
      failed.push({ node: node.metadata.name, errors });
    }
    if (failed.length === 0) return 0;
    out.err(`There are pending nodes to be drained:\n${failed.map((f) => ` ${f.node}\n`).join("")}`);
    // CheckErr on an aggregate prints each error on its own line, without `error: `.
    const lines = failed.length === 1 ? failed[0].errors : failed.map((f) => aggregate(f.errors));
    out.err(lines.map((l) => `${l}\n`).join(""));
    return 1;
  });
}

/** `kubectl drain`. */
export const drainVerb: KubectlVerb = {
  name: "drain",
  short: "Drain node in preparation for maintenance",
  long:
    "Drain node in preparation for maintenance.\n\n The given node will be marked unschedulable to prevent new pods from arriving. 'drain' evicts the pods if the API server supports https://kubernetes.io/docs/concepts/workloads/pods/disruptions/ eviction https://kubernetes.io/docs/concepts/workloads/pods/disruptions/ . Otherwise, it will use normal DELETE to delete the pods. The 'drain' evicts or deletes all pods except mirror pods (which cannot be deleted through the API server).  If there are daemon set-managed pods, drain will not proceed without --ignore-daemonsets, and regardless it will not delete any daemon set-managed pods, because those pods would be immediately replaced by the daemon set controller, which ignores unschedulable markings.  If there are any pods that are neither mirror pods nor managed by a replication controller, replica set, daemon set, stateful set, or job, then drain will not delete any pods unless you use --force.  --force will also allow deletion to proceed if the managing resource of one or more pods is missing.\n\n 'drain' waits for graceful termination. You should not operate on the machine until the command completes.\n\n When you are ready to put the node back into service, use kubectl uncordon, which will make the node schedulable again.\n\nhttps://kubernetes.io/images/docs/kubectl_drain.svg Workflowhttps://kubernetes.io/images/docs/kubectl_drain.svg",
  examples:
    '  # Drain node "foo", even if there are pods not managed by a replication controller, replica set, job, daemon set, or stateful set on it\n  kubectl drain foo --force\n  \n  # As above, but abort if there are pods not managed by a replication controller, replica set, job, daemon set, or stateful set, and use a grace period of 15 minutes\n  kubectl drain foo --grace-period=900',
  usage: "kubectl drain NODE [options]",
  flags: [
    {
      name: "chunk-size",
      type: "int",
      default: "500",
      usage: "Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may change in the future.",
    },
    { name: "delete-emptydir-data", type: "bool", usage: "Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained)." },
    { name: "delete-local-data", type: "bool", hidden: true, usage: "Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained)." },
    {
      name: "disable-eviction",
      type: "bool",
      usage: "Force drain to use delete, even if eviction is supported. This will bypass checking PodDisruptionBudgets, use with caution.",
    },
    dryRunFlag,
    { name: "force", type: "bool", usage: "Continue even if there are pods that do not declare a controller." },
    {
      name: "grace-period",
      type: "int",
      default: "-1",
      usage: "Period of time in seconds given to each pod to terminate gracefully. If negative, the default value specified in the pod will be used.",
    },
    { name: "ignore-daemonsets", type: "bool", usage: "Ignore DaemonSet-managed pods." },
    { name: "pod-selector", type: "string", usage: "Label selector to filter pods on the node" },
    selectorFlag,
    {
      name: "skip-wait-for-delete-timeout",
      type: "int",
      default: "0",
      usage: "If pod DeletionTimestamp older than N seconds, skip waiting for the pod.  Seconds must be greater than 0 to skip.",
    },
    { name: "timeout", type: "duration", default: "0s", usage: "The length of time to wait before giving up, zero means infinite" },
  ],
  run,
};
