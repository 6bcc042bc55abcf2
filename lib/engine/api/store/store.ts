/**
 * The object store: the engine's etcd plus the apiserver's registry. Writes run upstream's
 * pipeline (namespace admission, decode, defaults, admission/allocation, system fields, name
 * generation, validation, optimistic concurrency), assign a cluster-wide increasing
 * resourceVersion, freeze the stored record and tell watchers. Reads return frozen records
 * straight from per-kind, per-namespace indexes.
 *
 * @example
 * const store = new ObjectStore({ clock: new VirtualClock(DEFAULT_EPOCH_MS), rng: new Rng(7) });
 * store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
 * store.create({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace: "default" } });
 * const stop = store.watch((ev) => queue.push(ev.object.metadata.name), { kind: "Pod" });
 * store.create<Pod>({ apiVersion: "v1", kind: "Pod", metadata: { name: "web", labels: { app: "web" } },
 *   spec: { containers: [{ name: "web", image: "nginx" }] } });
 * store.list("Pod", { namespace: "default", labelSelector: "app=web" }); // [the pod]
 */
import type { VirtualClock } from "../../util/clock";
import { cloneSharing, clonePlain, equalPlain, freezeDeep } from "../../util/plain";
import type { Rng } from "../../util/rng";
import { ClusterIPAllocator } from "../allocators/cluster-ip";
import { NodePortAllocator } from "../allocators/node-port";
import {
  OBJECT_MODIFIED, alreadyExistsError, badRequestError, conflictError, forbiddenError, invalidError, notFoundError,
  unknownResourceError,
} from "../errors";
import { strategyFor } from "../kinds/index";
import { ephemeralContainersOf, validateEphemeralContainersUpdate } from "../kinds/pod-ephemeral";
import type { AdmissionOptions, KindStrategy, StoreReader } from "../kinds/strategy";
import { type ResourceInfo, apiVersionOf, resourceForKind, resourceForObject } from "../resources";
import type { KubeObject, Stored } from "../types/meta";
import type { Pod } from "../types/pod";
import { fieldPath } from "../validation/field";
import { validateObjectMeta, validateObjectMetaUpdate } from "../validation/meta";
import { type DeleteOptions, type DeleteResult, Deleter } from "./deletion";
import { KindIndex } from "./kind-index";
import { applyMergePatchSharing } from "./merge-patch";
import { type ListOptions, compileListFilter } from "./selection";
import { Transaction, type TransactionDeps } from "./transaction";
import { type WatchEvent, type WatchFilter, type WatchHandler, type WatchListener, WatchHub } from "./watch";

/** How a store is built. */
export interface StoreOptions {
  clock: VirtualClock;
  rng: Rng;
  /** Service CIDR for ClusterIPs; default 10.96.0.0/12. */
  serviceCIDR?: string;
  /** NodePort range; default 30000-32767. */
  nodePortRange?: [number, number];
  admission?: Partial<AdmissionOptions>;
}

/** Options shared by writes. */
export interface WriteOptions {
  /** The request namespace (the URL's); defaults to the object's, then `default`. */
  namespace?: string;
  /** `--dry-run=server`: run everything, persist nothing. */
  dryRun?: boolean;
}

const GENERATED_SUFFIX = 5;
const NAME_RETRIES = 8;

/** The cluster's object store: see the module comment for the write pipeline. */
export class ObjectStore implements StoreReader {
  private readonly indexes = new Map<string, KindIndex>();
  private readonly hub = new WatchHub();
  private revision = 0;
  private readonly deps: TransactionDeps;
  readonly clock: VirtualClock;

  constructor(options: StoreOptions) {
    this.clock = options.clock;
    const [first, last] = options.nodePortRange ?? [30000, 32767];
    this.deps = {
      reader: this,
      clock: options.clock,
      rng: options.rng,
      clusterIPs: new ClusterIPAllocator(options.rng.fork(), options.serviceCIDR),
      nodePorts: new NodePortAllocator(options.rng.fork(), first, last),
      admission: { requireServiceAccount: true, ...options.admission },
    };
  }

  /** The latest resourceVersion handed out (what a list would report). */
  get resourceVersion(): string {
    return String(this.revision);
  }

  /** The ClusterIP allocator (bootstrap claims 10.96.0.1; tests inspect it). */
  get clusterIPs(): ClusterIPAllocator {
    return this.deps.clusterIPs;
  }

  /** The NodePort allocator. */
  get nodePorts(): NodePortAllocator {
    return this.deps.nodePorts;
  }

  /** Changes whenever an object of `kind` is written or removed (caches over one kind key on it). */
  kindVersion(kind: string): number {
    return this.index(kind).version;
  }

  /** Subscribes to changes; returns the unsubscribe function. Delivery is synchronous, in order. */
  watch(handler: WatchHandler | WatchListener, filter: WatchFilter = {}): () => void {
    return this.hub.subscribe(handler, filter);
  }

  /** The object, or undefined (the namespace is ignored for cluster-scoped kinds). */
  find<T extends KubeObject = KubeObject>(kind: string, namespace: string | undefined, name: string): Stored<T> | undefined {
    const info = this.resource(kind);
    return this.index(kind).get(info.namespaced ? (namespace ?? "") : "", name) as Stored<T> | undefined;
  }

  /** The object, or the apiserver's NotFound (`pods "x" not found`). */
  get<T extends KubeObject = KubeObject>(kind: string, namespace: string | undefined, name: string): Stored<T> {
    const obj = this.find<T>(kind, namespace, name);
    if (!obj) throw notFoundError(this.groupResource(this.resource(kind)), name);
    return obj;
  }

  /** Lists in key order, filtered by namespace, label selector and field selector. */
  list<T extends KubeObject = KubeObject>(kind: string, options: ListOptions = {}): Stored<T>[] {
    const info = this.resource(kind);
    const filter = compileListFilter(info, this.strategy(kind), options);
    const ns = info.namespaced ? options.namespace : undefined;
    const all = this.index(kind).list(ns);
    return (filter ? all.filter(filter) : all) as Stored<T>[];
  }

  /** POST: creates `input`, returning the stored (frozen) object. */
  create<T extends KubeObject = KubeObject>(input: NoInfer<T>, options: WriteOptions = {}): Stored<T> {
    const { info, strategy } = this.route(input);
    const obj = this.draft(input, info, options.namespace);
    this.admitNamespace(info, obj);
    strategy.decode?.(obj);
    strategy.defaults?.(obj);
    const txn = new Transaction(this.deps, options.dryRun === true);
    try {
      strategy.prepareForCreate?.(obj, txn);
      const meta = obj.metadata;
      delete meta.deletionTimestamp;
      delete meta.deletionGracePeriodSeconds;
      delete meta.resourceVersion;
      meta.uid = this.deps.rng.uuid();
      meta.creationTimestamp = this.clock.rfc3339();
      if (strategy.generationOf) meta.generation = 1;
      else delete meta.generation;
      const generated = !meta.name && Boolean(meta.generateName);
      if (generated) meta.name = this.generateName(meta.generateName!);
      const errs = strategy.validateFull ? strategy.validateFull(obj, undefined) : [
        ...validateObjectMeta(meta, info.namespaced, strategy.nameValidator, fieldPath("metadata")),
        ...(strategy.validateSpec?.(obj) ?? []),
      ];
      if (errs.length > 0) throw invalidError({ group: info.group, kind: info.kind }, meta.name ?? "", errs);
      const index = this.index(info.kind);
      for (let attempt = 1; ; attempt++) {
        const existing = index.get(meta.namespace ?? "", meta.name!);
        if (!existing) break;
        if (!generated || attempt >= NAME_RETRIES) {
          throw alreadyExistsError(this.groupResource(info), meta.name!, Boolean(existing.metadata.deletionTimestamp));
        }
        meta.name = this.generateName(meta.generateName!);
      }
      txn.finish(true);
    } catch (e) {
      txn.finish(false);
      throw e;
    }
    if (options.dryRun) return freezeDeep(clonePlain(obj)) as Stored<T>;
    return this.commit("ADDED", obj) as Stored<T>;
  }

  /** PUT: replaces the object; a stale `metadata.resourceVersion` is a Conflict. */
  update<T extends KubeObject = KubeObject>(input: NoInfer<T>, options: WriteOptions = {}): Stored<T> {
    const { info, strategy } = this.route(input);
    const obj = this.draft(input, info, options.namespace);
    const current = this.current(info, obj);
    strategy.decode?.(obj);
    strategy.defaults?.(obj);
    const txn = new Transaction(this.deps, options.dryRun === true);
    try {
      const meta = obj.metadata;
      const prev = current.metadata;
      // System fields always come from storage; absent ones stay absent (no undefined keys).
      for (const key of ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "resourceVersion"] as const) {
        if (prev[key] === undefined) delete meta[key];
        else (meta as Record<string, unknown>)[key] = prev[key];
      }
      if (strategy.statusSubresource) obj.status = clonePlain(current.status);
      strategy.prepareForUpdate?.(obj, current, txn);
      if (strategy.generationOf && !equalPlain(strategy.generationOf(obj), strategy.generationOf(current as KubeObject))) {
        meta.generation = (prev.generation ?? 0) + 1;
      }
      const errs = strategy.validateFull
        ? strategy.validateFull(obj, current)
        : [
            ...validateObjectMetaUpdate(meta, prev, fieldPath("metadata")),
            ...(strategy.validateSpec?.(obj) ?? []),
            ...(strategy.validateUpdate?.(obj, current) ?? []),
          ];
      if (errs.length > 0) throw invalidError({ group: info.group, kind: info.kind }, meta.name ?? "", errs);
      txn.finish(true);
    } catch (e) {
      txn.finish(false);
      throw e;
    }
    return this.finishUpdate(obj, current, options) as Stored<T>;
  }

  /**
   * PUT on `/status`: `status` changes, and the annotations when the input carries them (the
   * status strategies reset the spec, not ObjectMeta: that is how the deployment controller
   * records `deployment.kubernetes.io/revision` without bumping the generation); everything
   * else stays as stored.
   */
  updateStatus<T extends KubeObject = KubeObject>(input: NoInfer<T>, options: WriteOptions = {}): Stored<T> {
    const { info } = this.route(input);
    // Only the status and annotations are taken from the input: the rest of the new version is
    // the stored one, shared (it is frozen), not copied.
    const meta = this.draftMeta(input, info, options.namespace);
    const current = this.current(info, { ...input, metadata: meta });
    // The status is not copied here: commit copies what it keeps (a dry run clones).
    const obj = { ...current, metadata: { ...current.metadata }, status: input.status } as KubeObject;
    if (input.metadata.annotations !== undefined) obj.metadata.annotations = clonePlain(input.metadata.annotations);
    return this.finishUpdate(obj, current, options) as Stored<T>;
  }

  /**
   * POST `pods/<name>/binding` (the scheduler's bind, `BindingREST.assignPod`): sets
   * `spec.nodeName` on an unassigned pod and its PodScheduled condition to True. Fails with a
   * Conflict when the pod is already assigned or being deleted.
   */
  bind(namespace: string, name: string, nodeName: string): Stored<Pod> {
    const current = this.get<Pod>("Pod", namespace, name);
    const gr = { group: "", resource: "pods" };
    if (current.metadata.deletionTimestamp) throw conflictError(gr, name, `pod ${name} is being deleted, cannot be assigned to a host`);
    if (current.spec.nodeName) throw conflictError(gr, name, `pod ${name} is already assigned to node "${current.spec.nodeName}"`);
    // A new spec and status over the stored (frozen) parts: commit shares what is unchanged.
    const next = { ...current, spec: { ...current.spec, nodeName } } as Pod;
    // UpdatePodCondition: replace in place (or append); the transition time moves only on a change.
    const conditions = [...(next.status?.conditions ?? [])];
    const at = conditions.findIndex((c) => c.type === "PodScheduled");
    const since = conditions[at]?.status === "True" ? conditions[at].lastTransitionTime : this.clock.rfc3339();
    const scheduled = { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: since };
    if (at < 0) conditions.push(scheduled);
    else conditions[at] = scheduled;
    next.status = { ...next.status, conditions };
    return this.commit("MODIFIED", next, current) as Stored<Pod>;
  }

  /**
   * PATCH with a JSON merge patch, on the object, (`subresource: "status"`) its status, or
   * (`"ephemeralcontainers"`, pods only) its ephemeral containers.
   */
  patch<T extends KubeObject = KubeObject>(
    kind: string,
    namespace: string | undefined,
    name: string,
    patch: Record<string, unknown>,
    options: WriteOptions & { subresource?: "status" | "ephemeralcontainers" } = {},
  ): Stored<T> {
    const current = this.get(kind, namespace, name);
    // The update copies what it keeps: the merge shares what the patch leaves alone.
    const merged = applyMergePatchSharing(current, patch) as T;
    // Without an explicit resourceVersion in the patch, it applies to what is stored now.
    const patchMeta = patch.metadata as Record<string, unknown> | undefined;
    merged.metadata = { ...merged.metadata, resourceVersion: patchMeta?.resourceVersion ? merged.metadata.resourceVersion : current.metadata.resourceVersion };
    const opts = { ...options, namespace: current.metadata.namespace };
    if (options.subresource === "ephemeralcontainers" && kind === "Pod") return this.updateEphemeralContainers(merged as unknown as Pod, current as Stored<Pod>, opts) as unknown as Stored<T>;
    return options.subresource === "status" ? this.updateStatus(merged, opts) : this.update(merged, opts);
  }

  /** `pods/<name>/ephemeralcontainers`: only `spec.ephemeralContainers` is taken from the input (defaulted, validated). */
  private updateEphemeralContainers(input: Pod, current: Stored<Pod>, options: WriteOptions): Stored<Pod> {
    const next = clonePlain(current) as Pod;
    (next.spec as { ephemeralContainers?: unknown }).ephemeralContainers = clonePlain(ephemeralContainersOf(input));
    strategyFor("Pod")?.defaults?.(next);
    const errs = validateEphemeralContainersUpdate(next, current);
    if (errs.length > 0) throw invalidError({ group: "", kind: "Pod" }, current.metadata.name, errs);
    if (options.dryRun) return freezeDeep(next) as Stored<Pod>;
    return this.commit("MODIFIED", next, current) as Stored<Pod>;
  }

  /**
   * DELETE. Objects with finalizers or a grace period (bound pods) get a deletionTimestamp and
   * stay until the finalizers go or a grace-0 delete follows; namespaces turn Terminating and
   * are emptied. `deleted` says whether the object is gone.
   */
  delete<T extends KubeObject = KubeObject>(kind: string, namespace: string | undefined, name: string, options: DeleteOptions = {}): DeleteResult<T> {
    const current = this.get(kind, namespace, name);
    return this.deleter().delete(this.resource(kind), current, options) as DeleteResult<T>;
  }

  private finishUpdate(obj: KubeObject, current: Stored, options: WriteOptions): Stored {
    const meta = obj.metadata;
    if (equalPlain({ ...obj, metadata: { ...meta, resourceVersion: "" } }, { ...current, metadata: { ...current.metadata, resourceVersion: "" } })) {
      return current;
    }
    if (options.dryRun) return freezeDeep(clonePlain(obj)) as Stored;
    const held = [...(meta.finalizers ?? []), ...(this.strategy(obj.kind).extraFinalizers?.(obj) ?? [])];
    const finalizersGone = held.length === 0;
    if (meta.deletionTimestamp && finalizersGone && !meta.deletionGracePeriodSeconds) {
      this.commit("MODIFIED", obj, current);
      return this.remove(this.find(obj.kind, meta.namespace, meta.name!)!);
    }
    return this.commit("MODIFIED", obj, current);
  }

  /** The deletion logic over this store (made per call: the store's state holds no closures). */
  private deleter(): Deleter {
    return new Deleter({
      find: (kind, ns, name) => this.find(kind, ns, name),
      list: (kind, opts) => this.list(kind, opts),
      commitUpdate: (obj, old) => this.commit("MODIFIED", obj, old),
      commitRemove: (obj) => this.remove(obj),
      strategy: (kind) => this.strategy(kind),
      transaction: (dryRun) => new Transaction(this.deps, dryRun),
      clock: this.clock,
    });
  }

  private route(input: KubeObject): { info: ResourceInfo; strategy: KindStrategy } {
    const info = resourceForObject(input?.apiVersion, input?.kind);
    if (!info) throw badRequestError(`no kind "${input?.kind}" is registered for version "${input?.apiVersion}"`);
    return { info, strategy: this.strategy(info.kind) };
  }

  private strategy(kind: string): KindStrategy {
    return strategyFor(kind)!;
  }

  private resource(kind: string): ResourceInfo {
    const info = resourceForKind(kind);
    if (!info) throw unknownResourceError();
    return info;
  }

  private groupResource(info: ResourceInfo): { group: string; resource: string } {
    return { group: info.group, resource: info.plural };
  }

  private index(kind: string): KindIndex {
    let idx = this.indexes.get(kind);
    if (!idx) {
      idx = new KindIndex();
      this.indexes.set(kind, idx);
    }
    return idx;
  }

  /** A private, mutable copy with the namespace settled (`EnsureObjectNamespaceMatchesRequestNamespace`). */
  private draft(input: KubeObject, info: ResourceInfo, requestNamespace: string | undefined): KubeObject {
    const obj = clonePlain(input);
    obj.metadata = this.draftMeta(obj, info, requestNamespace);
    obj.apiVersion = apiVersionOf(info);
    return obj;
  }

  /** A shallow copy of the input's metadata with the namespace settled. */
  private draftMeta(input: KubeObject, info: ResourceInfo, requestNamespace: string | undefined): KubeObject["metadata"] {
    const meta = { ...input.metadata };
    if (!info.namespaced) {
      delete meta.namespace;
      return meta;
    }
    const objNs = meta.namespace;
    if (requestNamespace && objNs && requestNamespace !== objNs) {
      throw badRequestError("the namespace of the provided object does not match the namespace sent on the request");
    }
    meta.namespace = requestNamespace || objNs || "default";
    return meta;
  }

  private current(info: ResourceInfo, obj: KubeObject): Stored {
    const name = obj.metadata.name ?? "";
    const current = this.index(info.kind).get(obj.metadata.namespace ?? "", name);
    if (!current) throw notFoundError(this.groupResource(info), name);
    const rv = obj.metadata.resourceVersion;
    if (rv && rv !== current.metadata.resourceVersion) throw conflictError(this.groupResource(info), name, OBJECT_MODIFIED);
    const uid = obj.metadata.uid;
    if (uid && uid !== current.metadata.uid) {
      throw conflictError(this.groupResource(info), name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${current.metadata.uid}`);
    }
    return current;
  }

  /** NamespaceLifecycle admission: the namespace must exist and not be terminating. */
  private admitNamespace(info: ResourceInfo, obj: KubeObject): void {
    if (!info.namespaced) return;
    const nsName = obj.metadata.namespace!;
    const ns = this.find("Namespace", undefined, nsName) as (Stored & { status?: { phase?: string } }) | undefined;
    if (!ns) throw notFoundError({ group: "", resource: "namespaces" }, nsName);
    if (ns.status?.phase === "Terminating") {
      // Admission names the object by name, else generateName, else "Unknown".
      const name = obj.metadata.name || obj.metadata.generateName || "Unknown";
      const reason = `unable to create new content in namespace ${nsName} because it is being terminated`;
      const cause = { reason: "NamespaceTerminating", message: `namespace ${nsName} is being terminated`, field: "metadata.namespace" };
      throw forbiddenError(this.groupResource(info), name, reason, [cause]);
    }
  }

  /** `names.SimpleNameGenerator`: the prefix (cut to 58 characters) plus 5 random characters. */
  private generateName(base: string): string {
    return base.slice(0, 63 - GENERATED_SUFFIX) + this.deps.rng.alnum(GENERATED_SUFFIX);
  }

  private commit(type: "ADDED" | "MODIFIED", draft: KubeObject, old?: Stored): Stored {
    // Re-cloning drops keys hooks left `undefined`, so stored objects are plain JSON; parts that
    // are already stored (frozen) or equal to the previous version's are shared with it, so the
    // next version costs what changed and watchers comparing old and new stop at shared parts.
    const metadata = { ...draft.metadata };
    if (metadata.resourceVersion === undefined) delete metadata.resourceVersion; // then it goes last, as a new key
    metadata.resourceVersion = String(++this.revision);
    const obj = cloneSharing({ ...draft, metadata }, old);
    const stored = freezeDeep(obj) as Stored;
    this.index(obj.kind).put(obj.metadata.namespace ?? "", obj.metadata.name!, stored);
    this.hub.emit({ type, object: stored, old } as WatchEvent);
    return stored;
  }

  private remove(obj: Stored): Stored {
    const gone = cloneSharing({ ...obj, metadata: { ...obj.metadata } }) as KubeObject;
    gone.metadata.resourceVersion = String(++this.revision);
    const stored = freezeDeep(gone) as Stored;
    this.index(obj.kind).remove(obj.metadata.namespace ?? "", obj.metadata.name);
    this.hub.emit({ type: "DELETED", object: stored, old: obj });
    this.deleter().afterRemove(stored);
    return stored;
  }
}
