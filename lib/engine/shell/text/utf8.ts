/** UTF-8 bytes of a string (no TextEncoder: the engine compiles against ES2023 only). */
export function utf8Encode(text: string): number[] {
  const bytes: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x80) bytes.push(cp);
    else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else bytes.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return bytes;
}

/**
 * A string from UTF-8 bytes; malformed sequences become U+FFFD, as a terminal would show them.
 *
 * @example
 * utf8Decode([0x68, 0xc3, 0xa9]); // "hé"
 */
export function utf8Decode(bytes: readonly number[]): string {
  let out = "";
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const length = b < 0x80 ? 1 : b >> 5 === 6 ? 2 : b >> 4 === 14 ? 3 : b >> 3 === 30 ? 4 : 0;
    const tail = bytes.slice(i + 1, i + length);
    if (length === 0 || tail.length !== length - 1 || tail.some((t) => t >> 6 !== 2)) {
      out += "\uFFFD";
      i++;
      continue;
    }
    let cp = length === 1 ? b : b & (0xff >> (length + 1));
    for (const t of tail) cp = (cp << 6) | (t & 63);
    out += String.fromCodePoint(cp);
    i += length;
  }
  return out;
}
