/**
 * Watch-to-key mappings shared by controllers. Keys are `namespace/name` of the controller's
 * primary object; `namespace/` (empty name) means "every object of the primary kind in that
 * namespace", and `""` every object in the cluster. Handlers cannot read the store, so an
 * event whose owner is unknown (an orphan that someone may want to adopt) maps to the wide key
 * and `reconcile` sorts it out, as upstream's handlers list the candidate controllers.
 *
 * @example
 * watches: [dependentWatch("Pod", "ReplicaSet")]
 * forEachKey(ctx, "ReplicaSet", key, (rs) => sync(ctx, rs.metadata.namespace!, rs.metadata.name));
 */
import type { Stored, WatchEvent } from "../../api";
import { type ControllerContext, type ControllerWatch, ownerKeys, splitKey } from "../../cluster/controller";
import { equalPlain } from "../../util/plain";
import { controllerRefOf } from "./pods";

/** The key for "everything of the primary kind in `namespace`". */
export function namespaceKey(namespace: string | undefined): string {
  return `${namespace ?? ""}/`;
}

/**
 * The watch of a dependent kind (a Pod for a ReplicaSet, a ReplicaSet for a Deployment): its
 * controller owners before and after, or — for an orphan that was added, relabelled or just
 * released — every owner candidate in its namespace.
 */
export function dependentWatch(kind: string, ownerKind: string): ControllerWatch {
  return new DependentWatch(kind, ownerKind);
}

class DependentWatch implements ControllerWatch {
  constructor(
    readonly kind: string,
    readonly ownerKind: string,
  ) {}

  keys(event: WatchEvent): readonly string[] {
    const keys = [...ownerKeys(event, this.ownerKind)];
    const obj = event.object;
    if (event.type === "DELETED" || controllerRefOf(obj)) return keys;
    const old = event.old;
    const changed = !old || !equalPlain(old.metadata.labels, obj.metadata.labels) || controllerRefOf(old) !== undefined;
    if (changed) keys.push(namespaceKey(obj.metadata.namespace));
    return keys;
  }
}

/**
 * Resolves a key to the objects it names: one object, every object in a namespace
 * (`ns/`), or every object (`""`). Objects that no longer exist are reported as `name`s to
 * `onMissing` so the controller can clean up after them.
 */
export function forEachKey<T extends Stored>(
  ctx: ControllerContext,
  kind: string,
  key: string,
  each: (obj: T) => void,
  onMissing?: (namespace: string | undefined, name: string) => void,
): void {
  const { namespace, name } = splitKey(key);
  if (name === "") {
    const all = ctx.store.list(kind, namespace === undefined ? {} : { namespace }) as T[];
    for (const obj of all) {
      // An earlier iteration may have deleted or changed it: re-read.
      const fresh = ctx.store.find(kind, obj.metadata.namespace, obj.metadata.name) as T | undefined;
      if (fresh) each(fresh);
    }
    return;
  }
  const obj = ctx.store.find(kind, namespace, name) as T | undefined;
  if (obj) each(obj);
  else onMissing?.(namespace, name);
}
