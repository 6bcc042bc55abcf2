/**
 * The ConfigMap kind: key validation (`IsConfigMapKey`), the 1 MiB size limit, the `immutable`
 * lock, and the NAME DATA AGE table.
 *
 * @example
 * // data: { "bad key": "x" } →
 * // data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, …
 */
import type { ConfigMap } from "../types/core";
import { age } from "../tables/common";
import { col } from "../tables/types";
import { type FieldError, fieldPath, forbidden, invalid, tooLong } from "../validation/field";
import { nameIsDNSSubdomain } from "../validation/meta";
import { isConfigMapKey } from "../validation/strings";
import { equalPlain } from "../../util/plain";
import { defineKind } from "./strategy";

/** `core.MaxSecretSize`, shared by ConfigMaps and Secrets. */
export const MAX_DATA_SIZE = 1024 * 1024;

function validateConfigMapData(cm: ConfigMap): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(cm.data ?? {})) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(fieldPath("data").key(k), k, m));
    if (cm.binaryData && Object.hasOwn(cm.binaryData, k)) errs.push(invalid(fieldPath("data").key(k), k, "duplicate of key present in binaryData"));
    size += v.length;
  }
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(fieldPath("binaryData").key(k), k, m));
    size += Math.floor((v.length * 3) / 4);
  }
  if (size > MAX_DATA_SIZE) errs.push(tooLong(fieldPath(""), MAX_DATA_SIZE));
  return errs;
}

/** The `immutable: true` lock shared with Secrets. */
export function validateImmutableData(
  next: { immutable?: boolean; data?: unknown; binaryData?: unknown },
  prev: { immutable?: boolean; data?: unknown; binaryData?: unknown },
  dataFields: readonly ("data" | "binaryData")[],
): FieldError[] {
  if (prev.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (next.immutable !== true) errs.push(forbidden(fieldPath("immutable"), "field is immutable when `immutable` is set"));
  for (const f of dataFields) {
    if (!equalPlain(next[f], prev[f])) errs.push(forbidden(fieldPath(f), "field is immutable when `immutable` is set"));
  }
  return errs;
}

/** The ConfigMap registry strategy. */
export const configMapStrategy = defineKind<ConfigMap>({
  kind: "ConfigMap",
  nameValidator: nameIsDNSSubdomain,
  validateSpec: validateConfigMapData,
  validateUpdate: (cm, old) => validateImmutableData(cm, old, ["data", "binaryData"]),
  table: {
    columns: [col("Name"), col("Data", "integer"), col("Age")],
    cells: (cm, now) => [
      cm.metadata.name ?? "",
      Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length,
      age(cm.metadata.creationTimestamp, now),
    ],
  },
});
