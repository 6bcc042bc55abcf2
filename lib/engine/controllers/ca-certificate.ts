/**
 * A stand-in for the cluster CA certificate kubeadm generates (`certutil.NewSelfSignedCACert`):
 * a DER-encoded X.509 v3 certificate with kubeadm's shape — serial, `CN=kubernetes` issuer and
 * subject, ten years of validity, an RSA-2048 public key, critical keyUsage
 * (digitalSignature, keyEncipherment, keyCertSign) and basicConstraints CA:TRUE, a subject key
 * identifier and `DNS:kubernetes` — in PEM. The key material and signature are random bytes
 * from the seeded generator, so the certificate parses but does not verify; the real PKI
 * (keys and signatures made with WebCrypto) replaces it in a later issue.
 *
 * @example
 * clusterCACertificate(rng.fork(), clock.now()); // "-----BEGIN CERTIFICATE-----\nMIIC/zCCAeegAwIBAgII…"
 */
import { encodeBase64 } from "../util/base64";
import type { Rng } from "../util/rng";

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 255);
  return [0x80 | out.length, ...out];
}

const tlv = (tag: number, content: readonly number[]): number[] => [tag, ...lengthBytes(content.length), ...content];
const seq = (...parts: number[][]) => tlv(0x30, parts.flat());
const set = (...parts: number[][]) => tlv(0x31, parts.flat());
const explicit = (n: number, content: number[]) => tlv(0xa0 | n, content);
const bool = () => tlv(0x01, [0xff]);
const nul = () => [0x05, 0x00];
const octets = (content: number[]) => tlv(0x04, content);
const bits = (content: number[], unused = 0) => tlv(0x03, [unused, ...content]);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** A positive INTEGER from big-endian bytes (a leading zero keeps the sign bit clear). */
function integer(bytes: number[]): number[] {
  let b = [...bytes];
  while (b.length > 1 && b[0] === 0 && b[1] < 0x80) b = b.slice(1);
  return tlv(0x02, b[0] >= 0x80 ? [0, ...b] : b);
}

function oid(text: string): number[] {
  const [a, b, ...rest] = text.split(".").map(Number);
  const body = [a * 40 + b];
  for (const n of rest) {
    const chunk: number[] = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    body.push(...chunk);
  }
  return tlv(0x06, body);
}

/** UTCTime `YYMMDDHHMMSSZ`. */
function utcTime(ms: number): number[] {
  const iso = new Date(ms).toISOString();
  return tlv(0x17, ascii(`${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`));
}

function randomBytes(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.int(256));
}

const SHA256_WITH_RSA = () => seq(oid("1.2.840.113549.1.1.11"), nul());
const TEN_YEARS_MS = 3650 * 24 * 3600 * 1000;

/** The PEM text of a kubeadm-shaped CA certificate valid from `notBefore` (epoch ms). */
export function clusterCACertificate(rng: Rng, notBefore: number): string {
  const name = seq(set(seq(oid("2.5.4.3"), tlv(0x13, ascii("kubernetes")))));
  const serial = randomBytes(rng, 8);
  serial[0] &= 0x7f;
  const modulus = randomBytes(rng, 256);
  modulus[0] |= 0x80;
  modulus[255] |= 1;
  const publicKey = seq(seq(oid("1.2.840.113549.1.1.1"), nul()), bits(seq(integer(modulus), integer([0x01, 0x00, 0x01]))));
  const extensions = seq(
    seq(oid("2.5.29.15"), bool(), octets(bits([0xa4], 5))),
    seq(oid("2.5.29.19"), bool(), octets(seq(bool()))),
    seq(oid("2.5.29.14"), octets(octets(randomBytes(rng, 20)))),
    seq(oid("2.5.29.17"), octets(seq(tlv(0x82, ascii("kubernetes"))))),
  );
  const tbs = seq(
    explicit(0, integer([2])),
    integer(serial),
    SHA256_WITH_RSA(),
    name,
    seq(utcTime(notBefore), utcTime(notBefore + TEN_YEARS_MS)),
    name,
    publicKey,
    explicit(3, extensions),
  );
  const der = seq(tbs, SHA256_WITH_RSA(), bits(randomBytes(rng, 256)));
  const b64 = encodeBase64(Uint8Array.from(der));
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}
