/**
 * The netlink calls the CNI plugins and the node agents (flanneld, Felix, BIRD) make, over the
 * kernel model: a veth pair made inside the container's namespace with its host end moved out
 * (so `eth0` gets the higher index, `eth0@ifN` names the host end's index), routes added
 * with netlink's defaults (`proto boot`, which `ip route` leaves out) unless a daemon says
 * otherwise (`proto bird`, Felix's `proto 80`), and removal of what a daemon owns.
 *
 * @example
 * const { host, container } = setupVeth(env.network, env.netns!, env.host, "eth0", "veth1a2b3c4d", 1450);
 * addRoute(env.netns!, { dst: "0.0.0.0/0", dev: container, via: parseIP("10.244.1.1")! });
 */
import { parseCIDR, type CIDR } from "../../util/ipv4";
import type { Link } from "../kernel/link";
import { TABLE_MAIN, type Route, type RouteProto } from "../kernel/route";
import type { NetStack } from "../kernel/stack";
import type { ClusterNetwork } from "../network";

/**
 * `ip.SetupVethWithName`: the pair is created in the container (the peer registers first),
 * the host end moves to the host namespace, and both come up.
 */
export function setupVeth(network: ClusterNetwork, netns: NetStack, host: NetStack, ifName: string, hostName: string, mtu: number, hostMac?: string): { host: Link; container: Link } {
  const [outside, inside] = network.createVethPair(netns, hostName, netns, ifName, { mtu, macA: hostMac });
  const moved = network.moveLink(netns, outside, host);
  host.setUp(moved, true);
  netns.setUp(inside, true);
  return { host: moved, container: inside };
}

export interface RouteSpec {
  dst: string | CIDR;
  dev: Link;
  via?: number;
  src?: number;
  proto?: RouteProto;
  scope?: Route["scope"];
  onlink?: boolean;
  table?: number;
  metric?: number;
}

const cidrOf = (dst: string | CIDR): CIDR => (typeof dst === "string" ? parseCIDR(dst.includes("/") ? dst : `${dst}/32`)! : dst);

/** `netlink.RouteReplace`: one route per (table, destination, metric), the new one wins. */
export function replaceRoute(stack: NetStack, spec: RouteSpec): Route {
  const dst = cidrOf(spec.dst);
  const table = spec.table ?? TABLE_MAIN;
  const route: Route = {
    table, type: "unicast", dst, dev: spec.dev.index, via: spec.via, src: spec.src, proto: spec.proto ?? "boot",
    scope: spec.scope ?? (spec.via === undefined ? "link" : "global"), onlink: spec.onlink ?? false, metric: spec.metric,
  };
  stack.routing.routes = stack.routing.routes.filter((r) => !(r.table === table && r.type !== "local" && r.type !== "broadcast" && r.dst.base === dst.base && r.dst.prefix === dst.prefix && (r.metric ?? 0) === (spec.metric ?? 0)));
  stack.addRoute(route);
  return route;
}

/** A route the kernel refuses to forward through (`blackhole 192.168.154.192/26 proto bird`). */
export function replaceBlackhole(stack: NetStack, dst: CIDR, proto: RouteProto): void {
  stack.routing.routes = stack.routing.routes.filter((r) => !(r.table === TABLE_MAIN && r.dst.base === dst.base && r.dst.prefix === dst.prefix && r.type !== "local"));
  stack.addRoute({ table: TABLE_MAIN, type: "blackhole", dst, proto, scope: "global", onlink: false });
}

/** Removes the routes of `table` that `which` picks. */
export function removeRoutes(stack: NetStack, which: (r: Route) => boolean): void {
  stack.routing.routes = stack.routing.routes.filter((r) => !which(r));
}

/** A VXLAN device as flanneld and Felix make it (`nolearning`: remotes come from static FDB entries). */
export interface VxlanSpec {
  name: string;
  vni: number;
  port: number;
  local: number;
  /** The underlay NIC (`dev eth0`). */
  dev: string;
  mtu: number;
  mac: string;
}

/** Creates the VXLAN device, or takes the one there (keeping its MAC, as both daemons do), and brings it up. */
export function ensureVxlan(stack: NetStack, spec: VxlanSpec): Link {
  let link = stack.link(spec.name);
  if (link && (link.kind !== "vxlan" || link.vxlan?.vni !== spec.vni)) {
    stack.removeLink(link);
    link = undefined;
  }
  link ??= stack.addLink({ name: spec.name, kind: "vxlan", mac: spec.mac, mtu: spec.mtu, vxlan: { vni: spec.vni, local: spec.local, port: spec.port, dev: spec.dev, learning: false, fdb: [] } });
  stack.setUp(link, true);
  return link;
}

/** A remote VTEP behind a VXLAN device: the permanent neighbour for its address and the FDB entry to its host. */
export interface VtepPeer {
  /** The remote tunnel address (`10.244.2.0`, a Calico node's vxlan.calico address). */
  ip: number;
  mac: string;
  /** The remote host's underlay address. */
  dst: number;
}

/** Makes the device's neighbours and FDB exactly `peers` (what the daemon's route manager converges to). */
export function syncVtepPeers(stack: NetStack, link: Link, peers: readonly VtepPeer[]): void {
  for (let i = stack.neighbours.length - 1; i >= 0; i--) if (stack.neighbours[i].dev === link.index) stack.neighbours.splice(i, 1);
  for (const p of peers) stack.neighbours.push({ ip: p.ip, dev: link.index, mac: p.mac, state: "PERMANENT" });
  link.vxlan!.fdb = peers.map((p) => ({ mac: p.mac, dst: p.dst, permanent: true }));
}
