/**
 * A Go TLS client's judgement of a server's certificate (crypto/tls with RootCAs and
 * ServerName, what kubectl and client-go do): `verifyCertificate` at the current time, then the
 * host name against the SANs — and the error as crypto/tls wraps it,
 * `tls: failed to verify certificate: x509: …`.
 *
 * @example
 * serverVerificationError(apiserver, [ca], "172.30.1.2", now); // undefined: trusted
 * serverVerificationError(apiserver, [ca], "127.0.0.1", now);
 * // "tls: failed to verify certificate: x509: certificate is valid for 10.96.0.1, 172.30.1.2, not 127.0.0.1"
 */
import type { Certificate } from "./certificate";
import { verifyCertificate } from "./verify";

const isIP = (host: string) => /^[\d.]+$/.test(host) || host.includes(":");

/** A DNS SAN against a host name: exact, or a `*.` wildcard standing for exactly one leftmost label (never an IP). */
export function dnsNameMatches(pattern: string, host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, "");
  const p = pattern.toLowerCase();
  if (!p.startsWith("*.")) return p === name;
  const dot = name.indexOf(".");
  return dot > 0 && !isIP(name) && name.slice(dot + 1) === p.slice(2);
}

/** Go's VerifyHostname: an IP against the IP SANs, a name against the DNS SANs (one-label `*.` wildcards). */
export function hostnameError(cert: Certificate, host: string): string | undefined {
  const bare = host.replace(/^\[|\]$/g, "");
  if (isIP(bare)) {
    if (cert.ipAddresses.includes(bare)) return undefined;
    if (!cert.ipAddresses.length) return `x509: cannot validate certificate for ${bare} because it doesn't contain any IP SANs`;
    return `x509: certificate is valid for ${cert.ipAddresses.join(", ")}, not ${bare}`;
  }
  if (cert.dnsNames.some((pattern) => dnsNameMatches(pattern, bare))) return undefined;
  if (!cert.dnsNames.length) return "x509: certificate relies on legacy Common Name field, use SANs instead";
  return `x509: certificate is valid for ${cert.dnsNames.join(", ")}, not ${bare}`;
}

/** Why a Go client refuses `leaf` from a server it reached as `serverName` (undefined: it accepts it). */
export function serverVerificationError(leaf: Certificate, roots: readonly Certificate[], serverName: string, at: number): string | undefined {
  const verified = verifyCertificate(leaf, roots, at);
  const error = verified.ok ? hostnameError(leaf, serverName) : verified.error;
  return error && `tls: failed to verify certificate: ${error}`;
}
