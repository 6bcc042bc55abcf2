/**
 * Chain verification the way a Go TLS peer (kubectl, the apiserver's x509 authenticator)
 * does it, for the one-level chains a kubeadm cluster has (leaf → CA): the leaf's validity
 * period first, then a root with the leaf's issuer name whose key made the signature. Errors
 * are Go's texts; `reason` lets other tools (openssl) word them their own way.
 *
 * @example
 * verifyCertificate(apiserver, [ca], clock.now());  // { ok: true }
 * verifyCertificate(apiserver, [otherCa], now);     // { ok: false, reason: "unknown-authority", error: "x509: certificate signed by unknown authority" }
 */
import { signedBy, type Certificate, type Name } from "./certificate";

export type VerifyFailure = "expired" | "not-yet-valid" | "unknown-authority" | "bad-signature";

export type VerifyResult = { ok: true; issuer: Certificate } | { ok: false; reason: VerifyFailure; error: string };

/** Go's time.RFC3339 of a UTC instant. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function sameName(a: Name, b: Name): boolean {
  return a.attributes.length === b.attributes.length && a.attributes.every(([t, v], i) => b.attributes[i][0] === t && b.attributes[i][1] === v);
}

/** Whether `certificate` is valid at `at` (virtual ms): notBefore ≤ at ≤ notAfter, as Go and OpenSSL compare. */
export function validityError(certificate: Certificate, at: number): VerifyResult | undefined {
  if (at < certificate.notBefore) return { ok: false, reason: "not-yet-valid", error: `x509: certificate has expired or is not yet valid: current time ${rfc3339(at)} is before ${rfc3339(certificate.notBefore)}` };
  if (at > certificate.notAfter) return { ok: false, reason: "expired", error: `x509: certificate has expired or is not yet valid: current time ${rfc3339(at)} is after ${rfc3339(certificate.notAfter)}` };
  return undefined;
}

/** Verifies `leaf` against `roots` at `at`: Go's order (validity, then the issuer and its signature). */
export function verifyCertificate(leaf: Certificate, roots: readonly Certificate[], at: number): VerifyResult {
  const invalid = validityError(leaf, at);
  if (invalid) return invalid;
  const candidates = roots.filter((root) => sameName(root.subject, leaf.issuer));
  const issuer = candidates.find((root) => signedBy(leaf, root));
  if (issuer) return validityError(issuer, at) ?? { ok: true, issuer };
  if (candidates.length) {
    const hint = candidates[0].subject.commonName;
    return { ok: false, reason: "bad-signature", error: `x509: certificate signed by unknown authority (possibly because of "x509: ECDSA verification failure" while trying to verify candidate authority certificate "${hint}")` };
  }
  return { ok: false, reason: "unknown-authority", error: "x509: certificate signed by unknown authority" };
}
