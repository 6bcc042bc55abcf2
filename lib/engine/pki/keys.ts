/**
 * ECDSA P-256 key pairs, derived instead of drawn: the private scalar comes from SHA-384 of a
 * label (the caller puts the scenario's seed and the key's purpose in it), so a boot, a replay
 * and a fork make the same keys without storing them. Keys are written and read in the
 * encodings kubeadm uses: SEC 1 `EC PRIVATE KEY` for private keys (`x509.MarshalECPrivateKey`)
 * and PKIX `PUBLIC KEY` for `sa.pub`.
 *
 * @example
 * const key = keyPairFrom("seed=1/ca");
 * privateKeyPem(key);                       // "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE…"
 * parsePrivateKeyPem(privateKeyPem(key));   // the same key pair
 */
import { AsnConvert } from "@peculiar/asn1-schema";
import { AlgorithmIdentifier, SubjectPublicKeyInfo } from "@peculiar/asn1-x509";
import { p256 } from "@noble/curves/nist.js";
import { sha384 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { pemBlocks, pemEncode } from "./pem";

/** A P-256 key pair: the 32-byte private scalar and the 65-byte uncompressed public point. Frozen. */
export interface KeyPair {
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

export const OID_EC_PUBLIC_KEY = "1.2.840.10045.2.1";
export const OID_PRIME256V1 = "1.2.840.10045.3.1.7";
/** DER of the prime256v1 OBJECT IDENTIFIER: the algorithm parameters of every key here. */
export const PRIME256V1_DER = Uint8Array.of(0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07);

/** The key pair whose private scalar derives from `label` (the same label, the same key). */
export function keyPairFrom(label: string): KeyPair {
  const privateKey = p256.utils.randomSecretKey(sha384(utf8ToBytes(`netlab/pki/${label}`)));
  return keyPairOf(privateKey);
}

function keyPairOf(privateKey: Uint8Array): KeyPair {
  return Object.freeze({ privateKey, publicKey: p256.getPublicKey(privateKey, false) });
}

/** SubjectPublicKeyInfo DER of an uncompressed P-256 point (what a certificate and `sa.pub` hold). */
export function publicKeyInfoDer(publicKey: Uint8Array): Uint8Array {
  const info = new SubjectPublicKeyInfo({
    algorithm: new AlgorithmIdentifier({ algorithm: OID_EC_PUBLIC_KEY, parameters: PRIME256V1_DER.slice().buffer }),
    subjectPublicKey: publicKey.slice().buffer,
  });
  return new Uint8Array(AsnConvert.serialize(info));
}

/** `sa.pub`: the public key as PKIX `PUBLIC KEY` PEM. */
export function publicKeyPem(key: KeyPair): string {
  return pemEncode("PUBLIC KEY", publicKeyInfoDer(key.publicKey));
}

/**
 * SEC 1 ECPrivateKey (RFC 5915) as Go marshals it: version 1, the scalar, [0] the curve OID,
 * [1] the public key. Written by hand: a fixed 121-byte layout for P-256.
 */
export function privateKeyPem(key: KeyPair): string {
  const der = Uint8Array.of(
    0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20, ...key.privateKey,
    0xa0, 0x0a, ...PRIME256V1_DER,
    0xa1, 0x44, 0x03, 0x42, 0x00, ...key.publicKey,
  );
  return pemEncode("EC PRIVATE KEY", der);
}

/** The key pair in an `EC PRIVATE KEY` (or PKCS#8 `PRIVATE KEY`) PEM text, or undefined when there is none. */
export function parsePrivateKeyPem(text: string): KeyPair | undefined {
  if (parsedKeys.has(text)) return parsedKeys.get(text);
  let pair: KeyPair | undefined;
  for (const block of pemBlocks(text)) {
    const sec1 = block.label === "EC PRIVATE KEY" ? block.der : block.label === "PRIVATE KEY" ? pkcs8Inner(block.der) : undefined;
    const scalar = sec1 && ecPrivateKeyScalar(sec1);
    if (scalar && p256.utils.isValidSecretKey(scalar)) {
      pair = keyPairOf(scalar);
      break;
    }
  }
  if (parsedKeys.size >= 256) parsedKeys.clear();
  parsedKeys.set(text, pair);
  return pair;
}

/**
 * Parsed keys by PEM text: the public half costs a scalar multiplication, and signing with a CA
 * (kubeadm's boot, `kubeadm certs renew`) reads the same key file again and again. Bounded.
 */
const parsedKeys = new Map<string, KeyPair | undefined>();

/** A DER element at `at`: its tag and where its contents start and end. */
function element(der: Uint8Array, at: number): { tag: number; start: number; end: number } | undefined {
  if (at + 2 > der.length) return undefined;
  const first = der[at + 1];
  let length = first;
  let start = at + 2;
  if (first & 0x80) {
    length = 0;
    for (let i = 0; i < (first & 0x7f); i++) length = length * 256 + der[start++];
  }
  return start + length <= der.length ? { tag: der[at], start, end: start + length } : undefined;
}

/** The private scalar of a SEC 1 ECPrivateKey: SEQUENCE { INTEGER 1, OCTET STRING d, … }. */
function ecPrivateKeyScalar(der: Uint8Array): Uint8Array | undefined {
  const outer = element(der, 0);
  const version = outer?.tag === 0x30 ? element(der, outer.start) : undefined;
  if (!version || version.tag !== 0x02 || der[version.start] !== 1) return undefined;
  const d = element(der, version.end);
  return d?.tag === 0x04 && d.end - d.start === 32 ? der.slice(d.start, d.end) : undefined;
}

/** PKCS#8 (what `openssl genpkey` writes) wraps the SEC 1 structure: SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING }. */
function pkcs8Inner(der: Uint8Array): Uint8Array | undefined {
  const outer = element(der, 0);
  const version = outer?.tag === 0x30 ? element(der, outer.start) : undefined;
  const algorithm = version && element(der, version.end);
  const inner = algorithm && element(der, algorithm.end);
  return inner?.tag === 0x04 ? der.slice(inner.start, inner.end) : undefined;
}
