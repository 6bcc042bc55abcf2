/**
 * One network namespace's kernel state: interfaces, addresses, routing, neighbours, sysctls,
 * netfilter, IPVS and conntrack. A node's host namespace, each pod sandbox's namespace, a
 * namespace made by `ip netns add`, and the hosts outside the cluster (`client`, the gateway)
 * are each one `NetStack`. Tools read and change it; the packet walker moves packets through it.
 * Changing an interface keeps the kernel's side effects: an address adds its prefix and local
 * routes, a link going down takes its routes with it.
 *
 * @example
 * const stack = new NetStack({ id: "node01", host: "node01", inode: 4026531840 });
 * const eth0 = stack.addLink({ name: "eth0", kind: "device", mac: "02:42:ac:1e:01:03", mtu: 1500 });
 * stack.addAddress(eth0, { ip: parseIP("172.30.1.3")!, prefix: 24 });
 * stack.setUp(eth0, true);
 */
import { broadcastOf, networkOf } from "../../util/ipv4";
import { emptyConntrack, type ConntrackTable } from "../conntrack/types";
import { emptyIpvs, type IpvsState } from "../ipvs/types";
import type { IpSet } from "../netfilter/ipset";
import { emptyNetfilter, type Netfilter } from "../netfilter/types";
import { emptyStats, type Address, type Link, type LinkKind } from "./link";
import type { Neighbour } from "./neighbour";
import { defaultRouting, TABLE_LOCAL, TABLE_MAIN, type Route, type RoutingState } from "./route";

export interface NetStackInit {
  /** Unique in the cluster: `node01` for a host namespace, `node01/cni-…` for a pod's, `node01/netns:blue`. */
  id: string;
  /** The machine the namespace lives on (a node name, `client`, `gateway`). */
  host: string;
  /** The nsfs inode (`lsns`, `/proc/PID/ns/net`). */
  inode: number;
  /** `ip netns` name when it has one (`cni-…`, `blue`); empty for a host namespace. */
  name?: string;
}

/** Sysctls a fresh namespace has, as Linux 5.15 sets them (the walker reads these). */
const DEFAULT_SYSCTLS: readonly [string, string][] = [
  ["net.ipv4.ip_forward", "0"],
  ["net.ipv4.conf.all.rp_filter", "0"],
  ["net.ipv4.conf.default.rp_filter", "0"],
  ["net.ipv4.ip_local_port_range", "32768\t60999"],
  ["net.ipv4.conf.all.route_localnet", "0"],
  ["net.ipv4.vs.conntrack", "0"],
];

const LOOPBACK_IP = 0x7f000001;

export class NetStack {
  readonly id: string;
  readonly host: string;
  readonly inode: number;
  readonly name: string;
  /** By ifindex. Indexes are never reused while the namespace lives, as in Linux. */
  readonly links = new Map<number, Link>();
  private nextIndex = 1;
  readonly routing: RoutingState = defaultRouting();
  readonly neighbours: Neighbour[] = [];
  readonly sysctls = new Map<string, string>(DEFAULT_SYSCTLS);
  readonly netfilter: Netfilter = emptyNetfilter();
  readonly ipvs: IpvsState = emptyIpvs();
  readonly conntrack: ConntrackTable = emptyConntrack();
  /** xt_recent lists (`-m recent --name KUBE-SEP-…`): list name → source address → hit times (virtual ms). */
  readonly recent = new Map<string, Map<number, number[]>>();
  /** ipsets (`-m set --match-set NAME src`) by name (Calico's policy sets, kube-proxy IPVS): netfilter/ipset.ts. */
  readonly ipsets = new Map<string, IpSet>();
  /**
   * The ids this namespace knows other namespaces by (`link-netnsid 0`, `ip netns list`'s
   * `(id: 0)`, lsns's NETNSID), by stack id. Assigned when a message about a link first needs
   * one (a veth whose peer lives there, a link moved there) and dropped when that namespace dies.
   */
  readonly nsids = new Map<string, number>();

  constructor(init: NetStackInit) {
    this.id = init.id;
    this.host = init.host;
    this.inode = init.inode;
    this.name = init.name ?? "";
    // A new namespace's lo is down and has no address yet: 127.0.0.1 comes when it first goes up.
    this.addLink({ name: "lo", kind: "loopback", mac: "00:00:00:00:00:00", mtu: 65536 });
  }

  /** Creates an interface (down, no addresses) with the next free index, or the index asked for. */
  addLink(init: { name: string; kind: LinkKind; mac: string; mtu: number; index?: number } & Partial<Link>): Link {
    const index = init.index ?? this.nextIndex;
    if (this.links.has(index)) throw new Error(`ifindex ${index} in use in ${this.id}`);
    this.nextIndex = Math.max(this.nextIndex, index + 1);
    const link: Link = { up: false, noarp: false, promisc: false, addrs: [], stats: emptyStats(), proxyArp: false, ...init, index };
    this.links.set(index, link);
    return link;
  }

  /**
   * Takes an interface out (deleted, or moved to another namespace); its routes and neighbours
   * go, a bridge's ports are released and a port leaves its bridge.
   */
  removeLink(link: Link): void {
    if (link.master !== undefined) this.setMaster(link, undefined);
    for (const port of this.links.values()) if (port.master === link.index) port.master = undefined;
    this.links.delete(link.index);
    this.dropRoutesVia(link.index, () => true);
    for (let i = this.neighbours.length - 1; i >= 0; i--) if (this.neighbours[i].dev === link.index) this.neighbours.splice(i, 1);
  }

  /** Puts a link that came from another namespace here, under a free index (Linux keeps it if free). */
  adoptLink(link: Link): Link {
    const index = this.links.has(link.index) ? this.nextIndex : link.index;
    link.index = index;
    this.nextIndex = Math.max(this.nextIndex, index + 1);
    link.up = false;
    link.addrs = [];
    this.links.set(index, link);
    return link;
  }

  link(name: string): Link | undefined {
    for (const l of this.links.values()) if (l.name === name) return l;
    return undefined;
  }

  /** Adds an address and, when the link is up, the routes the kernel derives from it. */
  addAddress(link: Link, init: { ip: number; prefix: number; scope?: Address["scope"]; broadcast?: number; label?: string }): Address {
    const address: Address = {
      ip: init.ip,
      prefix: init.prefix,
      scope: init.scope ?? "global",
      broadcast: "broadcast" in init ? init.broadcast : init.prefix < 31 && link.kind !== "loopback" ? broadcastOf(init.ip, init.prefix) : undefined,
      label: init.label,
    };
    link.addrs.push(address);
    this.addAddressRoutes(link, address);
    return address;
  }

  /**
   * Whether an address is a secondary one: an earlier address of the link already covers its
   * subnet (`ip addr` prints `secondary`; only the primary gets the prefix route).
   */
  isSecondary(link: Link, address: Address): boolean {
    for (const a of link.addrs) {
      if (a === address) return false;
      if (a.prefix === address.prefix && networkOf(a.ip, a.prefix) === networkOf(address.ip, address.prefix)) return true;
    }
    return false;
  }

  /**
   * Removes an address with its local and broadcast routes, and every route that used it as
   * preferred source. A primary's first secondary is promoted (Ubuntu sets promote_secondaries),
   * so the subnet's prefix route comes back with the new source.
   */
  removeAddress(link: Link, address: Address): void {
    const promoted = this.isSecondary(link, address) ? undefined : link.addrs.find((a) => a !== address && this.isSecondary(link, a) && a.prefix === address.prefix && networkOf(a.ip, a.prefix) === networkOf(address.ip, address.prefix));
    link.addrs = link.addrs.filter((a) => a !== address);
    const elsewhere = [...this.links.values()].some((l) => l.addrs.some((a) => a.ip === address.ip));
    this.routing.routes = this.routing.routes.filter((r) => {
      if (r.dev === link.index && r.proto === "kernel" && r.type === "local" && r.dst.base === address.ip && r.dst.prefix === 32) return false;
      if (r.dev === link.index && r.proto === "kernel" && r.src === address.ip) return false;
      return elsewhere || r.src !== address.ip;
    });
    if (promoted && link.up) this.addAddressRoutes(link, promoted, true);
  }

  /**
   * `ip link set PORT master BR` (a bridge) or `nomaster` (undefined). The bridge's MTU follows
   * its smallest port and its MAC its lowest port MAC, unless they were set by hand.
   */
  setMaster(port: Link, bridge: Link | undefined): void {
    const old = port.master === undefined ? undefined : this.links.get(port.master);
    if (old === bridge) return;
    port.master = bridge?.index;
    // A port takes the lowest port number its bridge has free.
    const taken = new Set([...this.links.values()].filter((l) => l !== port && l.master !== undefined && l.master === bridge?.index).map((l) => l.portNo));
    port.portNo = bridge ? [...Array(taken.size + 1).keys()].map((i) => i + 1).find((n) => !taken.has(n)) : undefined;
    if (old?.fdb) old.fdb = old.fdb.filter((e) => e.port !== port.index);
    if (bridge) this.followPorts(bridge);
    if (old) this.followPorts(old);
  }

  /** `ip link set X mtu N`: a bridge port's bridge follows, a bridge set by hand stops following. */
  setMtu(link: Link, mtu: number): void {
    link.mtu = mtu;
    if (link.kind === "bridge") link.mtuSet = true;
    const bridge = link.master === undefined ? undefined : this.links.get(link.master);
    if (bridge) this.followPorts(bridge);
  }

  /** `ip link set X address MAC`: set by hand, so a bridge keeps it; a port's bridge re-derives its own. */
  setMac(link: Link, mac: string): void {
    link.mac = mac;
    link.macSet = true;
    const bridge = link.master === undefined ? undefined : this.links.get(link.master);
    if (bridge) this.followPorts(bridge);
  }

  /** The id this namespace gives `peer` (a stack id), allocating the lowest free one as the kernel does. */
  nsidFor(peer: string): number {
    const known = this.nsids.get(peer);
    if (known !== undefined) return known;
    const used = new Set(this.nsids.values());
    let id = 0;
    while (used.has(id)) id++;
    this.nsids.set(peer, id);
    return id;
  }

  /**
   * `ip link set X up|down`. Down removes every IPv4 route through the link (the kernel does:
   * static ones are lost for good); up brings back the routes derived from its addresses.
   */
  setUp(link: Link, up: boolean): void {
    if (link.up === up) return;
    link.up = up;
    if (up) for (const a of link.addrs) this.addAddressRoutes(link, a);
    else this.dropRoutesVia(link.index, (r) => !(r.table === TABLE_LOCAL && r.type === "local"));
    // inetdev's NETDEV_UP: loopback gets 127.0.0.1/8 the first time it comes up (and keeps it).
    if (up && link.kind === "loopback" && !link.addrs.some((a) => a.ip === LOOPBACK_IP)) this.addAddress(link, { ip: LOOPBACK_IP, prefix: 8, scope: "host" });
  }

  /** Whether traffic can pass the link: admin up and, for a veth, the peer up too (checked by the network). */
  isUp(link: Link): boolean {
    return link.up;
  }

  addRoute(route: Route): void {
    this.routing.routes.push(route);
  }

  /** The address the kernel would pick as source for a route out of `link` (its first global one). */
  primaryAddress(link: Link): Address | undefined {
    return link.addrs.find((a) => a.scope !== "host") ?? link.addrs[0];
  }

  /** Whether `ip` is one of this namespace's own addresses (the `local` table has it). */
  isLocal(ip: number): boolean {
    for (const r of this.routing.routes) {
      if (r.table === TABLE_LOCAL && r.type === "local" && ((r.dst.prefix === 32 && r.dst.base === ip) || (r.dst.prefix < 32 && networkOf(ip, r.dst.prefix) === r.dst.base))) return true;
    }
    return false;
  }

  sysctl(key: string): string | undefined {
    return this.sysctls.get(key);
  }

  private followPorts(bridge: Link): void {
    const ports = [...this.links.values()].filter((l) => l.master === bridge.index);
    if (ports.length === 0) return;
    if (!bridge.mtuSet) bridge.mtu = Math.min(...ports.map((p) => p.mtu));
    if (!bridge.macSet) bridge.mac = ports.map((p) => p.mac).sort()[0];
  }

  private addAddressRoutes(link: Link, a: Address, prefixOnly = false): void {
    const local = (dst: number, prefix: number, type: Route["type"]): Route => ({
      table: TABLE_LOCAL, type, dst: { base: dst, prefix }, dev: link.index, src: a.ip, proto: "kernel", scope: type === "local" ? "host" : "link", onlink: false,
    });
    // lo: `local 127.0.0.0/8`, `local 127.0.0.1` and `broadcast 127.255.255.255`, though its address shows no brd.
    if (!prefixOnly) {
      // fib_add_ifaddr: the local route comes with the address even on a link that is down (kube-ipvs0
      // never comes up, yet its VIPs are the host's); a link going down keeps it, so it is added once.
      const once = (route: Route) => {
        if (!this.routing.routes.some((r) => r.table === TABLE_LOCAL && r.type === "local" && r.dev === link.index && r.dst.base === route.dst.base && r.dst.prefix === route.dst.prefix)) this.addRoute(route);
      };
      if (link.up && link.kind === "loopback") once(local(networkOf(a.ip, a.prefix), a.prefix, "local"));
      once(local(a.ip, 32, "local"));
      if (!link.up) return;
      const broadcast = link.kind === "loopback" && a.prefix < 31 ? broadcastOf(a.ip, a.prefix) : a.broadcast;
      if (broadcast !== undefined) this.addRoute(local(broadcast, 32, "broadcast"));
    }
    if (link.kind !== "loopback" && a.prefix < 32 && !this.isSecondary(link, a)) {
      this.addRoute({ table: TABLE_MAIN, type: "unicast", dst: { base: networkOf(a.ip, a.prefix), prefix: a.prefix }, dev: link.index, src: a.ip, proto: "kernel", scope: "link", onlink: false });
    }
  }

  private dropRoutesVia(index: number, which: (r: Route) => boolean): void {
    this.routing.routes = this.routing.routes.filter((r) => r.dev !== index || !which(r));
  }
}
