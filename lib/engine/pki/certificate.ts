/**
 * X.509 v3 certificates as Go's `crypto/x509.CreateCertificate` makes them for kubeadm: an
 * ECDSA P-256 key signed with ecdsa-with-SHA256, each subject attribute in its own RDN
 * (O before CN, as `pkix.Name` orders them), extensions in Go's order — key usage (critical),
 * extended key usage, basic constraints (critical), a subject key identifier on CAs, the
 * issuer's key identifier on certificates it signs, subject alternative names. The DER comes
 * from @peculiar/asn1-x509; signatures from @noble/curves (RFC 6979, so the same inputs make
 * the same bytes).
 *
 * @example
 * const caKey = keyPairFrom("seed=1/ca");
 * const ca = issueCertificate({ subject: { commonName: "kubernetes" }, key: caKey, serial: 1n, notBefore, notAfter, isCA: true, usages: [] });
 * const leaf = issueCertificate({ subject: { commonName: "kube-apiserver" }, key, serial: 2n, notBefore, notAfter, usages: ["serverAuth"], dnsNames: ["kubernetes"] }, { certificate: ca, key: caKey });
 * parseCertificate(leaf.pem).issuer.commonName; // "kubernetes"
 */
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import {
  AlgorithmIdentifier, AttributeTypeAndValue, AttributeValue, AuthorityKeyIdentifier, BasicConstraints,
  Certificate as AsnCertificate, ExtendedKeyUsage, Extension, Extensions, GeneralName, KeyIdentifier, KeyUsage,
  Name as AsnName, RelativeDistinguishedName, SubjectAlternativeName, SubjectKeyIdentifier, SubjectPublicKeyInfo,
  TBSCertificate, Validity, Version,
} from "@peculiar/asn1-x509";
import { p256 } from "@noble/curves/nist.js";
import { sha1 } from "@noble/hashes/legacy.js";
import type { KeyPair } from "./keys";
import { OID_EC_PUBLIC_KEY, PRIME256V1_DER } from "./keys";
import { pemBlocks, pemEncode } from "./pem";
import { PureCache } from "../util/pure-cache";

export type ExtendedUsage = "serverAuth" | "clientAuth";

/** A subject as a request names it: kubeadm's certificates have a CN and sometimes organizations. */
export interface DistinguishedName {
  readonly commonName: string;
  readonly organizations?: readonly string[];
}

/** A parsed name: CN and O, and every attribute in order with its short name (`CN`, `O`, `C`…) for printing. */
export interface Name {
  readonly commonName: string;
  readonly organizations: readonly string[];
  readonly attributes: readonly (readonly [type: string, value: string])[];
}

export interface CertificateRequest {
  readonly subject: DistinguishedName;
  /** The subject's key pair (only its public half goes in the certificate). */
  readonly key: KeyPair;
  readonly serial: bigint | number;
  /** Virtual epoch ms; X.509 keeps whole seconds. */
  readonly notBefore: number;
  readonly notAfter: number;
  readonly isCA?: boolean;
  readonly usages: readonly ExtendedUsage[];
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly uris?: readonly string[];
}

export interface CertificateExtension {
  readonly oid: string;
  readonly critical: boolean;
  /** The extension's value (the contents of extnValue's OCTET STRING). */
  readonly value: Uint8Array;
}

/** A parsed certificate. Frozen: shared by forks like any immutable value. */
export interface Certificate {
  readonly pem: string;
  readonly der: Uint8Array;
  readonly serial: bigint;
  readonly subject: Name;
  readonly issuer: Name;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly isCA: boolean;
  /** Key usage bits by name (`digitalSignature`, `keyEncipherment`, `keyCertSign`…), in bit order. */
  readonly keyUsage: readonly string[];
  readonly usages: readonly ExtendedUsage[];
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  readonly uris: readonly string[];
  /** The subject public key: for P-256 the 65-byte uncompressed point. */
  readonly publicKey: Uint8Array;
  readonly publicKeyAlgorithm: string;
  readonly subjectKeyId?: Uint8Array;
  readonly authorityKeyId?: Uint8Array;
  readonly extensions: readonly CertificateExtension[];
  readonly signatureAlgorithm: string;
  /** The signed part (TBSCertificate DER) and the signature over it (DER ECDSA-Sig-Value). */
  readonly tbs: Uint8Array;
  readonly signature: Uint8Array;
}

export const OID = {
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  ecdsaWithSHA256: "1.2.840.10045.4.3.2",
  keyUsage: "2.5.29.15",
  extKeyUsage: "2.5.29.37",
  basicConstraints: "2.5.29.19",
  subjectKeyId: "2.5.29.14",
  authorityKeyId: "2.5.29.35",
  subjectAltName: "2.5.29.17",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
} as const;

const ATTRIBUTE_SHORT_NAMES: Record<string, string> = {
  "2.5.4.3": "CN", "2.5.4.6": "C", "2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.5": "serialNumber",
};

const KEY_USAGE_BITS = ["digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment", "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"] as const;

const buffer = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer;
const der = (value: unknown): ArrayBuffer => AsnConvert.serialize(value);

/** Go's pkix.Name order: O before CN, each value a PrintableString when it can be one. */
function asnName(name: DistinguishedName): AsnName {
  const attribute = (type: string, text: string) => new RelativeDistinguishedName([
    new AttributeTypeAndValue({ type, value: new AttributeValue(/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(text) ? { printableString: text } : { utf8String: text }) }),
  ]);
  // An empty common name is left out: Istio's root (`O=cluster.local`) and workload certificates (empty subject) have none.
  const cn = name.commonName === "" ? [] : [attribute(OID.commonName, name.commonName)];
  return new AsnName([...(name.organizations ?? []).map((o) => attribute(OID.organization, o)), ...cn]);
}

/** A positive INTEGER's content bytes for `n` (a leading zero keeps the sign bit clear). */
function serialBytes(n: bigint): Uint8Array {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  return Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16)));
}

/** An extension: its value's DER (kept for the parsed view) and the ASN.1 object the certificate carries. */
function extension(oid: string, critical: boolean, value: unknown): { parsed: CertificateExtension; asn: Extension } {
  const bytes = der(value);
  return {
    parsed: Object.freeze({ oid, critical, value: new Uint8Array(bytes) }),
    asn: new Extension({ extnID: oid, critical, extnValue: new OctetString(bytes) }),
  };
}

// Key usage, extended key usage, basic constraints and an issuer's key identifier come in a
// few shapes, each the same bytes in every certificate: encoded once (the ASN.1 encoder is a
// third of a workload certificate's cost). Shared, so never changed: `parsed` is frozen,
// `asn` only read.
const encodedExtensions = new PureCache<{ parsed: CertificateExtension; asn: Extension }>(256);
function sameExtension(key: string, make: () => { parsed: CertificateExtension; asn: Extension }): { parsed: CertificateExtension; asn: Extension } {
  return encodedExtensions.get(key, make);
}

/** SHA-1 of the public key bits: Go's generated subject key identifier (RFC 5280 §4.2.1.2 method 1). */
function keyId(publicKey: Uint8Array): Uint8Array {
  return sha1(publicKey);
}

const EC_ALGORITHM = new AlgorithmIdentifier({ algorithm: OID_EC_PUBLIC_KEY, parameters: PRIME256V1_DER.slice().buffer });

/** A frozen name as parsing would give it. */
function nameFrom(name: DistinguishedName): Name {
  const organizations = Object.freeze([...(name.organizations ?? [])]);
  // As asnName writes it: no CN attribute for an empty common name.
  const cn = name.commonName === "" ? [] : [Object.freeze(["CN", name.commonName] as const)];
  const attributes = Object.freeze([...organizations.map((o) => Object.freeze(["O", o] as const)), ...cn]);
  return Object.freeze({ commonName: name.commonName, organizations, attributes });
}

/**
 * A certificate for `req`, signed by `issuer` (self-signed without one). Key usage as kubeadm
 * sets it for ECDSA keys: digitalSignature, plus keyCertSign on a CA. The parsed view is built
 * from the request (what parsing the DER back would give), not by parsing.
 */
export function issueCertificate(req: CertificateRequest, issuer?: { certificate: Certificate; key: KeyPair }): Certificate {
  const signer = issuer?.key ?? req.key;
  const isCA = req.isCA ?? false;
  const extensions = [sameExtension(`ku:${isCA}`, () => extension(OID.keyUsage, true, new KeyUsage(isCA ? 1 | 32 : 1)))];
  if (req.usages.length) extensions.push(sameExtension(`eku:${req.usages.join(",")}`, () => extension(OID.extKeyUsage, false, new ExtendedKeyUsage(req.usages.map((u) => OID[u])))));
  extensions.push(sameExtension(`bc:${isCA}`, () => extension(OID.basicConstraints, true, new BasicConstraints({ cA: isCA }))));
  const subjectKeyId = isCA ? keyId(req.key.publicKey) : undefined;
  if (subjectKeyId) extensions.push(extension(OID.subjectKeyId, false, new SubjectKeyIdentifier(buffer(subjectKeyId))));
  const authorityKeyId = issuer?.certificate.subjectKeyId;
  if (authorityKeyId) extensions.push(sameExtension(`aki:${Array.from(authorityKeyId, (b) => b.toString(16).padStart(2, "0")).join("")}`, () => extension(OID.authorityKeyId, false, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(buffer(authorityKeyId)) }))));
  const dnsNames = Object.freeze([...(req.dnsNames ?? [])]);
  const ipAddresses = Object.freeze([...(req.ipAddresses ?? [])]);
  const uris = Object.freeze([...(req.uris ?? [])]);
  const altNames = [
    ...dnsNames.map((dNSName) => new GeneralName({ dNSName })),
    ...ipAddresses.map((iPAddress) => new GeneralName({ iPAddress })),
    ...uris.map((uniformResourceIdentifier) => new GeneralName({ uniformResourceIdentifier })),
  ];
  if (altNames.length) extensions.push(extension(OID.subjectAltName, false, new SubjectAlternativeName(altNames)));
  const signatureAlgorithm = new AlgorithmIdentifier({ algorithm: OID.ecdsaWithSHA256 });
  const serial = BigInt(req.serial);
  const notBefore = wholeSeconds(req.notBefore);
  const notAfter = wholeSeconds(req.notAfter);
  const subject = nameFrom(req.subject);
  const issuerName = issuer?.certificate.subject ?? subject;
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: buffer(serialBytes(serial)),
    signature: signatureAlgorithm,
    issuer: asnName(issuerName),
    validity: new Validity({ notBefore: new Date(notBefore), notAfter: new Date(notAfter) }),
    subject: asnName(req.subject),
    subjectPublicKeyInfo: new SubjectPublicKeyInfo({ algorithm: EC_ALGORITHM, subjectPublicKey: buffer(req.key.publicKey) }),
    extensions: new Extensions(extensions.map((e) => e.asn)),
  });
  const tbsDer = new Uint8Array(der(tbs));
  const signature = p256.sign(tbsDer, signer.privateKey, { format: "der" });
  const bytes = certificateDer(tbsDer, signature);
  const certificate: Certificate = Object.freeze({
    pem: pemEncode("CERTIFICATE", bytes), der: bytes, serial, subject, issuer: issuerName, notBefore, notAfter, isCA,
    keyUsage: Object.freeze(isCA ? ["digitalSignature", "keyCertSign"] : ["digitalSignature"]),
    usages: Object.freeze([...req.usages]), dnsNames, ipAddresses, uris,
    publicKey: req.key.publicKey, publicKeyAlgorithm: OID_EC_PUBLIC_KEY, subjectKeyId, authorityKeyId,
    extensions: Object.freeze(extensions.map((e) => e.parsed)), signatureAlgorithm: OID.ecdsaWithSHA256, tbs: tbsDer, signature,
  });
  return remember(certificate);
}

const wholeSeconds = (ms: number) => Math.floor(ms / 1000) * 1000;

/** DER of ecdsa-with-SHA256's AlgorithmIdentifier (no parameters). */
const ECDSA_SHA256_DER = Uint8Array.of(0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02);

/** A DER tag and definite length. */
function header(tag: number, length: number): number[] {
  if (length < 0x80) return [tag, length];
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 255);
  return [tag, 0x80 | bytes.length, ...bytes];
}

/**
 * Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, BIT STRING signature }, put
 * together around the already-encoded TBSCertificate (serializing the whole structure again
 * would encode the TBS twice: half the cost of a certificate).
 */
function certificateDer(tbs: Uint8Array, signature: Uint8Array): Uint8Array {
  const bits = [...header(0x03, signature.length + 1), 0];
  const length = tbs.length + ECDSA_SHA256_DER.length + bits.length + signature.length;
  const out = new Uint8Array(header(0x30, length).length + length);
  let at = 0;
  for (const part of [Uint8Array.from(header(0x30, length)), tbs, ECDSA_SHA256_DER, Uint8Array.from(bits), signature]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * Certificates by PEM text: certificates are immutable, and kubectl, openssl and the servers
 * read the same files again and again. Bounded: cleared when it grows past 512.
 */
const parsed = new Map<string, Certificate>();

function remember(certificate: Certificate): Certificate {
  if (parsed.size >= 512) parsed.clear();
  parsed.set(certificate.pem, certificate);
  return certificate;
}

/**
 * The first certificate in a PEM text. Throws on text without one, or one that does not parse
 * (callers word the error as their tool does). Parses are remembered by text: certificates
 * are immutable and kubectl reads the same kubeconfig on every call.
 */
export function parseCertificate(pem: string): Certificate {
  const cached = parsed.get(pem);
  if (cached) return cached;
  const block = pemBlocks(pem).find((b) => b.label === "CERTIFICATE");
  if (!block) throw new Error("no certificate found");
  const certificate = parseDer(block.der);
  if (parsed.size >= 512) parsed.clear();
  parsed.set(pem, certificate);
  return certificate;
}

/**
 * Every certificate of a PEM text (a CA bundle, a chain), each block that does not parse left
 * out; parsed once per text, so a bundle read on every request gives the same certificates (and
 * their checked signatures) each time. Bounded like {@link parseCertificate}'s cache.
 */
export function certificatesInPem(text: string): readonly Certificate[] {
  const cached = bundles.get(text);
  if (cached) return cached;
  const list = Object.freeze(pemBlocks(text).filter((b) => b.label === "CERTIFICATE").flatMap((b) => {
    try {
      return [parseDer(b.der)];
    } catch {
      return [];
    }
  }));
  if (bundles.size >= 256) bundles.clear();
  bundles.set(text, list);
  return list;
}

const bundles = new Map<string, readonly Certificate[]>();

/** A certificate from its DER bytes. */
export function parseDer(bytes: Uint8Array): Certificate {
  const asn = AsnConvert.parse(bytes, AsnCertificate);
  const tbs = asn.tbsCertificate;
  const extensions: CertificateExtension[] = (tbs.extensions ?? []).map((e) => Object.freeze({ oid: e.extnID, critical: e.critical, value: new Uint8Array(e.extnValue.buffer) }));
  const find = (oid: string) => extensions.find((e) => e.oid === oid)?.value;
  const keyUsageDer = find(OID.keyUsage);
  const keyUsageBits = keyUsageDer ? AsnConvert.parse(keyUsageDer, KeyUsage).toNumber() : 0;
  const altNames = find(OID.subjectAltName) ? [...AsnConvert.parse(find(OID.subjectAltName)!, SubjectAlternativeName)] : [];
  const extUsage = find(OID.extKeyUsage) ? [...AsnConvert.parse(find(OID.extKeyUsage)!, ExtendedKeyUsage)] : [];
  const constraints = find(OID.basicConstraints) ? AsnConvert.parse(find(OID.basicConstraints)!, BasicConstraints) : undefined;
  const skid = find(OID.subjectKeyId);
  const akid = find(OID.authorityKeyId) ? AsnConvert.parse(find(OID.authorityKeyId)!, AuthorityKeyIdentifier).keyIdentifier : undefined;
  const certificate: Certificate = {
    pem: pemEncode("CERTIFICATE", bytes),
    der: bytes,
    serial: BigInt(`0x${hex(new Uint8Array(tbs.serialNumber)) || "0"}`),
    subject: nameOf(tbs.subject),
    issuer: nameOf(tbs.issuer),
    notBefore: tbs.validity.notBefore.getTime().getTime(),
    notAfter: tbs.validity.notAfter.getTime().getTime(),
    isCA: constraints?.cA ?? false,
    keyUsage: KEY_USAGE_BITS.filter((_, i) => keyUsageBits & (1 << i)),
    usages: extUsage.flatMap((oid) => (oid === OID.serverAuth ? ["serverAuth" as const] : oid === OID.clientAuth ? ["clientAuth" as const] : [])),
    dnsNames: altNames.flatMap((n) => (n.dNSName ? [n.dNSName] : [])),
    ipAddresses: altNames.flatMap((n) => (n.iPAddress ? [n.iPAddress] : [])),
    uris: altNames.flatMap((n) => (n.uniformResourceIdentifier ? [n.uniformResourceIdentifier] : [])),
    publicKey: new Uint8Array(tbs.subjectPublicKeyInfo.subjectPublicKey),
    publicKeyAlgorithm: tbs.subjectPublicKeyInfo.algorithm.algorithm,
    subjectKeyId: skid ? new Uint8Array(AsnConvert.parse(skid, SubjectKeyIdentifier).buffer) : undefined,
    authorityKeyId: akid ? new Uint8Array(akid.buffer) : undefined,
    extensions,
    signatureAlgorithm: asn.signatureAlgorithm.algorithm,
    tbs: new Uint8Array(asn.tbsCertificateRaw ?? der(tbs)),
    signature: new Uint8Array(asn.signatureValue),
  };
  return Object.freeze(certificate);
}

function nameOf(name: AsnName): Name {
  const attributes = [...name].flatMap((rdn) => [...rdn].map((a) => Object.freeze([ATTRIBUTE_SHORT_NAMES[a.type] ?? a.type, a.value.toString()] as const)));
  return Object.freeze({
    commonName: attributes.find(([t]) => t === "CN")?.[1] ?? "",
    organizations: attributes.filter(([t]) => t === "O").map(([, v]) => v),
    attributes,
  });
}

/** Lowercase hex of bytes. */
export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Checked signatures, by certificate and issuer: parsed certificates are shared (the parse
 * cache), and kubectl checks the same two on every call; an ECDSA verification is the costly part.
 */
const checked = new WeakMap<Certificate, WeakMap<Certificate, boolean>>();

/** Whether `issuer`'s key made `certificate`'s signature. */
export function signedBy(certificate: Certificate, issuer: Certificate): boolean {
  let byIssuer = checked.get(certificate);
  const known = byIssuer?.get(issuer);
  if (known !== undefined) return known;
  const ok = verifySignature(certificate, issuer);
  if (!byIssuer) checked.set(certificate, (byIssuer = new WeakMap()));
  byIssuer.set(issuer, ok);
  return ok;
}

function verifySignature(certificate: Certificate, issuer: Certificate): boolean {
  if (certificate.signatureAlgorithm !== OID.ecdsaWithSHA256 || issuer.publicKeyAlgorithm !== OID_EC_PUBLIC_KEY) return false;
  try {
    return p256.verify(certificate.signature, certificate.tbs, issuer.publicKey, { format: "der", lowS: false });
  } catch {
    return false;
  }
}
