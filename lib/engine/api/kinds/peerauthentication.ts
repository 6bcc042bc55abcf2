/**
 * Istio's PeerAuthentication (`security.istio.io/v1`), served like the CRD it is: the schema's
 * enum on `mtls.mode`, generation on any spec change, and the CRD's printer columns (MODE,
 * AGE).
 *
 * @example
 * // spec.mtls.mode: "strict" →
 * // spec.mtls.mode: Unsupported value: "strict": supported values: "UNSET", "DISABLE", "PERMISSIVE", "STRICT"
 */
import type { PeerAuthentication } from "../types/other";
import { age } from "../tables/common";
import { col } from "../tables/types";
import { type FieldError, fieldPath, notSupported } from "../validation/field";
import { nameIsDNSSubdomain } from "../validation/meta";
import { defineKind } from "./strategy";

const MODES = ["UNSET", "DISABLE", "PERMISSIVE", "STRICT"];

function validatePeerAuthentication(pa: PeerAuthentication): FieldError[] {
  const errs: FieldError[] = [];
  const mode = pa.spec?.mtls?.mode;
  if (mode !== undefined && !MODES.includes(mode)) errs.push(notSupported(fieldPath("spec", "mtls", "mode"), mode, MODES));
  for (const [port, setting] of Object.entries(pa.spec?.portLevelMtls ?? {})) {
    const m = setting?.mode;
    if (m !== undefined && !MODES.includes(m)) errs.push(notSupported(fieldPath("spec", "portLevelMtls").key(port).child("mode"), m, MODES));
  }
  return errs;
}

/** The PeerAuthentication strategy, as the apiextensions server serves the CRD. */
export const peerAuthenticationStrategy = defineKind<PeerAuthentication>({
  kind: "PeerAuthentication",
  nameValidator: nameIsDNSSubdomain,
  validateSpec: validatePeerAuthentication,
  generationOf: (pa) => pa.spec,
  customFieldConversion: true,
  table: {
    columns: [col("Name"), col("Mode"), col("Age", "date")],
    cells: (pa, now) => [pa.metadata.name ?? "", pa.spec?.mtls?.mode ?? null, age(pa.metadata.creationTimestamp, now)],
  },
});
