/**
 * The chain OpenSSL 3.0 builds and checks for a certificate (X509_verify_cert as `openssl
 * verify`, `s_client` and curl use it): issuers found by name and key identifier among the
 * trusted roots, then the untrusted intermediates; then from the root down each signature and
 * validity period. The errors carry OpenSSL's codes and texts.
 *
 * @example
 * opensslChain(leaf, [ca], [], now).errors; // [] when it verifies
 */
import { signedBy, type Certificate } from "./certificate";
import { sameBytes } from "./time";
import { sameName } from "./verify";

export const OPENSSL_VERIFY_ERRORS = {
  notYetValid: [9, "certificate is not yet valid"],
  expired: [10, "certificate has expired"],
  signature: [7, "certificate signature failure"],
  selfSigned: [18, "self-signed certificate"],
  noIssuer: [20, "unable to get local issuer certificate"],
} as const;

export type VerifyError = keyof typeof OPENSSL_VERIFY_ERRORS;

/** X509_check_issued: the issuer's subject is the certificate's issuer, and the key identifiers agree when both are present. */
function issues(candidate: Certificate, cert: Certificate): boolean {
  if (!sameName(candidate.subject, cert.issuer)) return false;
  return !cert.authorityKeyId || !candidate.subjectKeyId || sameBytes(cert.authorityKeyId, candidate.subjectKeyId);
}

export interface ChainError {
  readonly error: VerifyError;
  readonly cert: Certificate;
  readonly depth: number;
}

/** The chain OpenSSL builds for `leaf` (leaf first) and the errors it reports, each with its certificate and depth; no errors: it verifies. */
export function opensslChain(leaf: Certificate, trusted: readonly Certificate[], untrusted: readonly Certificate[], at: number): { chain: Certificate[]; errors: ChainError[] } {
  const chain: Certificate[] = [leaf];
  for (;;) {
    const top = chain[chain.length - 1];
    if (trusted.some((t) => sameBytes(t.der, top.der))) break;
    const root = trusted.find((t) => issues(t, top));
    if (root) {
      chain.push(root);
      break;
    }
    if (issues(top, top)) return { chain, errors: [{ error: "selfSigned", cert: top, depth: chain.length - 1 }] };
    const next = untrusted.find((u) => issues(u, top) && !chain.includes(u));
    if (!next) return { chain, errors: [{ error: "noIssuer", cert: top, depth: chain.length - 1 }] };
    chain.push(next);
  }
  const errors: ChainError[] = [];
  for (let depth = chain.length - 1; depth >= 0; depth--) {
    const cert = chain[depth];
    const issuer = chain[depth + 1];
    if (issuer && !signedBy(cert, issuer)) return { chain, errors: [...errors, { error: "signature", cert, depth }] };
    if (at < cert.notBefore) return { chain, errors: [...errors, { error: "notYetValid", cert, depth }] };
    if (at > cert.notAfter) errors.push({ error: "expired", cert, depth });
  }
  return { chain, errors };
}
