/**
 * What calico-node (v3.29) does on its node while its DaemonSet pod runs: at start it writes
 * `/var/lib/calico/nodename`, creates the default IP pool from its environment
 * (`CALICO_IPV4POOL_CIDR`, `_IPIP`, `_VXLAN`) if there is none, registers the node's address
 * (`projectcalico.org/IPv4Address`) and gives itself tunnel addresses from IPAM; Felix then
 * makes `tunl0`, `vxlan.calico` or `wireguard.cali` and writes the pod MTU to
 * `/var/lib/calico/mtu`; BIRD (the `bird` backend) announces the node's blocks to every other
 * node over a full BGP mesh and installs what it learns (`proto bird`), with a blackhole for
 * its own blocks. In VXLAN mode there is no BIRD: Felix programs the routes (`proto 80`) with a
 * static neighbour and FDB entry per remote VTEP. Felix also keeps its NAT chains (outgoing NAT
 * for `natOutgoing` pools, see felix-nat.ts).
 *
 * When calico-node stops, its BGP sessions drop at once; the other nodes keep its routes for
 * BIRD's graceful-restart time (120 s) and then withdraw them.
 *
 * @example
 * syncCalicoNode(ctx, "node01"); // tunl0 192.168.154.192/32, routes to the other nodes' /26 blocks via tunl0
 */
import type { Node } from "../../../api";
import type { FileSystem } from "../../../shell";
import { formatIP, inCIDR, networkOf, parseCIDR, parseIP, type CIDR } from "../../../util/ipv4";
import type { Link } from "../../kernel/link";
import { TABLE_MAIN, type Route, type RouteProto } from "../../kernel/route";
import type { NetStack } from "../../kernel/stack";
import type { ClusterNetwork } from "../../network";
import { ensureVxlan, removeRoutes, replaceBlackhole, replaceRoute, syncVtepPeers, type RouteSpec, type VtepPeer } from "../dataplane";
import { NODE_ANNOTATIONS, type CalicoDatastore } from "./datastore";
import { syncFelixNat } from "./felix-nat";
import type { IpipMode, IPPool } from "./ipam";

/** BIRD's `graceful restart time` in Calico's template: how long peers keep a dead speaker's routes. */
export const GRACEFUL_RESTART_MS = 120_000;
/** Felix's route protocol for what it programs itself (VXLAN, WireGuard). */
const FELIX_PROTO = 80;
const WIREGUARD_TABLE = 1;
const WIREGUARD_MARK = 0x100000;
const WIREGUARD_PORT = 51820;

export interface CalicoNodeHost {
  name: string;
  ip: string;
  fs: FileSystem;
  host: NetStack;
  /** The calico-node container's environment. */
  env: Readonly<Record<string, string>>;
  wireguard: boolean;
  now: number;
  /** calico-node has just started: its startup writes /var/lib/calico/nodename (once; a deleted file stays deleted). */
  starting: boolean;
  /** Seeded bytes for the node's WireGuard key (base64 of 32 bytes). */
  wireguardKey(): string;
}

const mode = (value: string | undefined): IpipMode => (value === "Always" || value === "CrossSubnet" ? value : "Never");

/** calico-node's startup: the default pool (once per cluster) from its environment. */
function ensurePool(calico: CalicoDatastore, node: CalicoNodeHost): IPPool | undefined {
  if (calico.pools.length === 0) {
    const cidr = parseCIDR(node.env.CALICO_IPV4POOL_CIDR ?? "192.168.0.0/16");
    if (!cidr) return undefined;
    calico.pools.push({
      name: "default-ipv4-ippool", cidr, blockSize: Number(node.env.CALICO_IPV4POOL_BLOCK_SIZE ?? 26),
      ipipMode: mode(node.env.CALICO_IPV4POOL_IPIP), vxlanMode: mode(node.env.CALICO_IPV4POOL_VXLAN),
      natOutgoing: (node.env.CALICO_IPV4POOL_NAT_OUTGOING ?? "true") !== "false", disabled: false, disableBGPExport: false,
      nodeSelector: node.env.CALICO_IPV4POOL_NODE_SELECTOR ?? "all()", created: node.now,
    });
  }
  calico.bgp = (node.env.CALICO_NETWORKING_BACKEND ?? "bird") === "bird";
  return calico.defaultPool();
}

/** A tunnel address for `node` from IPAM (calico-node -allocate-tunnel-addrs), kept across restarts. */
function tunnelAddress(calico: CalicoDatastore, pool: IPPool, node: string, kind: "ipip" | "vxlan" | "wireguard"): number | undefined {
  const handle = `${kind}-tunnel-addr-${node}`;
  const held = calico.ipam.addressesOf(handle);
  if (held.length > 0) return held[0];
  const type = kind === "ipip" ? "ipipTunnelAddress" : kind === "vxlan" ? "vxlanTunnelAddress" : "wireguardTunnelAddress";
  return calico.ipam.autoAssign(pool, { handle, host: node, attrs: { node, type } });
}

/** The MTU Felix gives pods: the host's minus the encapsulation's overhead. */
function podMtu(hostMtu: number, pool: IPPool, wireguard: boolean): number {
  let mtu = hostMtu;
  if (pool.ipipMode !== "Never") mtu = Math.min(mtu, hostMtu - 20);
  if (pool.vxlanMode !== "Never") mtu = Math.min(mtu, hostMtu - 50);
  if (wireguard) mtu = Math.min(mtu, hostMtu - 60);
  return mtu;
}

function setSingleAddress(stack: NetStack, link: Link, ip: number): void {
  if (link.addrs.length === 1 && link.addrs[0].ip === ip && link.addrs[0].prefix === 32) return;
  for (const a of [...link.addrs]) stack.removeAddress(link, a);
  stack.addAddress(link, { ip, prefix: 32 });
}

/** Whether `peer` still has routes announced to others: running, or within graceful restart. */
function announcing(calico: CalicoDatastore, peer: string, now: number): boolean {
  const bird = calico.bird.get(peer);
  return bird !== undefined && (bird.running || now < bird.since + GRACEFUL_RESTART_MS);
}

/** One pass of calico-node on a node where it runs. */
export function syncCalicoNode(network: ClusterNetwork, calico: CalicoDatastore, node: CalicoNodeHost): void {
  const { host } = node;
  const eth0 = host.link("eth0");
  const self = calico.store.find<Node>("Node", undefined, node.name);
  const pool = ensurePool(calico, node);
  if (!eth0 || !self || !pool) return;
  if (node.starting) node.fs.writeFile("/var/lib/calico/nodename", node.name, { parents: true, mode: 0o644 });
  const prefix = host.primaryAddress(eth0)?.prefix ?? 24;
  const annotations: Record<string, string> = { [NODE_ANNOTATIONS.ipv4]: `${node.ip}/${prefix}` };
  const ipipAddr = pool.ipipMode !== "Never" ? tunnelAddress(calico, pool, node.name, "ipip") : undefined;
  const vxlanAddr = pool.vxlanMode !== "Never" ? tunnelAddress(calico, pool, node.name, "vxlan") : undefined;
  const wgAddr = node.wireguard ? tunnelAddress(calico, pool, node.name, "wireguard") : undefined;
  // Felix writes the pod MTU when its dataplane starts (int_dataplane.go: writeMTUFile) and again
  // only when the MTU it detects changes; the CNI plugin reads it for each new pod.
  const mtu = podMtu(eth0.mtu, pool, node.wireguard);
  if (node.starting || calico.podMtu.get(node.name) !== mtu) {
    node.fs.writeFile("/var/lib/calico/mtu", String(mtu), { parents: true, mode: 0o644 });
    calico.podMtu.set(node.name, mtu);
  }

  // Felix: the tunnel devices.
  if (ipipAddr !== undefined) {
    let tunl0 = host.link("tunl0");
    tunl0 ??= host.addLink({ name: "tunl0", kind: "ipip", mac: "", mtu: eth0.mtu - 20, noarp: true, ipip: {} });
    tunl0.mtu = eth0.mtu - 20;
    host.setUp(tunl0, true);
    setSingleAddress(host, tunl0, ipipAddr);
    annotations[NODE_ANNOTATIONS.ipipTunnel] = formatIP(ipipAddr);
  }
  if (vxlanAddr !== undefined) {
    const mac = host.link("vxlan.calico")?.mac ?? self.metadata.annotations?.[NODE_ANNOTATIONS.vxlanMac] ?? network.mac();
    const dev = ensureVxlan(host, { name: "vxlan.calico", vni: 4096, port: 4789, local: parseIP(node.ip)!, dev: "eth0", mtu: eth0.mtu - 50, mac });
    setSingleAddress(host, dev, vxlanAddr);
    annotations[NODE_ANNOTATIONS.vxlanTunnel] = formatIP(vxlanAddr);
    annotations[NODE_ANNOTATIONS.vxlanMac] = dev.mac;
  }
  if (wgAddr !== undefined) {
    let wg = host.link("wireguard.cali");
    const publicKey = self.metadata.annotations?.[NODE_ANNOTATIONS.wireguardKey] ?? node.wireguardKey();
    wg ??= host.addLink({ name: "wireguard.cali", kind: "wireguard", mac: "", mtu: eth0.mtu - 60, noarp: true, wireguard: { listenPort: WIREGUARD_PORT, publicKey, privateKey: node.wireguardKey(), fwmark: WIREGUARD_MARK, peers: [] } });
    host.setUp(wg, true);
    setSingleAddress(host, wg, wgAddr);
    if (!host.routing.rules.some((r) => r.priority === 99)) {
      host.routing.rules.push({ priority: 99, invert: true, fwmark: { value: WIREGUARD_MARK, mask: WIREGUARD_MARK }, table: WIREGUARD_TABLE });
      host.routing.rules.sort((a, b) => a.priority - b.priority);
    }
    annotations[NODE_ANNOTATIONS.wireguardKey] = publicKey;
    annotations[NODE_ANNOTATIONS.wireguardAddr] = formatIP(wgAddr);
  }
  const have = self.metadata.annotations ?? {};
  if (Object.entries(annotations).some(([k, v]) => have[k] !== v)) calico.store.patch("Node", undefined, node.name, { metadata: { annotations } });

  programRoutes(calico, node, pool);
  calico.natChecked.set(node.name, syncFelixNat(host, calico.pools, ipipAddr !== undefined, calico.natChecked.get(node.name)));
}

/** The blocks (and borrowed /32s) a node's speaker announces. */
function announced(calico: CalicoDatastore, node: string): CIDR[] {
  const out: CIDR[] = [];
  for (const block of calico.ipam.blocks.values()) {
    if (block.affinity === `host:${node}`) {
      out.push(block.cidr);
      continue;
    }
    // Addresses this node borrowed from another node's block go out as /32s.
    block.allocations.forEach((a, ordinal) => {
      if (a !== undefined && block.attributes[a].attrs.node === node) out.push({ base: block.cidr.base + ordinal, prefix: 32 });
    });
  }
  return out;
}

/** A route Felix or BIRD wants: a unicast route (RouteSpec) or a blackhole for an own block. */
type WantedRoute = { blackhole: CIDR } | RouteSpec;

/** Whether route `r` is exactly what `w` asks for (with the defaults replaceRoute and replaceBlackhole fill in). */
function isWanted(r: Route, w: WantedRoute, proto: RouteProto): boolean {
  if ("blackhole" in w) return r.type === "blackhole" && r.table === TABLE_MAIN && r.dst.base === w.blackhole.base && r.dst.prefix === w.blackhole.prefix && r.proto === proto;
  const dst = w.dst as CIDR;
  return r.type === "unicast" && r.table === (w.table ?? TABLE_MAIN) && r.dst.base === dst.base && r.dst.prefix === dst.prefix && r.dev === w.dev.index && r.via === w.via
    && r.src === w.src && r.proto === w.proto && r.scope === (w.scope ?? (w.via === undefined ? "link" : "global")) && r.onlink === (w.onlink ?? false) && r.metric === w.metric;
}

/** Whether a route the daemon does not own sits on a destination it wants (replacing would remove it). */
function inTheWay(r: Route, wanted: readonly WantedRoute[]): boolean {
  if (r.type === "local" || r.type === "broadcast") return false;
  return wanted.some((w) => {
    const dst = "blackhole" in w ? w.blackhole : (w.dst as CIDR);
    return r.table === ("blackhole" in w ? TABLE_MAIN : (w.table ?? TABLE_MAIN)) && r.dst.base === dst.base && r.dst.prefix === dst.prefix;
  });
}

/**
 * Whether the kernel already holds exactly what the daemon wants, in the order it programs
 * them: its own routes (main table with its proto, the WireGuard table) are the wanted ones and
 * nothing else sits on their destinations. Felix's route table sync and BIRD's kernel protocol
 * then write nothing.
 */
function routesInPlace(host: NetStack, wanted: readonly WantedRoute[], proto: RouteProto): boolean {
  let next = 0;
  for (const r of host.routing.routes) {
    if ((r.table === TABLE_MAIN && r.proto === proto) || r.table === WIREGUARD_TABLE) {
      if (next >= wanted.length || !isWanted(r, wanted[next++], proto)) return false;
    } else if ((r.table === TABLE_MAIN || r.table === WIREGUARD_TABLE) && inTheWay(r, wanted)) return false;
  }
  return next === wanted.length;
}

function programRoutes(calico: CalicoDatastore, node: CalicoNodeHost, pool: IPPool): void {
  const { host } = node;
  const eth0 = host.link("eth0")!;
  const subnet = host.primaryAddress(eth0);
  const sameSubnet = (ip: number) => subnet !== undefined && networkOf(ip, subnet.prefix) === networkOf(subnet.ip, subnet.prefix);
  const proto = calico.bgp ? ("bird" as const) : FELIX_PROTO;
  const wanted: WantedRoute[] = calico.ipam.affineBlocks(node.name).map((block) => ({ blackhole: block.cidr }));
  const vxlan = host.link("vxlan.calico");
  const tunl0 = host.link("tunl0");
  const vteps: VtepPeer[] = [];
  const wgPeers: NonNullable<Link["wireguard"]>["peers"] = [];
  const wg = host.link("wireguard.cali");
  for (const peer of calico.calicoNodes()) {
    if (peer.metadata.name === node.name) continue;
    const a = peer.metadata.annotations ?? {};
    const peerIP = parseIP((a[NODE_ANNOTATIONS.ipv4] ?? "").split("/")[0]);
    if (peerIP === undefined) continue;
    const dsts = announced(calico, peer.metadata.name).filter((d) => inCIDR(d.base, pool.cidr));
    // BIRD only has what a live (or gracefully restarting) speaker announced; Felix reads the datastore.
    if (calico.bgp && !announcing(calico, peer.metadata.name, node.now)) continue;
    const vtepIP = parseIP(a[NODE_ANNOTATIONS.vxlanTunnel] ?? "");
    const vtepMac = a[NODE_ANNOTATIONS.vxlanMac];
    const viaVxlan = vxlan && vtepIP !== undefined && vtepMac && (pool.vxlanMode === "Always" || (pool.vxlanMode === "CrossSubnet" && !sameSubnet(peerIP)));
    if (vxlan && vtepIP !== undefined && vtepMac) vteps.push({ ip: vtepIP, mac: vtepMac, dst: peerIP });
    const viaIpip = tunl0 && (pool.ipipMode === "Always" || (pool.ipipMode === "CrossSubnet" && !sameSubnet(peerIP)));
    for (const dst of dsts) {
      if (viaVxlan) wanted.push({ dst, dev: vxlan, via: vtepIP, onlink: true, proto });
      else if (viaIpip) wanted.push({ dst, dev: tunl0, via: peerIP, onlink: true, proto });
      else wanted.push({ dst, dev: eth0, via: peerIP, proto });
      if (wg) wanted.push({ dst, dev: wg, table: WIREGUARD_TABLE, scope: "link", proto: FELIX_PROTO });
    }
    const key = a[NODE_ANNOTATIONS.wireguardKey];
    if (wg && key) {
      const wgAddr = parseIP(a[NODE_ANNOTATIONS.wireguardAddr] ?? "");
      const allowed = [...dsts, ...(wgAddr === undefined ? [] : [{ base: wgAddr, prefix: 32 }])];
      const before = wg.wireguard?.peers.find((p) => p.publicKey === key);
      wgPeers.push({ publicKey: key, endpoint: { ip: peerIP, port: WIREGUARD_PORT }, allowedIps: allowed, latestHandshake: before?.latestHandshake, rxBytes: before?.rxBytes ?? 0, txBytes: before?.txBytes ?? 0 });
    }
  }
  if (!routesInPlace(host, wanted, proto)) {
    removeRoutes(host, (r) => (r.table === TABLE_MAIN && r.proto === proto) || r.table === WIREGUARD_TABLE);
    for (const w of wanted) {
      if ("blackhole" in w) replaceBlackhole(host, w.blackhole, proto);
      else replaceRoute(host, w);
    }
  }
  if (vxlan) syncVtepPeers(host, vxlan, vteps);
  if (wg?.wireguard) wg.wireguard.peers = wgPeers;
}
