/**
 * The kubelet's `generateAPIPodStatus`: phase (`getPhase`), the five kubelet-owned conditions
 * in upstream order with their transition times kept, init and app container statuses
 * (waiting/running/terminated, lastState, restartCount, ready, started, containerID, image
 * and imageID, volumeMounts), host and pod IPs and the start time, computed from what the
 * runtime reports and what the kubelet remembers.
 *
 * @example
 * const status = podStatus({ pod, rec, runtime, sandbox, hostIP: "172.30.1.3", now });
 * status.phase; // "Running"
 */
import { type Condition, type Container, type ContainerStatus, type ContainerStateTerminated, ephemeralContainersOf, type Pod, type PodStatus, type Stored } from "../../api";
import type { VirtualClock } from "../../util/clock";
import type { ContainerInfo, ContainerRuntime, Sandbox } from "../runtime/containerd";
import type { PodRecord } from "./pod-record";

const KUBELET_CONDITIONS = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"];

export interface StatusInput {
  pod: Stored<Pod>;
  rec: PodRecord;
  runtime: ContainerRuntime;
  sandbox?: Sandbox;
  hostIP: string;
  clock: VirtualClock;
  /** The status as stored now (its condition transition times are kept). */
  existing?: PodStatus;
}

/** The terminated state of a finished container instance. */
export function terminatedState(c: ContainerInfo, clock: VirtualClock): ContainerStateTerminated {
  return {
    containerID: `containerd://${c.id}`,
    exitCode: c.exitCode ?? 0,
    finishedAt: clock.rfc3339(c.finishedAt ?? clock.now()),
    ...(c.message ? { message: c.message } : {}),
    reason: c.reason ?? "Error",
    startedAt: clock.rfc3339(c.startedAt ?? 0),
  };
}

function volumeMounts(c: Container): Record<string, unknown>[] {
  return (c.volumeMounts ?? []).map((m) => (m.readOnly ? { mountPath: m.mountPath, name: m.name, readOnly: true, recursiveReadOnly: "Disabled" } : { mountPath: m.mountPath, name: m.name }));
}

function containerStatus(spec: Container, latest: ContainerInfo | undefined, input: StatusInput, init: boolean): ContainerStatus {
  const { rec, clock } = input;
  const status: ContainerStatus & Record<string, unknown> = {
    name: spec.name, image: spec.image ?? "", imageID: "", ready: false, restartCount: rec.restarts.get(spec.name) ?? 0, started: false, lastState: {}, state: {},
  };
  const previous = rec.lastTerminated.get(spec.name);
  if (previous) status.lastState = { terminated: previous };
  if (latest) {
    status.containerID = `containerd://${latest.id}`;
    status.image = latest.imageRef;
    status.imageID = `${latest.image.repository}@${latest.image.digest}`;
    status.volumeMounts = volumeMounts(spec);
    if (latest.state === "CONTAINER_RUNNING") {
      status.state = { running: { startedAt: clock.rfc3339(latest.startedAt) } };
      status.started = true;
      status.ready = !init;
    } else if (latest.state === "CONTAINER_EXITED") {
      status.state = { terminated: terminatedState(latest, clock) };
    } else {
      status.state = { waiting: { reason: "ContainerCreating" } };
    }
  }
  const waiting = rec.waiting.get(spec.name);
  if (waiting) {
    if (latest?.state === "CONTAINER_EXITED") status.lastState = { terminated: terminatedState(latest, clock) };
    status.state = { waiting: waiting.message ? { message: waiting.message, reason: waiting.reason } : { reason: waiting.reason } };
    status.started = false;
    status.ready = false;
  } else if (!latest) {
    // A pod with init containers reports all its not-yet-created containers as PodInitializing.
    status.state = { waiting: { reason: input.pod.spec.initContainers?.length ? "PodInitializing" : "ContainerCreating" } };
  }
  return status;
}

function latestOf(input: StatusInput, name: string): ContainerInfo | undefined {
  return input.runtime.latest(input.rec.uid, name, input.sandbox?.id) ?? input.runtime.latest(input.rec.uid, name);
}

/** `getPhase` over the computed statuses. */
function phaseOf(pod: Stored<Pod>, inits: ContainerStatus[], statuses: ContainerStatus[], rec: PodRecord): string {
  if (rec.terminal) return rec.terminal;
  const policy = pod.spec.restartPolicy ?? "Always";
  for (const s of inits) {
    const t = s.state?.terminated;
    if (t && t.exitCode === 0) continue;
    if (t && policy === "Never") return "Failed";
    return "Pending";
  }
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const s of statuses) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting && s.lastState?.terminated) {
      stopped++;
    } else waiting++;
  }
  if (waiting > 0) return "Pending";
  if (running > 0) return "Running";
  if (stopped > 0) {
    if (policy === "Always") return "Running";
    if (stopped === succeeded) return "Succeeded";
    if (policy === "Never") return "Failed";
    return "Running";
  }
  return "Pending";
}

function condition(type: string, ok: boolean, existing: Condition[], now: string, reason?: string, message?: string): Condition {
  const status = ok ? "True" : "False";
  const before = existing.find((c) => c.type === type);
  const c: Condition = { lastProbeTime: null, lastTransitionTime: before && before.status === status ? before.lastTransitionTime : now, status, type };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

/** The whole status the kubelet would write for the pod now. */
export function podStatus(input: StatusInput): PodStatus {
  const { pod, rec, sandbox, clock } = input;
  const now = clock.rfc3339();
  const existing = input.existing?.conditions ?? [];
  const inits = (pod.spec.initContainers ?? []).map((c) => containerStatus(c, latestOf(input, c.name), input, true));
  const statuses = pod.spec.containers.map((c) => containerStatus(c, latestOf(input, c.name), input, false));
  const phase = phaseOf(pod, inits, statuses, rec);
  const terminal = phase === "Succeeded" || phase === "Failed";
  const incomplete = inits.filter((s) => s.state?.terminated?.exitCode !== 0).map((s) => s.name);
  const unready = statuses.filter((s) => !s.ready).map((s) => s.name);
  const readyReason = terminal ? (phase === "Succeeded" ? "PodCompleted" : "PodFailed") : unready.length ? "ContainersNotReady" : undefined;
  const readyMessage = !terminal && unready.length ? `containers with unready status: [${unready.join(" ")}]` : undefined;
  const conditions: Condition[] = [
    ...existing.filter((c) => !KUBELET_CONDITIONS.includes(c.type)),
    condition("PodReadyToStartContainers", sandbox?.state === "SANDBOX_READY", existing, now),
    incomplete.length === 0 || terminal
      ? condition("Initialized", true, existing, now, phase === "Succeeded" ? "PodCompleted" : undefined)
      : condition("Initialized", false, existing, now, "ContainersNotInitialized", `containers with incomplete status: [${incomplete.join(" ")}]`),
    condition("Ready", !terminal && unready.length === 0, existing, now, readyReason, readyMessage),
    condition("ContainersReady", !terminal && unready.length === 0, existing, now, readyReason, readyMessage),
    condition("PodScheduled", true, existing, now),
  ];
  const status: PodStatus = { conditions, hostIP: input.hostIP, hostIPs: [{ ip: input.hostIP }], phase };
  if (inits.length > 0) status.initContainerStatuses = inits;
  status.containerStatuses = statuses;
  // Ephemeral containers (kubectl debug) report like init containers: never ready, no effect on the phase.
  const ephemeral = ephemeralContainersOf(pod).map((c) => {
    const s = containerStatus(c, latestOf(input, c.name), input, true);
    // The service account admission mounts nothing into them: Go omits the empty list.
    if ((s as { volumeMounts?: unknown[] }).volumeMounts?.length === 0) delete (s as { volumeMounts?: unknown[] }).volumeMounts;
    return s;
  });
  if (ephemeral.length > 0) (status as PodStatus & { ephemeralContainerStatuses?: ContainerStatus[] }).ephemeralContainerStatuses = ephemeral;
  if (rec.ip) {
    status.podIP = rec.ip;
    status.podIPs = [{ ip: rec.ip }];
  }
  if (input.existing?.qosClass) status.qosClass = input.existing.qosClass;
  if (rec.startTime) status.startTime = rec.startTime;
  return status;
}
