/**
 * Encapsulation across the node network and back: VXLAN (flannel.1 on UDP 8472, vxlan.calico
 * on 4789: the inner frame to the VTEP the device's FDB names for the inner MAC), IP-in-IP
 * (tunl0: IP protocol 4 to the route's gateway), and WireGuard (wireguard.cali: UDP 51820 to
 * the peer whose allowed-ips cover the destination, sent with the device's fwmark so Calico's
 * routing rule keeps it out of the tunnel table). The outer packet is then sent by the node
 * like any packet it makes (routing, OUTPUT, POSTROUTING); the receiving node gets it as UDP or
 * protocol 4 on its INPUT path and hands the inner packet to its own tunnel device.
 *
 * @example
 * const outer = encapsulate(walk, stack, flannel1, nexthop, inner); // { packet } or { drop: "…" }
 */
import { fnv1a32 } from "../../util/hash";
import { formatIP, inCIDR } from "../../util/ipv4";
import type { Link } from "../kernel/link";
import type { NetStack } from "../kernel/stack";
import { resolveNeighbour } from "./l2";
import { ipv4, portsOf, totalLength, udp, type EthernetFrame, type Ipv4Packet } from "./packet";
import type { Walk } from "./walk";

/** WireGuard's data message: 16 bytes of header and a 16-byte authentication tag around the inner packet. */
const WG_OVERHEAD = 32;

/** An outer packet ready to be sent, or why the device dropped the inner one. */
export type Encapsulated = { packet: Ipv4Packet } | { drop: string; hostUnreachable?: boolean };

export function encapsulate(w: Walk, stack: NetStack, dev: Link, nexthop: number, inner: Ipv4Packet, source: (dst: number) => number | undefined): Encapsulated {
  switch (dev.kind) {
    case "vxlan":
      return vxlan(w, stack, dev, nexthop, inner);
    case "ipip":
      return ipip(w, dev, nexthop, inner, source);
    case "wireguard":
      return wireguard(w, dev, inner);
    default:
      return { drop: `${dev.name} is not a tunnel` };
  }
}

/** udp_flow_src_port: the source port hashes the inner flow into the local port range, so one flow keeps one port. */
function flowPort(inner: Ipv4Packet): number {
  const { sport, dport } = portsOf(inner);
  return 32768 + (fnv1a32(`${inner.src}/${inner.dst}/${inner.l4.kind}/${sport}/${dport}`) % (60999 - 32768 + 1));
}

function vxlan(w: Walk, stack: NetStack, dev: Link, nexthop: number, inner: Ipv4Packet): Encapsulated {
  const info = dev.vxlan;
  if (!info) return { drop: `${dev.name} has no VXLAN settings` };
  const mac = resolveNeighbour(w, stack, dev, nexthop, inner.src);
  if (!mac) return { drop: `no neighbour for ${formatIP(nexthop)} on ${dev.name}`, hostUnreachable: true };
  const remote = info.fdb.find((e) => e.mac === mac && e.dst !== undefined) ?? info.fdb.find((e) => e.mac === "00:00:00:00:00:00" && e.dst !== undefined);
  if (remote?.dst === undefined) return { drop: `${dev.name}: no FDB entry for ${mac} (no remote VTEP)` };
  const frame: EthernetFrame = { src: dev.mac, dst: mac, ip: inner };
  w.capture(stack, dev, "out", frame);
  const payload = 8 + 14 + totalLength(inner);
  const outer = ipv4(info.local || 0, remote.dst, 64, { ...udp(flowPort(inner), info.port, payload), vxlan: { vni: info.vni, frame } }, { df: false, id: w.random(65536) });
  w.step("encap", `${dev.name}: VXLAN vni ${info.vni} to VTEP ${formatIP(remote.dst)}:${info.port} (inner ${mac})`);
  return { packet: outer };
}

function ipip(w: Walk, dev: Link, nexthop: number, inner: Ipv4Packet, source: (dst: number) => number | undefined): Encapsulated {
  const local = dev.ipip?.local || source(nexthop);
  if (local === undefined) return { drop: `${dev.name}: no source address for ${formatIP(nexthop)}` };
  const outer = ipv4(local, nexthop, inner.ttl, { kind: "ipip", inner }, { df: inner.df, id: w.random(65536) });
  w.step("encap", `${dev.name}: IPIP ${formatIP(local)} → ${formatIP(nexthop)}`);
  return { packet: outer };
}

function wireguard(w: Walk, dev: Link, inner: Ipv4Packet): Encapsulated {
  const info = dev.wireguard;
  if (!info) return { drop: `${dev.name} has no WireGuard settings` };
  const peer = info.peers.find((p) => p.allowedIps.some((cidr) => inCIDR(inner.dst, cidr)));
  if (!peer) return { drop: `${dev.name}: no peer has allowed-ips for ${formatIP(inner.dst)}`, hostUnreachable: true };
  if (!peer.endpoint) return { drop: `${dev.name}: peer ${peer.publicKey} has no endpoint`, hostUnreachable: true };
  const bytes = totalLength(inner) + WG_OVERHEAD;
  peer.txBytes += bytes;
  peer.latestHandshake ??= w.now;
  const outer = ipv4(0, peer.endpoint.ip, 64, { ...udp(info.listenPort, peer.endpoint.port, bytes), wireguard: { inner } }, { id: w.random(65536), mark: info.fwmark ?? 0 });
  w.step("encap", `${dev.name}: WireGuard to peer ${peer.publicKey.slice(0, 8)}… at ${formatIP(peer.endpoint.ip)}:${peer.endpoint.port}`);
  return { packet: outer };
}

/**
 * The tunnel device a delivered outer packet belongs to, and the inner packet it carries; a
 * packet no tunnel takes is left for the sockets (undefined).
 */
export function decapsulate(w: Walk, stack: NetStack, outer: Ipv4Packet): { dev: Link; frame: EthernetFrame } | { drop: string } | undefined {
  const l4 = outer.l4;
  if (l4.kind === "ipip") {
    const dev = [...stack.links.values()].find((l) => l.kind === "ipip" && l.up && (!l.ipip?.local || l.ipip.local === outer.dst));
    if (!dev) return { drop: "IP protocol 4 and no tunnel device takes it" };
    w.step("decap", `${dev.name}: IPIP from ${formatIP(outer.src)}`);
    return { dev, frame: { src: "", dst: "", ip: l4.inner } };
  }
  if (l4.kind !== "udp") return undefined;
  if (l4.vxlan) {
    const dev = [...stack.links.values()].find((l) => l.kind === "vxlan" && l.up && l.vxlan?.port === l4.dport && l.vxlan.vni === l4.vxlan!.vni);
    if (!dev) return undefined;
    if (dev.vxlan!.learning && !dev.vxlan!.fdb.some((e) => e.mac === l4.vxlan!.frame.src)) dev.vxlan!.fdb.push({ mac: l4.vxlan.frame.src, dst: outer.src, permanent: false });
    w.step("decap", `${dev.name}: VXLAN vni ${l4.vxlan.vni} from VTEP ${formatIP(outer.src)}`);
    return { dev, frame: l4.vxlan.frame };
  }
  if (l4.wireguard) {
    const dev = [...stack.links.values()].find((l) => l.kind === "wireguard" && l.up && l.wireguard?.listenPort === l4.dport);
    if (!dev) return undefined;
    const inner = l4.wireguard.inner;
    const peer = dev.wireguard!.peers.find((p) => p.endpoint?.ip === outer.src) ?? dev.wireguard!.peers.find((p) => p.allowedIps.some((c) => inCIDR(inner.src, c)));
    if (!peer) return { drop: `${dev.name}: packet from ${formatIP(outer.src)} matches no peer` };
    if (!peer.allowedIps.some((c) => inCIDR(inner.src, c))) return { drop: `${dev.name}: source ${formatIP(inner.src)} is outside peer's allowed-ips` };
    peer.rxBytes += l4.payload;
    peer.latestHandshake ??= w.now;
    w.step("decap", `${dev.name}: WireGuard from ${formatIP(outer.src)}:${l4.sport}`);
    return { dev, frame: { src: "", dst: "", ip: inner } };
  }
  return undefined;
}
