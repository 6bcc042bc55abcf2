/**
 * IPv4 arithmetic for the address-handing controllers (node IPAM, the load-balancer pool):
 * CIDRs as a base number and prefix length, addresses as dotted quads.
 *
 * @example
 * parseCIDR("10.244.0.0/16");       // { base: 183762944, prefix: 16 }
 * formatIP(183762944 + 256);        // "10.244.1.0"
 */

/** A parsed CIDR: the network address as a number and the prefix length. */
export interface CIDR {
  base: number;
  prefix: number;
}

/** Parses `a.b.c.d/n`, masking host bits off; undefined when it is not an IPv4 CIDR. */
export function parseCIDR(text: string): CIDR | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const ip = octets.reduce((n, o) => n * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  return { base: ip - (ip % size), prefix };
}

/** Dotted-quad text of a 32-bit address. */
export function formatIP(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}
