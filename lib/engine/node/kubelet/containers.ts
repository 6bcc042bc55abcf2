/**
 * Starting one container of a pod (`kuberuntime`'s startContainer): its environment (or a
 * CreateContainerConfigError), its argv with `$(VAR)` references expanded, its file system
 * with the pod's volumes, the CRI create and start calls, and the Created / Started / Failed
 * events. A new instance of a container that ran before is a restart: the count goes up and
 * the previous instance's end becomes `lastState.terminated`.
 *
 * @example
 * startContainer(w, view, rec, sandbox, pod.spec.containers[0], image, ref, volumes);
 */
import type { Container, EphemeralContainer } from "../../api";
import { containerEnv, expandVars } from "../container/env";
import { buildContainerFs, sandboxDir } from "../container/filesystem";
import type { CatalogImage } from "../images/catalog";
import type { ImageRef } from "../images/reference";
import { containerArgv, imageTools, startProgram } from "../programs";
import type { Sandbox } from "../runtime/containerd";
import type { PodRecord } from "./pod-record";
import { terminatedState } from "./pod-status";
import { podDir } from "./volumes";
import type { PodView, WorkerContext } from "./worker-context";

export function startContainer(
  w: WorkerContext, view: PodView, rec: PodRecord, sandbox: Sandbox, c: Container, image: CatalogImage, ref: ImageRef, volumes: ReadonlyMap<string, string>,
): void {
  const pod = view.pod;
  const now = w.clock.now();
  const env = containerEnv({
    pod, container: c, store: w.store, image, podIP: sandbox.ip, hostIP: w.hostIP, nodeName: w.nodeName,
    allocatable: { cpu: w.cpus, memory: w.memoryBytes },
  });
  if (!env.ok) {
    rec.waiting.set(c.name, { reason: "CreateContainerConfigError", message: env.message });
    w.event(view, "Warning", "Failed", `Error: ${env.message}`);
    return;
  }
  const lookup = (name: string) => env.env[name];
  const argv = containerArgv(image, c).map((a) => expandVars(a, lookup));
  const previous = rec.started.get(c.name);
  if (previous) {
    rec.restarts.set(c.name, (rec.restarts.get(c.name) ?? 0) + 1);
    const ended = w.runtime.containers.get(previous.id);
    rec.lastTerminated.set(
      c.name,
      ended?.state === "CONTAINER_EXITED"
        ? terminatedState(ended, w.clock)
        : // The instance vanished with its node's runtime state (a reboot): the kubelet reports it unknown.
          { containerID: `containerd://${previous.id}`, exitCode: 255, finishedAt: w.clock.rfc3339(now), reason: "Unknown", startedAt: w.clock.rfc3339(previous.startedAt) },
    );
  }
  const attempt = rec.restarts.get(c.name) ?? 0;
  const tools = imageTools(image);
  const fs = buildContainerFs({
    clock: w.clock, image, container: c, nodeFs: w.nodeFs, tools, volumes,
    hosts: `${podDir(rec.uid)}/etc-hosts`, hostname: `${sandboxDir(sandbox.id)}/hostname`, resolv: `${sandboxDir(sandbox.id)}/resolv.conf`,
  });
  const meta = pod.metadata;
  const target = (c as EphemeralContainer).targetContainerName;
  const sharePidWith = target === undefined ? undefined : rec.started.get(target)?.id;
  const ctr = w.runtime.createContainer(sandbox, {
    name: c.name, attempt, image, imageRef: ref.full, argv, env: env.env, fs, ...(sharePidWith === undefined ? {} : { sharePidWith }),
    labels: { "io.kubernetes.container.name": c.name, "io.kubernetes.pod.name": meta.name, "io.kubernetes.pod.namespace": meta.namespace ?? "default", "io.kubernetes.pod.uid": rec.uid },
    annotations: {
      "io.kubernetes.container.restartCount": String(attempt),
      "io.kubernetes.container.terminationMessagePath": c.terminationMessagePath ?? "/dev/termination-log",
      "io.kubernetes.container.terminationMessagePolicy": c.terminationMessagePolicy ?? "File",
      "io.kubernetes.pod.terminationGracePeriod": String(pod.spec.terminationGracePeriodSeconds ?? 30),
    },
  });
  w.event(view, "Normal", "Created", `Created container ${c.name}`);
  const program = startProgram({
    argv, env: env.env, image, fs, podName: pod.spec.hostname ?? meta.name, namespace: meta.namespace ?? "default", nodeName: w.nodeName,
    nodeIP: w.hostIP, podIP: sandbox.ip, cpus: w.cpus, kernel: w.kernel, kubernetesVersion: w.scenario.kubernetesVersion,
    now, stdin: c.stdin === true,
  }, w.dial);
  rec.started.set(c.name, { id: ctr.id, startedAt: now });
  rec.waiting.delete(c.name);
  w.runtime.startContainer(ctr.id, program);
  if ("startError" in program) w.event(view, "Warning", "Failed", `Error: ${program.startError}`);
  else w.event(view, "Normal", "Started", `Started container ${c.name}`);
}
