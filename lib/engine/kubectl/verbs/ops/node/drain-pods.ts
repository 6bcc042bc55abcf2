/**
 * `drain.Helper.GetPodsForDeletion`: every pod bound to the node, run through kubectl's filters
 * in order — recently deleted pods skipped, DaemonSet pods refused (or, with
 * `--ignore-daemonsets`, left alone with a warning), mirror pods skipped, emptyDir pods refused
 * without `--delete-emptydir-data`, pods without a controller refused without `--force`. The
 * refusals and warnings are grouped by message as kubectl groups them (its map order is random;
 * here it is the order of first appearance).
 *
 * @example
 * const list = podsForDeletion(ctx, "node01", { ignoreDaemonSets: true, force: false, deleteEmptyDir: false });
 * list.errors;   // ["cannot delete Pods that declare no controller (use --force to override): default/debug"]
 * list.warnings; // "ignoring DaemonSet-managed Pods: kube-flannel/kube-flannel-ds-4x7kq, kube-system/kube-proxy-9zl2m"
 */
import type { DaemonSet, Pod, Stored } from "../../../../api";
import type { KubectlContext } from "../../../types";

const DAEMONSET_FATAL = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)";
const DAEMONSET_WARNING = "ignoring DaemonSet-managed Pods";
const LOCAL_STORAGE_FATAL = "Pods with local storage (use --delete-emptydir-data to override)";
const LOCAL_STORAGE_WARNING = "deleting Pods with local storage";
const UNMANAGED_FATAL = "cannot delete Pods that declare no controller (use --force to override)";
const UNMANAGED_WARNING = "deleting Pods that declare no controller";
const MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

/** The drain flags the filters read. */
export interface DrainOptions {
  force: boolean;
  ignoreDaemonSets: boolean;
  deleteEmptyDir: boolean;
  podSelector?: string;
  /** `--skip-wait-for-delete-timeout`, seconds; 0 never skips. */
  skipWaitSeconds: number;
}

type Verdict = { delete: boolean; reason: "okay" | "skip" | "warning" | "error"; message?: string };

const okay: Verdict = { delete: true, reason: "okay" };

/** What drain will evict on a node, and what stops it. */
export interface PodDeleteList {
  /** Pods to evict, in list order. */
  pods: Stored<Pod>[];
  /** `ignoring DaemonSet-managed Pods: ns/a, ns/b; …`, or "". */
  warnings: string;
  /** One message per refusal kind, listing its pods. */
  errors: string[];
}

const finished = (pod: Pod) => pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";

/** `shouldSkipPod`: deleted longer ago than `--skip-wait-for-delete-timeout`. */
export function deletedLongAgo(pod: Pod, now: number, skipWaitSeconds: number): boolean {
  const at = pod.metadata.deletionTimestamp;
  return skipWaitSeconds > 0 && at !== undefined && Math.floor((now - Date.parse(at)) / 1000) > skipWaitSeconds;
}

function filters(ctx: KubectlContext, o: DrainOptions): ((pod: Stored<Pod>) => Verdict)[] {
  return [
    (pod) => (deletedLongAgo(pod, ctx.cluster.clock.now(), o.skipWaitSeconds) ? { delete: false, reason: "skip" } : okay),
    (pod) => {
      const ref = pod.metadata.ownerReferences?.find((r) => r.controller);
      if (!ref || ref.kind !== "DaemonSet" || finished(pod)) return okay;
      if (!ctx.store.find<DaemonSet>("DaemonSet", pod.metadata.namespace, ref.name)) {
        const notFound = `daemonsets.apps "${ref.name}" not found`;
        return o.force ? { delete: true, reason: "warning", message: notFound } : { delete: false, reason: "error", message: notFound };
      }
      return o.ignoreDaemonSets ? { delete: false, reason: "warning", message: DAEMONSET_WARNING } : { delete: false, reason: "error", message: DAEMONSET_FATAL };
    },
    (pod) => (pod.metadata.annotations?.[MIRROR_ANNOTATION] !== undefined ? { delete: false, reason: "skip" } : okay),
    (pod) => {
      if (!(pod.spec.volumes ?? []).some((v) => v.emptyDir) || finished(pod)) return okay;
      return o.deleteEmptyDir ? { delete: true, reason: "warning", message: LOCAL_STORAGE_WARNING } : { delete: false, reason: "error", message: LOCAL_STORAGE_FATAL };
    },
    (pod) => {
      if (finished(pod) || pod.metadata.ownerReferences?.some((r) => r.controller)) return okay;
      return o.force ? { delete: true, reason: "warning", message: UNMANAGED_WARNING } : { delete: false, reason: "error", message: UNMANAGED_FATAL };
    },
  ];
}

/** Groups `ns/name` by message, in the order the messages first appear. */
function group(entries: { message: string; pod: Pod }[]): Map<string, string[]> {
  const byMessage = new Map<string, string[]>();
  for (const { message, pod } of entries) {
    byMessage.set(message, [...(byMessage.get(message) ?? []), `${pod.metadata.namespace}/${pod.metadata.name}`]);
  }
  return byMessage;
}

/** Lists the node's pods (all namespaces, `--pod-selector`) and filters them. */
export function podsForDeletion(ctx: KubectlContext, nodeName: string, o: DrainOptions): PodDeleteList {
  const all = ctx.store.list<Pod>("Pod", { labelSelector: o.podSelector || undefined }).filter((p) => p.spec.nodeName === nodeName);
  const checks = filters(ctx, o);
  const pods: Stored<Pod>[] = [];
  const warnings: { message: string; pod: Pod }[] = [];
  const errors: { message: string; pod: Pod }[] = [];
  for (const pod of all) {
    let verdict = okay;
    for (const check of checks) {
      verdict = check(pod);
      if (!verdict.delete) break;
    }
    if (verdict.delete) pods.push(pod);
    if (verdict.reason === "warning") warnings.push({ message: verdict.message ?? "", pod });
    if (verdict.reason === "error") errors.push({ message: verdict.message || "unexpected error", pod });
  }
  return {
    pods,
    warnings: [...group(warnings)].map(([message, names]) => `${message}: ${names.join(", ")}`).join("; "),
    errors: [...group(errors)].map(([message, names]) =>
      message.toLowerCase().startsWith("cannot delete") ? `${message}: ${names.join(", ")}` : `cannot delete ${message}: ${names.join(", ")}`,
    ),
  };
}
