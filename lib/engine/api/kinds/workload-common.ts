/**
 * What the workload controllers (Deployment, ReplicaSet, ReplicationController, DaemonSet)
 * share: pod template defaulting and `ValidatePodTemplateSpecFor*` (selector must match the
 * template labels, restartPolicy must be Always), int-or-percent checks, the CONTAINERS/IMAGES
 * cells and the Go rendering of `intstr.IntOrString` used in their error messages.
 *
 * @example
 * validateTemplateForSelector(tpl, labelSelectorAsSelector(sel), fieldPath("spec", "template"));
 * // [spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`]
 */
import type { Selector } from "../selectors/labels";
import type { IntOrString } from "../types/meta";
import type { KubeObject } from "../types/meta";
import type { PodTemplateSpec } from "../types/pod";
import { age, layoutContainers } from "../tables/common";
import { col, type TableDef } from "../tables/types";
import {
  type FieldError, FieldPath, type GoValue, forbidden, goQuote, goStringMap, invalid, notSupported, required,
} from "../validation/field";
import { validateAnnotations, validateLabels, validateNonnegative } from "../validation/meta";
import { isValidPercent } from "../validation/strings";
import { defaultPodSpec } from "./podspec-defaults";
import { validatePodSpec } from "./podspec-validation";

/**
 * Defaults a template's pod spec, as the generated defaulters recurse into templates, and
 * gives its metadata the `creationTimestamp: null` Go serializes for a zero time.
 */
export function defaultTemplate(tpl: PodTemplateSpec | undefined): void {
  if (!tpl) return;
  tpl.metadata = { creationTimestamp: null, ...tpl.metadata };
  if (tpl.spec) defaultPodSpec(tpl.spec);
}

/** `ValidatePodTemplateSpec`: labels and annotations under the template path, then the spec. */
export function validatePodTemplateSpec(tpl: PodTemplateSpec, path: FieldPath): FieldError[] {
  return [
    ...validateLabels(tpl.metadata?.labels, path.child("labels")),
    ...validateAnnotations(tpl.metadata?.annotations, path.child("annotations")),
    ...validatePodSpec(tpl.spec ?? { containers: [] }, path.child("spec")),
  ];
}

/**
 * `ValidatePodTemplateSpecForReplicaSet` (and its RC twin): a non-empty selector must match
 * the template's labels, and controller pods must restart Always.
 */
export function validateTemplateForSelector(
  tpl: PodTemplateSpec | undefined,
  selector: Selector,
  path: FieldPath,
  owner: "ReplicaSet" | "ReplicationController",
): FieldError[] {
  if (!tpl) return [required(path)];
  const errs: FieldError[] = [];
  if (!selector.empty() && !selector.matches(tpl.metadata?.labels)) {
    errs.push(invalid(path.child("metadata", "labels"), goStringMap(tpl.metadata?.labels), "`selector` does not match template `labels`"));
  }
  errs.push(...validatePodTemplateSpec(tpl, path));
  const rp = tpl.spec?.restartPolicy;
  if (rp !== "Always") errs.push(notSupported(path.child("spec", "restartPolicy"), rp ?? "", ["Always"]));
  if (tpl.spec?.activeDeadlineSeconds !== undefined) {
    errs.push(forbidden(path.child("spec", "activeDeadlineSeconds"), `activeDeadlineSeconds in ${owner} is not Supported`));
  }
  return errs;
}

/** `%#v` of an `intstr.IntOrString`, as printed in rolling-update errors. */
export function goIntOrString(v: IntOrString | undefined): GoValue {
  if (typeof v === "string") return { go: `intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(v)}}` };
  return { go: `intstr.IntOrString{Type:0, IntVal:${v ?? 0}, StrVal:""}` };
}

/** `getIntOrPercentValue`: the number, or the percentage without its `%`. */
export function intOrPercentValue(v: IntOrString | undefined): number {
  if (typeof v === "number") return v;
  const m = /^(\d+)%$/.exec(v ?? "");
  return m ? Number(m[1]) : 0;
}

/** `ValidatePositiveIntOrPercent`. */
export function validatePositiveIntOrPercent(v: IntOrString | undefined, path: FieldPath): FieldError[] {
  if (typeof v === "string") return isValidPercent(v).map((m) => invalid(path, goIntOrString(v), m));
  return validateNonnegative(v, path);
}

/** `IsNotMoreThan100Percent`. */
export function validateNotMoreThan100Percent(v: IntOrString | undefined, path: FieldPath): FieldError[] {
  if (typeof v !== "string" || isValidPercent(v).length > 0) return [];
  return intOrPercentValue(v) > 100 ? [invalid(path, goIntOrString(v), "must not be greater than 100%")] : [];
}

/** What the replica-managing kinds (ReplicaSet, ReplicationController) have in common for printing. */
interface Replicated extends KubeObject {
  spec: { replicas?: number; template?: PodTemplateSpec };
  status?: { replicas?: number; readyReplicas?: number };
}

/**
 * printers.go's replica set columns, shared by ReplicaSets and ReplicationControllers; they
 * differ only in how the selector prints (a LabelSelector vs a plain label map).
 */
export function replicatedTable<T extends Replicated>(selectorText: (obj: T) => string): TableDef<T> {
  return {
    columns: [
      col("Name"), col("Desired", "integer"), col("Current", "integer"), col("Ready", "integer"), col("Age"),
      col("Containers", "string", 1), col("Images", "string", 1), col("Selector", "string", 1),
    ],
    cells(obj, now) {
      const [names, images] = layoutContainers(obj.spec.template?.spec?.containers);
      return [
        obj.metadata.name ?? "",
        obj.spec.replicas ?? 0,
        obj.status?.replicas ?? 0,
        obj.status?.readyReplicas ?? 0,
        age(obj.metadata.creationTimestamp, now),
        names,
        images,
        selectorText(obj),
      ];
    },
  };
}
