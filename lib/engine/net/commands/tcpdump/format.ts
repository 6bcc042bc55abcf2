/**
 * Captured frames as tcpdump 4.99 prints them with `-n`: the time of day to the microsecond,
 * then the frame. TCP shows flags, sequence numbers (relative once both sides' initial ones
 * were seen, as tcpdump tracks connections), ack, window, options and payload length; UDP its
 * length, VXLAN (flannel's port 8472 as OTV, 4789 as VXLAN) its header and on the next line the
 * inner frame; IP-in-IP the outer addresses then the inner packet; ICMP and ARP their words.
 * `-e` adds the link-layer header, `-v` the IP header's fields, `-i any` the interface and
 * direction (Linux cooked v2).
 *
 * @example
 * const fmt = new PacketFormatter({ link: true, verbose: false, any: false });
 * fmt.line(captured); // "09:14:02.123456 IP 10.244.1.7.43210 > 10.244.2.3.80: Flags [S], seq 1203957, win 64860, options [mss 1410,sackOK,TS val 9 ecr 0,nop,wscale 7], length 0"
 */
import { formatIP } from "../../../util/ipv4";
import { tcpFlags, type CapturedFrame, type EthernetFrame, type Ipv4Packet, type TcpHeader } from "../../walker";

export interface FormatOptions {
  /** -e: print the link-layer header. */
  link: boolean;
  /** -v: print the IP header's fields. */
  verbose: boolean;
  /** -i any: each line names its interface and direction. */
  any: boolean;
}

const two = (n: number) => String(n).padStart(2, "0");

/** The time of day (UTC, the machines' zone) with microseconds. */
function stamp(us: number): string {
  const ms = Math.floor(us / 1000);
  const d = new Date(ms);
  return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${String(Math.floor(us % 1_000_000)).padStart(6, "0")}`;
}

function totalLength(p: Ipv4Packet): number {
  const l4 = p.l4;
  switch (l4.kind) {
    case "tcp":
      return 20 + tcpHeaderLength(l4) + l4.payload;
    case "udp":
      return 28 + l4.payload;
    case "icmp":
      return 28 + (l4.quoted ? Math.min(totalLength(l4.quoted), 548) : 0) + l4.payload;
    case "ipip":
      return 20 + totalLength(l4.inner);
  }
}

function tcpHeaderLength(t: TcpHeader): number {
  let n = 0;
  for (const o of t.options) n += o === "nop" ? 1 : o === "sackOK" ? 2 : o.startsWith("mss") ? 4 : o.startsWith("wscale") ? 3 : o.startsWith("TS") ? 10 : 0;
  return 20 + Math.ceil(n / 4) * 4;
}

const PROTO_NAMES: Record<string, string> = { tcp: "TCP (6)", udp: "UDP (17)", icmp: "ICMP (1)", ipip: "IPIP (4)" };

export class PacketFormatter {
  /** Initial sequence numbers seen per direction of a connection (`src:sport>dst:dport`). */
  private readonly isn = new Map<string, number>();

  constructor(private readonly opts: FormatOptions) {}

  /** One captured frame as its line(s), without the trailing newline. */
  line(c: CapturedFrame): string {
    const where = this.opts.any ? `${c.ifname.padEnd(5)} ${c.direction === "in" ? "In " : "Out"} ` : "";
    return `${stamp(c.at)} ${where}${this.frame(c.frame, c.link === "ethernet" && this.opts.link && !this.opts.any)}`;
  }

  private frame(f: EthernetFrame, withLink: boolean): string {
    if (f.arp) {
      const a = f.arp;
      const body = a.op === "request" ? `Request who-has ${formatIP(a.targetIp)} tell ${formatIP(a.senderIp)}, length 28` : `Reply ${formatIP(a.senderIp)} is-at ${a.senderMac}, length 28`;
      return withLink ? `${f.src} > ${f.dst}, ethertype ARP (0x0806), length 42: ${body}` : `ARP, ${body}`;
    }
    const p = f.ip!;
    if (withLink) return `${f.src} > ${f.dst}, ethertype IPv4 (0x0800), length ${totalLength(p) + 14}: ${this.ip(p, false)}`;
    return this.ip(p, true);
  }

  /** An IP packet: `IP a > b: …`, or with -v the header fields first. */
  private ip(p: Ipv4Packet, prefix: boolean): string {
    const head = this.opts.verbose
      ? `IP (tos 0x${p.tos.toString(16)}, ttl ${p.ttl}, id ${p.id}, offset 0, flags [${p.df ? "DF" : "none"}], proto ${PROTO_NAMES[p.l4.kind]}, length ${totalLength(p)})\n    `
      : prefix
        ? "IP "
        : "";
    return head + this.payload(p);
  }

  private payload(p: Ipv4Packet): string {
    const src = formatIP(p.src);
    const dst = formatIP(p.dst);
    const l4 = p.l4;
    switch (l4.kind) {
      case "tcp":
        return `${src}.${l4.sport} > ${dst}.${l4.dport}: ${this.tcp(p, l4)}`;
      case "udp": {
        const head = `${src}.${l4.sport} > ${dst}.${l4.dport}: `;
        if (l4.vxlan) {
          const vx = l4.dport === 8472 ? `OTV, flags [I] (0x08), overlay 0, instance ${l4.vxlan.vni}` : `VXLAN, flags [I] (0x08), vni ${l4.vxlan.vni}`;
          return `${head}${vx}\n${this.frame(l4.vxlan.frame, this.opts.link)}`;
        }
        return `${head}UDP, length ${l4.payload}`;
      }
      case "icmp":
        return `${src} > ${dst}: ${icmpText(l4.type, l4.code, l4)}`;
      case "ipip":
        return `${src} > ${dst}: ${this.ip(l4.inner, true)}`;
    }
  }

  private tcp(p: Ipv4Packet, t: TcpHeader): string {
    const key = `${p.src}:${t.sport}>${p.dst}:${t.dport}`;
    const back = `${p.dst}:${t.dport}>${p.src}:${t.sport}`;
    if (t.flags & 2) this.isn.set(key, t.seq);
    const mine = this.isn.get(key);
    const theirs = this.isn.get(back);
    const relative = !(t.flags & 2) && mine !== undefined && theirs !== undefined;
    const seq = relative ? (t.seq - mine! + 2 ** 32) % 2 ** 32 : t.seq;
    const ack = relative ? (t.ack - theirs! + 2 ** 32) % 2 ** 32 : t.ack;
    const parts = [`Flags [${tcpFlags(t.flags)}]`];
    if (t.payload > 0) parts.push(`seq ${seq}:${seq + t.payload}`);
    else if (t.flags & (1 | 2 | 4)) parts.push(`seq ${seq}`);
    if (t.flags & 16) parts.push(`ack ${ack}`);
    parts.push(`win ${t.win}`);
    if (t.options.length > 0) parts.push(`options [${t.options.join(",")}]`);
    parts.push(`length ${t.payload}`);
    return parts.join(", ") + httpText(t);
  }
}

/** tcpdump's HTTP decoder on ports 80 and 8080: the request or status line of a segment that starts one. */
function httpText(t: TcpHeader): string {
  if (!t.text || t.payload === 0 || ![t.sport, t.dport].some((p) => p === 80 || p === 8080)) return "";
  return /^([A-Z]+ \S+ HTTP\/\d\.\d|HTTP\/\d\.\d \d{3}\b)/.test(t.text) ? `: HTTP: ${t.text}` : "";
}

function icmpText(type: number, code: number, l4: { id: number; seq: number; payload: number; quoted?: Ipv4Packet }): string {
  const length = 8 + l4.payload + (l4.quoted ? Math.min(totalLength(l4.quoted), 548) : 0);
  if (type === 8 || type === 0) return `ICMP echo ${type === 8 ? "request" : "reply"}, id ${l4.id}, seq ${l4.seq}, length ${length}`;
  if (type === 11) return `ICMP time exceeded in-transit, length ${length}`;
  if (type === 3) {
    const q = l4.quoted;
    const target = q ? formatIP(q.dst) : "";
    if (code === 3 && q && (q.l4.kind === "tcp" || q.l4.kind === "udp")) return `ICMP ${target} ${q.l4.kind} port ${q.l4.dport} unreachable, length ${length}`;
    if (code === 0) return `ICMP net ${target} unreachable, length ${length}`;
    if (code === 1) return `ICMP host ${target} unreachable, length ${length}`;
    if (code === 2) return `ICMP ${target} protocol ${q?.l4.kind === "ipip" ? 4 : 0} unreachable, length ${length}`;
    if (code === 4) return `ICMP ${target} unreachable - need to frag, length ${length}`;
    if (code === 13) return `ICMP host ${target} unreachable - admin prohibited filter, length ${length}`;
    if (code === 9 || code === 10) return `ICMP host ${target} unreachable - admin prohibited, length ${length}`;
    return `ICMP ${target} unreachable, length ${length}`;
  }
  return `ICMP type-#${type}, length ${length}`;
}
