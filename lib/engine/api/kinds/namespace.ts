/**
 * The Namespace kind: the `kubernetes.io/metadata.name` label, the `kubernetes` finalizer and
 * the Active phase on create, finalizers and status kept across plain updates, DNS-label
 * names, and the NAME STATUS AGE table. Deletion (Terminating, emptying) lives in the store.
 *
 * @example
 * store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "dev" } });
 * // labels {"kubernetes.io/metadata.name": "dev"}, spec.finalizers ["kubernetes"], status.phase "Active"
 */
import type { Namespace } from "../types/core";
import { age } from "../tables/common";
import { col } from "../tables/types";
import { type FieldError, fieldPath, invalid } from "../validation/field";
import { nameIsDNSLabel } from "../validation/meta";
import { isQualifiedName } from "../validation/strings";
import { defineKind } from "./strategy";

/** `SetDefaults_Namespace`: the immutable name label every namespace carries. */
function defaultNamespace(ns: Namespace): void {
  if (ns.metadata.name) ns.metadata.labels = { ...ns.metadata.labels, "kubernetes.io/metadata.name": ns.metadata.name };
}

function validateNamespaceSpec(ns: Namespace): FieldError[] {
  const errs: FieldError[] = [];
  const path = fieldPath("spec", "finalizers");
  for (const f of ns.spec?.finalizers ?? []) {
    for (const m of isQualifiedName(f)) errs.push(invalid(path, f, m));
    if (!f.includes("/") && f !== "kubernetes") errs.push(invalid(path, f, "name is neither a standard finalizer name nor is it fully qualified"));
  }
  return errs;
}

/** The Namespace registry strategy (deletion is handled by the store's deleter). */
export const namespaceStrategy = defineKind<Namespace>({
  kind: "Namespace",
  nameValidator: nameIsDNSLabel,
  defaults: defaultNamespace,
  prepareForCreate(ns) {
    ns.status = { phase: "Active" };
    const finalizers = ns.spec?.finalizers ?? [];
    ns.spec = { ...ns.spec, finalizers: finalizers.includes("kubernetes") ? finalizers : [...finalizers, "kubernetes"] };
  },
  prepareForUpdate(ns, old) {
    // Finalizers change only through the finalize subresource, status through /status.
    ns.spec = { ...ns.spec, finalizers: [...(old.spec?.finalizers ?? [])] };
  },
  validateSpec: validateNamespaceSpec,
  extraFinalizers: (ns) => ns.spec?.finalizers ?? [],
  statusSubresource: true,
  customFieldConversion: true,
  fieldLabels: ["status.phase"],
  selectableFields: (ns) => ({ "status.phase": ns.status?.phase ?? "" }),
  table: {
    columns: [col("Name"), col("Status"), col("Age")],
    cells: (ns, now) => [ns.metadata.name ?? "", ns.status?.phase ?? "", age(ns.metadata.creationTimestamp, now)],
  },
});
