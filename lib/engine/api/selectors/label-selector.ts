/**
 * `metav1.LabelSelector` (`matchLabels` + `matchExpressions`): conversion to a {@link Selector}
 * (`LabelSelectorAsSelector`), its validation (`ValidateLabelSelector`), the text kubectl
 * prints in SELECTOR columns (`FormatLabelSelector`), and its Go `%#v` rendering used in
 * `field is immutable` messages.
 *
 * @example
 * const sel = labelSelectorAsSelector({ matchLabels: { app: "web" },
 *   matchExpressions: [{ key: "tier", operator: "NotIn", values: ["db"] }] });
 * sel.toString();                                  // "app=web,tier notin (db)"
 * formatLabelSelector(undefined);                  // "<none>"
 */
import type { LabelSelector } from "../types/meta";
import { type FieldError, FieldPath, type GoValue, forbidden, goQuote, goStringMap, goStringSlice, invalid, required } from "../validation/field";
import { validateLabels } from "../validation/meta";
import { isQualifiedName, isValidLabelValue } from "../validation/strings";
import { type Operator, type Requirement, type Selector, everything, newRequirement, nothing, selectorOf } from "./labels";

const OPERATORS: Record<string, Operator> = { In: "in", NotIn: "notin", Exists: "exists", DoesNotExist: "!" };

/**
 * `LabelSelectorAsSelector`: nil selects nothing, empty selects everything. Throws an Error
 * with upstream's text for an unknown operator or an invalid key/value.
 */
export function labelSelectorAsSelector(ls: LabelSelector | undefined | null): Selector {
  if (ls === undefined || ls === null) return nothing;
  const labels = ls.matchLabels ?? {};
  const exprs = ls.matchExpressions ?? [];
  if (Object.keys(labels).length + exprs.length === 0) return everything;
  const reqs: Requirement[] = Object.entries(labels).map(([k, v]) => newRequirement(k, "=", [v]));
  for (const e of exprs) {
    const op = OPERATORS[e.operator];
    if (!op) throw new Error(`${goQuote(e.operator)} is not a valid label selector operator`);
    reqs.push(newRequirement(e.key, op, [...(e.values ?? [])]));
  }
  return selectorOf(reqs);
}

/** `metav1.FormatLabelSelector`: the selector's string, `<none>` when it selects all or nothing. */
export function formatLabelSelector(ls: LabelSelector | undefined | null): string {
  let text: string;
  try {
    text = labelSelectorAsSelector(ls).toString();
  } catch {
    return "<error>";
  }
  return text === "" ? "<none>" : text;
}

/** `ValidateLabelSelector` with `AllowInvalidLabelValueInSelector: false`. */
export function validateLabelSelector(ls: LabelSelector | undefined | null, path: FieldPath): FieldError[] {
  if (ls === undefined || ls === null) return [];
  const errs = validateLabels(ls.matchLabels, path.child("matchLabels"));
  (ls.matchExpressions ?? []).forEach((e, i) => {
    const p = path.child("matchExpressions").index(i);
    const values = e.values ?? [];
    if (e.operator === "In" || e.operator === "NotIn") {
      if (values.length === 0) errs.push(required(p.child("values"), "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (e.operator === "Exists" || e.operator === "DoesNotExist") {
      if (values.length > 0) errs.push(forbidden(p.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      errs.push(invalid(p.child("operator"), e.operator, "not a valid selector operator"));
    }
    for (const m of isQualifiedName(e.key)) errs.push(invalid(p.child("key"), e.key, m));
    values.forEach((v, vi) => {
      for (const m of isValidLabelValue(v)) errs.push(invalid(p.child("values").index(vi), v, m));
    });
  });
  return errs;
}

/** Go's `%#v` of a `metav1.LabelSelector`, as printed in `field is immutable` errors. */
export function goLabelSelector(ls: LabelSelector | undefined | null): GoValue {
  if (ls === undefined || ls === null) return { go: "null" };
  const exprs = ls.matchExpressions;
  const reqs =
    exprs === undefined
      ? "[]v1.LabelSelectorRequirement(nil)"
      : `[]v1.LabelSelectorRequirement{${exprs
          .map(
            (e) =>
              `v1.LabelSelectorRequirement{Key:${goQuote(e.key)}, Operator:${goQuote(e.operator)}, Values:${goStringSlice(e.values).go}}`,
          )
          .join(", ")}}`;
  return { go: `v1.LabelSelector{MatchLabels:${goStringMap(ls.matchLabels).go}, MatchExpressions:${reqs}}` };
}
