/**
 * Fixtures for the control-plane tests: a three-node flannel cluster whose Node objects are
 * created here (the node agents do it in the product), a stand-in kubelet that runs bound pods
 * (Running, Ready, an IP from the node's pod CIDR), finishes graceful deletions and renews its
 * node Lease every 10 s while the machine is up, and small object builders.
 */
import type { Condition, KubeObject, Lease, Node, Pod, Stored, Taint } from "@/lib/engine/api";
import { Cluster } from "@/lib/engine/cluster/cluster";
import { type Controller, objectKey, splitKey } from "@/lib/engine/cluster/controller";
import { loadScenario } from "@/lib/engine/scenarios";
import { controlPlaneControllers } from "@/lib/engine/controllers";

export interface NodeOptions {
  labels?: Record<string, string>;
  taints?: Taint[];
  cpu?: string;
  memory?: string;
  pods?: string;
  ready?: boolean;
}

/** A Node as the kubelet registers it: hostname/os/arch labels, capacity, Ready condition. */
export function nodeObject(name: string, now: string, opts: NodeOptions = {}): Node {
  const capacity = { cpu: opts.cpu ?? "2", memory: opts.memory ?? "4015852Ki", pods: opts.pods ?? "110", "ephemeral-storage": "20134592Ki" };
  const condition = (type: string, status: string, reason: string, message: string): Condition =>
    ({ type, status, reason, message, lastHeartbeatTime: now, lastTransitionTime: now });
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      labels: {
        "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", ...opts.labels,
      },
    },
    spec: { taints: opts.taints },
    status: {
      capacity,
      allocatable: capacity,
      conditions: [
        condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        opts.ready === false
          ? condition("Ready", "False", "KubeletNotReady", "container runtime network not ready")
          : condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
      ],
    },
  };
}

/**
 * The stand-in kubelet: a controller on pods. Pods for which `notReady` answers true run but
 * are not Ready; pods on a machine that is off (or whose kubelet is stopped) are left as they are.
 */
export class FakeKubelet implements Controller {
  readonly name = "test-kubelet";
  readonly watches = [{ kind: "Pod", keys: (e: { object: Stored }) => [objectKey(e.object)] }];
  notReady: (pod: Stored<Pod>) => boolean = () => false;
  private readonly nextIP = new Map<string, number>();

  constructor(private readonly cluster: Cluster) {}

  /** Whether the kubelet of `node` runs (nodes without a machine, added by tests, always do). */
  running(node: string): boolean {
    return this.cluster.nodes.get(node)?.kubeletRunning ?? true;
  }

  reconcile(key: string): void {
    const { store, clock } = this.cluster;
    const { namespace, name } = splitKey(key);
    const pod = store.find<Pod>("Pod", namespace, name);
    const node = pod?.spec.nodeName;
    if (!pod || !node || !this.running(node)) return;
    if (pod.metadata.deletionTimestamp) {
      store.delete("Pod", namespace, name, { gracePeriodSeconds: 0 });
      return;
    }
    if (pod.status?.phase === "Failed" || pod.status?.phase === "Succeeded") return;
    const now = clock.rfc3339();
    const ready = this.notReady(pod) ? "False" : "True";
    const current = pod.status?.conditions?.find((c) => c.type === "Ready");
    if (pod.status?.phase === "Running" && current?.status === ready) return;
    const ip = pod.status?.podIP ?? this.allocateIP(node);
    const since = current?.status === ready ? current.lastTransitionTime : now;
    const conditions: Condition[] = [
      { type: "Initialized", status: "True", lastProbeTime: null, lastTransitionTime: pod.status?.startTime ?? now },
      { type: "Ready", status: ready, lastProbeTime: null, lastTransitionTime: since },
      { type: "ContainersReady", status: ready, lastProbeTime: null, lastTransitionTime: since },
      ...(pod.status?.conditions ?? []).filter((c) => c.type === "PodScheduled"),
    ];
    store.updateStatus<Pod>({
      ...pod,
      status: { ...pod.status, phase: "Running", conditions, podIP: ip, podIPs: [{ ip }], hostIP: "172.30.1.3", startTime: pod.status?.startTime ?? now },
    });
  }

  /** Re-runs every pod on `node` (after its kubelet comes back). */
  resync(node?: string): void {
    for (const pod of this.cluster.store.list<Pod>("Pod")) {
      if (!node || pod.spec.nodeName === node) this.cluster.enqueue(this.name, objectKey(pod));
    }
    this.cluster.settle();
  }

  private allocateIP(node: string): string {
    const cidr = this.cluster.store.find<Node>("Node", undefined, node)?.spec?.podCIDR ?? "10.244.99.0/24";
    const n = (this.nextIP.get(node) ?? 1) + 1;
    this.nextIP.set(node, n);
    return cidr.replace(/\.0\/24$/, `.${n}`);
  }
}

export interface TestCluster {
  cluster: Cluster;
  kubelet: FakeKubelet;
  /** Adds a Node object (and starts renewing its Lease). */
  addNode(name: string, opts?: NodeOptions): Stored<Node>;
  /** Lets `seconds` of virtual time pass. */
  advance(seconds: number): void;
  /** Events of `object`, as `reason: message`. */
  events(object: { metadata: { name?: string } }): string[];
}

/** Renews `kube-node-lease/<node>` every 10 s while the machine's kubelet runs, as the kubelet does. */
function startHeartbeat(cluster: Cluster, kubelet: FakeKubelet, node: string): void {
  const renew = () => {
    if (!cluster.store.find("Node", undefined, node)) return;
    if (kubelet.running(node)) {
      const now = cluster.clock.rfc3339();
      const lease = cluster.store.find<Lease>("Lease", "kube-node-lease", node);
      const spec = { holderIdentity: node, leaseDurationSeconds: 40, renewTime: now };
      if (lease) cluster.store.update<Lease>({ ...lease, spec: { ...lease.spec, ...spec } });
      else cluster.store.create<Lease>({ apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: node, namespace: "kube-node-lease" }, spec });
    }
    cluster.timers.at(cluster.clock.now() + 10_000, `heartbeat/${node}`, renew);
  };
  renew();
}

/**
 * A three-node-flannel cluster with the given controllers (default: the whole control plane),
 * its three nodes registered (the control plane tainted) and settled.
 */
export function testCluster(options: { seed?: number; controllers?: Controller[]; nodes?: boolean } = {}): TestCluster {
  const cluster = new Cluster(loadScenario("three-node-flannel"), options.seed ?? 7);
  for (const c of options.controllers ?? controlPlaneControllers()) cluster.register(c);
  const kubelet = new FakeKubelet(cluster);
  cluster.register(kubelet);
  cluster.settle();
  const addNode = (name: string, opts: NodeOptions = {}) => {
    const node = cluster.store.create<Node>(nodeObject(name, cluster.clock.rfc3339(), opts));
    startHeartbeat(cluster, kubelet, name);
    cluster.settle();
    return cluster.store.get<Node>("Node", undefined, node.metadata.name);
  };
  if (options.nodes !== false) {
    addNode("controlplane", {
      labels: { "node-role.kubernetes.io/control-plane": "", "node.kubernetes.io/exclude-from-external-load-balancers": "" },
      taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }],
    });
    addNode("node01");
    addNode("node02");
  }
  return {
    cluster,
    kubelet,
    addNode,
    advance: (seconds) => cluster.advance(seconds * 1000),
    events: (object) =>
      cluster.store
        .list<KubeObject & { involvedObject: { name?: string }; reason?: string; message?: string }>("Event")
        .filter((e) => e.involvedObject.name === object.metadata.name)
        .map((e) => `${e.reason}: ${e.message}`),
  };
}

/** Pods matching `selector` (label selector text) in `default`, sorted by name. */
export function podsOf(cluster: Cluster, selector: string, namespace = "default"): Stored<Pod>[] {
  return cluster.store.list<Pod>("Pod", { namespace, labelSelector: selector });
}

/** A container list with one nginx container, optionally with requests and a named port. */
export function webSpec(extra: Partial<Pod["spec"]> = {}): Pod["spec"] {
  return { containers: [{ name: "web", image: "nginx:1.27", ports: [{ name: "http", containerPort: 80 }] }], ...extra };
}
