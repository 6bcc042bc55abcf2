import type { ObjectStore, Stored, WatchEvent } from "../api";
import type { ScenarioSpec } from "../scenarios";
import type { VirtualClock } from "../util/clock";
import type { Rng } from "../util/rng";
import type { EventRecorder } from "./events";

/**
 * What a reconciler may use. It reads and writes only through the store, like an upstream
 * controller through its clientset, and asks to be called again later with `requeueAfter`.
 */
export interface ControllerContext {
  readonly store: ObjectStore;
  readonly clock: VirtualClock;
  readonly rng: Rng;
  readonly events: EventRecorder;
  readonly scenario: ScenarioSpec;
  /** Reconcile `key` again once `ms` of virtual time have passed (replaces an earlier request). */
  requeueAfter(key: string, ms: number): void;
}

/**
 * How a watched change maps to the keys a controller must reconcile. The cluster calls
 * `keys` as a method of the watch, so a watch that needs data (an owner kind, its kubelet)
 * carries it as fields rather than in a closure (state is data: ../CONTEXT.md).
 */
export interface ControllerWatch {
  readonly kind: string;
  keys(event: WatchEvent): readonly string[];
}

/**
 * A controller's watches as a frozen module constant: shared by every cluster and fork (frozen
 * objects are not copied when a cluster forks).
 */
export function defineWatches(...watches: ControllerWatch[]): readonly ControllerWatch[] {
  return Object.freeze(watches);
}

/**
 * A level-triggered reconciler, as upstream's: watch handlers only queue keys, and
 * `reconcile(key)` re-reads the store and makes reality match the spec. Keys are usually
 * `namespace/name` of the controller's primary kind.
 */
export interface Controller {
  readonly name: string;
  readonly watches: readonly ControllerWatch[];
  reconcile(key: string, ctx: ControllerContext): void;
}

/** `namespace/name` of an object (just `name` for cluster-scoped kinds). */
export function objectKey(obj: Stored): string {
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name;
}

/** The key of the object itself: the usual watch of a controller's primary kind. */
export const selfKey = (event: WatchEvent): readonly string[] => [objectKey(event.object)];

/** Keys of the controlling owners of `ownerKind` before and after a change (a Pod → its ReplicaSet, etc.). */
export function ownerKeys(event: WatchEvent, ownerKind: string): readonly string[] {
  const keys = new Set<string>();
  for (const obj of [event.object, event.old]) {
    const ref = obj?.metadata.ownerReferences?.find((r) => r.controller && r.kind === ownerKind);
    if (ref && obj) keys.add(obj.metadata.namespace ? `${obj.metadata.namespace}/${ref.name}` : ref.name);
  }
  return [...keys];
}

/** Splits a key made by {@link objectKey}. */
export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const slash = key.indexOf("/");
  return slash < 0 ? { namespace: undefined, name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
