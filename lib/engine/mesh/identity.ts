/**
 * Workload identity as Istio 1.24 issues it: istiod's self-signed root (`O=cluster.local`,
 * 10 years) and, for each proxy, an X.509 certificate with an empty subject and one URI SAN
 * `spiffe://cluster.local/ns/NS/sa/SA`, valid 24 hours, for server and client auth. Real
 * certificates from lib/engine/pki: they verify against istiod's root and fail against any
 * other. Keys derive from labels (deterministic), so a certificate is a pure function of
 * what it is for; istiod's key derives from its root's start, which the root carries.
 *
 * @example
 * const root = meshRoot(installedAt);
 * const cert = workloadCertificate(root, { namespace: "default", serviceAccount: "sleep", pod: "sleep-0", issuedAt });
 * cert.uris; // ["spiffe://cluster.local/ns/default/sa/sleep"]
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { issueCertificate, keyPairFrom, parseCertificate, type Certificate, type KeyPair } from "../pki";
import { ROOT_CERT_TTL_MS, TRUST_DOMAIN, WORKLOAD_CERT_TTL_MS } from "./constants";

/** `spiffe://cluster.local/ns/NS/sa/SA`. */
export function spiffeId(namespace: string, serviceAccount: string): string {
  return `spiffe://${TRUST_DOMAIN}/ns/${namespace}/sa/${serviceAccount}`;
}

/** The namespace and service account a SPIFFE id names; undefined for anything else. */
export function parseSpiffeId(uri: string): { namespace: string; serviceAccount: string } | undefined {
  const m = /^spiffe:\/\/[^/]+\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(uri);
  return m ? { namespace: m[1], serviceAccount: m[2] } : undefined;
}

/** The principal AuthorizationPolicy matches: the SPIFFE id without its scheme. */
export function principalOf(uri: string): string {
  return uri.replace(/^spiffe:\/\//, "");
}

const whole = (ms: number) => Math.floor(ms / 1000) * 1000;

const caKeys = new Map<number, KeyPair>();

/** istiod's CA key (a derived key costs a scalar multiplication: every workload certificate needs it, so it is remembered). */
function caKey(notBefore: number): KeyPair {
  const at = whole(notBefore);
  let key = caKeys.get(at);
  if (!key) {
    key = keyPairFrom(`istio/ca/${at}`);
    if (caKeys.size >= 64) caKeys.clear();
    caKeys.set(at, key);
  }
  return key;
}

/** serial numbers as istiod makes them: 128 random bits (here: hashed from what the certificate is for). */
function serialFor(label: string): bigint {
  const digest = sha256(utf8ToBytes(label));
  let n = 0n;
  for (const byte of digest.subarray(0, 16)) n = (n << 8n) | BigInt(byte);
  return n || 1n;
}

const roots = new Map<number, Certificate>();

/** istiod's self-signed root CA, made when istiod first started (`installedAt`). */
export function meshRoot(installedAt: number): Certificate {
  const at = whole(installedAt);
  let root = roots.get(at);
  if (!root) {
    root = issueCertificate({
      subject: { commonName: "", organizations: [TRUST_DOMAIN] }, key: caKey(at), serial: serialFor(`root/${at}`),
      notBefore: at, notAfter: at + ROOT_CERT_TTL_MS, isCA: true, usages: [],
    });
    roots.set(at, root);
  }
  return root;
}

/** The root's private key, which only istiod holds. */
export function meshRootKey(root: Certificate): KeyPair {
  return caKey(root.notBefore);
}

export interface WorkloadRequest {
  namespace: string;
  serviceAccount: string;
  /** The pod the proxy runs in (each proxy has its own key). */
  pod: string;
  /** When istiod signed it (the proxy's start). */
  issuedAt: number;
}

/** The validity of a certificate signed at `issuedAt` (whole seconds, as X.509 stores them). */
export function workloadValidity(issuedAt: number): { notBefore: number; notAfter: number } {
  return { notBefore: whole(issuedAt), notAfter: whole(issuedAt) + WORKLOAD_CERT_TTL_MS };
}

const issued = new Map<string, { certificate: Certificate; key: KeyPair }>();

/** A proxy's certificate and key, signed by `root`'s key (the same request gets the same certificate). */
export function workloadIdentity(root: Certificate, req: WorkloadRequest): { certificate: Certificate; key: KeyPair } {
  const label = `${root.serial}/${req.namespace}/${req.pod}/${req.serviceAccount}/${whole(req.issuedAt)}`;
  let found = issued.get(label);
  if (!found) {
    const key = keyPairFrom(`istio/workload/${label}`);
    const certificate = issueCertificate({
      subject: { commonName: "" }, key, serial: serialFor(label), ...workloadValidity(req.issuedAt),
      usages: ["serverAuth", "clientAuth"], uris: [spiffeId(req.namespace, req.serviceAccount)],
    }, { certificate: root, key: meshRootKey(root) });
    found = { certificate, key };
    if (issued.size >= 4096) issued.clear();
    issued.set(label, found);
  }
  return found;
}

/** The root a PEM text holds (the istiod-ca-cert mount), or undefined when it holds none. */
export function rootFromPem(pem: string): Certificate | undefined {
  try {
    return parseCertificate(pem);
  } catch {
    return undefined;
  }
}

/** Envoy's `Hash=` in x-forwarded-client-cert: the SHA-256 of the peer certificate's DER, in hex. */
export function certificateHash(certificate: Certificate): string {
  return [...sha256(certificate.der)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
