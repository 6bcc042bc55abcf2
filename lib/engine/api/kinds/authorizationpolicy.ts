/**
 * Istio's AuthorizationPolicy (`security.istio.io/v1`), served like the CRD it is: the
 * schema's enum on `spec.action`, generation on any spec change, and the CRD's printer
 * columns (ACTION, AGE).
 *
 * @example
 * // spec.action: "allow" →
 * // spec.action: Unsupported value: "allow": supported values: "ALLOW", "DENY", "AUDIT", "CUSTOM"
 */
import type { AuthorizationPolicy } from "../types/other";
import { age } from "../tables/common";
import { col } from "../tables/types";
import { type FieldError, fieldPath, notSupported } from "../validation/field";
import { nameIsDNSSubdomain } from "../validation/meta";
import { defineKind } from "./strategy";

const ACTIONS = ["ALLOW", "DENY", "AUDIT", "CUSTOM"];

function validateAuthorizationPolicy(ap: AuthorizationPolicy): FieldError[] {
  const action = ap.spec?.action;
  return action !== undefined && !ACTIONS.includes(action) ? [notSupported(fieldPath("spec", "action"), action, ACTIONS)] : [];
}

/** The AuthorizationPolicy strategy, as the apiextensions server serves the CRD. */
export const authorizationPolicyStrategy = defineKind<AuthorizationPolicy>({
  kind: "AuthorizationPolicy",
  nameValidator: nameIsDNSSubdomain,
  validateSpec: validateAuthorizationPolicy,
  generationOf: (ap) => ap.spec,
  customFieldConversion: true,
  table: {
    columns: [col("Name"), col("Action"), col("Age", "date")],
    cells: (ap, now) => [ap.metadata.name ?? "", ap.spec?.action ?? null, age(ap.metadata.creationTimestamp, now)],
  },
});
