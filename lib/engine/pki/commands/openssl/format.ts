/**
 * How OpenSSL 3.0 (Ubuntu 22.04's 3.0.2) prints certificates: `x509 -text`'s layout, names in
 * its default `oneline` form (`O = kubeadm:cluster-admins, CN = kubernetes-admin`) or RFC 2253,
 * ASN1_TIME_print's dates, colon-separated hex dumps, and the error stack it writes when a file
 * will not load.
 *
 * @example
 * certificateText(cert);  // "Certificate:\n    Data:\n        Version: 3 (0x2)\n…"
 * opensslDate(cert.notAfter); // "Nov 21 10:00:00 2027 GMT"
 */
import { AsnConvert } from "@peculiar/asn1-schema";
import { AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, SubjectAlternativeName, SubjectKeyIdentifier, KeyUsage } from "@peculiar/asn1-x509";
import { hex, OID, type Certificate, type CertificateExtension, type Name } from "../../certificate";
import { OID_EC_PUBLIC_KEY } from "../../keys";

import { opensslDate } from "../../time";

export { opensslDate };

export type NameFormat = "oneline" | "RFC2253";

/** A name as `-nameopt oneline` (3.0's default) or `RFC2253` prints it. */
export function formatName(name: Name, format: NameFormat = "oneline"): string {
  if (format === "RFC2253") return [...name.attributes].reverse().map(([t, v]) => `${t}=${v.replace(/([,+"\\<>;])/g, "\\$1")}`).join(",");
  return name.attributes.map(([t, v]) => `${t} = ${/[,+"\\<>;]/.test(v) ? `"${v}"` : v}`).join(", ");
}

/** `aa:bb:…` in rows of `perRow` bytes, each row indented. */
function hexRows(bytes: Uint8Array, perRow: number, indent: number, upper = false): string {
  const pairs = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).map((h) => (upper ? h.toUpperCase() : h));
  const rows: string[] = [];
  for (let i = 0; i < pairs.length; i += perRow) {
    const last = i + perRow >= pairs.length;
    rows.push(" ".repeat(indent) + pairs.slice(i, i + perRow).join(":") + (last ? "" : ":"));
  }
  return rows.join("\n");
}

/** `AA:BB:…` on one line (key identifiers, fingerprints). */
export function colonHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0").toUpperCase()).join(":");
}

const MAX_LONG = 0x7fff_ffff_ffff_ffffn;

function serialLine(serial: bigint): string {
  if (serial <= MAX_LONG) return `        Serial Number: ${serial} (0x${serial.toString(16)})`;
  let digits = serial.toString(16);
  if (digits.length % 2) digits = `0${digits}`;
  return `        Serial Number:\n            ${digits.match(/../g)!.join(":")}`;
}

const SIGNATURE_NAMES: Record<string, string> = { [OID.ecdsaWithSHA256]: "ecdsa-with-SHA256", "1.2.840.113549.1.1.11": "sha256WithRSAEncryption" };
const signatureName = (oid: string) => SIGNATURE_NAMES[oid] ?? oid;

const KEY_USAGE_TEXT: Record<string, string> = {
  digitalSignature: "Digital Signature", nonRepudiation: "Non Repudiation", keyEncipherment: "Key Encipherment", dataEncipherment: "Data Encipherment",
  keyAgreement: "Key Agreement", keyCertSign: "Certificate Sign", cRLSign: "CRL Sign", encipherOnly: "Encipher Only", decipherOnly: "Decipher Only",
};
const EXT_USAGE_TEXT: Record<string, string> = {
  [OID.serverAuth]: "TLS Web Server Authentication", [OID.clientAuth]: "TLS Web Client Authentication",
  "1.3.6.1.5.5.7.3.3": "Code Signing", "1.3.6.1.5.5.7.3.4": "E-mail Protection",
};

/** The extensions `-ext` knows by name, with the heading `-text` prints. */
export const EXTENSION_NAMES: Record<string, { oid: string; title: string }> = {
  keyUsage: { oid: OID.keyUsage, title: "X509v3 Key Usage" },
  extendedKeyUsage: { oid: OID.extKeyUsage, title: "X509v3 Extended Key Usage" },
  basicConstraints: { oid: OID.basicConstraints, title: "X509v3 Basic Constraints" },
  subjectKeyIdentifier: { oid: OID.subjectKeyId, title: "X509v3 Subject Key Identifier" },
  authorityKeyIdentifier: { oid: OID.authorityKeyId, title: "X509v3 Authority Key Identifier" },
  subjectAltName: { oid: OID.subjectAltName, title: "X509v3 Subject Alternative Name" },
};

/** IPv6 as OpenSSL prints a SAN address: eight groups of hex without compression. */
function ipText(ip: string): string {
  if (!ip.includes(":")) return ip;
  const [head, tail = ""] = ip.split("::");
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = ip.includes("::") ? [...h, ...Array(8 - h.length - t.length).fill("0"), ...t] : h;
  return groups.map((g) => parseInt(g || "0", 16).toString(16).toUpperCase()).join(":");
}

/** An extension's value lines as X509V3_EXT_print writes them (without indentation). */
function extensionValue(ext: CertificateExtension): string[] {
  switch (ext.oid) {
    case OID.keyUsage: {
      const bits = AsnConvert.parse(ext.value, KeyUsage).toNumber();
      return [Object.keys(KEY_USAGE_TEXT).filter((_, i) => bits & (1 << i)).map((k) => KEY_USAGE_TEXT[k]).join(", ")];
    }
    case OID.extKeyUsage:
      return [[...AsnConvert.parse(ext.value, ExtendedKeyUsage)].map((oid) => EXT_USAGE_TEXT[oid] ?? oid).join(", ")];
    case OID.basicConstraints: {
      const bc = AsnConvert.parse(ext.value, BasicConstraints);
      return [`CA:${bc.cA ? "TRUE" : "FALSE"}${bc.pathLenConstraint !== undefined ? `, pathlen:${bc.pathLenConstraint}` : ""}`];
    }
    case OID.subjectKeyId:
      return [colonHex(new Uint8Array(AsnConvert.parse(ext.value, SubjectKeyIdentifier).buffer))];
    case OID.authorityKeyId: {
      const id = AsnConvert.parse(ext.value, AuthorityKeyIdentifier).keyIdentifier;
      return id ? [colonHex(new Uint8Array(id.buffer))] : [];
    }
    case OID.subjectAltName:
      return [[...AsnConvert.parse(ext.value, SubjectAlternativeName)].map((n) =>
        n.dNSName !== undefined ? `DNS:${n.dNSName}` : n.iPAddress !== undefined ? `IP Address:${ipText(n.iPAddress)}` : n.uniformResourceIdentifier !== undefined ? `URI:${n.uniformResourceIdentifier}` : n.rfc822Name !== undefined ? `email:${n.rfc822Name}` : "othername:<unsupported>",
      ).join(", ")];
    default:
      return [hexRows(ext.value, 18, 0)];
  }
}

const extensionTitle = (oid: string) => Object.values(EXTENSION_NAMES).find((e) => e.oid === oid)?.title ?? oid;

/** One extension: its heading (`: critical` or a trailing space) and value lines indented by `indent` + 4. */
export function extensionText(ext: CertificateExtension, indent: number): string {
  const pad = " ".repeat(indent);
  const value = extensionValue(ext).map((line) => line.split("\n").map((l) => `${pad}    ${l}`).join("\n"));
  return [`${pad}${extensionTitle(ext.oid)}: ${ext.critical ? "critical" : ""}`, ...value].join("\n") + "\n";
}

/** `openssl x509 -text`: the whole certificate as X509_print_ex shows it. */
export function certificateText(cert: Certificate, names: NameFormat = "oneline"): string {
  const lines = [
    "Certificate:",
    "    Data:",
    "        Version: 3 (0x2)",
    serialLine(cert.serial),
    `        Signature Algorithm: ${signatureName(cert.signatureAlgorithm)}`,
    `        Issuer: ${formatName(cert.issuer, names)}`,
    "        Validity",
    `            Not Before: ${opensslDate(cert.notBefore)}`,
    `            Not After : ${opensslDate(cert.notAfter)}`,
    `        Subject: ${formatName(cert.subject, names)}`,
    "        Subject Public Key Info:",
  ];
  if (cert.publicKeyAlgorithm === OID_EC_PUBLIC_KEY) {
    lines.push(
      "            Public Key Algorithm: id-ecPublicKey",
      "                Public-Key: (256 bit)",
      "                pub:",
      hexRows(cert.publicKey, 15, 20),
      "                ASN1 OID: prime256v1",
      "                NIST CURVE: P-256",
    );
  } else {
    lines.push(`            Public Key Algorithm: ${cert.publicKeyAlgorithm}`, "                Unable to load Public Key");
  }
  let text = lines.join("\n") + "\n";
  if (cert.extensions.length) text += "        X509v3 extensions:\n" + cert.extensions.map((e) => extensionText(e, 12)).join("");
  text += `    Signature Algorithm: ${signatureName(cert.signatureAlgorithm)}\n    Signature Value:\n${hexRows(cert.signature, 18, 8)}\n`;
  return text;
}

/** The hex serial as `-serial` prints it (upper case, whole bytes). */
export function serialHex(serial: bigint): string {
  const digits = serial.toString(16).toUpperCase();
  return digits.length % 2 ? `0${digits}` : digits;
}

/** Lowercase hex, for callers that need it. */
export { hex };

/**
 * The error stack OpenSSL 3.0.2 prints when a file cannot be opened through its STORE loader.
 * The first field is the thread id (an address); one fixed value keeps output stable.
 */
export const THREAD_ID = "40E7C1B2D67F0000";

export function cannotOpen(path: string, what: string): string {
  return `Could not open file or uri for loading ${what} from ${path}\n`
    + `${THREAD_ID}:error:16000069:STORE routines:ossl_store_get0_loader_int:unregistered scheme:../crypto/store/store_register.c:237:scheme=file\n`
    + `${THREAD_ID}:error:80000002:system library:file_open:No such file or directory:../providers/implementations/storemgmt/file_store.c:267:calling stat(${path})\n`;
}

export function cannotRead(path: string, what: string): string {
  return `Could not read ${what} from ${path}\n`;
}

/** When the file opened but held no certificate, OpenSSL adds the STORE result error first (files only). */
export function unsupported(): string {
  return `${THREAD_ID}:error:1608010C:STORE routines:ossl_store_handle_load_result:unsupported:../crypto/store/store_result.c:151:\n`;
}
