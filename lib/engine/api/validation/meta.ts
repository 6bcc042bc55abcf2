/**
 * ObjectMeta validation (apimachinery `api/validation/objectmeta.go` and
 * `apis/meta/v1/validation`): names, generateName, namespace, labels, annotations, owner
 * references, finalizers, and the update rules that make name/namespace/uid immutable.
 *
 * @example
 * validateObjectMeta({ name: "Web" }, true, nameIsDNSSubdomain, fieldPath("metadata"));
 * // [metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain must consist of …,
 * //  metadata.namespace: Required value]
 */
import type { ObjectMeta } from "../types/meta";
import { equalPlain } from "../../util/plain";
import { type BadValue, type FieldError, FieldPath, forbidden, goStringSlice, invalid, required } from "./field";
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from "./strings";

/** Validates a name (or, with `prefix`, a generateName) and returns upstream's messages. */
export type NameValidator = (name: string, prefix: boolean) => string[];

/** Upstream's `maskTrailingDash`: a generateName may end in `-` since a suffix follows. */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith("-") ? name.slice(0, -1) + "a" : name;
}

/** `NameIsDNSSubdomain`: Pods, Deployments, ConfigMaps, Secrets and most kinds. */
export const nameIsDNSSubdomain: NameValidator = (name, prefix) =>
  isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);

/** `NameIsDNSLabel`: Namespaces. */
export const nameIsDNSLabel: NameValidator = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);

/** `NameIsDNS1035Label`: Services. */
export const nameIsDNS1035Label: NameValidator = (name, prefix) =>
  isDNS1035Label(prefix ? maskTrailingDash(name) : name);

/** `path.IsValidPathSegmentName`: RBAC objects and PersistentVolumes. */
export const nameIsPathSegment: NameValidator = (name) => {
  const errs: string[] = [];
  if (name === "." || name === "..") errs.push(`may not be '${name}'`);
  for (const bad of ["/", "%"]) if (name.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
};

/** `ValidateLabels`: every key a qualified name, every value a label value. */
export function validateLabels(labels: Record<string, string> | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  // Go ranges over a map in random order; sorted keys make the output stable.
  for (const k of Object.keys(labels ?? {}).sort()) {
    for (const m of isQualifiedName(k)) errs.push(invalid(path, k, m));
    for (const m of isValidLabelValue(labels![k])) errs.push(invalid(path, labels![k], m));
  }
  return errs;
}

/** `ValidateAnnotations`: keys are qualified names compared case-insensitively; 256 KiB total. */
export function validateAnnotations(annotations: Record<string, string> | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const k of Object.keys(annotations ?? {}).sort()) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(invalid(path, k, m));
    size += k.length + annotations![k].length;
  }
  if (size > 256 * 1024) {
    errs.push({ type: "FieldValueTooLong", field: path.toString(), detail: `must have at most ${256 * 1024} bytes` });
  }
  return errs;
}

/** `ValidateNonnegativeField`. */
export function validateNonnegative(value: number | undefined, path: FieldPath): FieldError[] {
  return value !== undefined && value < 0 ? [invalid(path, value, "must be greater than or equal to 0")] : [];
}

/** `ValidateImmutableField`: the new value, if different, is reported as `field is immutable`. */
export function validateImmutable(next: unknown, prev: unknown, path: FieldPath, shown: BadValue): FieldError[] {
  return equalPlain(next, prev) ? [] : [invalid(path, shown, "field is immutable")];
}

function validateOwnerReferences(meta: ObjectMeta, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = "";
  for (const ref of meta.ownerReferences ?? []) {
    const version = (ref.apiVersion ?? "").split("/").at(-1) ?? "";
    if (version === "") errs.push(invalid(path.child("apiVersion"), ref.apiVersion ?? "", "version must not be empty"));
    if (!ref.kind) errs.push(invalid(path.child("kind"), ref.kind ?? "", "must not be empty"));
    if (!ref.name) errs.push(invalid(path.child("name"), ref.name ?? "", "must not be empty"));
    if (!ref.uid) errs.push(invalid(path.child("uid"), ref.uid ?? "", "must not be empty"));
    if (ref.controller === true) {
      const current = `${ref.kind}/${ref.name}`;
      if (firstController !== "") {
        errs.push(
          invalid(
            path,
            { go: "[]v1.OwnerReference{...}" },
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      } else firstController = current;
    }
  }
  return errs;
}

function validateFinalizers(finalizers: readonly string[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of finalizers ?? []) for (const m of isQualifiedName(f)) errs.push(invalid(path, f, m));
  const list = finalizers ?? [];
  if (list.includes("orphan") && list.includes("foregroundDeletion")) {
    errs.push(invalid(path, goStringSlice(list), "finalizer orphan and foregroundDeletion cannot be both set"));
  }
  return errs;
}

function validateMetaCommon(meta: ObjectMeta, namespaced: boolean, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (namespaced) {
    if (!meta.namespace) errs.push(required(path.child("namespace")));
    else for (const m of isDNS1123Label(meta.namespace)) errs.push(invalid(path.child("namespace"), meta.namespace, m));
  } else if (meta.namespace) {
    errs.push(forbidden(path.child("namespace"), "not allowed on this type"));
  }
  errs.push(...validateNonnegative(meta.generation, path.child("generation")));
  errs.push(...validateLabels(meta.labels, path.child("labels")));
  errs.push(...validateAnnotations(meta.annotations, path.child("annotations")));
  errs.push(...validateOwnerReferences(meta, path.child("ownerReferences")));
  errs.push(...validateFinalizers(meta.finalizers, path.child("finalizers")));
  return errs;
}

/** `ValidateObjectMeta` on create (after name generation). */
export function validateObjectMeta(
  meta: ObjectMeta,
  namespaced: boolean,
  nameFn: NameValidator,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  if (meta.generateName) {
    for (const m of nameFn(meta.generateName, true)) errs.push(invalid(path.child("generateName"), meta.generateName, m));
  }
  if (!meta.name) errs.push(required(path.child("name"), "name or generateName is required"));
  else for (const m of nameFn(meta.name, false)) errs.push(invalid(path.child("name"), meta.name, m));
  return [...errs, ...validateMetaCommon(meta, namespaced, path)];
}

/** `ValidateObjectMetaUpdate`: identity fields are immutable, finalizers frozen while deleting. */
export function validateObjectMetaUpdate(next: ObjectMeta, prev: ObjectMeta, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (prev.deletionTimestamp) {
    const added = (next.finalizers ?? []).filter((f) => !(prev.finalizers ?? []).includes(f)).sort();
    if (added.length > 0) {
      errs.push(
        forbidden(
          path.child("finalizers"),
          `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(added).go}`,
        ),
      );
    }
  }
  if ((next.generation ?? 0) < (prev.generation ?? 0)) {
    errs.push(invalid(path.child("generation"), next.generation ?? 0, "must not be decremented"));
  }
  const same: [keyof ObjectMeta, string][] = [
    ["name", "name"],
    ["namespace", "namespace"],
    ["uid", "uid"],
  ];
  for (const [k, child] of same) {
    const shown = (next[k] as string | undefined) ?? "";
    errs.push(...validateImmutable(next[k] ?? "", prev[k] ?? "", path.child(child), shown));
  }
  errs.push(...validateLabels(next.labels, path.child("labels")));
  errs.push(...validateAnnotations(next.annotations, path.child("annotations")));
  errs.push(...validateOwnerReferences(next, path.child("ownerReferences")));
  errs.push(...validateFinalizers(next.finalizers, path.child("finalizers")));
  return errs;
}
