/**
 * The scheduler's snapshot (`framework.NodeInfo`): per node, the pods bound to it, what they
 * request (as declared, and with the scoring defaults for containers that declare nothing),
 * the host ports in use and the node's allocatable resources.
 *
 * @example
 * const infos = snapshot(ctx.store);
 * infos[0].requested.milliCPU; // sum of cpu requests of the pods on the first node
 */
import type { Container, Node, ObjectStore, Pod, Stored } from "../../api";
import { isPodTerminal } from "../common/pods";
import { milliValue, value } from "../common/quantity";

/** CPU in millicores and memory in bytes. */
export interface Resources {
  milliCPU: number;
  memory: number;
}

/** `schedutil.DefaultMilliCPURequest` / `DefaultMemoryRequest`, used only for scoring. */
const NON_ZERO_CPU = 100;
const NON_ZERO_MEMORY = 200 * 1024 * 1024;

/** A host port a pod holds: `0.0.0.0` stands for every address. */
export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

/** One node as the scheduler sees it. */
export interface NodeInfo {
  node: Stored<Node>;
  pods: Stored<Pod>[];
  requested: Resources;
  nonZeroRequested: Resources;
  allocatable: Resources & { pods: number };
  usedPorts: HostPort[];
}

function containerRequest(c: Container, nonZero: boolean): Resources {
  const req = c.resources?.requests ?? {};
  const cpu = req.cpu === undefined && nonZero ? NON_ZERO_CPU : milliValue(req.cpu);
  const memory = req.memory === undefined && nonZero ? NON_ZERO_MEMORY : value(req.memory);
  return { milliCPU: cpu, memory };
}

/**
 * `resourcehelper.PodRequests`: the containers' sum, at least any one init container (plus the
 * sidecars started before it), plus the pod overhead. `nonZero` applies the scoring defaults.
 */
export function podRequests(pod: Pick<Pod, "spec">, nonZero = false): Resources {
  const sum: Resources = { milliCPU: 0, memory: 0 };
  for (const c of pod.spec.containers ?? []) {
    const r = containerRequest(c, nonZero);
    sum.milliCPU += r.milliCPU;
    sum.memory += r.memory;
  }
  const sidecars: Resources = { milliCPU: 0, memory: 0 };
  for (const c of pod.spec.initContainers ?? []) {
    const r = containerRequest(c, nonZero);
    if (c.restartPolicy === "Always") {
      // Sidecars keep running next to the app containers: they add up.
      sum.milliCPU += r.milliCPU;
      sum.memory += r.memory;
      sidecars.milliCPU += r.milliCPU;
      sidecars.memory += r.memory;
    } else {
      sum.milliCPU = Math.max(sum.milliCPU, r.milliCPU + sidecars.milliCPU);
      sum.memory = Math.max(sum.memory, r.memory + sidecars.memory);
    }
  }
  const overhead = (pod.spec as { overhead?: Record<string, string> }).overhead;
  if (overhead) {
    sum.milliCPU += milliValue(overhead.cpu);
    sum.memory += value(overhead.memory);
  }
  return sum;
}

/** The host ports a pod asks for (regular containers only, as `GetContainerPorts`). */
export function podHostPorts(pod: Pick<Pod, "spec">): HostPort[] {
  const out: HostPort[] = [];
  for (const c of pod.spec.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      out.push({ ip: p.hostIP || "0.0.0.0", protocol: p.protocol || "TCP", port: p.hostPort });
    }
  }
  return out;
}

/** Every node with the pods bound to it; finished pods hold no resources. */
export function snapshot(store: ObjectStore): NodeInfo[] {
  const infos = new Map<string, NodeInfo>();
  for (const node of store.list<Node>("Node")) {
    const alloc = node.status?.allocatable ?? node.status?.capacity ?? {};
    infos.set(node.metadata.name, {
      node,
      pods: [],
      requested: { milliCPU: 0, memory: 0 },
      nonZeroRequested: { milliCPU: 0, memory: 0 },
      allocatable: { milliCPU: milliValue(alloc.cpu), memory: value(alloc.memory), pods: value(alloc.pods) },
      usedPorts: [],
    });
  }
  for (const pod of store.list<Pod>("Pod")) {
    const info = pod.spec.nodeName ? infos.get(pod.spec.nodeName) : undefined;
    if (!info || isPodTerminal(pod)) continue;
    addPod(info, pod);
  }
  return [...infos.values()];
}

/** Accounts `pod` on `info` (`NodeInfo.AddPod`). */
function addPod(info: NodeInfo, pod: Stored<Pod>): void {
  info.pods.push(pod);
  const req = podRequests(pod);
  const nz = podRequests(pod, true);
  info.requested.milliCPU += req.milliCPU;
  info.requested.memory += req.memory;
  info.nonZeroRequested.milliCPU += nz.milliCPU;
  info.nonZeroRequested.memory += nz.memory;
  info.usedPorts.push(...podHostPorts(pod));
}
