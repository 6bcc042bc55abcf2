/**
 * The ReplicaSet kind (`apps/v1`): one replica by default, `ValidateReplicaSetSpec`, an
 * immutable selector, generation on spec changes, and the DESIRED/CURRENT/READY table.
 *
 * @example
 * store.create(rs); // rs.spec.replicas defaults to 1, metadata.generation to 1
 */
import type { ReplicaSet } from "../types/apps";
import { formatLabelSelector, goLabelSelector, labelSelectorAsSelector, validateLabelSelector } from "../selectors/label-selector";
import { type FieldError, fieldPath, invalid, required } from "../validation/field";
import { nameIsDNSSubdomain, validateImmutable, validateNonnegative } from "../validation/meta";
import { defineKind } from "./strategy";
import { defaultTemplate, replicatedTable, validateTemplateForSelector } from "./workload-common";

/** `ValidateReplicaSetSpec`. */
function validateReplicaSetSpec(rs: ReplicaSet): FieldError[] {
  const spec = rs.spec;
  const errs = [
    ...validateNonnegative(spec.replicas, fieldPath("spec", "replicas")),
    ...validateNonnegative(spec.minReadySeconds, fieldPath("spec", "minReadySeconds")),
  ];
  const selPath = fieldPath("spec", "selector");
  if (!spec.selector) errs.push(required(selPath));
  else {
    errs.push(...validateLabelSelector(spec.selector, selPath));
    const count = Object.keys(spec.selector.matchLabels ?? {}).length + (spec.selector.matchExpressions ?? []).length;
    // Upstream's message says "deployment" here too.
    if (count === 0) errs.push(invalid(selPath, goLabelSelector(spec.selector), "empty selector is invalid for deployment"));
  }
  try {
    errs.push(...validateTemplateForSelector(spec.template, labelSelectorAsSelector(spec.selector), fieldPath("spec", "template"), "ReplicaSet"));
  } catch {
    errs.push(invalid(selPath, goLabelSelector(spec.selector), "invalid label selector"));
  }
  return errs;
}

/** The ReplicaSet registry strategy. */
export const replicaSetStrategy = defineKind<ReplicaSet>({
  kind: "ReplicaSet",
  nameValidator: nameIsDNSSubdomain,
  defaults(rs) {
    rs.spec.replicas ??= 1;
    defaultTemplate(rs.spec.template);
  },
  prepareForCreate(rs) {
    rs.status = { replicas: 0 };
  },
  validateSpec: validateReplicaSetSpec,
  validateUpdate: (rs, old) =>
    validateImmutable(rs.spec.selector, old.spec.selector, fieldPath("spec", "selector"), goLabelSelector(rs.spec.selector)),
  generationOf: (rs) => rs.spec,
  statusSubresource: true,
  table: replicatedTable<ReplicaSet>((rs) => formatLabelSelector(rs.spec.selector)),
});
