/**
 * ASN1_TIME_print, how OpenSSL prints a certificate's dates (`openssl x509 -dates`, `s_client`,
 * curl's `-v` start and expire dates).
 *
 * @example
 * opensslDate(cert.notAfter); // "Nov  1 10:00:00 2027 GMT"
 */
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** ASN1_TIME_print: `Nov  1 10:00:00 2027 GMT`. */
export function opensslDate(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${d.getUTCFullYear()} GMT`;
}

/** Byte-for-byte equality (DER, key points, key identifiers). */
export const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
