/**
 * Compact JWTs signed ES256 (ECDSA P-256 over SHA-256, the signature as raw r‖s), as the
 * apiserver signs service-account tokens with an EC `sa.key`. RFC 6979 signatures make the
 * same claims and key give the same token, which replay needs.
 *
 * @example
 * const token = signJwt({ alg: "ES256", kid }, claims, keyPairFrom("seed/sa").privateKey);
 * verifyJwt(token, publicKey); // true
 */
import { p256 } from "@noble/curves/nist.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { utf8Decode } from "../../shell/text/utf8";
import { decodeBase64, encodeBase64 } from "../../util/base64";

export const base64url = (bytes: string | Uint8Array) => encodeBase64(bytes).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");

/** The bytes of a base64url text, or undefined when it is not one. */
export function fromBase64url(text: string): Uint8Array | undefined {
  const decoded = decodeBase64(text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4));
  return decoded.ok ? decoded.bytes : undefined;
}

const utf8 = (text: string) => utf8ToBytes(text);

/** The UTF-8 text of a base64url part, or undefined. */
export function base64urlText(text: string): string | undefined {
  const bytes = fromBase64url(text);
  return bytes && utf8Decode([...bytes]);
}

/** `header.claims.signature`, signed with the P-256 private scalar. */
export function signJwt(header: Record<string, unknown>, claims: Record<string, unknown>, privateKey: Uint8Array): string {
  const signed = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  return `${signed}.${base64url(p256.sign(utf8(signed), privateKey, { format: "compact" }))}`;
}

/** Whether the token's ES256 signature is valid for the uncompressed P-256 public point. */
export function verifyJwt(token: string, publicKey: Uint8Array): boolean {
  const parts = token.split(".");
  if (parts.length !== 3) return false;
  const signature = fromBase64url(parts[2]);
  if (!signature || signature.length !== 64) return false;
  try {
    return p256.verify(signature, utf8(`${parts[0]}.${parts[1]}`), publicKey, { format: "compact", lowS: false });
  } catch {
    return false;
  }
}
