/**
 * One sync of one pod (the kubelet's `SyncPod` and `SyncTerminatingPod`): volumes, then the
 * sandbox (new network namespace, CNI ADD, pause), then init containers one by one, then the
 * app containers in order, restarting exited ones under the restart policy with crash-loop
 * back-off; or, for a pod being deleted, stopping its containers within the grace period,
 * tearing the sandbox down and removing the API object. Each sync ends by writing the status
 * and returns when it wants to run again.
 *
 * @example
 * const wakeAt = syncPod(w, view, rec); // e.g. when an image pull or a back-off ends
 */
import { ephemeralContainersOf, type Pod, type Stored } from "../../api";
import { equalPlain } from "../../util/plain";
import { goDuration } from "../format";
import { resolvConf, sandboxDir, writeEtcHosts, writeSandboxFiles } from "../container/filesystem";
import { networkNotReadyError } from "../pod-network";
import type { Sandbox } from "../runtime/containerd";
import { startContainer } from "./containers";
import { ensureImage } from "./images";
import type { PodRecord } from "./pod-record";
import { podStatus } from "./pod-status";
import { serviceAccountToken } from "./token";
import { podDir, removeTree, setUpVolumes, type VolumeResult } from "./volumes";
import type { PodView, WorkerContext } from "./worker-context";

/** How long containerd takes to create a sandbox (netns, CNI ADD, pause). */
const SANDBOX_MS = 500;
/** How soon a failed sandbox creation is retried. */
const SANDBOX_RETRY_MS = 10_000;
/** How soon a container that could not be configured is tried again. */
const CONFIG_RETRY_MS = 10_000;

const podName = (pod: Stored<Pod>) => `${pod.metadata.name}_${pod.metadata.namespace ?? "default"}(${pod.metadata.uid})`;

/** The pod's ready sandbox, if any. */
function readySandbox(w: WorkerContext, rec: PodRecord): Sandbox | undefined {
  return w.runtime.sandboxesOf(rec.uid).find((s) => s.state === "SANDBOX_READY");
}

/** Writes the kubelet's view of the pod's status (to the mirror pod for a static pod). */
export function writeStatus(w: WorkerContext, view: PodView, rec: PodRecord): void {
  const target = view.source === "api" ? w.store.find<Pod>("Pod", view.pod.metadata.namespace, view.pod.metadata.name) : view.mirror && w.store.find<Pod>("Pod", view.mirror.metadata.namespace, view.mirror.metadata.name);
  if (!target || (view.source === "api" && target.metadata.uid !== rec.uid)) return;
  const status = podStatus({ pod: view.pod, rec, runtime: w.runtime, sandbox: readySandbox(w, rec), hostIP: w.hostIP, clock: w.clock, existing: target.status });
  // The status manager sends nothing when the status is as stored (the store would take it as a no-op, after copying it).
  if (equalPlain(status, target.status)) return;
  w.store.updateStatus<Pod>({ ...target, status });
}

/** Forgets everything the node holds for the pod: containers, sandboxes, address, files. */
export function cleanupPod(w: WorkerContext, view: PodView | undefined, rec: PodRecord): void {
  // CNI DEL runs while the sandbox's network namespace still exists, as StopPodSandbox does it.
  const node = w.node();
  if (view && node && !view.pod.spec.hostNetwork) w.network.tearDown(view.pod, node);
  for (const s of w.runtime.sandboxesOf(rec.uid)) {
    w.runtime.removeSandbox(s.id);
    removeTree(w.nodeFs, sandboxDir(s.id));
  }
  removeTree(w.nodeFs, podDir(rec.uid));
}

function stopSandboxes(w: WorkerContext, view: PodView, rec: PodRecord): void {
  const node = w.node();
  if (node && !view.pod.spec.hostNetwork) w.network.tearDown(view.pod, node);
  for (const s of w.runtime.sandboxesOf(rec.uid)) w.runtime.stopSandbox(s.id);
}

/** Creates the sandbox once its creation time has come; returns it, or when to look again. */
function ensureSandbox(w: WorkerContext, view: PodView, rec: PodRecord): Sandbox | number {
  const now = w.clock.now();
  const ready = readySandbox(w, rec);
  if (ready) return ready;
  if (rec.sandboxDueAt === undefined) {
    if (rec.sandboxAttempts > 0) {
      w.event(view, "Normal", "SandboxChanged", "Pod sandbox changed, it will be killed and re-created.");
      for (const s of w.runtime.sandboxesOf(rec.uid)) w.runtime.stopSandbox(s.id);
    }
    rec.sandboxDueAt = now + SANDBOX_MS;
    return rec.sandboxDueAt;
  }
  if (now < rec.sandboxDueAt) return rec.sandboxDueAt;
  rec.sandboxDueAt = undefined;
  const node = w.node();
  const pod = view.pod;
  const hostNetwork = pod.spec.hostNetwork === true;
  const result = w.runtime.runSandbox({
    pod, attempt: rec.sandboxAttempts, hostNetwork, hostIP: w.hostIP,
    setUpNetwork: (sb) => (node ? w.network.setUp(pod, node, sb) : { error: `node "${w.nodeName}" not found` }),
  });
  if ("error" in result) {
    const message = `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${result.id}": ${result.error}`;
    w.event(view, "Warning", "FailedCreatePodSandBox", message);
    w.journal.klog(w.kubeletPid(), "E", "log.go:32", `"RunPodSandbox from runtime service failed" err="rpc error: code = Unknown desc = failed to setup network for sandbox \\"${result.id}\\": ${result.error.replace(/"/g, '\\"')}"`);
    rec.sandboxDueAt = now + SANDBOX_RETRY_MS;
    return rec.sandboxDueAt;
  }
  const sandbox = result.sandbox;
  rec.sandboxAttempts++;
  rec.ip = sandbox.ip;
  const domain = w.scenario.network.clusterDomain;
  writeEtcHosts(w.nodeFs, pod, sandbox.ip, hostNetwork, domain);
  const nodeResolv = w.nodeFs.isFile("/run/systemd/resolve/resolv.conf") ? w.nodeFs.readFile("/run/systemd/resolve/resolv.conf") : "";
  writeSandboxFiles(w.nodeFs, sandbox.id, hostNetwork ? w.nodeName : (pod.spec.hostname ?? pod.metadata.name), resolvConf(pod, nodeResolv, w.clusterDNS, domain));
  return sandbox;
}

/** Whether an exited container is started again, and if not yet, until when it waits. */
function restartAfterExit(w: WorkerContext, view: PodView, rec: PodRecord, name: string, finishedAt: number, exitCode: number): "now" | "never" | number {
  const policy = view.pod.spec.restartPolicy ?? "Always";
  if (policy === "Never" || (policy === "OnFailure" && exitCode === 0)) return "never";
  const key = `${rec.uid}/${name}`;
  const now = w.clock.now();
  if (w.crashBackoff.inBackOffSince(key, finishedAt, now)) {
    const delay = goDuration(w.crashBackoff.get(key));
    rec.waiting.set(name, { reason: "CrashLoopBackOff", message: `back-off ${delay} restarting failed container=${name} pod=${podName(view.pod)}` });
    w.event(view, "Warning", "BackOff", `Back-off restarting failed container ${name} in pod ${podName(view.pod)}`);
    w.journal.klog(w.kubeletPid(), "E", "pod_workers.go:1301", `"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"${name}\\" with CrashLoopBackOff: \\"back-off ${delay} restarting failed container=${name} pod=${podName(view.pod)}\\"" pod="${view.key}" podUID="${rec.uid}"`);
    return w.crashBackoff.expiry(key, finishedAt);
  }
  w.crashBackoff.next(key, finishedAt);
  return "now";
}

/**
 * The pod's volumes, set up again only when what they are made of may have changed: the pod's
 * spec, labels or annotations, its address, or a ConfigMap, Secret, claim or volume. As the
 * kubelet's volume manager, it remounts on pod updates and on a full resync (which clears
 * `rec.volumes`), not on every sync of a starting pod.
 */
function mountVolumes(w: WorkerContext, pod: Stored<Pod>, rec: PodRecord, now: number): VolumeResult {
  const inputs = [pod.spec, pod.metadata.labels, pod.metadata.annotations, rec.ip, ...VOLUME_SOURCES.map((kind) => w.store.kindVersion(kind))];
  const last = rec.volumes;
  if (last && last.inputs.length === inputs.length && last.inputs.every((v, i) => v === inputs[i])) return { ok: true, paths: last.paths };
  const volumes = setUpVolumes({ pod, store: w.store, fs: w.nodeFs, now, caCert: w.caCert, token: () => (rec.token ??= serviceAccountToken(w, pod)), podIP: rec.ip ?? "", nodeName: w.nodeName, dial: w.dial });
  rec.volumes = volumes.ok ? { inputs, paths: volumes.paths } : undefined;
  return volumes;
}

/** The kinds a pod's volumes are made from. */
const VOLUME_SOURCES = ["ConfigMap", "Secret", "PersistentVolumeClaim", "PersistentVolume"];

/** Brings the pod one step closer to its spec; returns when to sync again (or undefined). */
export function syncPod(w: WorkerContext, view: PodView, rec: PodRecord): number | undefined {
  const now = w.clock.now();
  const pod = view.pod;
  if (!rec.startTime) rec.startTime = w.clock.rfc3339(now);
  if (view.deleting) return terminatePod(w, view, rec);
  if (rec.terminal) {
    writeStatus(w, view, rec);
    return undefined;
  }
  const node = w.node();
  // A pod on the pod network waits while the runtime's network is not ready (no CNI configuration).
  const network = pod.spec.hostNetwork ? { ready: true as const } : w.network.status(w.nodeName);
  if (!network.ready) {
    const err = `network is not ready: ${networkNotReadyError(network)}`;
    w.event(view, "Warning", "NetworkNotReady", err);
    w.journal.klog(w.kubeletPid(), "E", "pod_workers.go:1301", `"Error syncing pod, skipping" err="${err}" pod="${view.key}" podUID="${rec.uid}"`);
    writeStatus(w, view, rec);
    return now + SANDBOX_RETRY_MS;
  }
  const volumes = mountVolumes(w, pod, rec, now);
  if (!volumes.ok) {
    w.mountBackoff.next(rec.uid, now);
    w.event(view, "Warning", "FailedMount", volumes.message);
    writeStatus(w, view, rec);
    return w.mountBackoff.expiryFromUpdate(rec.uid);
  }
  w.mountBackoff.reset(rec.uid);
  const sandbox = node ? ensureSandbox(w, view, rec) : now + SANDBOX_RETRY_MS;
  if (typeof sandbox === "number") {
    writeStatus(w, view, rec);
    return sandbox;
  }
  let wake: number | undefined;
  const soonest = (t: number | undefined) => {
    if (t !== undefined && (wake === undefined || t < wake)) wake = t;
  };
  const launch = (c: Pod["spec"]["containers"][number]): boolean => {
    const image = ensureImage(w, view, rec, c);
    if ("ready" in image) {
      startContainer(w, view, rec, sandbox, c, image.ready, image.ref, volumes.paths);
      // A config error (missing ConfigMap key…) is retried on the kubelet's next resync.
      if (rec.waiting.get(c.name)?.reason === "CreateContainerConfigError") soonest(now + CONFIG_RETRY_MS);
      return false;
    }
    soonest(image.wakeAt);
    return image.pulling;
  };
  for (const c of pod.spec.initContainers ?? []) {
    const latest = w.runtime.latest(rec.uid, c.name, sandbox.id);
    if (latest?.state === "CONTAINER_EXITED" && latest.exitCode === 0) continue;
    if (latest?.state === "CONTAINER_RUNNING" || latest?.state === "CONTAINER_CREATED") {
      writeStatus(w, view, rec);
      return wake;
    }
    if (latest) {
      const verdict = restartAfterExit(w, view, rec, c.name, latest.finishedAt ?? now, latest.exitCode ?? 1);
      if (verdict === "never") return finish(w, view, rec, "Failed");
      if (typeof verdict === "number") soonest(verdict);
      else launch(c);
    } else {
      launch(c);
    }
    writeStatus(w, view, rec);
    return wake;
  }
  for (const c of pod.spec.containers) {
    const latest = w.runtime.latest(rec.uid, c.name, sandbox.id);
    if (latest?.state === "CONTAINER_RUNNING" || latest?.state === "CONTAINER_CREATED") continue;
    if (latest) {
      const verdict = restartAfterExit(w, view, rec, c.name, latest.finishedAt ?? now, latest.exitCode ?? 1);
      if (verdict === "never") continue;
      if (typeof verdict === "number") {
        soonest(verdict);
        continue;
      }
    }
    // Pulls are serialized within a sync: a container whose image is on its way holds the rest.
    if (launch(c)) break;
  }
  // Ephemeral containers (kubectl debug) start once each, in the running pod, and are never restarted.
  for (const c of ephemeralContainersOf(pod)) {
    if (!w.runtime.latest(rec.uid, c.name, sandbox.id) && launch(c)) break;
  }
  const all = pod.spec.containers.map((c) => w.runtime.latest(rec.uid, c.name, sandbox.id));
  if (!rec.startupLogged && all.every((c) => c?.state === "CONTAINER_RUNNING")) logStartup(w, view, rec);
  if (all.every((c) => c?.state === "CONTAINER_EXITED") && !all.some((c) => restartsOnExit(pod, c!.exitCode ?? 1))) {
    return finish(w, view, rec, all.every((c) => c!.exitCode === 0) ? "Succeeded" : "Failed");
  }
  writeStatus(w, view, rec);
  return wake;
}

/** Go's `time.Time` String(): `2026-01-12 08:52:00.5 +0000 UTC`. */
function goTime(ms: number | undefined): string {
  if (ms === undefined) return "0001-01-01 00:00:00 +0000 UTC";
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${iso.slice(19, 23).replace(/\.?0+$/, "")} +0000 UTC`;
}

/** The pod startup latency tracker's line, once all containers first run. */
function logStartup(w: WorkerContext, view: PodView, rec: PodRecord): void {
  rec.startupLogged = true;
  const now = w.clock.now();
  const created = Date.parse(view.pod.metadata.creationTimestamp ?? "") || now;
  const e2e = now - created;
  const slo = (e2e - ((rec.lastPull ?? 0) - (rec.firstPull ?? 0))) / 1000;
  w.journal.klog(w.kubeletPid(), "I", "pod_startup_latency_tracker.go:104",
    `"Observed pod startup duration" pod="${view.key}" podStartSLOduration=${Number(slo.toFixed(6))} podStartE2EDuration="${goDuration(e2e)}" podCreationTimestamp="${goTime(created)}" firstStartedPulling="${goTime(rec.firstPull)}" lastFinishedPulling="${goTime(rec.lastPull)}" observedRunningTime="${goTime(now)}" watchObservedRunningTime="${goTime(now)}"`);
}

function restartsOnExit(pod: Stored<Pod>, exitCode: number): boolean {
  const policy = pod.spec.restartPolicy ?? "Always";
  return policy === "Always" || (policy === "OnFailure" && exitCode !== 0);
}

/** A pod that ran to completion: its sandbox and address go, its status stays. */
function finish(w: WorkerContext, view: PodView, rec: PodRecord, phase: "Succeeded" | "Failed"): undefined {
  rec.terminal = phase;
  stopSandboxes(w, view, rec);
  writeStatus(w, view, rec);
  return undefined;
}

/** Graceful termination: stop signal, wait for every container, then remove the pod. */
function terminatePod(w: WorkerContext, view: PodView, rec: PodRecord): number | undefined {
  const now = w.clock.now();
  const graceMs = Math.max(0, (view.deadline ?? now) - now);
  if (!rec.killing) {
    rec.killing = true;
    rec.sandboxDueAt = undefined;
    for (const c of w.runtime.containersOf(rec.uid)) {
      if (c.state !== "CONTAINER_RUNNING") continue;
      w.event(view, "Normal", "Killing", `Stopping container ${c.name}`);
      w.journal.klog(w.kubeletPid(), "I", "kuberuntime_container.go:809", `"Killing container with a grace period" pod="${view.key}" podUID="${rec.uid}" containerName="${c.name}" containerID="containerd://${c.id}" gracePeriod=${Math.round(graceMs / 1000)}`);
      w.runtime.stopContainer(c.id, graceMs, c.image.stopSignal);
    }
  }
  if (w.runtime.containersOf(rec.uid).some((c) => c.state === "CONTAINER_RUNNING")) {
    writeStatus(w, view, rec);
    return undefined;
  }
  if (!rec.terminal) {
    const exits = w.runtime.containersOf(rec.uid).map((c) => c.exitCode ?? 0);
    rec.terminal = exits.every((e) => e === 0) ? "Succeeded" : "Failed";
  }
  stopSandboxes(w, view, rec);
  writeStatus(w, view, rec);
  return undefined;
}
