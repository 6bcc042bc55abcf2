/**
 * The Deployment kind (`apps/v1`): `SetDefaults_Deployment` (1 replica, RollingUpdate 25%/25%,
 * revisionHistoryLimit 10, progressDeadlineSeconds 600), `ValidateDeploymentSpec`, the
 * immutable selector, generation bumps on spec or annotation changes, and the table.
 *
 * @example
 * // a Deployment without a selector:
 * // The Deployment "d" is invalid:
 * // * spec.selector: Required value
 * // * spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`
 */
import type { Deployment } from "../types/apps";
import { goLabelSelector, labelSelectorAsSelector, validateLabelSelector } from "../selectors/label-selector";
import { age, layoutContainers } from "../tables/common";
import { col } from "../tables/types";
import { type FieldError, fieldPath, forbidden, goQuote, invalid, notSupported, required } from "../validation/field";
import { nameIsDNSSubdomain, validateImmutable, validateNonnegative } from "../validation/meta";
import { defineKind } from "./strategy";
import {
  defaultTemplate, goIntOrString, intOrPercentValue, validateNotMoreThan100Percent, validatePositiveIntOrPercent,
  validateTemplateForSelector,
} from "./workload-common";

function defaultDeployment(d: Deployment): void {
  const spec = d.spec;
  spec.replicas ??= 1;
  spec.strategy ??= {};
  if (!spec.strategy.type) spec.strategy.type = "RollingUpdate";
  if (spec.strategy.type === "RollingUpdate") {
    spec.strategy.rollingUpdate ??= {};
    spec.strategy.rollingUpdate.maxUnavailable ??= "25%";
    spec.strategy.rollingUpdate.maxSurge ??= "25%";
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultTemplate(spec.template);
}

/** `ValidateDeploymentStrategy` + `ValidateRollingUpdateDeployment`. */
function validateStrategy(d: Deployment): FieldError[] {
  const s = d.spec.strategy ?? {};
  const path = fieldPath("spec", "strategy");
  if (s.type === "Recreate") {
    return s.rollingUpdate ? [forbidden(path.child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'")] : [];
  }
  if (s.type !== "RollingUpdate") {
    const shown = { go: `apps.DeploymentStrategy{Type:${goQuote(s.type ?? "")}, RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}` };
    return [notSupported(path, shown, ["Recreate", "RollingUpdate"])];
  }
  if (!s.rollingUpdate) return [required(path.child("rollingUpdate"), "this should be defaulted and never be nil")];
  const ru = s.rollingUpdate;
  const rp = path.child("rollingUpdate");
  const errs = [
    ...validatePositiveIntOrPercent(ru.maxUnavailable, rp.child("maxUnavailable")),
    ...validatePositiveIntOrPercent(ru.maxSurge, rp.child("maxSurge")),
  ];
  if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
    errs.push(invalid(rp.child("maxUnavailable"), goIntOrString(ru.maxUnavailable), "may not be 0 when `maxSurge` is 0"));
  }
  errs.push(...validateNotMoreThan100Percent(ru.maxUnavailable, rp.child("maxUnavailable")));
  return errs;
}

/** `ValidateDeploymentSpec`. */
function validateDeploymentSpec(d: Deployment): FieldError[] {
  const spec = d.spec;
  const errs = validateNonnegative(spec.replicas, fieldPath("spec", "replicas"));
  const selPath = fieldPath("spec", "selector");
  if (!spec.selector) errs.push(required(selPath));
  else {
    errs.push(...validateLabelSelector(spec.selector, selPath));
    const count = Object.keys(spec.selector.matchLabels ?? {}).length + (spec.selector.matchExpressions ?? []).length;
    if (count === 0) errs.push(invalid(selPath, goLabelSelector(spec.selector), "empty selector is invalid for deployment"));
  }
  try {
    const selector = labelSelectorAsSelector(spec.selector);
    errs.push(...validateTemplateForSelector(spec.template, selector, fieldPath("spec", "template"), "ReplicaSet"));
  } catch {
    errs.push(invalid(selPath, goLabelSelector(spec.selector), "invalid label selector"));
  }
  errs.push(...validateStrategy(d));
  errs.push(...validateNonnegative(spec.minReadySeconds, fieldPath("spec", "minReadySeconds")));
  errs.push(...validateNonnegative(spec.revisionHistoryLimit, fieldPath("spec", "revisionHistoryLimit")));
  if (spec.progressDeadlineSeconds !== undefined) {
    const p = fieldPath("spec", "progressDeadlineSeconds");
    errs.push(...validateNonnegative(spec.progressDeadlineSeconds, p));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      errs.push(invalid(p, spec.progressDeadlineSeconds, "must be greater than minReadySeconds"));
    }
  }
  return errs;
}

/** The Deployment registry strategy. */
export const deploymentStrategy = defineKind<Deployment>({
  kind: "Deployment",
  nameValidator: nameIsDNSSubdomain,
  defaults: defaultDeployment,
  prepareForCreate(d) {
    d.status = {};
  },
  validateSpec: validateDeploymentSpec,
  validateUpdate: (d, old) =>
    validateImmutable(d.spec.selector, old.spec.selector, fieldPath("spec", "selector"), goLabelSelector(d.spec.selector)),
  // Annotations count too: they are copied onto the ReplicaSets.
  generationOf: (d) => ({ spec: d.spec, annotations: d.metadata.annotations }),
  statusSubresource: true,
  table: {
    columns: [
      col("Name"), col("Ready"), col("Up-to-date"), col("Available"), col("Age"),
      col("Containers", "string", 1), col("Images", "string", 1), col("Selector", "string", 1),
    ],
    cells(d, now) {
      const [names, images] = layoutContainers(d.spec.template?.spec?.containers);
      let selector: string;
      try {
        selector = labelSelectorAsSelector(d.spec.selector).toString();
      } catch {
        selector = "<invalid>";
      }
      return [
        d.metadata.name ?? "",
        `${d.status?.readyReplicas ?? 0}/${d.spec.replicas ?? 0}`,
        d.status?.updatedReplicas ?? 0,
        d.status?.availableReplicas ?? 0,
        age(d.metadata.creationTimestamp, now),
        names,
        images,
        selector,
      ];
    },
  },
});
