/**
 * A packet as the walker carries it: the IPv4 header fields the kernel and `tcpdump` read, and
 * one transport header (TCP, UDP, ICMP) or an inner packet (IP-in-IP). Encapsulation nests:
 * a VXLAN datagram's UDP header carries the inner Ethernet frame, WireGuard's the inner packet.
 * Addresses are 32-bit numbers. NAT rewrites a packet in place; captures keep snapshots.
 *
 * @example
 * const syn = ipv4(src, dst, 64, tcp(43512, 80, TCP_SYN, { seq: 1000, win: 64240, options: synOptions(1460, ts) }));
 * totalLength(syn); // 60
 */
import type { CtPacket } from "../conntrack/table";
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN } from "../conntrack/table";

export { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN };

export interface TcpHeader {
  kind: "tcp";
  sport: number;
  dport: number;
  /** FIN 1, SYN 2, RST 4, PSH 8, ACK 16. */
  flags: number;
  seq: number;
  ack: number;
  win: number;
  /** As tcpdump prints them: `mss 1460`, `sackOK`, `TS val 1 ecr 0`, `nop`, `wscale 7`. */
  options: string[];
  /** Bytes of payload. */
  payload: number;
  /** The payload's first line when it is readable text (an HTTP request or status line): tcpdump decodes it. */
  text?: string;
}

export interface UdpHeader {
  kind: "udp";
  sport: number;
  dport: number;
  /** Bytes of payload (for an encapsulating datagram: the encapsulated bytes). */
  payload: number;
  /** VXLAN: the inner Ethernet frame; WireGuard: the inner packet (encrypted on the wire). */
  vxlan?: { vni: number; frame: EthernetFrame };
  wireguard?: { inner: Ipv4Packet };
}

export interface IcmpHeader {
  kind: "icmp";
  type: number;
  code: number;
  /** Echo id and sequence (0 for errors). */
  id: number;
  seq: number;
  /** Bytes after the 8-byte header (echo data; for errors the quoted header is counted separately). */
  payload: number;
  /** An error's quoted packet: what caused it, as it was when the error was made. */
  quoted?: Ipv4Packet;
  /** Fragmentation needed: the next hop's MTU. */
  mtu?: number;
}

/** IP protocol 4: a whole packet inside (tunl0, Calico IPIP). */
export interface IpipPayload {
  kind: "ipip";
  inner: Ipv4Packet;
}

export type Transport = TcpHeader | UdpHeader | IcmpHeader | IpipPayload;

export interface Ipv4Packet {
  src: number;
  dst: number;
  ttl: number;
  id: number;
  tos: number;
  /** Don't Fragment (Linux sets it on TCP and on ping by default, PMTU discovery). */
  df: boolean;
  l4: Transport;
  /** The skb mark (`-j MARK`, kube-proxy's 0x4000, Calico's fwmarks): not on the wire. */
  mark: number;
  /** The local socket that sent it (skb->sk): its namespace and owner, what `-m owner` reads; not on the wire. */
  sk?: { stack: string; uid: number; gid: number };
}

export interface ArpPacket {
  op: "request" | "reply";
  senderMac: string;
  senderIp: number;
  targetMac: string;
  targetIp: number;
}

/** A frame on a link: Ethernet MACs (none on tunnels and loopback-less devices) and an IP packet or ARP. */
export interface EthernetFrame {
  src: string;
  dst: string;
  ip?: Ipv4Packet;
  arp?: ArpPacket;
}

export const BROADCAST_MAC = "ff:ff:ff:ff:ff:ff";

export const IPPROTO = { icmp: 1, ipip: 4, tcp: 6, udp: 17 } as const;

export function ipv4(src: number, dst: number, ttl: number, l4: Transport, init: Partial<Pick<Ipv4Packet, "id" | "tos" | "df" | "mark" | "sk">> = {}): Ipv4Packet {
  const p: Ipv4Packet = { src, dst, ttl, id: init.id ?? 0, tos: init.tos ?? 0, df: init.df ?? true, l4, mark: init.mark ?? 0 };
  if (init.sk) p.sk = init.sk;
  return p;
}

export function tcp(sport: number, dport: number, flags: number, init: Partial<Omit<TcpHeader, "kind" | "sport" | "dport" | "flags">> = {}): TcpHeader {
  return { kind: "tcp", sport, dport, flags, seq: init.seq ?? 0, ack: init.ack ?? 0, win: init.win ?? 502, options: init.options ?? [], payload: init.payload ?? 0 };
}

export function udp(sport: number, dport: number, payload: number): UdpHeader {
  return { kind: "udp", sport, dport, payload };
}

export function icmp(type: number, code: number, init: Partial<Omit<IcmpHeader, "kind" | "type" | "code">> = {}): IcmpHeader {
  return { kind: "icmp", type, code, id: init.id ?? 0, seq: init.seq ?? 0, payload: init.payload ?? 0, quoted: init.quoted, mtu: init.mtu };
}

/** Length of the TCP options as sent (each padded the way Linux lays them out). */
function optionBytes(options: readonly string[]): number {
  let n = 0;
  for (const o of options) n += o === "nop" ? 1 : o === "sackOK" ? 2 : o.startsWith("mss") ? 4 : o.startsWith("wscale") ? 3 : o.startsWith("TS") ? 10 : 0;
  return Math.ceil(n / 4) * 4;
}

/** The IP total length. */
export function totalLength(p: Ipv4Packet): number {
  return 20 + transportLength(p.l4);
}

export function transportLength(l4: Transport): number {
  switch (l4.kind) {
    case "tcp":
      return 20 + optionBytes(l4.options) + l4.payload;
    case "udp":
      return 8 + l4.payload;
    case "icmp":
      // icmp_send quotes as much of the offending packet as fits in 576 bytes.
      return 8 + (l4.quoted ? Math.min(totalLength(l4.quoted), 548) : 0) + l4.payload;
    case "ipip":
      return totalLength(l4.inner);
  }
}

/** The protocol name conntrack and iptables use (`-p tcp`); ipip is not tracked by port. */
export function protocolOf(p: Ipv4Packet): "tcp" | "udp" | "icmp" | "ipip" {
  return p.l4.kind;
}

export const ICMP_ERRORS = new Set([3, 4, 5, 11, 12]);
/** Echo, timestamp, information and address-mask requests: what starts an ICMP connection. */
const ICMP_QUERIES = new Set([8, 13, 15, 17]);

/** Whether the packet is an ICMP error (it is tracked as RELATED to what it quotes). */
export function isIcmpError(p: Ipv4Packet): boolean {
  return p.l4.kind === "icmp" && ICMP_ERRORS.has(p.l4.type);
}

/** What conntrack reads of a packet; undefined for what it does not track by tuple (ipip, icmp errors). */
export function ctView(p: Ipv4Packet): CtPacket | undefined {
  const l4 = p.l4;
  const bytes = totalLength(p);
  switch (l4.kind) {
    case "tcp":
      return { protocol: "tcp", src: p.src, dst: p.dst, sport: l4.sport, dport: l4.dport, tcpFlags: l4.flags, bytes };
    case "udp":
      return { protocol: "udp", src: p.src, dst: p.dst, sport: l4.sport, dport: l4.dport, bytes };
    case "icmp":
      if (ICMP_ERRORS.has(l4.type)) return undefined;
      return ICMP_QUERIES.has(l4.type)
        ? { protocol: "icmp", src: p.src, dst: p.dst, sport: l4.id, dport: 0, icmpType: l4.type, icmpCode: l4.code, bytes }
        : { protocol: "icmp", src: p.src, dst: p.dst, sport: 0, dport: l4.id, icmpType: l4.type, icmpCode: l4.code, bytes };
    case "ipip":
      return undefined;
  }
}

/** Source and destination ports as conntrack sees them (an ICMP query's id is its source port, a reply's its destination port). */
export function portsOf(p: Ipv4Packet): { sport: number; dport: number } {
  const l4 = p.l4;
  if (l4.kind === "tcp" || l4.kind === "udp") return { sport: l4.sport, dport: l4.dport };
  if (l4.kind === "icmp" && !ICMP_ERRORS.has(l4.type)) return ICMP_QUERIES.has(l4.type) ? { sport: l4.id, dport: 0 } : { sport: 0, dport: l4.id };
  return { sport: 0, dport: 0 };
}

/** Rewrites ports in place (NAT), the inverse of {@link portsOf}. */
export function setPorts(p: Ipv4Packet, sport: number, dport: number): void {
  const l4 = p.l4;
  if (l4.kind === "tcp" || l4.kind === "udp") {
    l4.sport = sport;
    l4.dport = dport;
  } else if (l4.kind === "icmp" && !ICMP_ERRORS.has(l4.type)) {
    l4.id = ICMP_QUERIES.has(l4.type) ? sport : dport;
  }
}

/** A deep copy, for captures and quoted headers (packets are rewritten as they travel). */
export function clonePacket(p: Ipv4Packet): Ipv4Packet {
  return { ...p, l4: cloneTransport(p.l4) };
}

function cloneTransport(l4: Transport): Transport {
  switch (l4.kind) {
    case "tcp":
      return { ...l4, options: [...l4.options] };
    case "udp":
      return { ...l4, vxlan: l4.vxlan && { vni: l4.vxlan.vni, frame: cloneFrame(l4.vxlan.frame) }, wireguard: l4.wireguard && { inner: clonePacket(l4.wireguard.inner) } };
    case "icmp":
      return { ...l4, quoted: l4.quoted && clonePacket(l4.quoted) };
    case "ipip":
      return { kind: "ipip", inner: clonePacket(l4.inner) };
  }
}

export function cloneFrame(f: EthernetFrame): EthernetFrame {
  return { src: f.src, dst: f.dst, ip: f.ip && clonePacket(f.ip), arp: f.arp && { ...f.arp } };
}
