/**
 * The ReplicationController kind (`core/v1`): its selector is a plain map that defaults to
 * the template's labels (so do the RC's own labels), `ValidateReplicationControllerSpec`, and
 * the DESIRED/CURRENT/READY table.
 *
 * @example
 * // spec.template.metadata.labels {app: web} and no selector → spec.selector {app: web}
 */
import type { ReplicationController } from "../types/apps";
import { selectorFromSet } from "../selectors/labels";
import { formatLabels } from "../tables/common";
import { type FieldError, fieldPath, required } from "../validation/field";
import { nameIsDNSSubdomain, validateNonnegative } from "../validation/meta";
import { defineKind } from "./strategy";
import { defaultTemplate, replicatedTable, validateTemplateForSelector } from "./workload-common";

/** `SetDefaults_ReplicationController`. */
function defaultRC(rc: ReplicationController): void {
  const labels = rc.spec.template?.metadata?.labels;
  if (labels) {
    if (Object.keys(rc.spec.selector ?? {}).length === 0) rc.spec.selector = { ...labels };
    if (Object.keys(rc.metadata.labels ?? {}).length === 0) rc.metadata.labels = { ...labels };
  }
  rc.spec.replicas ??= 1;
  defaultTemplate(rc.spec.template);
}

/** `ValidateReplicationControllerSpec`. */
function validateRCSpec(rc: ReplicationController): FieldError[] {
  const spec = rc.spec;
  const errs = validateNonnegative(spec.minReadySeconds, fieldPath("spec", "minReadySeconds"));
  const selector = selectorFromSet(spec.selector);
  if (selector.empty()) errs.push(required(fieldPath("spec", "selector")));
  errs.push(...validateNonnegative(spec.replicas, fieldPath("spec", "replicas")));
  errs.push(...validateTemplateForSelector(spec.template, selector, fieldPath("spec", "template"), "ReplicationController"));
  return errs;
}

/** The ReplicationController registry strategy. */
export const replicationControllerStrategy = defineKind<ReplicationController>({
  kind: "ReplicationController",
  nameValidator: nameIsDNSSubdomain,
  defaults: defaultRC,
  prepareForCreate(rc) {
    rc.status = { replicas: 0 };
  },
  validateSpec: validateRCSpec,
  generationOf: (rc) => rc.spec,
  statusSubresource: true,
  customFieldConversion: true,
  fieldLabels: ["status.replicas"],
  selectableFields: (rc) => ({ "status.replicas": String(rc.status?.replicas ?? 0) }),
  table: replicatedTable<ReplicationController>((rc) => formatLabels(rc.spec.selector)),
});
