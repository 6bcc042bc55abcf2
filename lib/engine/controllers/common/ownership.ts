/**
 * `ControllerRefManager.ClaimObject`: a controller adopts orphans its selector matches,
 * releases objects it owns whose labels no longer match, and ignores objects another
 * controller owns. Adoption and release are writes to the object's ownerReferences.
 *
 * @example
 * const pods = claim(ctx, rs, selector, ctx.store.list<Pod>("Pod", { namespace: "default" }));
 */
import { ApiError, type KubeObject, type Selector, type Stored } from "../../api";
import type { ControllerContext } from "../../cluster/controller";
import { controllerRefOf, editable, newControllerRef } from "./pods";

/**
 * The objects of `candidates` that `owner` controls after adoption and release. `canAdopt` is
 * checked against a fresh read of the owner, as upstream re-reads it before adopting.
 */
export function claim<T extends KubeObject>(ctx: ControllerContext, owner: Stored, selector: Selector, candidates: readonly Stored<T>[]): Stored<T>[] {
  const claimed: Stored<T>[] = [];
  const ownerDeleting = Boolean(owner.metadata.deletionTimestamp);
  for (const obj of candidates) {
    const ref = controllerRefOf(obj);
    const matches = selector.matches(obj.metadata.labels);
    if (ref) {
      if (ref.uid !== owner.metadata.uid) continue;
      if (matches) claimed.push(obj);
      else if (!ownerDeleting) release(ctx, owner, obj);
      continue;
    }
    if (ownerDeleting || !matches || obj.metadata.deletionTimestamp) continue;
    const adopted = canAdopt(ctx, owner) ? adopt(ctx, owner, obj) : undefined;
    if (adopted) claimed.push(adopted);
  }
  return claimed;
}

function canAdopt(ctx: ControllerContext, owner: Stored): boolean {
  const fresh = ctx.store.find(owner.kind, owner.metadata.namespace, owner.metadata.name);
  return fresh !== undefined && fresh.metadata.uid === owner.metadata.uid && !fresh.metadata.deletionTimestamp;
}

function adopt<T extends KubeObject>(ctx: ControllerContext, owner: Stored, obj: Stored<T>): Stored<T> | undefined {
  const next = editable(obj);
  next.metadata.ownerReferences = [...(next.metadata.ownerReferences ?? []), newControllerRef(owner)];
  return write(ctx, next);
}

/** Drops the reference to `owner` (the `$patch: delete` by uid upstream sends). */
function release<T extends KubeObject>(ctx: ControllerContext, owner: Stored, obj: Stored<T>): void {
  const next = editable(obj);
  const refs = (next.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid);
  if (refs.length > 0) next.metadata.ownerReferences = refs;
  else delete next.metadata.ownerReferences;
  write(ctx, next);
}

function write<T extends KubeObject>(ctx: ControllerContext, obj: T): Stored<T> | undefined {
  try {
    return ctx.store.update<T>(obj);
  } catch (e) {
    // Gone or changed meanwhile: the next reconcile sees the new state.
    if (e instanceof ApiError) return undefined;
    throw e;
  }
}
