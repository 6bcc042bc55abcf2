/**
 * `--sort-by`: kubectl's `RuntimeSort` over a relaxed JSONPath field (`.metadata.name`,
 * `{.status.containerStatuses[0].restartCount}`): numbers compare as numbers, strings byte-wise,
 * a missing field sorts first; a field no object has is kubectl's error. The sort is stable.
 *
 * @example
 * sortObjects(pods, ".metadata.creationTimestamp");
 * sortObjects(pods, "{.status.containerStatuses[0].restartCount}");
 */
import type { KubeObject } from "../api";
import { KubectlError } from "./errors";

/** `RelaxedJSONPathExpression`: `.a.b` and `{.a.b}` both become `{.a.b}`. */
function relaxed(expr: string): string {
  const inner = expr.startsWith("{") && expr.endsWith("}") ? expr.slice(1, -1) : expr;
  return `{${inner.startsWith(".") ? inner : `.${inner}`}}`;
}

/** The value at a simple JSONPath (`.a.b[0].c`, `.metadata.labels.app`), or undefined. */
function valueAt(obj: unknown, path: string): unknown {
  const steps = path.slice(2, -1).match(/[^.[\]]+|\[\d+\]/g) ?? [];
  let value: unknown = obj;
  for (const step of steps) {
    if (value === null || typeof value !== "object") return undefined;
    const index = /^\[(\d+)\]$/.exec(step);
    value = index ? (Array.isArray(value) ? value[Number(index[1])] : undefined) : (value as Record<string, unknown>)[step];
  }
  return value;
}

function less(a: unknown, b: unknown): boolean {
  if (a === undefined) return b !== undefined;
  if (b === undefined) return false;
  if (typeof a === "number" && typeof b === "number") return a < b;
  if (typeof a === "boolean" && typeof b === "boolean") return !a && b;
  return String(a) < String(b);
}

/** `objects` sorted by the field `expr` names (stable, as kubectl's sort is). */
export function sortObjects<T extends KubeObject>(objects: readonly T[], expr: string): T[] {
  const path = relaxed(expr);
  const values = objects.map((o) => valueAt(o, path));
  if (objects.length > 0 && values.every((v) => v === undefined)) {
    throw new KubectlError(`couldn't find any field with path "${path}" in the list of objects`);
  }
  return objects
    .map((object, i) => ({ object, value: values[i], i }))
    .sort((x, y) => (less(x.value, y.value) ? -1 : less(y.value, x.value) ? 1 : x.i - y.i))
    .map((e) => e.object);
}
