/**
 * The certificates the controller serves: a kubernetes.io/tls Secret's `tls.crt` (parsed as
 * X.509 by lib/engine/pki), or, when a TLS host's Secret is missing or unusable and for every
 * name without one, the self-signed certificate ingress-nginx makes at start
 * (`O=Acme Co, CN=Kubernetes Ingress Controller Fake Certificate`, SAN `ingress.local`).
 *
 * @example
 * certificateOfSecret(secret)?.subject; // "CN=foo.bar.com"
 * fakeCertificate().selfSigned;          // true
 */
import type { Secret } from "../../api";
import { parseCertificate, type Name } from "../../pki";
import { decodeBase64 } from "../../util/base64";
import type { ServerCertificate } from "../app";
import { FAKE_CERTIFICATE_CN, type ServingCertificate } from "./types";

const FAKE: ServingCertificate = Object.freeze({
  subject: `O=Acme Co; CN=${FAKE_CERTIFICATE_CN}`,
  issuer: `O=Acme Co; CN=${FAKE_CERTIFICATE_CN}`,
  names: Object.freeze(["ingress.local"]),
  selfSigned: true,
});

export function fakeCertificate(): ServingCertificate {
  return FAKE;
}

/** A name as curl (OpenSSL) prints it: `O=Acme Co; CN=example.com`. */
function nameText(name: Name): string {
  return name.attributes.map(([type, value]) => `${type}=${value}`).join("; ");
}

/** The certificate of a kubernetes.io/tls Secret, or undefined when it has none that parses (with its key). */
export function certificateOfSecret(secret: Secret): ServingCertificate | undefined {
  if (secret.type !== "kubernetes.io/tls") return undefined;
  const crt = secret.data?.["tls.crt"];
  if (!crt || !secret.data?.["tls.key"]) return undefined;
  const decoded = decodeBase64(crt);
  if (!decoded.ok) return undefined;
  try {
    // PEM is ASCII: bytes are characters.
    const cert = parseCertificate(String.fromCharCode(...decoded.bytes));
    const subject = nameText(cert.subject);
    const issuer = nameText(cert.issuer);
    return Object.freeze({
      secret: `${secret.metadata.namespace}/${secret.metadata.name}`,
      subject, issuer,
      names: Object.freeze([...cert.dnsNames, ...cert.ipAddresses]),
      selfSigned: subject === issuer,
    });
  } catch {
    return undefined;
  }
}

/** Whether a certificate is valid for a server name (exact, or a one-label `*.` wildcard). */
export function certificateCovers(cert: ServingCertificate, name: string): boolean {
  const host = name.toLowerCase();
  return cert.names.some((n) => {
    const pattern = n.toLowerCase();
    if (!pattern.startsWith("*.")) return pattern === host;
    const dot = host.indexOf(".");
    return dot > 0 && host.slice(dot + 1) === pattern.slice(2);
  });
}

/** What a client judges of the certificate (never a public CA here: self-signed, or an issuer it lacks). */
export function clientView(cert: ServingCertificate): ServerCertificate {
  return { subject: cert.subject, issuer: cert.issuer, names: cert.names, untrusted: cert.selfSigned ? "self-signed" : "unknown-issuer" };
}
