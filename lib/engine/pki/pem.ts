/**
 * PEM armour (RFC 7468) as Go's `encoding/pem` writes it: base64 in 64-column lines between
 * `-----BEGIN LABEL-----` and `-----END LABEL-----`, and the blocks of a text read back in order
 * (a kubelet-client-current.pem holds a certificate and its key one after the other).
 *
 * @example
 * pemEncode("CERTIFICATE", der);                // "-----BEGIN CERTIFICATE-----\nMIIB…\n-----END CERTIFICATE-----\n"
 * pemBlocks(text).find((b) => b.label === "EC PRIVATE KEY");
 */
import { decodeBase64, encodeBase64 } from "../util/base64";

export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
}

/** One PEM block of `der` under `label`. */
export function pemEncode(label: string, der: Uint8Array): string {
  const lines = encodeBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

/** Every well-formed block of `text`, in order; a block whose body is not base64 is skipped, as Go's pem.Decode does. */
export function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const match of text.matchAll(BLOCK)) {
    const decoded = decodeBase64(match[2].replace(/[ \t]/g, ""));
    if (decoded.ok) out.push({ label: match[1], der: decoded.bytes });
  }
  return out;
}
