/**
 * Secret values are base64 of arbitrary bytes; files and env vars show them as UTF-8 text.
 *
 * @example
 * base64Text("aMOpbGxv"); // "héllo"
 */
import { decodeBase64 } from "../util/base64";

/** Decodes base64 and reads the bytes as UTF-8 (TextDecoder is not in the engine's ES-only lib). */
export function base64Text(value: string): string {
  const r = decodeBase64(value);
  if (!r.ok) return "";
  const bytes = r.bytes;
  let out = "";
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const n = b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
    let cp = n === 1 ? b : b & (0xff >> (n + 1));
    for (let k = 1; k < n; k++) cp = (cp << 6) | ((bytes[i + k] ?? 0) & 0x3f);
    out += String.fromCodePoint(cp);
    i += n;
  }
  return out;
}
