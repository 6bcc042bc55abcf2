/**
 * What flanneld (v0.26, `--kube-subnet-mgr --ip-masq`) does on its node while its DaemonSet pod
 * runs there: it takes the node's `spec.podCIDR` as its lease, writes `/run/flannel/subnet.env`
 * for the CNI plugin, publishes its backend on the Node (`flannel.alpha.coreos.com/*`
 * annotations), and programs a route to every other node's subnet from their annotations:
 * with VXLAN through `flannel.1` (VNI 1, UDP 8472, MTU 50 below eth0's, its subnet's network
 * address /32 on it) plus a permanent neighbour and FDB entry per remote VTEP; with host-gw
 * straight through eth0 to the node. It converges every time a Node changes, so nodes joining
 * or leaving update everyone. With `--ip-masq` it also keeps its FLANNEL-POSTRTG (nat) and
 * FLANNEL-FWD (filter) chains.
 *
 * @example
 * syncFlanneld(cni, "node01"); // subnet.env written, annotations set, routes to 10.244.0.0/24 and 10.244.2.0/24
 */
import type { ConfigMap, Node, ObjectStore, Stored } from "../../../api";
import type { FileSystem } from "../../../shell";
import { formatCIDR, formatIP, parseCIDR, parseIP, type CIDR } from "../../../util/ipv4";
import type { NetStack } from "../../kernel/stack";
import type { ClusterNetwork } from "../../network";
import type { TableName } from "../../netfilter";
import { ensureVxlan, removeRoutes, replaceRoute, syncVtepPeers, type VtepPeer } from "../dataplane";
import { appendUnique, chainSnapshot, ensureChain, sameSnapshot } from "../iptables";

export const SUBNET_ENV = "/run/flannel/subnet.env";

const FLANNEL_ANNOTATIONS = {
  backendData: "flannel.alpha.coreos.com/backend-data",
  backendType: "flannel.alpha.coreos.com/backend-type",
  subnetManager: "flannel.alpha.coreos.com/kube-subnet-manager",
  publicIP: "flannel.alpha.coreos.com/public-ip",
} as const;

const VXLAN_DEVICE = "flannel.1";

/** The backend of `net-conf.json` (kube-flannel-cfg), as flanneld reads it. */
interface NetConf {
  network: CIDR;
  type: "vxlan" | "host-gw";
  vni: number;
  port: number;
}

function netConf(store: ObjectStore): NetConf | undefined {
  const cm = store.find<ConfigMap>("ConfigMap", "kube-flannel", "kube-flannel-cfg");
  const text = cm?.data?.["net-conf.json"];
  if (!text) return undefined;
  try {
    const raw = JSON.parse(text) as { Network?: string; Backend?: { Type?: string; VNI?: number; Port?: number } };
    const network = parseCIDR(raw.Network ?? "");
    const type = (raw.Backend?.Type ?? "vxlan").toLowerCase();
    if (!network || (type !== "vxlan" && type !== "host-gw")) return undefined;
    return { network, type, vni: raw.Backend?.VNI ?? 1, port: raw.Backend?.Port ?? 8472 };
  } catch {
    return undefined;
  }
}

/** What one flanneld keeps between syncs: which process it is, and the routes it installed, by remote subnet. */
export interface FlannelState {
  /** The flanneld container that did the start-up work (a restarted flanneld does it again). */
  container?: string;
  routes: Map<string, number>;
  /** The rules' chains after the last check (see chainSnapshot): unchanged, nothing to check. */
  checked?: readonly unknown[];
}

export interface FlannelNode {
  name: string;
  ip: string;
  fs: FileSystem;
  host: NetStack;
}

/**
 * One pass of flanneld on `node`: at start (a new `container`) the lease file and the Node's
 * annotations, every pass the backend device and the routes and rules to the other nodes.
 */
export function syncFlanneld(network: ClusterNetwork, store: ObjectStore, node: FlannelNode, state: FlannelState, container: string): void {
  const conf = netConf(store);
  const self = store.find<Node>("Node", undefined, node.name);
  const lease = self?.spec?.podCIDR ? parseCIDR(self.spec.podCIDR) : undefined;
  if (!conf || !self || !lease) return;
  const eth0 = node.host.link("eth0");
  if (!eth0) return;
  const mtu = conf.type === "vxlan" ? eth0.mtu - 50 : eth0.mtu;
  let backendData = "null";
  if (conf.type === "vxlan") {
    const dev = ensureVxlan(node.host, { name: VXLAN_DEVICE, vni: conf.vni, port: conf.port, local: parseIP(node.ip)!, dev: "eth0", mtu, mac: node.host.link(VXLAN_DEVICE)?.mac ?? network.mac() });
    if (!dev.addrs.some((a) => a.ip === lease.base && a.prefix === 32)) {
      for (const a of [...dev.addrs]) node.host.removeAddress(dev, a);
      node.host.addAddress(dev, { ip: lease.base, prefix: 32 });
    }
    backendData = JSON.stringify({ VNI: conf.vni, VtepMAC: dev.mac });
  }
  if (state.container !== container) {
    // WriteSubnetFile runs once, when flanneld starts: a deleted subnet.env stays gone until it restarts.
    state.container = container;
    node.fs.writeFile(SUBNET_ENV, `FLANNEL_NETWORK=${formatCIDR(conf.network)}\nFLANNEL_SUBNET=${formatIP(lease.base + 1)}/${lease.prefix}\nFLANNEL_MTU=${mtu}\nFLANNEL_IPMASQ=true\n`, { parents: true, mode: 0o644 });
  }
  const wanted: Record<string, string> = {
    [FLANNEL_ANNOTATIONS.backendData]: backendData,
    [FLANNEL_ANNOTATIONS.backendType]: conf.type,
    [FLANNEL_ANNOTATIONS.subnetManager]: "true",
    [FLANNEL_ANNOTATIONS.publicIP]: node.ip,
  };
  const have = self.metadata.annotations ?? {};
  if (Object.entries(wanted).some(([k, v]) => have[k] !== v)) store.patch("Node", undefined, node.name, { metadata: { annotations: wanted } });
  programRoutes(node, conf, store, state);
  if (sameSnapshot(state.checked, chainSnapshot(node.host, RULE_CHAINS, formatCIDR(lease)))) return;
  ensureIptables(node.host, formatCIDR(conf.network), formatCIDR(lease));
  state.checked = chainSnapshot(node.host, RULE_CHAINS, formatCIDR(lease));
}

/** The chains flanneld's rules live in. */
const RULE_CHAINS: readonly [TableName, string][] = [["nat", "POSTROUTING"], ["nat", "FLANNEL-POSTRTG"], ["filter", "FORWARD"], ["filter", "FLANNEL-FWD"]];

const MASQ = ["-m", "comment", "--comment", "flanneld masq"];
const FWD = ["-m", "comment", "--comment", "flanneld forward"];

/**
 * `--ip-masq`: pod traffic leaving the flannel network is masqueraded (not traffic within it,
 * nor what kube-proxy marked for its own SNAT), and FORWARD accepts the flannel network both ways.
 */
function ensureIptables(host: NetStack, network: string, lease: string): void {
  ensureChain(host, "nat", "FLANNEL-POSTRTG");
  ensureChain(host, "filter", "FLANNEL-FWD");
  const rules: [TableName, string, string[]][] = [
    ["nat", "POSTROUTING", [...MASQ, "-j", "FLANNEL-POSTRTG"]],
    ["nat", "FLANNEL-POSTRTG", ["-m", "mark", "--mark", "0x4000/0x4000", ...MASQ, "-j", "RETURN"]],
    ["nat", "FLANNEL-POSTRTG", ["-s", lease, "-d", network, ...MASQ, "-j", "RETURN"]],
    ["nat", "FLANNEL-POSTRTG", ["-s", network, "-d", lease, ...MASQ, "-j", "RETURN"]],
    ["nat", "FLANNEL-POSTRTG", ["!", "-s", network, "-d", lease, ...MASQ, "-j", "RETURN"]],
    ["nat", "FLANNEL-POSTRTG", ["-s", network, "!", "-d", "224.0.0.0/4", ...MASQ, "-j", "MASQUERADE", "--random-fully"]],
    ["nat", "FLANNEL-POSTRTG", ["!", "-s", network, "-d", network, ...MASQ, "-j", "MASQUERADE", "--random-fully"]],
    ["filter", "FORWARD", [...FWD, "-j", "FLANNEL-FWD"]],
    ["filter", "FLANNEL-FWD", ["-s", network, ...FWD, "-j", "ACCEPT"]],
    ["filter", "FLANNEL-FWD", ["-d", network, ...FWD, "-j", "ACCEPT"]],
  ];
  for (const [table, chain, rule] of rules) appendUnique(host, table, chain, rule);
}

/** Routes (and for VXLAN, neighbours and FDB) to every other node that published a lease of this backend. */
function programRoutes(node: FlannelNode, conf: NetConf, store: ObjectStore, state: FlannelState): void {
  const host = node.host;
  const via = conf.type === "vxlan" ? host.link(VXLAN_DEVICE) : host.link("eth0");
  if (!via) return;
  const peers: VtepPeer[] = [];
  const wanted = new Map<string, { dst: CIDR; gw: number }>();
  for (const other of store.list<Node>("Node")) {
    if (other.metadata.name === node.name) continue;
    const lease = other.spec?.podCIDR ? parseCIDR(other.spec.podCIDR) : undefined;
    const a = other.metadata.annotations ?? {};
    const publicIP = parseIP(a[FLANNEL_ANNOTATIONS.publicIP] ?? "");
    if (!lease || publicIP === undefined || a[FLANNEL_ANNOTATIONS.backendType] !== conf.type) continue;
    if (conf.type === "vxlan") {
      const mac = vtepMac(other);
      if (!mac) continue;
      peers.push({ ip: lease.base, mac, dst: publicIP });
      wanted.set(formatCIDR(lease), { dst: lease, gw: lease.base });
    } else {
      wanted.set(formatCIDR(lease), { dst: lease, gw: publicIP });
    }
  }
  // Routes of leases that went away (a node deleted, or its backend changed).
  for (const [key, dev] of state.routes) {
    if (wanted.has(key) && dev === via.index) continue;
    const dst = parseCIDR(key)!;
    removeRoutes(host, (r) => r.dev === dev && r.dst.base === dst.base && r.dst.prefix === dst.prefix && r.proto === "boot");
    state.routes.delete(key);
  }
  for (const [key, r] of wanted) {
    const present = host.routing.routes.some((x) => x.dev === via.index && x.dst.base === r.dst.base && x.dst.prefix === r.dst.prefix && x.via === r.gw);
    if (!present) replaceRoute(host, { dst: r.dst, dev: via, via: r.gw, onlink: conf.type === "vxlan" });
    state.routes.set(key, via.index);
  }
  if (conf.type === "vxlan") syncVtepPeers(host, via, peers);
}

function vtepMac(node: Stored<Node>): string | undefined {
  try {
    const data = JSON.parse(node.metadata.annotations?.[FLANNEL_ANNOTATIONS.backendData] ?? "") as { VtepMAC?: string };
    return data?.VtepMAC;
  } catch {
    return undefined;
  }
}
