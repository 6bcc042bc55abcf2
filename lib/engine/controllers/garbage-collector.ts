/**
 * The garbage collector (`garbage-collector-controller`, `pkg/controller/garbagecollector`):
 * deletes objects whose owners are all gone (background cascading), drops references to owners
 * that are gone while another owner remains, and finishes the two deletion finalizers the
 * store sets: `orphan` (dependents lose their reference to the owner, then the finalizer goes)
 * and `foregroundDeletion` (dependents are deleted first; the owner goes once no dependent
 * with blockOwnerDeletion is left). Owners of kinds the engine does not serve count as present.
 *
 * @example
 * cluster.register(garbageCollectorController());
 * store.delete("Deployment", "default", "web"); // its ReplicaSets, then their pods, follow
 */
import {
  ApiError, type KubeObject, type OwnerReference, RESOURCES, type Stored, type WatchEvent, resourceForKind, resourceForObject,
} from "../api";
import type { Controller, ControllerContext } from "../cluster/controller";
import { equalPlain } from "../util/plain";
import { editable } from "./common/pods";

const ORPHAN = "orphan";
const FOREGROUND = "foregroundDeletion";

/** Key of one object: `obj:<kind>:<namespace>/<name>`. */
function objectKeyOf(kind: string, namespace: string | undefined, name: string): string {
  return `obj:${kind}:${namespace ?? ""}/${name}`;
}

/** Key of "everything owned by uid", scanning `namespace` (or everywhere for "*"). */
function dependentsKeyOf(uid: string, namespace: string): string {
  return `deps:${uid}:${namespace}`;
}

/** The owner's kind, if the engine serves it under the reference's apiVersion. */
function ownerResource(ref: OwnerReference) {
  return resourceForObject(ref.apiVersion, ref.kind);
}

function ownerKey(ref: OwnerReference, dependentNamespace: string | undefined): string | undefined {
  const info = ownerResource(ref);
  return info ? objectKeyOf(info.kind, info.namespaced ? dependentNamespace : undefined, ref.name) : undefined;
}

function keysFor(event: WatchEvent): readonly string[] {
  const obj = event.object;
  const meta = obj.metadata;
  const keys: string[] = [];
  if (event.type === "DELETED") {
    const scope = resourceForKind(obj.kind)?.namespaced ? (meta.namespace ?? "") : "*";
    keys.push(dependentsKeyOf(meta.uid, scope));
  }
  // An owner deleting in the foreground waits for its dependents to go or let go of it.
  const refsChanged = event.type === "DELETED" || (event.type === "MODIFIED" && !equalPlain(event.old.metadata.ownerReferences, meta.ownerReferences));
  // Like the graph builder, only a new object, new owners or a change in deletion is news for the
  // object itself (a status update of a pod or a renewed Lease is not).
  const deletionChanged = event.type === "MODIFIED" && (event.old.metadata.deletionTimestamp !== meta.deletionTimestamp || !equalPlain(event.old.metadata.finalizers, meta.finalizers));
  const news = event.type === "ADDED" || refsChanged || deletionChanged;
  if (event.type !== "DELETED" && news && ((meta.ownerReferences ?? []).length > 0 || (meta.deletionTimestamp && (meta.finalizers ?? []).some((f) => f === ORPHAN || f === FOREGROUND)))) {
    keys.push(objectKeyOf(obj.kind, meta.namespace, meta.name));
  }
  if (refsChanged) {
    for (const ref of [...(event.old?.metadata.ownerReferences ?? []), ...(meta.ownerReferences ?? [])]) {
      const key = ownerKey(ref, meta.namespace);
      if (key) keys.push(key);
    }
  }
  return keys;
}

/** Every object referencing `uid` as an owner. */
function dependentsOf(ctx: ControllerContext, uid: string, namespace: string): Stored[] {
  const out: Stored[] = [];
  for (const info of RESOURCES) {
    const objects = info.namespaced ? ctx.store.list(info.kind, namespace === "*" ? {} : { namespace }) : ctx.store.list(info.kind);
    for (const obj of objects) if (obj.metadata.ownerReferences?.some((r) => r.uid === uid)) out.push(obj);
  }
  return out;
}

function write(ctx: ControllerContext, obj: KubeObject): void {
  try {
    ctx.store.update(obj);
  } catch (e) {
    // Changed or gone meanwhile: its next event brings it back here.
    if (!(e instanceof ApiError)) throw e;
  }
}

function remove(ctx: ControllerContext, obj: Stored, policy: "Background" | "Foreground" | "Orphan"): void {
  try {
    ctx.store.delete(obj.kind, obj.metadata.namespace, obj.metadata.name, { propagationPolicy: policy, preconditions: { uid: obj.metadata.uid } });
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
  }
}

function withoutFinalizer(obj: Stored, finalizer: string): KubeObject {
  const next = editable(obj);
  const rest = (next.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  if (rest.length > 0) next.metadata.finalizers = rest;
  else delete next.metadata.finalizers;
  return next;
}

function withoutRefs(obj: Stored, uids: ReadonlySet<string>): KubeObject {
  const next = editable(obj);
  const refs = (next.metadata.ownerReferences ?? []).filter((r) => !uids.has(r.uid));
  if (refs.length > 0) next.metadata.ownerReferences = refs;
  else delete next.metadata.ownerReferences;
  return next;
}

/** `attemptToDeleteItem` for an object that is being deleted with a GC finalizer. */
function processDeleting(ctx: ControllerContext, obj: Stored): void {
  const finalizers = obj.metadata.finalizers ?? [];
  const scope = resourceForKind(obj.kind)?.namespaced ? (obj.metadata.namespace ?? "") : "*";
  if (finalizers.includes(ORPHAN)) {
    for (const dep of dependentsOf(ctx, obj.metadata.uid, scope)) write(ctx, withoutRefs(dep, new Set([obj.metadata.uid])));
    write(ctx, withoutFinalizer(ctx.store.find(obj.kind, obj.metadata.namespace, obj.metadata.name) ?? obj, ORPHAN));
    return;
  }
  if (!finalizers.includes(FOREGROUND)) return;
  for (const dep of dependentsOf(ctx, obj.metadata.uid, scope)) if (!dep.metadata.deletionTimestamp) attemptToDelete(ctx, dep);
  const blocking = dependentsOf(ctx, obj.metadata.uid, scope).filter((d) =>
    d.metadata.ownerReferences?.some((r) => r.uid === obj.metadata.uid && r.blockOwnerDeletion === true));
  if (blocking.length === 0) {
    const latest = ctx.store.find(obj.kind, obj.metadata.namespace, obj.metadata.name);
    if (latest) write(ctx, withoutFinalizer(latest, FOREGROUND));
  }
}

/** `attemptToDeleteItem`: classify the owners, then keep, unlink or delete the object. */
function attemptToDelete(ctx: ControllerContext, obj: Stored): void {
  const meta = obj.metadata;
  if (meta.deletionTimestamp) return processDeleting(ctx, obj);
  const refs = meta.ownerReferences ?? [];
  if (refs.length === 0) return;
  const solid: OwnerReference[] = [];
  const gone = new Set<string>();
  const waiting = new Set<string>();
  for (const ref of refs) {
    const info = ownerResource(ref);
    // An owner of a kind the engine does not serve cannot be checked: assume it exists.
    if (!info) {
      solid.push(ref);
      continue;
    }
    const owner = ctx.store.find(info.kind, info.namespaced ? meta.namespace : undefined, ref.name);
    if (!owner || owner.metadata.uid !== ref.uid) gone.add(ref.uid);
    else if (owner.metadata.deletionTimestamp && owner.metadata.finalizers?.includes(FOREGROUND)) waiting.add(ref.uid);
    else solid.push(ref);
  }
  if (solid.length > 0) {
    if (gone.size + waiting.size > 0) write(ctx, withoutRefs(obj, new Set([...gone, ...waiting])));
    return;
  }
  const scope = resourceForKind(obj.kind)?.namespaced ? (meta.namespace ?? "") : "*";
  if (waiting.size > 0 && dependentsOf(ctx, meta.uid, scope).length > 0) return remove(ctx, obj, "Foreground");
  const finalizers = meta.finalizers ?? [];
  remove(ctx, obj, finalizers.includes(ORPHAN) ? "Orphan" : finalizers.includes(FOREGROUND) ? "Foreground" : "Background");
}

/** The garbage collector; it watches every kind the engine serves. */
export function garbageCollectorController(): Controller {
  return {
    name: "garbage-collector-controller",
    watches: RESOURCES.map((info) => ({ kind: info.kind, keys: keysFor })),
    reconcile(key, ctx) {
      if (key.startsWith("deps:")) {
        const [, uid, namespace] = key.split(":");
        for (const dep of dependentsOf(ctx, uid, namespace)) attemptToDelete(ctx, dep);
        return;
      }
      const rest = key.slice("obj:".length);
      const colon = rest.indexOf(":");
      const kind = rest.slice(0, colon);
      const path = rest.slice(colon + 1);
      const slash = path.indexOf("/");
      const obj = ctx.store.find(kind, path.slice(0, slash) || undefined, path.slice(slash + 1));
      if (obj) attemptToDelete(ctx, obj);
    },
  };
}
