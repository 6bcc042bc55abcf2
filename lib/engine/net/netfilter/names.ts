/**
 * The names iptables 1.8.7 reads and prints: IP protocols (`/etc/protocols` and libxtables'
 * own `xtables_chain_protos`), ICMP types (libipt_icmp.c's table), REJECT's replies, the route
 * types of `-m addrtype`, and syslog levels for `-j LOG`.
 *
 * @example
 * protocolName(6);        // "tcp"
 * parseProtocol("sctp");  // 132
 * icmpTypeByName("echo-request"); // { type: 8, codeMin: 0, codeMax: 255 }
 */

/** `/etc/protocols` of netbase 6.3: what `getprotobynumber`/`getprotobyname` answer. */
const PROTOCOLS: readonly (readonly [string, number])[] = [
  ["ip", 0], ["hopopt", 0], ["icmp", 1], ["igmp", 2], ["ggp", 3], ["ipencap", 4], ["st", 5], ["tcp", 6], ["egp", 8], ["igp", 9],
  ["pup", 12], ["udp", 17], ["hmp", 20], ["xns-idp", 22], ["rdp", 27], ["iso-tp4", 29], ["dccp", 33], ["xtp", 36], ["ddp", 37],
  ["idpr-cmtp", 38], ["ipv6", 41], ["ipv6-route", 43], ["ipv6-frag", 44], ["idrp", 45], ["rsvp", 46], ["gre", 47], ["esp", 50],
  ["ah", 51], ["skip", 57], ["ipv6-icmp", 58], ["ipv6-nonxt", 59], ["ipv6-opts", 60], ["rspf", 73], ["vmtp", 81], ["eigrp", 88],
  ["ospf", 89], ["ax.25", 93], ["ipip", 94], ["etherip", 97], ["encap", 98], ["pim", 103], ["ipcomp", 108], ["vrrp", 112],
  ["l2tp", 115], ["isis", 124], ["sctp", 132], ["fc", 133], ["mobility-header", 135], ["udplite", 136], ["mpls-in-ip", 137],
  ["manet", 138], ["hip", 139], ["shim6", 140], ["wesp", 141], ["rohc", 142], ["ethernet", 143],
];

/** libxtables' `xtables_chain_protos`: names iptables knows without the resolver (used with `-n`). */
const CHAIN_PROTOS: readonly (readonly [string, number])[] = [
  ["tcp", 6], ["sctp", 132], ["udp", 17], ["udplite", 136], ["icmp", 1], ["icmpv6", 58], ["esp", 50], ["ah", 51], ["ipv6-mh", 135], ["mh", 135], ["all", 0],
];

export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_SCTP = 132;

/** `getprotobynumber(n)->p_name` (the first name in /etc/protocols), undefined when unknown. */
export function protocolName(proto: number): string | undefined {
  for (const [name, num] of PROTOCOLS) if (num === proto) return name;
  return undefined;
}

/** `proto_to_name`: the column `prot` of `iptables -L` (`all` for 0; numbers when nothing names it). */
export function protocolColumn(proto: number, numeric: boolean): string {
  if (proto !== 0 && !numeric) {
    const name = protocolName(proto);
    if (name) return name;
  }
  for (const [name, num] of CHAIN_PROTOS) if (num === proto) return name;
  return String(proto);
}

/** `xtables_parse_protocol`: a number 0–255, `all`, a name; undefined when unknown. */
export function parseProtocol(text: string): number | undefined {
  const first = text.charCodeAt(0);
  if (first >= 48 && first <= 57 && /^(0x[0-9a-f]+|[0-9]+)$/i.test(text)) {
    const n = Number(text);
    return n <= 255 ? n : undefined;
  }
  if (text === "all") return 0;
  for (const [name, num] of PROTOCOLS) if (name === text) return num;
  for (const [name, num] of CHAIN_PROTOS) if (name === text) return num;
  return undefined;
}

/** libipt_icmp.c's `icmp_codes`, in its order (the first entry matching type and codes is printed). */
export const ICMP_TYPES: readonly { readonly name: string; readonly type: number; readonly codeMin: number; readonly codeMax: number }[] = [
  { name: "any", type: 0xff, codeMin: 0, codeMax: 0xff },
  { name: "echo-reply", type: 0, codeMin: 0, codeMax: 0xff },
  { name: "destination-unreachable", type: 3, codeMin: 0, codeMax: 0xff },
  { name: "network-unreachable", type: 3, codeMin: 0, codeMax: 0 },
  { name: "host-unreachable", type: 3, codeMin: 1, codeMax: 1 },
  { name: "protocol-unreachable", type: 3, codeMin: 2, codeMax: 2 },
  { name: "port-unreachable", type: 3, codeMin: 3, codeMax: 3 },
  { name: "fragmentation-needed", type: 3, codeMin: 4, codeMax: 4 },
  { name: "source-route-failed", type: 3, codeMin: 5, codeMax: 5 },
  { name: "network-unknown", type: 3, codeMin: 6, codeMax: 6 },
  { name: "host-unknown", type: 3, codeMin: 7, codeMax: 7 },
  { name: "network-prohibited", type: 3, codeMin: 9, codeMax: 9 },
  { name: "host-prohibited", type: 3, codeMin: 10, codeMax: 10 },
  { name: "TOS-network-unreachable", type: 3, codeMin: 11, codeMax: 11 },
  { name: "TOS-host-unreachable", type: 3, codeMin: 12, codeMax: 12 },
  { name: "communication-prohibited", type: 3, codeMin: 13, codeMax: 13 },
  { name: "host-precedence-violation", type: 3, codeMin: 14, codeMax: 14 },
  { name: "precedence-cutoff", type: 3, codeMin: 15, codeMax: 15 },
  { name: "source-quench", type: 4, codeMin: 0, codeMax: 0xff },
  { name: "redirect", type: 5, codeMin: 0, codeMax: 0xff },
  { name: "network-redirect", type: 5, codeMin: 0, codeMax: 0 },
  { name: "host-redirect", type: 5, codeMin: 1, codeMax: 1 },
  { name: "TOS-network-redirect", type: 5, codeMin: 2, codeMax: 2 },
  { name: "TOS-host-redirect", type: 5, codeMin: 3, codeMax: 3 },
  { name: "echo-request", type: 8, codeMin: 0, codeMax: 0xff },
  { name: "router-advertisement", type: 9, codeMin: 0, codeMax: 0xff },
  { name: "router-solicitation", type: 10, codeMin: 0, codeMax: 0xff },
  { name: "time-exceeded", type: 11, codeMin: 0, codeMax: 0xff },
  { name: "ttl-zero-during-transit", type: 11, codeMin: 0, codeMax: 0 },
  { name: "ttl-zero-during-reassembly", type: 11, codeMin: 1, codeMax: 1 },
  { name: "parameter-problem", type: 12, codeMin: 0, codeMax: 0xff },
  { name: "ip-header-bad", type: 12, codeMin: 0, codeMax: 0 },
  { name: "required-option-missing", type: 12, codeMin: 1, codeMax: 1 },
  { name: "timestamp-request", type: 13, codeMin: 0, codeMax: 0xff },
  { name: "timestamp-reply", type: 14, codeMin: 0, codeMax: 0xff },
  { name: "address-mask-request", type: 17, codeMin: 0, codeMax: 0xff },
  { name: "address-mask-reply", type: 18, codeMin: 0, codeMax: 0xff },
];

/** REJECT's replies (libipt_REJECT.c), with the short aliases it also accepts. */
export const REJECT_TYPES: readonly { readonly name: string; readonly alias: string; readonly desc: string }[] = [
  { name: "icmp-net-unreachable", alias: "net-unreach", desc: "ICMP network unreachable" },
  { name: "icmp-host-unreachable", alias: "host-unreach", desc: "ICMP host unreachable" },
  { name: "icmp-proto-unreachable", alias: "proto-unreach", desc: "ICMP protocol unreachable" },
  { name: "icmp-port-unreachable", alias: "port-unreach", desc: "ICMP port unreachable (default)" },
  { name: "icmp-net-prohibited", alias: "net-prohib", desc: "ICMP network prohibited" },
  { name: "icmp-host-prohibited", alias: "host-prohib", desc: "ICMP host prohibited" },
  { name: "tcp-reset", alias: "tcp-rst", desc: "TCP RST packet" },
  { name: "icmp-admin-prohibited", alias: "admin-prohib", desc: "ICMP administratively prohibited (*)" },
];

/** linux/rtnetlink.h's route types, in bit order (`-m addrtype --dst-type LOCAL` is bit 2). */
export const RTN_TYPES: readonly string[] = ["UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST", "BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE"];

/** syslog levels as `-j LOG --log-level` names them (default 4, warning). */
export const LOG_LEVELS: readonly { readonly name: string; readonly level: number }[] = [
  { name: "alert", level: 1 },
  { name: "crit", level: 2 },
  { name: "debug", level: 7 },
  { name: "emerg", level: 0 },
  { name: "error", level: 3 },
  { name: "info", level: 6 },
  { name: "notice", level: 5 },
  { name: "panic", level: 0 },
  { name: "warning", level: 4 },
];
