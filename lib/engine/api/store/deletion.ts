/**
 * Deletion semantics (`rest.BeforeDelete`, the generic registry's finalizer handling and the
 * namespace registry): graceful deletion for bound pods, finalizers that hold an object with a
 * deletionTimestamp until they are removed, propagation-policy finalizers, and namespaces that
 * turn Terminating, are emptied (the namespace controller's job, done synchronously here) and
 * disappear once nothing is left in them.
 *
 * @example
 * deleter.delete(resourceForKind("Pod")!, pod, {});                       // bound pod: deleted === false
 * deleter.delete(resourceForKind("Pod")!, pod, { gracePeriodSeconds: 0 }); // deleted === true
 */
import type { VirtualClock } from "../../util/clock";
import { clonePlain } from "../../util/plain";
import { conflictError, forbiddenError } from "../errors";
import type { KindStrategy } from "../kinds/strategy";
import { RESOURCES, type ResourceInfo } from "../resources";
import type { KubeObject, Stored } from "../types/meta";
import type { Transaction } from "./transaction";

/** `metav1.DeleteOptions`, the parts the engine honours. */
export interface DeleteOptions {
  /** Seconds before the object is removed; defaults per kind (a pod's terminationGracePeriodSeconds). */
  gracePeriodSeconds?: number;
  propagationPolicy?: "Orphan" | "Background" | "Foreground";
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

/** The object as it now stands, and whether it is gone from the store. */
export interface DeleteResult<T extends KubeObject = KubeObject> {
  object: Stored<T>;
  deleted: boolean;
}

/** What the deleter needs from the store. */
export interface DeleterHost {
  find(kind: string, namespace: string | undefined, name: string): Stored | undefined;
  list(kind: string, options: { namespace?: string }): readonly Stored[];
  commitUpdate(obj: KubeObject, old: Stored): Stored;
  commitRemove(obj: Stored): Stored;
  strategy(kind: string): KindStrategy;
  transaction(dryRun: boolean): Transaction;
  readonly clock: VirtualClock;
}

const IMMORTAL_NAMESPACES = ["default", "kube-system", "kube-public"];
const NAMESPACE_PURGE =
  "The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.";

/** Deletes objects the way the generic registry and the namespace registry do. */
export class Deleter {
  constructor(private readonly host: DeleterHost) {}

  delete(info: ResourceInfo, current: Stored, options: DeleteOptions): DeleteResult {
    const gr = { group: info.group, resource: info.plural };
    const pre = options.preconditions ?? {};
    if (pre.uid && pre.uid !== current.metadata.uid) {
      throw conflictError(gr, current.metadata.name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`);
    }
    if (pre.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
      const msg = `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in meta: ${current.metadata.resourceVersion}`;
      throw conflictError(gr, current.metadata.name, msg);
    }
    if (info.kind === "Namespace") return this.deleteNamespace(current, options);
    const strategy = this.host.strategy(info.kind);
    const grace = strategy.gracePeriod?.(current, options.gracePeriodSeconds);
    const finalizers = withPropagation(current.metadata.finalizers ?? [], options.propagationPolicy);
    const meta = current.metadata;
    const remaining = meta.deletionGracePeriodSeconds ?? 0;
    if (meta.deletionTimestamp && remaining > 0) {
      // Graceful deletion under way: a delete may only shorten the remaining period.
      if (grace === undefined || grace >= remaining || options.dryRun) return { object: current, deleted: false };
      return this.settle(this.mark(current, grace, finalizers, true), finalizers);
    }
    if (options.dryRun) return { object: current, deleted: (grace ?? 0) === 0 && finalizers.length === 0 };
    if (grace !== undefined && !meta.deletionTimestamp) {
      // Kinds with graceful deletion are always marked first, even with a 0s period.
      return this.settle(this.mark(current, grace, finalizers, false), finalizers);
    }
    if (finalizers.length > 0) {
      const changed = !meta.deletionTimestamp || finalizers.join() !== (meta.finalizers ?? []).join();
      return { object: changed ? this.mark(current, 0, finalizers, false) : current, deleted: false };
    }
    return { object: this.host.commitRemove(current), deleted: true };
  }

  /** Called by the store after every removal: release what the object held, finish namespaces. */
  afterRemove(removed: Stored): void {
    const txn = this.host.transaction(false);
    this.host.strategy(removed.kind).onDeleted?.(removed, txn);
    txn.finish(true);
    if (removed.metadata.namespace) this.finalizeIfEmpty(removed.metadata.namespace);
  }

  /** After marking: a 0s period with no finalizers means the object goes at once. */
  private settle(marked: Stored, finalizers: readonly string[]): DeleteResult {
    if ((marked.metadata.deletionGracePeriodSeconds ?? 0) === 0 && finalizers.length === 0) {
      return { object: this.host.commitRemove(marked), deleted: true };
    }
    return { object: marked, deleted: false };
  }

  /**
   * Sets deletionTimestamp = now + grace (or, when shortening, the old deadline moved by the
   * difference, as `BeforeDelete` does) and the grace period.
   */
  private mark(current: Stored, grace: number, finalizers: string[], shorten: boolean): Stored {
    const next = clonePlain(current) as KubeObject;
    const meta = next.metadata;
    const oldDeadline = Date.parse(meta.deletionTimestamp ?? "");
    const base = shorten && !Number.isNaN(oldDeadline) ? oldDeadline - (meta.deletionGracePeriodSeconds ?? 0) * 1000 : this.host.clock.now();
    meta.deletionTimestamp = this.host.clock.rfc3339(base + grace * 1000);
    meta.deletionGracePeriodSeconds = grace;
    if (finalizers.length > 0) meta.finalizers = finalizers;
    return this.host.commitUpdate(next, current);
  }

  private deleteNamespace(ns: Stored, options: DeleteOptions): DeleteResult {
    const gr = { group: "", resource: "namespaces" };
    const name = ns.metadata.name;
    if (IMMORTAL_NAMESPACES.includes(name)) throw forbiddenError(gr, name, "this namespace may not be deleted");
    if (ns.metadata.deletionTimestamp) throw conflictError(gr, name, NAMESPACE_PURGE);
    if (options.dryRun) return { object: ns, deleted: false };
    const next = clonePlain(ns) as KubeObject & { status?: { phase?: string } };
    next.metadata.deletionTimestamp = this.host.clock.rfc3339();
    next.status = { ...next.status, phase: "Terminating" };
    this.host.commitUpdate(next, ns);
    // The namespace controller's sweep: delete everything inside with default options.
    for (const info of RESOURCES) {
      if (!info.namespaced) continue;
      for (const obj of this.host.list(info.kind, { namespace: name })) {
        const latest = this.host.find(info.kind, name, obj.metadata.name);
        if (latest) this.delete(info, latest, { propagationPolicy: "Background" });
      }
    }
    this.finalizeIfEmpty(name);
    const after = this.host.find("Namespace", undefined, name);
    return after ? { object: after, deleted: false } : { object: ns, deleted: true };
  }

  /** Drops the `kubernetes` finalizer and removes a Terminating namespace once it is empty. */
  private finalizeIfEmpty(name: string): void {
    const ns = this.host.find("Namespace", undefined, name) as (Stored & { status?: { phase?: string }; spec?: { finalizers?: string[] } }) | undefined;
    if (!ns || ns.status?.phase !== "Terminating") return;
    const occupied = RESOURCES.some((info) => info.namespaced && this.host.list(info.kind, { namespace: name }).length > 0);
    if (occupied) return;
    const next = clonePlain(ns) as KubeObject & { spec?: { finalizers?: string[] } };
    next.spec = { ...next.spec, finalizers: (next.spec?.finalizers ?? []).filter((f) => f !== "kubernetes") };
    const finalized = this.host.commitUpdate(next, ns) as typeof ns;
    if ((finalized.spec?.finalizers ?? []).length === 0 && (finalized.metadata.finalizers ?? []).length === 0) {
      this.host.commitRemove(finalized);
    }
  }
}

/** `deletionFinalizersForGarbageCollection`: Orphan and Foreground hand the object to the GC. */
function withPropagation(finalizers: readonly string[], policy: DeleteOptions["propagationPolicy"]): string[] {
  const out = finalizers.filter((f) => f !== "orphan" && f !== "foregroundDeletion");
  if (policy === "Orphan") out.push("orphan");
  else if (policy === "Foreground") out.push("foregroundDeletion");
  else return [...finalizers];
  return out;
}
