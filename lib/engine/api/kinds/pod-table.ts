/**
 * The pods table (`printPod` in `pkg/printers/internalversion/printers.go`): READY counts,
 * the STATUS reason (ContainerCreating, CrashLoopBackOff, Completed, Init:0/1, Terminating,
 * …) and RESTARTS with the time since the last restart, e.g. `5 (2m3s ago)`.
 *
 * @example
 * podTable.cells(pod, now); // ["web-7d4b9", "1/1", "Running", "0", "5m", "10.244.1.5", "node-1", "<none>", "<none>"]
 */
import { humanDuration } from "../../util/duration";
import type { ContainerStatus, Pod } from "../types/pod";
import { age, parseTime } from "../tables/common";
import { type TableDef, col } from "../tables/types";

const isRestartable = (pod: Pod, name: string) =>
  (pod.spec.initContainers ?? []).some((c) => c.name === name && c.restartPolicy === "Always");

function conditionTrue(pod: Pod, type: string): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === type && c.status === "True");
}

/** `isPodInitializedConditionTrue`: the first Initialized condition decides. */
function initializedTrue(pod: Pod): boolean {
  const c = (pod.status?.conditions ?? []).find((x) => x.type === "Initialized");
  return c !== undefined && c.status === "True";
}

function lastTerminated(s: ContainerStatus): number | undefined {
  return parseTime(s.lastState?.terminated?.finishedAt);
}

interface Summary {
  ready: number;
  total: number;
  reason: string;
  restarts: number;
  lastRestart: number | undefined;
}

function initContainerSummary(pod: Pod, sum: Summary): { initializing: boolean; sidecarRestarts: number; sidecarLast: number | undefined } {
  let sidecarRestarts = 0;
  let sidecarLast: number | undefined;
  const inits = pod.spec.initContainers ?? [];
  const statuses = pod.status?.initContainerStatuses ?? [];
  for (let i = 0; i < statuses.length; i++) {
    const s = statuses[i];
    sum.restarts += s.restartCount ?? 0;
    const t = lastTerminated(s);
    if (t !== undefined && (sum.lastRestart === undefined || t > sum.lastRestart)) sum.lastRestart = t;
    const restartable = isRestartable(pod, s.name);
    if (restartable) {
      sidecarRestarts += s.restartCount ?? 0;
      if (t !== undefined && (sidecarLast === undefined || t > sidecarLast)) sidecarLast = t;
    }
    const term = s.state?.terminated;
    const wait = s.state?.waiting;
    if (term && term.exitCode === 0) continue;
    if (restartable && s.started) {
      if (s.ready) sum.ready++;
      continue;
    }
    if (term) {
      sum.reason = term.reason ? `Init:${term.reason}` : term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode}`;
    } else if (wait?.reason && wait.reason !== "PodInitializing") {
      sum.reason = `Init:${wait.reason}`;
    } else {
      sum.reason = `Init:${i}/${inits.length}`;
    }
    return { initializing: true, sidecarRestarts, sidecarLast };
  }
  return { initializing: false, sidecarRestarts, sidecarLast };
}

/** READY, STATUS and RESTARTS exactly as `printPod` derives them. */
export function summarizePod(pod: Pod): Summary {
  const status = pod.status ?? {};
  const sum: Summary = {
    ready: 0,
    total: (pod.spec.containers ?? []).length + (pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === "Always").length,
    reason: status.reason || status.phase || "",
    restarts: 0,
    lastRestart: undefined,
  };
  if ((status.conditions ?? []).some((c) => c.type === "PodScheduled" && c.reason === "SchedulingGated")) sum.reason = "SchedulingGated";
  const init = initContainerSummary(pod, sum);
  if (!init.initializing || initializedTrue(pod)) {
    sum.restarts = init.sidecarRestarts;
    sum.lastRestart = init.sidecarLast;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    // Upstream walks the statuses backwards, so the first container's reason wins.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const s = statuses[i];
      sum.restarts += s.restartCount ?? 0;
      const t = lastTerminated(s);
      if (t !== undefined && (sum.lastRestart === undefined || t > sum.lastRestart)) sum.lastRestart = t;
      const term = s.state?.terminated;
      if (s.state?.waiting?.reason) sum.reason = s.state.waiting.reason;
      else if (term?.reason) sum.reason = term.reason;
      else if (term) sum.reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode}`;
      else if (s.ready && s.state?.running) {
        hasRunning = true;
        sum.ready++;
      }
    }
    if (sum.reason === "Completed" && hasRunning) sum.reason = conditionTrue(pod, "Ready") ? "Running" : "NotReady";
  }
  const phase = status.phase ?? "";
  if (pod.metadata.deletionTimestamp && status.reason === "NodeLost") sum.reason = "Unknown";
  else if (pod.metadata.deletionTimestamp && phase !== "Failed" && phase !== "Succeeded") sum.reason = "Terminating";
  return sum;
}

/** NAME READY STATUS RESTARTS AGE, wide IP NODE NOMINATED NODE READINESS GATES. */
export const podTable: TableDef<Pod> = {
  columns: [
    col("Name"), col("Ready"), col("Status"), col("Restarts"), col("Age"),
    col("IP", "string", 1), col("Node", "string", 1), col("Nominated Node", "string", 1), col("Readiness Gates", "string", 1),
  ],
  cells(pod, now) {
    const s = summarizePod(pod);
    let restarts = String(s.restarts);
    if (s.restarts !== 0 && s.lastRestart !== undefined) restarts = `${s.restarts} (${humanDuration(now - s.lastRestart)} ago)`;
    const gates = pod.spec.readinessGates ?? [];
    let gateText = "<none>";
    if (gates.length > 0) {
      const conds = pod.status?.conditions ?? [];
      const trueCount = gates.filter((g) => conds.find((c) => c.type === g.conditionType)?.status === "True").length;
      gateText = `${trueCount}/${gates.length}`;
    }
    return [
      pod.metadata.name ?? "",
      `${s.ready}/${s.total}`,
      s.reason,
      restarts,
      age(pod.metadata.creationTimestamp, now),
      pod.status?.podIPs?.[0]?.ip || "<none>",
      pod.spec.nodeName || "<none>",
      pod.status?.nominatedNodeName || "<none>",
      gateText,
    ];
  },
};
