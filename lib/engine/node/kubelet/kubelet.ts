/**
 * The kubelet of one node as a controller named `kubelet/<node>`: it watches Pods bound to
 * its node (and their ConfigMaps and Secrets), its static pod manifests, and what its
 * container runtime reports, and syncs each pod with the pod worker. It does nothing while
 * the node's `kubelet` unit is stopped or the node is off, and cannot reach its pods while
 * containerd is down. Static pods get mirror pods in the API, owned by the Node.
 *
 * @example
 * const kubelet = new Kubelet(deps);
 * cluster.register(kubelet);
 * kubelet.resyncAll(); // after the kubelet (re)starts
 */
import type { ConfigMap, Node, ObjectStore, Pod, Secret, Stored, WatchEvent } from "../../api";
import type { Cluster } from "../../cluster/cluster";
import type { Controller, ControllerContext, ControllerWatch } from "../../cluster/controller";
import type { NodeHost } from "../../cluster/node-host";
import type { ScenarioSpec } from "../../scenarios";
import type { FileSystem } from "../../shell";
import type { VirtualClock } from "../../util/clock";
import type { Lazy } from "../../util/lazy";
import { equalPlain } from "../../util/plain";
import type { Rng } from "../../util/rng";
import type { ImageCatalog } from "../images/catalog";
import { CPUS, KERNEL, MEMORY_KIB } from "../machine";
import type { NodeAgents } from "../agents";
import type { PodNetwork } from "../pod-network";
import type { ContainerRuntime } from "../runtime/containerd";
import type { ImageStore } from "../runtime/image-store";
import { Backoff } from "./backoff";
import type { Journal } from "./journal";
import { cleanupPod, syncPod } from "./pod-worker";
import { newRecord, type PodRecord } from "./pod-record";
import { StaticPodSource } from "./static-pods";
import type { PodView, WorkerContext } from "./worker-context";

export interface KubeletDeps {
  cluster: Cluster;
  host: NodeHost;
  runtime: ContainerRuntime;
  images: ImageStore;
  catalog: ImageCatalog;
  network: PodNetwork;
  journal: Journal;
  rng: Rng;
  caCert: string;
  clusterDNS: string;
  /** The node's agent: the kubelet's PID for its log lines. */
  agent: { kubeletPid(): number };
  /** Every node's agents: programs dial through them; a synced static pod may start or stop a component. */
  agents: NodeAgents;
}

const MIRROR = "kubernetes.io/config.mirror";
const STATIC = "static:";

const isMirror = (pod: Stored<Pod> | undefined) => pod?.metadata.annotations?.[MIRROR] !== undefined;
/** The ConfigMaps or Secrets a pod reads, by name: volumes, projected sources, env and envFrom. */
function references(pod: Stored<Pod>, kind: "ConfigMap" | "Secret"): Set<string> {
  const names = new Set<string>();
  const add = (name: string | undefined) => name && names.add(name);
  for (const v of pod.spec.volumes ?? []) {
    add(kind === "ConfigMap" ? v.configMap?.name : v.secret?.secretName);
    for (const source of v.projected?.sources ?? []) add((source[kind === "ConfigMap" ? "configMap" : "secret"] as { name?: string } | undefined)?.name);
  }
  for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
    for (const env of c.env ?? []) add(kind === "ConfigMap" ? env.valueFrom?.configMapKeyRef?.name : env.valueFrom?.secretKeyRef?.name);
    for (const from of c.envFrom ?? []) add(kind === "ConfigMap" ? from.configMapRef?.name : from.secretRef?.name);
  }
  return names;
}

const withoutStatus = (obj: Stored) => ({ ...obj, status: undefined, metadata: { ...obj.metadata, resourceVersion: undefined } });

/** One of the kubelet's watches: the kubelet works out the keys (a watch is data: it names its kubelet). */
class KubeletWatch implements ControllerWatch {
  constructor(
    readonly kind: "Pod" | "ConfigMap" | "Secret",
    private readonly kubelet: Kubelet,
  ) {}

  keys(event: WatchEvent): readonly string[] {
    return this.kind === "Pod" ? this.kubelet.podKeys(event) : this.kubelet.referencing(event, this.kind);
  }
}

export class Kubelet implements WorkerContext, Controller {
  readonly name: string;
  readonly nodeName: string;
  readonly hostIP: string;
  readonly store: ObjectStore;
  readonly clock: VirtualClock;
  readonly rng: Rng;
  readonly runtime: ContainerRuntime;
  readonly images: ImageStore;
  readonly catalog: ImageCatalog;
  readonly network: PodNetwork;
  readonly nodeFs: FileSystem;
  readonly journal: Journal;
  readonly scenario: ScenarioSpec;
  readonly crashBackoff = new Backoff(10_000, 300_000);
  readonly pullBackoff = new Backoff(10_000, 300_000);
  readonly mountBackoff = new Backoff(500, 122_000);
  readonly clusterDNS: string;
  readonly caCert: string;
  readonly dial: NodeAgents;
  readonly cpus = CPUS;
  readonly kernel = KERNEL;
  readonly memoryBytes = MEMORY_KIB * 1024;
  readonly statics: StaticPodSource;
  readonly records = new Map<string, { rec: PodRecord; pod: Stored<Pod> }>();
  readonly watches: readonly ControllerWatch[];
  private readonly byUid = new Map<string, string>();

  constructor(private readonly deps: KubeletDeps) {
    const { cluster, host } = deps;
    this.nodeName = host.name;
    this.name = `kubelet/${host.name}`;
    this.hostIP = host.ip;
    this.store = cluster.store;
    this.clock = cluster.clock;
    this.rng = deps.rng;
    this.runtime = deps.runtime;
    this.images = deps.images;
    this.catalog = deps.catalog;
    this.network = deps.network;
    this.nodeFs = host.fs;
    this.journal = deps.journal;
    this.scenario = cluster.scenario;
    this.clusterDNS = deps.clusterDNS;
    this.caCert = deps.caCert;
    this.dial = deps.agents;
    this.statics = new StaticPodSource({ fs: host.fs, store: this.store, nodeName: host.name, clock: this.clock, journal: this.journal, agent: deps.agent });
    this.watches = [new KubeletWatch("Pod", this), new KubeletWatch("ConfigMap", this), new KubeletWatch("Secret", this)];
  }

  kubeletPid(): number {
    return this.deps.agent.kubeletPid();
  }

  apiServerFile(path: string): string | Lazy<string> | undefined {
    const controlPlane = [...this.deps.cluster.nodes.values()].find((n) => n.role === "control-plane");
    return controlPlane?.fs.exists(path) ? controlPlane.fs.readFileRecipe(path) : undefined;
  }

  node(): Stored<Node> | undefined {
    return this.store.find<Node>("Node", undefined, this.nodeName);
  }

  event(view: PodView, type: "Normal" | "Warning", reason: string, message: string): void {
    const target = view.source === "api" ? (this.store.find<Pod>("Pod", view.pod.metadata.namespace, view.pod.metadata.name) ?? view.pod) : view.pod;
    this.deps.cluster.events.record(target, type, reason, message, { component: "kubelet", host: this.nodeName });
  }

  /** The runtime saw a container of this pod change state (PLEG). */
  notify(uid: string): void {
    const key = this.byUid.get(uid);
    if (key) this.deps.cluster.enqueue(this.name, key);
  }

  /** Queues every pod of the node, as a starting kubelet lists them. */
  resyncAll(): void {
    this.statics.poll();
    for (const sp of this.statics.pods()) this.deps.cluster.enqueue(this.name, STATIC + sp.key);
    for (const pod of this.store.list<Pod>("Pod", { fieldSelector: `spec.nodeName=${this.nodeName}` })) {
      this.deps.cluster.enqueue(this.name, isMirror(pod) ? `${STATIC}${pod.metadata.namespace}/${pod.metadata.name}` : `${pod.metadata.namespace}/${pod.metadata.name}`);
    }
    // A full resync remounts every pod's volumes (the atomic writer puts back what changed).
    for (const [key, { rec }] of this.records) {
      rec.volumes = undefined;
      this.deps.cluster.enqueue(this.name, key);
    }
  }

  /** Re-reads the manifest directory and queues static pods that changed. */
  pollStaticPods(): void {
    for (const key of this.statics.poll()) this.deps.cluster.enqueue(this.name, STATIC + key);
  }

  /** The node lost power: pulls in flight and sandboxes being made are gone. */
  powerLost(): void {
    for (const { rec } of this.records.values()) {
      rec.pulls.clear();
      rec.sandboxDueAt = undefined;
      rec.killing = false;
    }
  }

  /** Whether a static pod's first container runs (the control plane component is up). */
  staticPodRunning(name: string): boolean {
    const entry = this.records.get(`${STATIC}kube-system/${name}-${this.nodeName}`);
    if (!entry || !this.deps.host.powered) return false;
    return this.runtime.containersOf(entry.rec.uid).some((c) => c.state === "CONTAINER_RUNNING");
  }

  /** Keys of a pod event: pods bound to this node (static ones by their manifest key). */
  podKeys(e: WatchEvent): string[] {
    // Pods of other nodes first (the common case, and cheap): then, like the kubelet's pod
    // config, status-only updates (its own writes) are not news.
    const nodeOf = (pod: Stored | undefined) => (pod as Stored<Pod> | undefined)?.spec?.nodeName;
    if (nodeOf(e.object) !== this.nodeName && nodeOf(e.old) !== this.nodeName) return [];
    if (e.type === "MODIFIED" && e.old && equalPlain(withoutStatus(e.object), withoutStatus(e.old))) return [];
    const keys = new Set<string>();
    for (const obj of [e.object, e.old] as (Stored<Pod> | undefined)[]) {
      if (!obj || obj.spec?.nodeName !== this.nodeName) continue;
      const key = `${obj.metadata.namespace}/${obj.metadata.name}`;
      keys.add(isMirror(obj) ? STATIC + key : key);
    }
    return [...keys];
  }

  /** Pods of this node that mount or read the ConfigMap/Secret that changed. */
  referencing(e: WatchEvent, kind: "ConfigMap" | "Secret"): string[] {
    const obj = e.object as Stored<ConfigMap | Secret>;
    return [...this.records.values()]
      .filter(({ pod }) => pod.metadata.namespace === obj.metadata.namespace && references(pod, kind).has(obj.metadata.name))
      .map(({ rec }) => rec.key);
  }

  reconcile(key: string, ctx: ControllerContext): void {
    if (!this.deps.host.kubeletRunning || this.deps.host.unit("containerd") !== "active") return;
    const wake = key.startsWith(STATIC) ? this.syncStatic(key.slice(STATIC.length)) : this.syncApi(key);
    // A synced static pod's component may have started or stopped.
    if (key.startsWith(STATIC)) this.deps.agents.checkComponents();
    if (wake !== undefined) ctx.requeueAfter(key, Math.max(0, wake - this.clock.now()));
  }

  private track(key: string, rec: PodRecord, pod: Stored<Pod>): void {
    this.records.set(key, { rec, pod });
    this.byUid.set(rec.uid, key);
  }

  private forget(key: string, view: PodView | undefined, rec: PodRecord, source: "api" | "file"): void {
    cleanupPod(this, view, rec);
    this.records.delete(key);
    this.byUid.delete(rec.uid);
    this.journal.klog(this.kubeletPid(), "I", "kubelet.go:2484", `"SyncLoop REMOVE" source="${source}" pods=["${key.replace(STATIC, "")}"]`);
  }

  private syncApi(key: string): number | undefined {
    const slash = key.indexOf("/");
    let pod = this.store.find<Pod>("Pod", key.slice(0, slash), key.slice(slash + 1));
    if (pod && (pod.spec.nodeName !== this.nodeName || isMirror(pod))) pod = undefined;
    const entry = this.records.get(key);
    if (entry && (!pod || pod.metadata.uid !== entry.rec.uid)) {
      this.forget(key, { key, pod: entry.pod, source: "api", deleting: true }, entry.rec, "api");
    }
    if (!pod) return undefined;
    let rec = this.records.get(key)?.rec;
    if (!rec) {
      rec = newRecord(key, pod.metadata.uid, "api");
      this.journal.klog(this.kubeletPid(), "I", "kubelet.go:2474", `"SyncLoop ADD" source="api" pods=["${key}"]`);
    }
    this.track(key, rec, pod);
    const deletion = pod.metadata.deletionTimestamp;
    if (deletion && !rec.killing) this.journal.klog(this.kubeletPid(), "I", "kubelet.go:2490", `"SyncLoop DELETE" source="api" pods=["${key}"]`);
    const view: PodView = { key, pod, source: "api", deleting: Boolean(deletion), deadline: deletion ? Date.parse(deletion) : undefined };
    const wake = syncPod(this, view, rec);
    if (view.deleting && rec.terminal && !this.runtime.containersOf(rec.uid).some((c) => c.state === "CONTAINER_RUNNING")) {
      // The status manager removes a terminated pod's object once its containers are gone.
      this.store.delete("Pod", pod.metadata.namespace, pod.metadata.name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
      this.forget(key, view, rec, "api");
      return undefined;
    }
    return wake;
  }

  private syncStatic(key: string): number | undefined {
    const sp = this.statics.get(key);
    const slash = key.indexOf("/");
    const found = this.store.find<Pod>("Pod", key.slice(0, slash), key.slice(slash + 1));
    let mirror = isMirror(found) ? found : undefined;
    const skey = STATIC + key;
    const entry = this.records.get(skey);
    if (entry && (!sp || sp.hash !== entry.rec.uid)) {
      const rec = entry.rec;
      const grace = (entry.pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
      rec.deadline ??= this.clock.now() + grace;
      const view: PodView = { key, pod: entry.pod, source: "file", mirror, deleting: true, deadline: rec.deadline };
      const wake = syncPod(this, view, rec);
      if (this.runtime.containersOf(rec.uid).some((c) => c.state === "CONTAINER_RUNNING")) return wake;
      if (mirror && !sp) this.store.delete("Pod", mirror.metadata.namespace, mirror.metadata.name, { gracePeriodSeconds: 0 });
      this.forget(skey, view, rec, "file");
    }
    if (!sp) return undefined;
    let rec = this.records.get(skey)?.rec;
    if (!rec) {
      rec = newRecord(skey, sp.hash, "file");
      this.journal.klog(this.kubeletPid(), "I", "kubelet.go:2474", `"SyncLoop ADD" source="file" pods=["${key}"]`);
    }
    this.track(skey, rec, sp.pod);
    const node = this.node();
    if (node) {
      if (mirror && (mirror.metadata.annotations?.[MIRROR] !== sp.hash || mirror.metadata.deletionTimestamp)) {
        this.store.delete("Pod", mirror.metadata.namespace, mirror.metadata.name, { gracePeriodSeconds: 0 });
        mirror = undefined;
      }
      if (!mirror) mirror = this.createMirror(sp.pod, node);
    }
    return syncPod(this, { key, pod: sp.pod, source: "file", mirror, deleting: false }, rec);
  }

  private createMirror(pod: Stored<Pod>, node: Stored<Node>): Stored<Pod> {
    this.journal.klog(this.kubeletPid(), "I", "kubelet.go:3200", `"Creating a mirror pod for static pod" pod="${pod.metadata.namespace}/${pod.metadata.name}"`);
    const meta = pod.metadata;
    return this.store.create<Pod>({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: meta.name, namespace: meta.namespace, labels: meta.labels, annotations: meta.annotations,
        ownerReferences: [{ apiVersion: "v1", kind: "Node", name: node.metadata.name, uid: node.metadata.uid, controller: true }],
      },
      spec: pod.spec,
    });
  }
}
