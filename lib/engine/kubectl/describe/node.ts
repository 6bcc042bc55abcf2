/**
 * `kubectl describe node`: roles, taints, the node lease, conditions, addresses, capacity,
 * system info, the non-terminated pods with their share of the node, and allocated resources.
 * Quantities are summed exactly and printed in Kubernetes' canonical short form.
 *
 * @example
 * describeNode(w, store, node, now);
 */
import { type Lease, type Node, type ObjectStore, type Pod, type Stored, nodeRoles } from "../../api";
import { type DescribeWriter, printAnnotations, printLabels, printList, rfc1123z, since } from "./writer";

const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };

/** A parsed quantity: its value in base units and whether it was written with a binary suffix. */
interface Quantity {
  value: number;
  binary: boolean;
}

function parseQuantity(text: string | number | undefined): Quantity {
  const m = /^([+-]?[0-9.]+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(String(text ?? "0"));
  if (!m) return { value: 0, binary: false };
  const base = Number(m[1] + (m[2] ?? ""));
  const suffix = m[3] ?? "";
  return suffix in BINARY ? { value: base * BINARY[suffix], binary: true } : { value: base * DECIMAL[suffix], binary: false };
}

/** `Quantity.String()` in canonical form for a value in base units. */
function formatQuantity(q: Quantity): string {
  if (q.value === 0) return "0";
  if (q.binary && Number.isInteger(q.value)) {
    for (const [suffix, mult] of Object.entries(BINARY).reverse()) if (q.value % mult === 0) return `${q.value / mult}${suffix}`;
    return String(q.value);
  }
  // The largest suffix that leaves a whole number (float error tolerated), else millis.
  for (const suffix of ["E", "P", "T", "G", "M", "k", ""]) {
    const v = q.value / DECIMAL[suffix];
    const r = Math.round(v);
    if (r !== 0 && Math.abs(v - r) < 1e-9 * Math.abs(v)) return `${r}${suffix}`;
  }
  return `${Math.round(q.value * 1000)}m`;
}

type Resources = Record<string, Quantity>;

function addQuantity(into: Resources, name: string, q: Quantity, max = false): void {
  const cur = into[name];
  if (!cur) into[name] = { ...q };
  else cur.value = max ? Math.max(cur.value, q.value) : cur.value + q.value;
}

function add(into: Resources, list: Readonly<Record<string, string | number>> | undefined, max = false): void {
  for (const [name, text] of Object.entries(list ?? {})) addQuantity(into, name, parseQuantity(text), max);
}

/** `resourcehelper.PodRequests` / `PodLimits`: app containers summed, init containers as a floor. */
function podResources(pod: Pod, kind: "requests" | "limits"): Resources {
  const sum: Resources = {};
  for (const c of pod.spec.containers) add(sum, c.resources?.[kind]);
  for (const c of pod.spec.initContainers ?? []) add(sum, c.resources?.[kind], true);
  return sum;
}

const percent = (part: number, whole: number) => Math.trunc((part / whole) * 100);

function describeNodeResource(w: DescribeWriter, pods: readonly Stored<Pod>[], node: Node, now: number): void {
  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n");
  w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n");
  const alloc: Resources = {};
  add(alloc, Object.keys(node.status?.allocatable ?? {}).length > 0 ? node.status?.allocatable : node.status?.capacity);
  const cpu = alloc.cpu?.value ?? 0;
  const mem = alloc.memory?.value ?? 0;
  const zero: Quantity = { value: 0, binary: false };
  const cell = (q: Quantity | undefined, whole: number) => `${formatQuantity(q ?? zero)} (${whole ? percent((q ?? zero).value, whole) : 0}%)`;
  const reqs: Resources = {};
  const limits: Resources = {};
  for (const pod of pods) {
    const r = podResources(pod, "requests");
    const l = podResources(pod, "limits");
    for (const [name, q] of Object.entries(r)) addQuantity(reqs, name, q);
    for (const [name, q] of Object.entries(l)) addQuantity(limits, name, q);
    w.write(1, `${pod.metadata.namespace}\t${pod.metadata.name}\t\t${cell(r.cpu, cpu)}\t${cell(l.cpu, cpu)}\t${cell(r.memory, mem)}\t` +
      `${cell(l.memory, mem)}\t${since(pod.metadata.creationTimestamp, now)}\n`);
  }
  w.write(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n");
  w.write(1, "Resource\tRequests\tLimits\n");
  w.write(1, "--------\t--------\t------\n");
  for (const name of ["cpu", "memory", "ephemeral-storage"]) {
    const whole = alloc[name]?.value ?? 0;
    w.write(1, `${name}\t${cell(reqs[name], whole)}\t${cell(limits[name], whole)}\n`);
  }
  const names = Object.keys(alloc).sort();
  for (const name of names.filter((n) => n.startsWith("hugepages-"))) {
    w.write(1, `${name}\t${cell(reqs[name], alloc[name].value)}\t${cell(limits[name], alloc[name].value)}\n`);
  }
  const standard = new Set(["cpu", "memory", "ephemeral-storage", "pods", "storage"]);
  for (const name of names.filter((n) => !standard.has(n) && !n.startsWith("hugepages-"))) {
    w.write(1, `${name}\t${formatQuantity(reqs[name] ?? zero)}\t${formatQuantity(limits[name] ?? zero)}\n`);
  }
}

/** `describeNode` without the events. */
export function describeNode(w: DescribeWriter, store: ObjectStore, node: Stored<Node>, now: number): void {
  const { spec = {}, status = {} } = node;
  w.write(0, `Name:\t${node.metadata.name}\n`);
  const roles = nodeRoles(node);
  w.write(0, `Roles:\t${roles.length ? roles.join(",") : "<none>"}\n`);
  printLabels(w, "Labels", node.metadata.labels);
  printAnnotations(w, "Annotations", node.metadata.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(node.metadata.creationTimestamp)}\n`);
  const taints = [...(spec.taints ?? [])].sort((a, b) => (`${a.effect},${a.key}` < `${b.effect},${b.key}` ? -1 : 1));
  printList(w, "Taints", taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ""}:${t.effect}`));
  w.write(0, `Unschedulable:\t${spec.unschedulable === true}\n`);
  const lease = store.find<Lease>("Lease", "kube-node-lease", node.metadata.name);
  if (!lease) w.write(0, `Lease:\tFailed to get lease: leases.coordination.k8s.io "${node.metadata.name}" not found\n`);
  else {
    w.write(0, "Lease:\n");
    w.write(1, `HolderIdentity:\t${lease.spec?.holderIdentity ?? "<unset>"}\n`);
    w.write(1, `AcquireTime:\t${lease.spec?.acquireTime ? rfc1123z(lease.spec.acquireTime) : "<unset>"}\n`);
    w.write(1, `RenewTime:\t${lease.spec?.renewTime ? rfc1123z(lease.spec.renewTime) : "<unset>"}\n`);
  }
  if (status.conditions?.length) {
    w.write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n");
    w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n");
    for (const c of status.conditions) {
      w.write(1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ""} \t${c.message ?? ""}\n`);
    }
  }
  w.write(0, "Addresses:\n");
  for (const a of status.addresses ?? []) w.write(1, `${a.type}:\t${a.address}\n`);
  for (const [title, list] of [["Capacity", status.capacity], ["Allocatable", status.allocatable]] as const) {
    const names = Object.keys(list ?? {}).sort();
    if (names.length === 0) continue;
    w.write(0, `${title}:\n`);
    for (const n of names) w.write(0, `  ${n}:\t${list![n]}\n`);
  }
  const info = status.nodeInfo ?? {};
  w.write(0, "System Info:\n");
  const rows: [string, string | undefined][] = [
    ["Machine ID", info.machineID], ["System UUID", info.systemUUID], ["Boot ID", info.bootID], ["Kernel Version", info.kernelVersion],
    ["OS Image", info.osImage], ["Operating System", info.operatingSystem], ["Architecture", info.architecture],
    ["Container Runtime Version", info.containerRuntimeVersion], ["Kubelet Version", info.kubeletVersion],
  ];
  for (const [k, v] of rows) w.write(0, `  ${k}:\t${v ?? ""}\n`);
  if (spec.podCIDR) w.write(0, `PodCIDR:\t${spec.podCIDR}\n`);
  if (spec.podCIDRs?.length) w.write(0, `PodCIDRs:\t${spec.podCIDRs.join(",")}\n`);
  if (spec.providerID) w.write(0, `ProviderID:\t${spec.providerID}\n`);
  const pods = store.list<Pod>("Pod").filter((p) =>
    p.spec.nodeName === node.metadata.name && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed");
  describeNodeResource(w, pods, node, now);
}
