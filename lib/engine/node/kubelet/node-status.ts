/**
 * The Node object as a v1.32 kubelet registers it on a kubeadm node (labels, the CRI socket
 * and TTL annotations, the control-plane taint kubeadm adds), and the status the kubelet
 * keeps posting: addresses, capacity and allocatable, the four conditions with the kubelet's
 * reasons, daemon endpoints, node info and the images it holds.
 *
 * @example
 * store.create(registeredNode({ spec, scenario, machine, runtimeVersion, now }));
 * nodeStatus({ machine, spec, scenario, images, ready: { ok: true }, existing, now });
 */
import type { Condition, Node, NodeAddress, Taint } from "../../api";
import type { NodeSpec, ScenarioSpec } from "../../scenarios";
import { criSocket } from "../kubeadm/files";
import { CPUS, DISK_KIB, KERNEL, MEMORY_KIB, OS_IMAGE, type Machine } from "../machine";
import type { StoredImage } from "../runtime/image-store";

/** kubeadm's taint on control-plane nodes. */
const CONTROL_PLANE_TAINT: Taint = { key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" };

export interface NodeInit {
  spec: NodeSpec;
  scenario: ScenarioSpec;
  machine: Machine;
  runtimeVersion: string;
}

/** The Node the kubelet creates (and kubeadm labels and taints) at registration. */
export function registeredNode(init: NodeInit): Node {
  const { spec } = init;
  const labels: Record<string, string> = {
    "beta.kubernetes.io/arch": "amd64",
    "beta.kubernetes.io/os": "linux",
    "kubernetes.io/arch": "amd64",
    "kubernetes.io/hostname": spec.name,
    "kubernetes.io/os": "linux",
  };
  if (spec.role === "control-plane") {
    labels["node-role.kubernetes.io/control-plane"] = "";
    labels["node.kubernetes.io/exclude-from-external-load-balancers"] = "";
  }
  const taints: Taint[] = [];
  if (spec.role === "control-plane" && !spec.schedulable) taints.push({ ...CONTROL_PLANE_TAINT });
  for (const t of spec.taints) taints.push(t.value === undefined ? { key: t.key, effect: t.effect } : { key: t.key, value: t.value, effect: t.effect });
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: spec.name,
      labels: { ...labels, ...spec.labels },
      annotations: {
        "kubeadm.alpha.kubernetes.io/cri-socket": criSocket(init.scenario.runtime),
        "node.alpha.kubernetes.io/ttl": "0",
        "volumes.kubernetes.io/controller-managed-attach-detach": "true",
      },
    },
    spec: taints.length > 0 ? { taints } : {},
  };
}

export interface StatusInit extends NodeInit {
  images: readonly StoredImage[];
  /** Whether the kubelet can reach its runtime (containerd stopped: not ready). */
  ready: { ok: true } | { ok: false; message: string };
  existing?: Node["status"];
  now: string;
}

function condition(type: string, status: string, reason: string, message: string, existing: Condition[], now: string): Condition {
  const before = existing.find((c) => c.type === type);
  return { lastHeartbeatTime: now, lastTransitionTime: before && before.status === status ? before.lastTransitionTime : now, message, reason, status, type };
}

/** The status the kubelet posts now. */
export function nodeStatus(init: StatusInit): NonNullable<Node["status"]> {
  const existing = (init.existing?.conditions ?? []) as Condition[];
  const others = existing.filter((c) => !["MemoryPressure", "DiskPressure", "PIDPressure", "Ready"].includes(c.type));
  const bytes = DISK_KIB * 1024;
  const addresses: NodeAddress[] = [{ type: "InternalIP", address: init.spec.ip }, { type: "Hostname", address: init.spec.name }];
  const images = [...init.images]
    .sort((a, b) => b.image.size - a.image.size)
    .slice(0, 50)
    .map((s) => ({ names: [`${s.image.repository}@${s.image.digest}`, ...[...s.tags].sort()], sizeBytes: s.image.size }));
  return {
    addresses,
    allocatable: { cpu: String(CPUS), "ephemeral-storage": String(bytes - Math.ceil(bytes / 10)), "hugepages-1Gi": "0", "hugepages-2Mi": "0", memory: `${MEMORY_KIB - 102400}Ki`, pods: "110" },
    capacity: { cpu: String(CPUS), "ephemeral-storage": `${DISK_KIB}Ki`, "hugepages-1Gi": "0", "hugepages-2Mi": "0", memory: `${MEMORY_KIB}Ki`, pods: "110" },
    conditions: [
      ...others,
      condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", existing, init.now),
      condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", existing, init.now),
      condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", existing, init.now),
      init.ready.ok
        ? condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", existing, init.now)
        : condition("Ready", "False", "KubeletNotReady", init.ready.message, existing, init.now),
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    images,
    nodeInfo: {
      architecture: "amd64",
      bootID: init.machine.bootID,
      containerRuntimeVersion: init.runtimeVersion,
      kernelVersion: KERNEL,
      kubeletVersion: init.scenario.kubernetesVersion,
      machineID: init.machine.machineID,
      operatingSystem: "linux",
      osImage: OS_IMAGE,
      systemUUID: init.machine.systemUUID,
    },
  };
}
