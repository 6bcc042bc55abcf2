/**
 * Standard (padded) base64 over UTF-8 text, written out because `btoa`/`atob` belong to the DOM
 * and Node libs the engine does not compile against. Decoding mirrors Go's
 * `base64.StdEncoding`: it skips CR/LF and reports the offset of the first bad byte, because
 * the apiserver rejects a Secret's `data` with exactly that offset.
 *
 * @example
 * encodeBase64("héllo");            // "aMOpbGxv"
 * decodeBase64("aMOpbGxv");         // { ok: true, bytes: Uint8Array [...] }
 * decodeBase64("a$==");             // { ok: false, offset: 1 }
 */
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Encodes the UTF-8 bytes of `text` (or raw bytes) as padded base64. */
export function encodeBase64(input: string | Uint8Array): string {
  const bytes = typeof input === "string" ? utf8(input) : input;
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += ALPHABET[(n >> 18) & 63] + ALPHABET[(n >> 12) & 63];
    out += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63] : "=";
    out += i + 2 < bytes.length ? ALPHABET[n & 63] : "=";
  }
  return out;
}

/** Result of {@link decodeBase64}: the bytes, or the input offset Go would report. */
export type Base64Result = { ok: true; bytes: Uint8Array } | { ok: false; offset: number };

/** Decodes padded base64 the way Go's `base64.StdEncoding.DecodeString` does. */
export function decodeBase64(text: string): Base64Result {
  const out: number[] = [];
  let si = 0;
  const skipNewlines = () => {
    while (si < text.length && (text[si] === "\n" || text[si] === "\r")) si++;
  };
  for (;;) {
    const quantum: number[] = [];
    const quantumStart = si;
    while (quantum.length < 4) {
      skipNewlines();
      if (si === text.length) {
        if (quantum.length === 0) return { ok: true, bytes: Uint8Array.from(out) };
        // Padding is mandatory in StdEncoding: a short final quantum is corrupt at its start.
        return { ok: false, offset: quantumStart };
      }
      const ch = text[si++];
      if (ch === "=") return finishPadding(text, si, quantum, out);
      const v = ALPHABET.indexOf(ch);
      if (v < 0) return { ok: false, offset: si - 1 };
      quantum.push(v);
    }
    pushBytes(out, quantum);
  }
}

/** Go's handling after the first `=`: exact padding, then nothing but newlines. */
function finishPadding(text: string, after: number, quantum: number[], out: number[]): Base64Result {
  let si = after;
  const skipNewlines = () => {
    while (si < text.length && (text[si] === "\n" || text[si] === "\r")) si++;
  };
  if (quantum.length < 2) return { ok: false, offset: si - 1 };
  if (quantum.length === 2) {
    skipNewlines();
    if (si === text.length) return { ok: false, offset: text.length };
    if (text[si] !== "=") return { ok: false, offset: si - 1 };
    si++;
  }
  skipNewlines();
  if (si < text.length) return { ok: false, offset: si };
  pushBytes(out, quantum);
  return { ok: true, bytes: Uint8Array.from(out) };
}

/** UTF-8 bytes of `text` (`TextEncoder` is a DOM/Node API, not ES). */
function utf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

function pushBytes(out: number[], q: number[]): void {
  const n = (q[0] << 18) | (q[1] << 12) | ((q[2] ?? 0) << 6) | (q[3] ?? 0);
  out.push((n >> 16) & 255);
  if (q.length > 2) out.push((n >> 8) & 255);
  if (q.length > 3) out.push(n & 255);
}
