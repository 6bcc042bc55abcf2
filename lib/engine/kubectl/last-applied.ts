/**
 * The `kubectl.kubernetes.io/last-applied-configuration` annotation that client-side apply keeps
 * (`util.GetModifiedConfiguration`): the object's own JSON, compact, with a trailing newline,
 * encoded without the annotation itself. Objects kubectl built (`create --save-config` on a
 * generator) are Go structs: fields in declaration order, empty annotations left out. Objects
 * read from manifests are maps: keys sorted, and `"annotations":{}` present even when empty,
 * as every real last-applied configuration shows.
 *
 * @example
 * withLastApplied(deployFromFile, false).metadata.annotations![LAST_APPLIED];
 * // '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"name":"web",…}…}\n'
 */
import type { KubeObject } from "../api";
import { goJSON } from "./printers";

/** The annotation's key. */
export const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/** The configuration the annotation would record for `obj`. */
export function lastAppliedJSON(obj: KubeObject, typed: boolean): string {
  const annotations = { ...(obj.metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  const metadata: KubeObject["metadata"] = { ...obj.metadata };
  if (typed && Object.keys(annotations).length === 0) delete metadata.annotations;
  else metadata.annotations = annotations;
  return `${goJSON({ ...obj, metadata }, { indent: "", typedOrder: typed })}\n`;
}

/** `obj` with the annotation set to its own configuration (kept in struct position for typed objects). */
export function withLastApplied(obj: KubeObject, typed = true): KubeObject {
  const json = lastAppliedJSON(obj, typed);
  const { name, namespace, creationTimestamp, labels, annotations, ...rest } = obj.metadata;
  const metadata = {
    name,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(creationTimestamp !== undefined ? { creationTimestamp } : {}),
    ...(labels ? { labels } : {}),
    annotations: { ...annotations, [LAST_APPLIED]: json },
    ...rest,
  };
  return { ...obj, metadata };
}

/** The configuration recorded on a live object, if any and if it parses. */
export function lastAppliedOf(obj: KubeObject): Record<string, unknown> | undefined {
  const text = obj.metadata.annotations?.[LAST_APPLIED];
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
