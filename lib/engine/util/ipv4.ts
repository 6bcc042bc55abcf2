/**
 * IPv4 arithmetic for every layer that hands out or matches addresses (node IPAM, the
 * load-balancer pool, CNI IPAM, routes, iptables matches, the packet walker). Addresses are
 * unsigned 32-bit numbers inside the engine and dotted quads at its edges: a packet walk does
 * thousands of prefix matches, and numbers make those a mask and a compare with no allocation.
 * Small enough that a library (ipaddr.js parses into objects) would cost more than it saves.
 *
 * @example
 * parseCIDR("10.244.0.0/16");       // { base: 183762944, prefix: 16 }
 * formatIP(183762944 + 256);        // "10.244.1.0"
 * inCIDR(parseIP("10.244.1.7")!, parseCIDR("10.244.0.0/16")!); // true
 */

/** A parsed CIDR: the network address as a number and the prefix length. */
export interface CIDR {
  base: number;
  prefix: number;
}

const QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Parses a dotted quad; undefined when it is not one. */
export function parseIP(text: string): number | undefined {
  const m = QUAD.exec(text);
  if (!m) return undefined;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return undefined;
    n = n * 256 + o;
  }
  return n;
}

/** Parses `a.b.c.d/n`, masking host bits off; undefined when it is not an IPv4 CIDR. */
export function parseCIDR(text: string): CIDR | undefined {
  const slash = text.indexOf("/");
  if (slash < 0) return undefined;
  const ip = parseIP(text.slice(0, slash));
  const bits = text.slice(slash + 1);
  if (ip === undefined || !/^\d{1,2}$/.test(bits) || Number(bits) > 32) return undefined;
  const prefix = Number(bits);
  return { base: networkOf(ip, prefix), prefix };
}

/** Dotted-quad text of a 32-bit address. */
export function formatIP(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** `a.b.c.d/n` text of a CIDR. */
export function formatCIDR(cidr: CIDR): string {
  return `${formatIP(cidr.base)}/${cidr.prefix}`;
}

/** The netmask of a prefix length as a number (`/24` → 0xffffff00). */
export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** The network address of `ip` under a prefix length. */
export function networkOf(ip: number, prefix: number): number {
  return (ip & maskOf(prefix)) >>> 0;
}

/** The broadcast address of `ip`'s network under a prefix length. */
export function broadcastOf(ip: number, prefix: number): number {
  return (networkOf(ip, prefix) | ~maskOf(prefix)) >>> 0;
}

/** Whether `ip` is inside `cidr`. */
export function inCIDR(ip: number, cidr: CIDR): boolean {
  return networkOf(ip, cidr.prefix) === cidr.base;
}
