/**
 * Layer 2 as the walk needs it: where a frame sent out of an interface lands (a veth's peer,
 * the NIC on the node network with the destination MAC, a bridge port chosen by the FDB), and
 * ARP: a broadcast flooded through veths, bridges and the segment until a namespace answers for
 * the address, because it owns it (arp_ignore 0: any local address), because its interface
 * does proxy ARP for a route elsewhere (Calico's cali* answer for 169.254.1.1), or because it
 * announces a LoadBalancer address (MetalLB L2). Both ends learn each other (`ip neigh`), and
 * bridges on the way learn the MACs (`bridge fdb`).
 *
 * @example
 * const mac = resolveNeighbour(walk, stack, eth0, gateway, src); // undefined: FAILED after three probes
 */
import { formatIP } from "../../util/ipv4";
import { hasCarrier } from "../kernel/link-state";
import type { Link } from "../kernel/link";
import type { NetStack } from "../kernel/stack";
import type { ClusterNetwork } from "../network";
import { lookupRoute } from "../kernel/route";
import { linkSysctl } from "../kernel/sysctl";
import { BROADCAST_MAC, type ArpPacket } from "./packet";
import type { Walk } from "./walk";

/**
 * How long Linux's neighbour resolution takes to give up: three probes a second apart
 * (mcast_solicit 3, retrans_time 1 s), then the timer that declares the entry FAILED fires a
 * few jiffies after the third second.
 */
export const ARP_FAILURE_MS = 3010;

/** A bridge on the way to a responder: the port a flooded frame came in by and the one it left by. */
interface Bridged {
  stack: NetStack;
  bridge: Link;
  inPort: Link;
  outPort: Link;
}

/** An interface a broadcast reached, and the bridges it crossed on the way. */
interface Reached {
  stack: NetStack;
  link: Link;
  path: Bridged[];
  crossedSegment: boolean;
}

const NEIGH_VALID = new Set(["PERMANENT", "NOARP", "REACHABLE", "STALE", "DELAY", "PROBE"]);

/** Whether the link resolves addresses with ARP (tunnels without MACs and loopback do not). */
export function needsArp(link: Link): boolean {
  return link.kind !== "loopback" && link.kind !== "ipip" && link.kind !== "wireguard" && !link.noarp;
}

/** The MAC for `ip` on `link`: from the neighbour table, or by ARP; undefined when nobody answers. */
export function resolveNeighbour(w: Walk, stack: NetStack, link: Link, ip: number, senderIp: number): string | undefined {
  const known = stack.neighbours.find((n) => n.dev === link.index && n.ip === ip && NEIGH_VALID.has(n.state));
  if (known) return known.mac;
  if (link.kind === "vxlan") {
    // VXLAN devices flannel and Calico make do not learn: their neighbours are written by the agent.
    w.step("arp", `no neighbour entry for ${formatIP(ip)} on ${link.name}`);
    setNeighbour(stack, link, ip, "", "FAILED");
    return undefined;
  }
  const request: ArpPacket = { op: "request", senderMac: link.mac, senderIp, targetMac: "00:00:00:00:00:00", targetIp: ip };
  w.capture(stack, link, "out", { src: link.mac, dst: BROADCAST_MAC, arp: request });
  for (const reached of broadcastDomain(w.net, stack, link)) {
    const mac = answers(w.net, reached.stack, reached.link, ip);
    if (mac === undefined) continue;
    for (const hop of reached.path) {
      learn(hop.bridge, link.mac, hop.inPort);
      learn(hop.bridge, mac, hop.outPort);
    }
    w.capture(reached.stack, reached.link, "in", { src: link.mac, dst: BROADCAST_MAC, arp: request });
    const reply: ArpPacket = { op: "reply", senderMac: mac, senderIp: ip, targetMac: link.mac, targetIp: senderIp };
    w.capture(reached.stack, reached.link, "out", { src: mac, dst: link.mac, arp: reply });
    w.capture(stack, link, "in", { src: mac, dst: link.mac, arp: reply });
    setNeighbour(reached.stack, reached.link, senderIp, link.mac, "STALE");
    setNeighbour(stack, link, ip, mac, "REACHABLE");
    w.advance(reached.crossedSegment ? 2 * w.segmentDelay(link) : 0.02);
    w.step("arp", `${formatIP(ip)} is at ${mac} (answered by ${reached.stack.id} ${reached.link.name})`);
    return mac;
  }
  setNeighbour(stack, link, ip, "", "FAILED");
  w.advance(ARP_FAILURE_MS);
  w.step("arp", `no answer for ${formatIP(ip)} on ${link.name}: neighbour FAILED`);
  return undefined;
}

/** Which MAC `link` of `stack` answers an ARP request for `ip` with, if it answers. */
function answers(net: ClusterNetwork, stack: NetStack, link: Link, ip: number): string | undefined {
  if (!(net.machine(stack.host)?.running() ?? true) || !link.up) return undefined;
  if (stack.isLocal(ip) && (ip >>> 24) !== 127) return link.mac;
  if (link.proxyArp && linkSysctl(stack, link, "forwarding") === "1") {
    const route = lookupRoute(stack.routing, ip, { mark: 0 });
    if (route && route.type === "unicast" && route.dev !== link.index) return link.mac;
  }
  if (link.segment && net.announcements.get(ip) === stack.host) return link.mac;
  return undefined;
}

function setNeighbour(stack: NetStack, link: Link, ip: number, mac: string, state: "REACHABLE" | "STALE" | "FAILED"): void {
  const existing = stack.neighbours.find((n) => n.dev === link.index && n.ip === ip);
  if (existing) {
    if (existing.state === "PERMANENT" || existing.state === "NOARP") return;
    existing.mac = mac;
    existing.state = state;
    return;
  }
  stack.neighbours.push({ ip, dev: link.index, mac, state });
}

/** A bridge learns which port a MAC is behind (learned entries only; permanent ones stay). */
export function learn(bridge: Link, mac: string, port: Link): void {
  const fdb = (bridge.fdb ??= []);
  const entry = fdb.find((e) => e.mac === mac && e.vlan === undefined);
  if (entry) {
    if (!entry.permanent) entry.port = port.index;
    return;
  }
  fdb.push({ mac, port: port.index, permanent: false });
}

/** The port a bridge's FDB sends `mac` to. */
export function fdbPort(stack: NetStack, bridge: Link, mac: string): Link | undefined {
  const entry = bridge.fdb?.find((e) => e.mac === mac && e.port !== undefined);
  const port = entry?.port === undefined ? undefined : stack.links.get(entry.port);
  return port && port.master === bridge.index ? port : undefined;
}

/** Whether a frame to `mac` is for the bridge itself (its own MAC, or one of its ports': their "local" FDB entries). */
export function bridgeOwnsMac(stack: NetStack, bridge: Link, mac: string): boolean {
  if (bridge.mac === mac) return true;
  for (const l of stack.links.values()) if (l.master === bridge.index && l.mac === mac) return true;
  return false;
}

/** The bridge ports of a bridge in ifindex order. */
export function portsOf(stack: NetStack, bridge: Link): Link[] {
  return [...stack.links.values()].filter((l) => l.master === bridge.index).sort((a, b) => a.index - b.index);
}

/** Where a frame leaving `link` arrives first: a veth's peer, or every other NIC on the segment. */
export function wireEnds(net: ClusterNetwork, stack: NetStack, link: Link): { stack: NetStack; link: Link; segment: boolean }[] {
  if (!hasCarrier(net, stack, link)) return [];
  if (link.kind === "veth") {
    const peer = net.peerOf(link);
    return peer ? [{ ...peer, segment: false }] : [];
  }
  if (link.kind === "device" && link.segment) {
    return net.segmentPorts(link.segment).filter((p) => !(p.stack === stack && p.link === link) && p.link.up && (net.machine(p.stack.host)?.running() ?? true)).map((p) => ({ ...p, segment: true }));
  }
  return [];
}

/** Every layer-3 interface a broadcast out of `link` reaches, nearest first. */
function broadcastDomain(net: ClusterNetwork, stack: NetStack, link: Link): Reached[] {
  const reached: Reached[] = [];
  const seen = new Set<string>([`${stack.id}/${link.index}`]);
  // A frame leaving an interface: a bridge floods it to its ports, anything else puts it on its wire.
  const queue: { stack: NetStack; link: Link; path: Bridged[]; crossedSegment: boolean }[] = [];
  const leave = (s: NetStack, l: Link, path: Bridged[], crossed: boolean) => {
    if (l.kind === "bridge") {
      if (!l.up) return;
      for (const port of portsOf(s, l)) if (port.up) queue.push({ stack: s, link: port, path: [...path, { stack: s, bridge: l, inPort: port, outPort: port }], crossedSegment: crossed });
      return;
    }
    queue.push({ stack: s, link: l, path, crossedSegment: crossed });
  };
  leave(stack, link, [], false);
  while (queue.length > 0) {
    const out = queue.shift()!;
    for (const end of wireEnds(net, out.stack, out.link)) {
      const key = `${end.stack.id}/${end.link.index}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const crossed = out.crossedSegment || end.segment;
      const bridge = end.link.master === undefined ? undefined : end.stack.links.get(end.link.master);
      if (bridge) {
        if (!bridge.up || !end.link.up) continue;
        // Flooded by the bridge: up to the bridge itself and out of every other port.
        const via = (outPort: Link): Bridged => ({ stack: end.stack, bridge, inPort: end.link, outPort });
        if (!seen.has(`${end.stack.id}/${bridge.index}`)) {
          seen.add(`${end.stack.id}/${bridge.index}`);
          reached.push({ stack: end.stack, link: bridge, path: [...out.path, via(end.link)], crossedSegment: crossed });
        }
        for (const port of portsOf(end.stack, bridge)) {
          if (port === end.link || !port.up) continue;
          queue.push({ stack: end.stack, link: port, path: [...out.path, via(port)], crossedSegment: crossed });
        }
        continue;
      }
      reached.push({ stack: end.stack, link: end.link, path: out.path, crossedSegment: crossed });
    }
  }
  return reached;
}
