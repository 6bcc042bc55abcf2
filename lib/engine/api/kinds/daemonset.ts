/**
 * The DaemonSet kind (`apps/v1`): RollingUpdate with maxUnavailable 1 / maxSurge 0 and
 * revisionHistoryLimit 10 by default, `ValidateDaemonSetSpec`, an immutable selector, and the
 * DESIRED/CURRENT/READY/UP-TO-DATE/AVAILABLE/NODE SELECTOR table.
 *
 * @example
 * store.create(ds); // ds.spec.updateStrategy → { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }
 */
import type { DaemonSet } from "../types/apps";
import { formatLabelSelector, goLabelSelector, labelSelectorAsSelector, validateLabelSelector } from "../selectors/label-selector";
import { age, formatLabels, layoutContainers } from "../tables/common";
import { col } from "../tables/types";
import { type FieldError, fieldPath, goQuote, goStringMap, invalid, notSupported, required } from "../validation/field";
import { nameIsDNSSubdomain, validateImmutable, validateNonnegative } from "../validation/meta";
import { defineKind } from "./strategy";
import {
  defaultTemplate, goIntOrString, intOrPercentValue, validateNotMoreThan100Percent, validatePodTemplateSpec,
  validatePositiveIntOrPercent,
} from "./workload-common";

function defaultDaemonSet(ds: DaemonSet): void {
  const spec = ds.spec;
  spec.updateStrategy ??= {};
  if (!spec.updateStrategy.type) spec.updateStrategy.type = "RollingUpdate";
  if (spec.updateStrategy.type === "RollingUpdate") {
    spec.updateStrategy.rollingUpdate ??= {};
    spec.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
    spec.updateStrategy.rollingUpdate.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  defaultTemplate(spec.template);
}

/** `ValidateDaemonSetUpdateStrategy` + `ValidateRollingUpdateDaemonSet`. */
function validateUpdateStrategy(ds: DaemonSet): FieldError[] {
  const s = ds.spec.updateStrategy ?? {};
  const path = fieldPath("spec", "updateStrategy");
  if (s.type === "OnDelete") return [];
  if (s.type !== "RollingUpdate") {
    const shown = { go: `apps.DaemonSetUpdateStrategy{Type:${goQuote(s.type ?? "")}, RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}` };
    return [notSupported(path, shown, ["RollingUpdate", "OnDelete"])];
  }
  if (!s.rollingUpdate) return [required(path.child("rollingUpdate"))];
  const ru = s.rollingUpdate;
  const rp = path.child("rollingUpdate");
  const errs = [
    ...validatePositiveIntOrPercent(ru.maxUnavailable, rp.child("maxUnavailable")),
    ...validatePositiveIntOrPercent(ru.maxSurge, rp.child("maxSurge")),
    ...validateNotMoreThan100Percent(ru.maxUnavailable, rp.child("maxUnavailable")),
    ...validateNotMoreThan100Percent(ru.maxSurge, rp.child("maxSurge")),
  ];
  const hasUnavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
  const hasSurge = intOrPercentValue(ru.maxSurge) !== 0;
  if (hasUnavailable && hasSurge) errs.push(invalid(rp.child("maxSurge"), goIntOrString(ru.maxSurge), "may not be set when maxUnavailable is non-zero"));
  else if (!hasUnavailable && !hasSurge) errs.push(required(rp.child("maxUnavailable"), "cannot be 0 when maxSurge is 0"));
  return errs;
}

/** `ValidateDaemonSetSpec`. */
function validateDaemonSetSpec(ds: DaemonSet): FieldError[] {
  const spec = ds.spec;
  const selPath = fieldPath("spec", "selector");
  const errs = validateLabelSelector(spec.selector, selPath);
  try {
    if (!labelSelectorAsSelector(spec.selector).matches(spec.template?.metadata?.labels)) {
      errs.push(invalid(fieldPath("spec", "template", "metadata", "labels"), goStringMap(spec.template?.metadata?.labels), "`selector` does not match template `labels`"));
    }
  } catch {
    // An unparsable selector was reported by validateLabelSelector above.
  }
  const count = Object.keys(spec.selector?.matchLabels ?? {}).length + (spec.selector?.matchExpressions ?? []).length;
  if (spec.selector && count === 0) errs.push(invalid(selPath, goLabelSelector(spec.selector), "empty selector is invalid for daemonset"));
  errs.push(...validatePodTemplateSpec(spec.template ?? { spec: { containers: [] } }, fieldPath("spec", "template")));
  const rp = spec.template?.spec?.restartPolicy;
  if (rp !== "Always") errs.push(notSupported(fieldPath("spec", "template", "spec", "restartPolicy"), rp ?? "", ["Always"]));
  const ads = spec.template?.spec?.activeDeadlineSeconds;
  if (ads !== undefined) errs.push(invalid(fieldPath("spec", "template", "spec", "activeDeadlineSeconds"), ads, "activeDeadlineSeconds in DaemonSet must be nil"));
  errs.push(...validateNonnegative(spec.minReadySeconds, fieldPath("spec", "minReadySeconds")));
  errs.push(...validateUpdateStrategy(ds));
  errs.push(...validateNonnegative(spec.revisionHistoryLimit, fieldPath("spec", "revisionHistoryLimit")));
  return errs;
}

/** The DaemonSet registry strategy. */
export const daemonSetStrategy = defineKind<DaemonSet>({
  kind: "DaemonSet",
  nameValidator: nameIsDNSSubdomain,
  defaults: defaultDaemonSet,
  prepareForCreate(ds) {
    ds.status = { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 };
  },
  validateSpec: validateDaemonSetSpec,
  validateUpdate: (ds, old) =>
    validateImmutable(ds.spec.selector, old.spec.selector, fieldPath("spec", "selector"), goLabelSelector(ds.spec.selector)),
  generationOf: (ds) => ds.spec,
  statusSubresource: true,
  table: {
    columns: [
      col("Name"), col("Desired", "integer"), col("Current", "integer"), col("Ready", "integer"), col("Up-to-date", "integer"),
      col("Available", "integer"), col("Node Selector"), col("Age"),
      col("Containers", "string", 1), col("Images", "string", 1), col("Selector", "string", 1),
    ],
    cells(ds, now) {
      const st = ds.status ?? {};
      const [names, images] = layoutContainers(ds.spec.template?.spec?.containers);
      return [
        ds.metadata.name ?? "",
        st.desiredNumberScheduled ?? 0,
        st.currentNumberScheduled ?? 0,
        st.numberReady ?? 0,
        st.updatedNumberScheduled ?? 0,
        st.numberAvailable ?? 0,
        formatLabels(ds.spec.template?.spec?.nodeSelector),
        age(ds.metadata.creationTimestamp, now),
        names,
        images,
        formatLabelSelector(ds.spec.selector),
      ];
    },
  },
});
