/**
 * JSON merge patch (RFC 7386), what `kubectl patch --type merge` sends: objects merge key by
 * key, `null` deletes a key, anything else (arrays included) replaces the target value.
 *
 * @example
 * applyMergePatch({ a: 1, b: { c: 2, d: 3 } }, { b: { c: null, e: 4 } });
 * // { a: 1, b: { d: 3, e: 4 } }
 */
import { clonePlain } from "../../util/plain";

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Returns a new value; neither argument is modified. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clonePlain(patch);
  const out: Record<string, unknown> = isObject(target) ? clonePlain(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}

/**
 * {@link applyMergePatch} for a caller that copies the result itself (the store's update): the
 * parts the patch leaves alone are `target`'s own, not copies, and the objects on the patch's
 * paths are new. The store's patch of one annotation then does not copy a whole pod first.
 */
export function applyMergePatchSharing(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const k in patch) {
    const v = patch[k];
    if (v === null) delete out[k];
    else out[k] = applyMergePatchSharing(out[k], v);
  }
  return out;
}
