/**
 * One packet's way through the materialised kernel state, as Linux moves it (DESIGN §2.5).
 *
 * Local output: route lookup with policy rules → source address → raw/mangle/nat/filter
 * OUTPUT (re-routed when DNAT or a mark changed the lookup) → mangle/nat POSTROUTING → out.
 * On a link: a veth hands the frame to its peer; a bridge port hands it to the bridge (FDB
 * learning, its own MAC up to the host, br_netfilter's PREROUTING/FORWARD/POSTROUTING for
 * bridged IPv4 when `bridge-nf-call-iptables` is 1); a NIC puts it on the node network, where
 * the NIC with the destination MAC takes it; tunnels encapsulate. Every L2 hop resolves the
 * next hop's MAC by ARP first. Input: raw/mangle/nat PREROUTING → routing decision → local
 * (mangle/filter INPUT, nat INPUT, tunnels decapsulate, else the packet is delivered) or
 * forward (`net.ipv4.ip_forward`, TTL, mangle/filter FORWARD, POSTROUTING, out). Errors come
 * back as the kernel makes them: ICMP from the router that gave up, or an errno to the
 * sender's own socket.
 *
 * A Walk lives for one packet (or one exchange): it is not state. It records where the
 * packet went (hops with their steps), moves virtual time by each link's latency, and feeds
 * armed captures.
 *
 * @example
 * const walk = new Walk(network, clock.now());
 * const arrival = walk.send(stack, ipv4(0, dst, 64, tcp(43512, 80, TCP_SYN)));
 * arrival.kind; // "local" (delivered into arrival.stack), "dropped", or "error" (errno for the sender)
 */
import { formatCIDR, formatIP } from "../../util/ipv4";
import { hasCarrier } from "../kernel/link-state";
import type { Link } from "../kernel/link";
import { lookupRoute, TABLE_LOCAL, type Route } from "../kernel/route";
import { linkSysctl, readSysctl } from "../kernel/sysctl";
import type { NetStack } from "../kernel/stack";
import type { ClusterNetwork } from "../network";
import type { TableName } from "../netfilter/types";
import { bridgeOwnsMac, fdbPort, learn, needsArp, portsOf, resolveNeighbour, wireEnds } from "./l2";
import { confirm, conntrackIn, natDestination, natSource, type CtContext } from "./nat";
import { evaluate, type Verdict } from "./netfilter";
import { clonePacket, icmp, ipv4, isIcmpError, portsOf as l4Ports, tcp, TCP_ACK, TCP_RST, totalLength, type EthernetFrame, type Ipv4Packet } from "./packet";
import { ipvsReply, ipvsRequest } from "./ipvs";
import { decapsulate, encapsulate } from "./tunnels";

/** What the sender's own kernel says when it cannot send (connect()/sendmsg() fail with it). */
export type Errno = "ENETUNREACH" | "EHOSTUNREACH" | "EACCES" | "EINVAL" | "EPERM";

export type StepKind = "send" | "route" | "netfilter" | "nat" | "conntrack" | "ipvs" | "arp" | "bridge" | "encap" | "decap" | "forward" | "deliver" | "drop" | "icmp";

export interface WalkStep {
  kind: StepKind;
  detail: string;
}

/** A namespace the packet crossed, with what happened to it there. */
export interface WalkHop {
  stack: string;
  host: string;
  /** The interface it came in by (none where it was sent). */
  in?: string;
  /** The interface it left by (none where it stayed). */
  out?: string;
  /** Its source and destination as it entered. */
  src: number;
  dst: number;
  steps: WalkStep[];
}

export type Arrival =
  | { kind: "local"; stack: NetStack; link: Link; packet: Ipv4Packet }
  | { kind: "dropped"; stack: NetStack; reason: string }
  | { kind: "error"; stack: NetStack; errno: Errno };

type Ct = CtContext | { state: "INVALID" } | undefined;

/** Link crossings one packet may make before the walk calls it a loop (bridges have no TTL). */
const MAX_CROSSINGS = 256;

/** One-way latencies (ms): a veth, a bridge, the local stack, and the node network by default. */
const LATENCY = { veth: 0.025, vethJitter: 0.02, bridge: 0.004, stack: 0.002, segment: 0.15, segmentJitter: 0.1 };

const ICMP_UNREACH = 3;
const ICMP_TIME_EXCEEDED = 11;

/** REJECT's `--reject-with` as the ICMP code it sends (type 3). */
const REJECT_CODES: Record<string, number> = {
  "icmp-net-unreachable": 0, "icmp-host-unreachable": 1, "icmp-proto-unreachable": 2, "icmp-port-unreachable": 3,
  "icmp-net-prohibited": 9, "icmp-host-prohibited": 10, "icmp-admin-prohibited": 13,
};

export class Walk {
  readonly hops: WalkHop[] = [];
  private hop: WalkHop | undefined;
  private crossings = 0;
  /** The packet's virtual time (epoch ms, fractional). */
  t: number;

  constructor(
    readonly net: ClusterNetwork,
    start: number,
  ) {
    this.t = start;
  }

  get now(): number {
    return this.t;
  }

  /**
   * Hands over the hops walked so far and starts a new list (the reply of an exchange walks its
   * own). Steps recorded before the next packet moves still go to the last hop (what the
   * receiving end did with the packet).
   */
  resetHops(): WalkHop[] {
    const done = this.hops.splice(0);
    this.crossings = 0;
    return done;
  }

  step(kind: StepKind, detail: string): void {
    this.hop?.steps.push({ kind, detail });
  }

  random(n: number): number {
    return this.net.traffic.int(n);
  }

  advance(ms: number): void {
    this.t += ms;
  }

  /** One-way latency of the segment a NIC is plugged into. */
  segmentDelay(link: Link): number {
    const base = (link.segment ? this.net.segmentLatency(link.segment) : undefined) ?? LATENCY.segment;
    return base + this.net.traffic.next() * (base === LATENCY.segment ? LATENCY.segmentJitter : base * 0.1);
  }

  capture(stack: NetStack, link: Link, direction: "in" | "out", frame: EthernetFrame): void {
    if (!this.net.captures.active) return;
    const kind = link.kind === "loopback" ? "loopback" : needsArp(link) || link.kind === "vxlan" || link.kind === "bridge" ? "ethernet" : "raw";
    this.net.captures.record({ at: Math.round(this.t * 1000), stack: stack.id, ifindex: link.index, ifname: link.name, direction, link: kind }, frame);
  }

  private running(stack: NetStack): boolean {
    return this.net.machine(stack.host)?.running() ?? true;
  }

  private enter(stack: NetStack, inLink: Link | undefined, p: Ipv4Packet): void {
    if (this.hops.length > 0 && this.hop?.stack === stack.id) return;
    this.hop = { stack: stack.id, host: stack.host, in: inLink?.name, src: p.src, dst: p.dst, steps: [] };
    this.hops.push(this.hop);
  }

  private leave(out: Link): void {
    if (this.hop) this.hop.out = out.name;
  }

  private drop(stack: NetStack, reason: string): Arrival {
    this.step("drop", reason);
    return { kind: "dropped", stack, reason };
  }

  // ---- Local output ----

  /**
   * A socket in `stack` sends `p` (source 0: the kernel picks it); `oif` binds it to a device
   * (`ping -I`). `attached` is the connection a kernel-made answer belongs to (nf_ct_attach: a
   * REJECT's reset travels as that connection's reply, NAT undone).
   */
  send(stack: NetStack, p: Ipv4Packet, oif?: Link, attached?: CtContext): Arrival {
    this.enter(stack, undefined, p);
    const routed = this.routeOutput(stack, p, oif);
    if ("errno" in routed) return this.fail(stack, routed.errno, routed.why);
    if (p.src === 0) p.src = this.sourceFor(stack, routed.route, p.dst) ?? 0;
    this.step("send", `sends ${describe(p)}`);
    return this.localOut(stack, p, routed.route, oif, attached);
  }

  private fail(stack: NetStack, errno: Errno, why: string): Arrival {
    this.step("drop", why);
    return { kind: "error", stack, errno };
  }

  /** ip_route_output: the route for a locally made packet, or the errno the sender gets. */
  private routeOutput(stack: NetStack, p: Ipv4Packet, oif?: Link): { route: Route } | { errno: Errno; why: string } {
    const route = oif ? lookupViaDevice(stack, p.dst, oif) : lookupRoute(stack.routing, p.dst, { mark: p.mark, src: p.src || undefined });
    if (!route) return { errno: "ENETUNREACH", why: `no route to ${formatIP(p.dst)}: Network is unreachable` };
    switch (route.type) {
      case "unreachable":
        return { errno: "EHOSTUNREACH", why: `route ${routeText(stack, route)}: No route to host` };
      case "prohibit":
        return { errno: "EACCES", why: `route ${routeText(stack, route)}: Permission denied` };
      case "blackhole":
        return { errno: "EINVAL", why: `route ${routeText(stack, route)}: Invalid argument` };
      default:
        return { route };
    }
  }

  /** inet_select_addr: the route's preferred source, else an address of its device on the destination's subnet, else any global one. */
  sourceFor(stack: NetStack, route: Route, dst: number): number | undefined {
    if (route.src !== undefined) return route.src;
    if (route.type === "local") return dst;
    const dev = route.dev === undefined ? undefined : stack.links.get(route.dev);
    const target = route.via ?? dst;
    const usable = (dev?.addrs ?? []).filter((a) => a.scope !== "host");
    const onSubnet = usable.find((a) => a.prefix > 0 && ((a.ip ^ target) >>> (32 - a.prefix)) === 0);
    if (onSubnet ?? usable[0]) return (onSubnet ?? usable[0]).ip;
    for (const l of [...stack.links.values()].sort((a, b) => a.index - b.index)) {
      const a = l.addrs.find((x) => x.scope === "global");
      if (a) return a.ip;
    }
    return undefined;
  }

  /** The device a locally made packet leaves by: its route's, except that a local route loops back by `lo` (ip_route_output: RTN_LOCAL → loopback_dev). */
  private outputDevice(stack: NetStack, route: Route): Link | undefined {
    if (route.type === "local") {
      const lo = [...stack.links.values()].find((l) => l.kind === "loopback");
      if (lo) return lo;
    }
    return route.dev === undefined ? undefined : stack.links.get(route.dev);
  }

  private localOut(stack: NetStack, p: Ipv4Packet, route: Route, oif?: Link, attached?: CtContext): Arrival {
    let out = this.outputDevice(stack, route);
    if (!out) return this.fail(stack, "ENETUNREACH", "route has no device");
    const tracked = attached ? { ct: attached } : this.rawAndConntrack(stack, "OUTPUT", p, { outLink: out });
    if ("dropped" in tracked) return this.fail(stack, "EPERM", `dropped by ${tracked.dropped}: Operation not permitted`);
    const ct = tracked.ct;
    const mark = p.mark;
    const mangle = this.chain(stack, "mangle", "OUTPUT", p, { outLink: out, ct });
    if (mangle.kind === "DROP") return this.fail(stack, "EPERM", `dropped by ${mangle.rule}: Operation not permitted`);
    const before = p.dst;
    natDestination(this, stack, p, ct, { chain: "OUTPUT", outLink: out });
    if (p.dst !== before || p.mark !== mark) {
      // ip_route_me_harder: DNAT or a new mark may change the route.
      const again = this.routeOutput(stack, p, oif);
      if ("errno" in again) return this.fail(stack, again.errno, again.why);
      route = again.route;
      out = this.outputDevice(stack, route)!;
      this.step("route", `re-routed: ${routeText(stack, route)}`);
    }
    // IPVS's LOCAL_OUT hook sits after nat OUTPUT and before filter OUTPUT.
    const ipvs = ipvsRequest(this, stack, p, ct);
    if (ipvs === "unavailable") return this.icmpError(stack, p, ICMP_UNREACH, 3, "IPVS: no destination available");
    if (ipvs === "rewritten") {
      const again = this.routeOutput(stack, p, oif);
      if ("errno" in again) return this.fail(stack, again.errno, again.why);
      route = again.route;
      out = this.outputDevice(stack, route)!;
    }
    const filter = this.chain(stack, "filter", "OUTPUT", p, { outLink: out, ct });
    if (filter.kind === "DROP") return this.fail(stack, "EPERM", `dropped by ${filter.rule}: Operation not permitted`);
    if (filter.kind === "REJECT") return this.reject(stack, p, filter, ct);
    return this.postRouting(stack, p, route, out, ct, undefined);
  }

  // ---- Input and forwarding ----

  /** A frame arrives on `link` of `stack` from the wire. */
  receive(stack: NetStack, link: Link, frame: EthernetFrame): Arrival {
    if (++this.crossings > MAX_CROSSINGS) return this.drop(stack, "forwarding loop");
    if (!this.running(stack)) return { kind: "dropped", stack, reason: `${stack.host} is powered off` };
    const p = frame.ip;
    if (!p) return { kind: "dropped", stack, reason: "not an IPv4 frame" };
    this.enter(stack, link, p);
    if (!link.up) return this.drop(stack, `${link.name} is down`);
    this.capture(stack, link, "in", frame);
    link.stats.rxPackets++;
    link.stats.rxBytes += totalLength(p) + (needsArp(link) ? 14 : 0);
    const bridge = link.master === undefined ? undefined : stack.links.get(link.master);
    if (bridge) return this.bridgeInput(stack, bridge, link, frame);
    if (needsArp(link) && frame.dst !== link.mac) return this.drop(stack, `${link.name}: frame for ${frame.dst} is not for this host`);
    return this.ipInput(stack, link, p);
  }

  /**
   * ip_rcv: PREROUTING, then the routing decision. A packet looped back on `lo` keeps the
   * connection it was sent with (`carried`): conntrack does not look it up twice.
   */
  private ipInput(stack: NetStack, link: Link, p: Ipv4Packet, carried?: { ct: Ct }, physIn?: Link): Arrival {
    this.enter(stack, link, p);
    this.t += LATENCY.stack;
    let ct: Ct;
    if (carried) ct = carried.ct;
    else {
      const tracked = this.rawAndConntrack(stack, "PREROUTING", p, { inLink: link, physIn });
      if ("dropped" in tracked) return this.drop(stack, `dropped by ${tracked.dropped}`);
      ct = tracked.ct;
    }
    const pre = this.prerouting(stack, link, p, ct, physIn);
    if (pre) return pre;
    return this.routeInput(stack, link, p, ct);
  }

  /** mangle and nat PREROUTING (raw and conntrack already ran). */
  private prerouting(stack: NetStack, link: Link, p: Ipv4Packet, ct: Ct, physIn?: Link): Arrival | undefined {
    const mangle = this.chain(stack, "mangle", "PREROUTING", p, { inLink: link, physIn, ct });
    if (mangle.kind === "DROP") return this.drop(stack, `dropped by ${mangle.rule}`);
    natDestination(this, stack, p, ct, { chain: "PREROUTING", inLink: link, physIn });
    return undefined;
  }

  private routeInput(stack: NetStack, link: Link, p: Ipv4Packet, ct: Ct): Arrival {
    const reversePath = this.reversePathFails(stack, link, p);
    if (reversePath) return this.drop(stack, reversePath);
    const route = lookupRoute(stack.routing, p.dst, { mark: p.mark, src: p.src });
    if (route && (route.type === "local" || (route.type === "broadcast" && route.table === TABLE_LOCAL))) return this.localIn(stack, link, p, ct);
    // IN_DEV_FORWARD: the incoming interface's forwarding switch (ip_forward sets them all).
    const forwarding = linkSysctl(stack, link, "forwarding") === "1";
    // ip_error: with forwarding off the kernel drops what is not for it, silently.
    if (!forwarding) return this.drop(stack, `not for this host and forwarding is off on ${link.name} (net.ipv4.ip_forward=0)`);
    if (!route) return this.icmpError(stack, p, ICMP_UNREACH, 0, `no route to ${formatIP(p.dst)}`);
    if (route.type === "blackhole") return this.drop(stack, `route ${routeText(stack, route)}`);
    if (route.type === "unreachable") return this.icmpError(stack, p, ICMP_UNREACH, 1, `route ${routeText(stack, route)}`);
    if (route.type === "prohibit") return this.icmpError(stack, p, ICMP_UNREACH, 13, `route ${routeText(stack, route)}`);
    return this.forward(stack, link, p, route, ct);
  }

  /**
   * fib_validate_source: with rp_filter (the larger of `conf.all` and the interface's), the way
   * back to the source must exist (2, loose) and leave by the interface the packet came in by (1,
   * strict); otherwise the kernel drops the packet as a martian.
   */
  private reversePathFails(stack: NetStack, link: Link, p: Ipv4Packet): string | undefined {
    if (link.kind === "loopback") return undefined;
    const mode = Math.max(Number(readSysctl(stack, "net.ipv4.conf.all.rp_filter") ?? 0), Number(linkSysctl(stack, link, "rp_filter")));
    if (mode !== 1 && mode !== 2) return undefined;
    const back = lookupRoute(stack.routing, p.src, { mark: p.mark });
    if (!back || (back.type !== "unicast" && back.type !== "local")) return `rp_filter: no route back to ${formatIP(p.src)} (martian source)`;
    if (mode === 1 && back.dev !== link.index) return `rp_filter=1: the way back to ${formatIP(p.src)} is not ${link.name} (martian source)`;
    return undefined;
  }

  private forward(stack: NetStack, inLink: Link, p: Ipv4Packet, route: Route, ct: Ct): Arrival {
    if (p.ttl <= 1) return this.icmpError(stack, p, ICMP_TIME_EXCEEDED, 0, "TTL exceeded in transit");
    p.ttl--;
    const out = stack.links.get(route.dev!)!;
    const mangle = this.chain(stack, "mangle", "FORWARD", p, { inLink, outLink: out, ct });
    if (mangle.kind === "DROP") return this.drop(stack, `dropped by ${mangle.rule}`);
    const filter = this.chain(stack, "filter", "FORWARD", p, { inLink, outLink: out, ct });
    if (filter.kind === "DROP") return this.drop(stack, `dropped by ${filter.rule}`);
    if (filter.kind === "REJECT") return this.reject(stack, p, filter, ct);
    ipvsReply(this, stack, p, ct);
    this.step("forward", `forwarded ${inLink.name} → ${out.name}`);
    return this.postRouting(stack, p, route, out, ct, inLink);
  }

  /** POSTROUTING (mangle, nat), conntrack confirmation, then the wire. */
  private postRouting(stack: NetStack, p: Ipv4Packet, route: Route, out: Link, ct: Ct, inLink: Link | undefined): Arrival {
    const nexthop = route.via ?? p.dst;
    const mangle = this.chain(stack, "mangle", "POSTROUTING", p, { inLink, outLink: out, ct });
    if (mangle.kind === "DROP") return this.drop(stack, `dropped by ${mangle.rule}`);
    natSource(this, stack, p, ct, { chain: "POSTROUTING", inLink, outLink: out, nexthop });
    confirm(stack, ct);
    this.step("route", routeText(stack, route));
    return this.transmit(stack, out, nexthop, p, inLink === undefined, ct);
  }

  /** Local delivery: mangle/filter INPUT, nat INPUT, then tunnels or the caller's socket lookup. */
  private localIn(stack: NetStack, link: Link, p: Ipv4Packet, ct: Ct): Arrival {
    const mangle = this.chain(stack, "mangle", "INPUT", p, { inLink: link, ct });
    if (mangle.kind === "DROP") return this.drop(stack, `dropped by ${mangle.rule}`);
    const filter = this.chain(stack, "filter", "INPUT", p, { inLink: link, ct });
    if (filter.kind === "DROP") return this.drop(stack, `dropped by ${filter.rule}`);
    if (filter.kind === "REJECT") return this.reject(stack, p, filter, ct);
    // IPVS's LOCAL_IN hooks: replies to a local client, then requests for a virtual service.
    ipvsReply(this, stack, p, ct);
    const ipvs = ipvsRequest(this, stack, p, ct);
    if (ipvs === "unavailable") return this.icmpError(stack, p, ICMP_UNREACH, 3, "IPVS: no destination available");
    if (ipvs === "rewritten") return this.ipvsForward(stack, link, p, ct);
    natSource(this, stack, p, ct, { chain: "INPUT", inLink: link });
    confirm(stack, ct);
    const inner = decapsulate(this, stack, p);
    if (inner && "drop" in inner) return this.drop(stack, inner.drop);
    if (inner) {
      this.capture(stack, inner.dev, "in", inner.frame);
      inner.dev.stats.rxPackets++;
      inner.dev.stats.rxBytes += totalLength(inner.frame.ip!);
      return this.ipInput(stack, inner.dev, inner.frame.ip!);
    }
    return { kind: "local", stack, link, packet: p };
  }

  /** ip_vs_nat_xmit: the rewritten packet is routed to the real server and sent through LOCAL_OUT and POSTROUTING. */
  private ipvsForward(stack: NetStack, inLink: Link, p: Ipv4Packet, ct: Ct): Arrival {
    const route = lookupRoute(stack.routing, p.dst, { mark: p.mark, src: p.src });
    if (!route || route.type !== "unicast" && route.type !== "local") return this.icmpError(stack, p, ICMP_UNREACH, 0, `IPVS: no route to ${formatIP(p.dst)}`);
    const out = stack.links.get(route.dev!)!;
    if (inLink.kind !== "loopback") {
      if (p.ttl <= 1) return this.icmpError(stack, p, ICMP_TIME_EXCEEDED, 0, "TTL exceeded in transit");
      p.ttl--;
    }
    const mangle = this.chain(stack, "mangle", "OUTPUT", p, { outLink: out, ct });
    if (mangle.kind === "DROP") return this.drop(stack, `dropped by ${mangle.rule}`);
    const filter = this.chain(stack, "filter", "OUTPUT", p, { outLink: out, ct });
    if (filter.kind === "DROP") return this.drop(stack, `dropped by ${filter.rule}`);
    if (filter.kind === "REJECT") return this.reject(stack, p, filter, ct);
    return this.postRouting(stack, p, route, out, ct, inLink);
  }

  // ---- Links ----

  /** dst_output → neighbour output: the frame onto `out` toward `nexthop`. */
  private transmit(stack: NetStack, out: Link, nexthop: number, p: Ipv4Packet, local: boolean, ct: Ct): Arrival {
    this.leave(out);
    out.stats.txPackets++;
    out.stats.txBytes += totalLength(p) + (needsArp(out) ? 14 : 0);
    if (out.kind === "loopback") {
      const frame = { src: out.mac, dst: out.mac, ip: p };
      this.capture(stack, out, "out", frame);
      this.capture(stack, out, "in", frame);
      this.t += LATENCY.stack;
      // Only the host's own addresses come back in by lo; anything else sent there (`ping -I lo`) is discarded.
      if (!stack.isLocal(p.dst)) return this.drop(stack, `${formatIP(p.dst)} is not this host's: discarded on ${out.name}`);
      return this.ipInput(stack, out, p, { ct });
    }
    if (out.kind === "dummy") return this.drop(stack, `${out.name} (dummy) discards what it is given`);
    if (!out.up) return this.unreachableHost(stack, p, local, `${out.name} is down`);
    if (out.kind === "vxlan" || out.kind === "ipip" || out.kind === "wireguard") {
      const encapsulated = encapsulate(this, stack, out, nexthop, p, (dst) => {
        const r = lookupRoute(stack.routing, dst, { mark: 0 });
        return r && this.sourceFor(stack, r, dst);
      });
      if ("drop" in encapsulated) return encapsulated.hostUnreachable ? this.unreachableHost(stack, p, local, encapsulated.drop) : this.drop(stack, encapsulated.drop);
      if (out.kind !== "vxlan") this.capture(stack, out, "out", { src: "", dst: "", ip: p });
      // The node sends the outer packet as its own; if that fails, the inner one is silently lost.
      const outer = this.send(stack, encapsulated.packet);
      return outer.kind === "error" ? { kind: "dropped", stack, reason: `${out.name}: the encapsulated packet could not be sent` } : outer;
    }
    if (!hasCarrier(this.net, stack, out)) return this.unreachableHost(stack, p, local, `${out.name} has no carrier`);
    // arp_announce 0: the packet's own source if it is ours, else the out device's address.
    const sender = p.src && stack.isLocal(p.src) ? p.src : (this.sourceFor(stack, { table: 254, type: "unicast", dst: { base: nexthop, prefix: 32 }, dev: out.index, proto: "kernel", scope: "link", onlink: false }, nexthop) ?? 0);
    const mac = resolveNeighbour(this, stack, out, nexthop, sender);
    if (!mac) return this.unreachableHost(stack, p, local, `${formatIP(nexthop)} does not answer ARP on ${out.name}`);
    return this.emit(stack, out, { src: out.mac, dst: mac, ip: p });
  }

  /** A neighbour that never answered: the sender's socket gets EHOSTUNREACH; a router sends ICMP host unreachable. */
  private unreachableHost(stack: NetStack, p: Ipv4Packet, local: boolean, why: string): Arrival {
    if (local) return this.fail(stack, "EHOSTUNREACH", `${why}: No route to host`);
    return this.icmpError(stack, p, ICMP_UNREACH, 1, why);
  }

  /** A frame leaves an interface: through a bridge's FDB, over a veth, or onto the segment. */
  private emit(stack: NetStack, out: Link, frame: EthernetFrame): Arrival {
    this.capture(stack, out, "out", frame);
    if (out.kind === "bridge") {
      const port = fdbPort(stack, out, frame.dst) ?? this.flood(stack, out, frame.dst, undefined);
      if (!port) return this.drop(stack, `${out.name}: no port leads to ${frame.dst}`);
      this.t += LATENCY.bridge;
      this.step("bridge", `${out.name} → ${port.name}`);
      port.stats.txPackets++;
      return this.emit(stack, port, frame);
    }
    const ends = wireEnds(this.net, stack, out);
    const end = ends.length === 1 && !ends[0].segment ? ends[0] : ends.find((e) => e.link.mac === frame.dst);
    if (!end) return this.drop(stack, `${out.name}: nobody on the wire has ${frame.dst}`);
    this.t += end.segment ? this.segmentDelay(out) : LATENCY.veth + this.net.traffic.next() * LATENCY.vethJitter;
    return this.receive(end.stack, end.link, frame);
  }

  /** An unknown unicast floods: the port whose far side has the MAC is the one that matters. */
  private flood(stack: NetStack, bridge: Link, mac: string, ingress: Link | undefined): Link | undefined {
    for (const port of portsOf(stack, bridge)) {
      if (port === ingress || !port.up) continue;
      if (wireEnds(this.net, stack, port).some((e) => e.link.mac === mac)) return port;
    }
    return undefined;
  }

  /** A frame came in by a bridge port: to the bridge itself, or bridged to another port. */
  private bridgeInput(stack: NetStack, bridge: Link, port: Link, frame: EthernetFrame): Arrival {
    if (!bridge.up) return this.drop(stack, `${port.name}: its bridge ${bridge.name} is down`);
    learn(bridge, frame.src, port);
    const p = frame.ip!;
    if (bridgeOwnsMac(stack, bridge, frame.dst)) {
      this.capture(stack, bridge, "in", frame);
      bridge.stats.rxPackets++;
      bridge.stats.rxBytes += totalLength(p) + 14;
      this.step("bridge", `${port.name} → ${bridge.name} (to the host)`);
      return this.ipInput(stack, bridge, p, undefined, port);
    }
    let dstMac = frame.dst;
    let ct: Ct;
    const brnf = stack.sysctl("net.bridge.bridge-nf-call-iptables") === "1";
    if (brnf) {
      // br_netfilter: bridged IPv4 meets the host's PREROUTING with the bridge as in-interface.
      const tracked = this.rawAndConntrack(stack, "PREROUTING", p, { inLink: bridge, physIn: port });
      if ("dropped" in tracked) return this.drop(stack, `dropped by ${tracked.dropped}`);
      ct = tracked.ct;
      const before = p.dst;
      const pre = this.prerouting(stack, bridge, p, ct, port);
      if (pre) return pre;
      if (p.dst !== before) {
        const route = lookupRoute(stack.routing, p.dst, { mark: p.mark, src: p.src });
        if (!route || route.dev !== bridge.index || route.type !== "unicast") {
          // DNAT sent it elsewhere: br_nf hands it to the host's routing instead of bridging it.
          this.capture(stack, bridge, "in", frame);
          this.step("bridge", `${port.name} → ${bridge.name}: DNAT turned it into routed traffic`);
          return this.routeInput(stack, bridge, p, ct);
        }
        const mac = resolveNeighbour(this, stack, bridge, route.via ?? p.dst, p.src);
        if (!mac) return this.drop(stack, `${formatIP(p.dst)} does not answer ARP on ${bridge.name}`);
        dstMac = mac;
      }
    }
    const out = fdbPort(stack, bridge, dstMac) ?? this.flood(stack, bridge, dstMac, port);
    if (!out) return this.drop(stack, `${bridge.name}: no port leads to ${dstMac}`);
    if (out === port && !port.hairpin) return this.drop(stack, `${bridge.name}: not sent back out ${port.name} (hairpin off)`);
    if (brnf) {
      const mangle = this.chain(stack, "mangle", "FORWARD", p, { inLink: bridge, outLink: bridge, physIn: port, physOut: out, ct });
      if (mangle.kind === "DROP") return this.drop(stack, `dropped by ${mangle.rule}`);
      const filter = this.chain(stack, "filter", "FORWARD", p, { inLink: bridge, outLink: bridge, physIn: port, physOut: out, ct });
      if (filter.kind === "DROP") return this.drop(stack, `dropped by ${filter.rule}`);
      if (filter.kind === "REJECT") return this.reject(stack, p, filter, ct);
      // IPVS's FORWARD hook sees bridged replies too (why IPVS mode needs br_netfilter for same-node endpoints).
      ipvsReply(this, stack, p, ct);
      const post = this.chain(stack, "mangle", "POSTROUTING", p, { inLink: bridge, outLink: bridge, physIn: port, physOut: out, ct });
      if (post.kind === "DROP") return this.drop(stack, `dropped by ${post.rule}`);
      natSource(this, stack, p, ct, { chain: "POSTROUTING", inLink: bridge, outLink: bridge, physIn: port, physOut: out, nexthop: p.dst });
      confirm(stack, ct);
    }
    this.t += LATENCY.bridge;
    this.step("bridge", `${bridge.name}: ${port.name} → ${out.name}`);
    this.leave(out);
    out.stats.txPackets++;
    out.stats.txBytes += totalLength(p) + 14;
    return this.emit(stack, out, { src: frame.src, dst: dstMac, ip: p });
  }

  // ---- Netfilter verdicts and ICMP errors ----

  private chain(stack: NetStack, table: TableName, chain: string, p: Ipv4Packet, at: { inLink?: Link; outLink?: Link; physIn?: Link; physOut?: Link; ct: Ct }): Verdict {
    return this.evaluate(stack, table, chain, p, at).verdict;
  }

  private evaluate(stack: NetStack, table: TableName, chain: string, p: Ipv4Packet, at: { inLink?: Link; outLink?: Link; physIn?: Link; physOut?: Link; ct: Ct }) {
    const result = evaluate({ stack, table, chain, packet: p, inLink: at.inLink, outLink: at.outLink, physIn: at.physIn, physOut: at.physOut, ct: at.ct, now: this.now }, this.net.traffic);
    const verdict = result.verdict;
    if (verdict.kind === "DROP" || verdict.kind === "REJECT") this.step("netfilter", `${table}/${chain}: ${verdict.kind} (${verdict.rule})`);
    else if (table === "filter" && at.ct?.state === "INVALID") this.step("conntrack", "packet is INVALID for conntrack");
    return result;
  }

  /** raw, then conntrack: the packet's connection unless `-j CT --notrack` said not to track it. */
  private rawAndConntrack(stack: NetStack, chain: "PREROUTING" | "OUTPUT", p: Ipv4Packet, at: { inLink?: Link; outLink?: Link; physIn?: Link }): { ct: Ct } | { dropped: string } {
    const raw = this.evaluate(stack, "raw", chain, p, { ...at, ct: undefined });
    if (raw.verdict.kind === "DROP") return { dropped: raw.verdict.rule };
    return { ct: raw.notrack ? undefined : conntrackIn(stack, p, this.now) };
  }

  /** REJECT: the packet is dropped and its sender told, by an ICMP error or a TCP reset. */
  private reject(stack: NetStack, p: Ipv4Packet, verdict: Extract<Verdict, { kind: "REJECT" }>, ct: Ct): Arrival {
    if (verdict.with === "tcp-reset" && p.l4.kind === "tcp" && !(p.l4.flags & TCP_RST)) {
      const seg = p.l4;
      const ack = seg.seq + seg.payload + (seg.flags & 2 ? 1 : 0) + (seg.flags & 1 ? 1 : 0);
      const rst = ipv4(p.dst, p.src, 64, tcp(seg.dport, seg.sport, TCP_RST | TCP_ACK, { seq: seg.flags & TCP_ACK ? seg.ack : 0, ack, win: 0 }));
      this.step("icmp", `REJECT: TCP reset to ${formatIP(p.src)}`);
      const attached: CtContext | undefined = ct && "entry" in ct ? { entry: ct.entry, dir: ct.dir === "original" ? "reply" : "original", state: "RELATED", related: false } : undefined;
      return this.sendBack(stack, rst, "REJECT --reject-with tcp-reset", attached);
    }
    return this.icmpError(stack, p, ICMP_UNREACH, REJECT_CODES[verdict.with] ?? 3, `REJECT --reject-with ${verdict.with}`);
  }

  /** icmp_send: the error goes back to the packet's source from this namespace; errors about errors are never sent. */
  private icmpError(stack: NetStack, offending: Ipv4Packet, type: number, code: number, why: string): Arrival {
    this.step("drop", why);
    if (isIcmpError(offending)) return { kind: "dropped", stack, reason: why };
    const error = ipv4(0, offending.src, 64, icmp(type, code, { quoted: clonePacket(offending) }), { df: false, id: this.random(65536) });
    this.step("icmp", `sends ICMP ${icmpName(type, code)} to ${formatIP(offending.src)}`);
    return this.sendBack(stack, error, why);
  }

  /** An answer this namespace makes (an ICMP error, a reset); if it cannot even be sent, the original is simply lost. */
  private sendBack(stack: NetStack, answer: Ipv4Packet, why: string, attached?: CtContext): Arrival {
    const arrival = this.send(stack, answer, undefined, attached);
    return arrival.kind === "error" ? { kind: "dropped", stack, reason: why } : arrival;
  }
}

/** Longest match among routes through one device (a socket bound with SO_BINDTODEVICE). */
function lookupViaDevice(stack: NetStack, dst: number, dev: Link): Route | undefined {
  const local = lookupRoute(stack.routing, dst, { mark: 0 });
  if (local?.type === "local") return local;
  let best: Route | undefined;
  for (const r of stack.routing.routes) {
    if (r.dev !== dev.index || r.table === TABLE_LOCAL) continue;
    if (((dst ^ r.dst.base) >>> 0) >>> (32 - r.dst.prefix) !== 0 && r.dst.prefix !== 0) continue;
    if (!best || r.dst.prefix > best.dst.prefix) best = r;
  }
  // A bound socket may send on-link even without a route: the kernel treats the device as the way.
  return best ?? (dev.up ? { table: 254, type: "unicast", dst: { base: dst, prefix: 32 }, dev: dev.index, proto: "kernel", scope: "link", onlink: true } : undefined);
}

/** A route as `ip route get` would put it. */
export function routeText(stack: NetStack, r: Route): string {
  const dst = r.dst.prefix === 0 ? "default" : r.dst.prefix === 32 ? formatIP(r.dst.base) : formatCIDR(r.dst);
  const dev = r.dev === undefined ? "" : ` dev ${stack.links.get(r.dev)?.name ?? r.dev}`;
  const type = r.type === "unicast" ? "" : `${r.type} `;
  return `${type}${dst}${r.via !== undefined ? ` via ${formatIP(r.via)}` : ""}${dev}${r.onlink ? " onlink" : ""}`;
}

/** `TCP 10.244.1.5:43512 → 10.96.0.10:80 [S]` */
export function describe(p: Ipv4Packet): string {
  const { sport, dport } = l4Ports(p);
  switch (p.l4.kind) {
    case "tcp":
      return `TCP ${formatIP(p.src)}:${sport} → ${formatIP(p.dst)}:${dport} [${tcpFlags(p.l4.flags)}]`;
    case "udp":
      return `UDP ${formatIP(p.src)}:${sport} → ${formatIP(p.dst)}:${dport}`;
    case "icmp":
      return `ICMP ${icmpName(p.l4.type, p.l4.code)} ${formatIP(p.src)} → ${formatIP(p.dst)}`;
    case "ipip":
      return `IPIP ${formatIP(p.src)} → ${formatIP(p.dst)}`;
  }
}

/** tcpdump's flag letters: S, F, R, P, then `.` for ACK. */
export function tcpFlags(flags: number): string {
  let s = "";
  if (flags & 2) s += "S";
  if (flags & 1) s += "F";
  if (flags & 4) s += "R";
  if (flags & 8) s += "P";
  if (flags & 16) s += ".";
  return s || "none";
}

export function icmpName(type: number, code: number): string {
  if (type === 8) return "echo request";
  if (type === 0) return "echo reply";
  if (type === 11) return "time exceeded";
  if (type === 3) return ["net unreachable", "host unreachable", "protocol unreachable", "port unreachable", "fragmentation needed"][code] ?? (code === 13 ? "administratively prohibited" : code === 9 || code === 10 ? "prohibited" : `unreachable code ${code}`);
  return `type ${type} code ${code}`;
}
