/**
 * The cluster in words and at a glance: a pod's tone (what its STATUS means, drawn as a shape
 * and a colour), one sentence about the whole cluster, the last connection in words. Small on
 * purpose: the panel's switch shows the sentence before the diagram's own code has loaded.
 *
 * @example
 * podTone(pod);      // "ok" | "warn" | "progress" | "error" | "done" | "terminating"
 * summarize(view);   // "3 nodes (3 Ready), 14 pods (14 running and ready), 2 Services"
 */
import type { ClusterView, PodView } from "@/lib/engine";

/** What a pod's status means at a glance (each has its own shape, not only a colour). */
export type Tone = "ok" | "warn" | "progress" | "error" | "done" | "terminating";

export const TONE_LABEL: Record<Tone, string> = {
  ok: "Running and ready",
  warn: "Running, not ready",
  progress: "Starting",
  error: "Failing",
  done: "Completed",
  terminating: "Terminating",
};

/** The tone of a pod, from the STATUS kubectl prints for it and its phase. */
export function podTone(pod: PodView): Tone {
  if (pod.status === "Terminating") return "terminating";
  if (pod.phase === "Succeeded" || pod.status === "Completed") return "done";
  if (pod.status === "Running") return pod.isReady ? "ok" : "warn";
  if (pod.status === "NotReady") return "warn";
  if (pod.phase === "Failed" || /Err|BackOff|Error|Failed|OOMKilled|Unknown|Evicted|Signal|ExitCode|Invalid/.test(pod.status)) return "error";
  return "progress";
}

/** One sentence about the cluster, for the diagram's text alternative and its toolbar. */
export function summarize(view: ClusterView): string {
  const ready = view.nodes.filter((n) => n.ready).length;
  const running = view.pods.filter((p) => podTone(p) === "ok").length;
  const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  return `${plural(view.nodes.length, "node")} (${ready} Ready), ${plural(view.pods.length, "pod")} (${running} running and ready), ${plural(view.services.length, "Service")}`;
}

/** The trace in words: who connected to what, and how it ended. */
export function describeTrace(view: ClusterView): string | null {
  const trace = view.trace;
  if (!trace) return null;
  const from = trace.hops[0];
  const who = from?.pod ? `${from.pod.namespace}/${from.pod.name}` : from ? `${from.node} (host)` : "a program";
  const outcome = { connected: "connected", refused: "connection refused", timeout: "timed out, nothing answered", unresolved: "the name did not resolve", unreachable: "unreachable, an ICMP error came back" }[trace.outcome];
  return trace.protocol === "ICMP" ? `${who} → ${trace.target.host} (ping): ${outcome}` : `${who} → ${trace.target.host}:${trace.target.port}/${trace.protocol}: ${outcome}`;
}
