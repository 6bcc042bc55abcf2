/**
 * A network interface as the kernel keeps it (`ip -d link`, `ip addr`): index, name, type,
 * MAC, MTU, flags, addresses, and the type's own data (a veth's peer, a bridge's ports and
 * FDB, a VXLAN device's VNI and remote table). Plain data: a fork copies it.
 *
 * @example
 * const eth0 = stack.addLink({ name: "eth0", kind: "device", mac: "02:42:ac:1e:01:02", mtu: 1500 });
 * stack.addAddress(eth0, { ip: parseIP("172.30.1.2")!, prefix: 24 });
 */

/** The `ip -d link` type (`device` is a physical NIC, which has no type line). */
export type LinkKind = "loopback" | "device" | "veth" | "bridge" | "vxlan" | "ipip" | "wireguard" | "dummy";

/** One address of an interface (`inet 10.244.1.1/24 brd 10.244.1.255 scope global cni0`). */
export interface Address {
  ip: number;
  prefix: number;
  /** Broadcast address; undefined prints no `brd` (a /32, loopback). */
  broadcast?: number;
  scope: "host" | "link" | "global";
  /** Label shown at the end of the `inet` line; the link's name when unset. */
  label?: string;
}

/** Where a veth's other end lives: another (or the same) stack, by interface index. */
export interface PeerRef {
  stack: string;
  index: number;
}

/** A forwarding database entry: a bridge port that learned a MAC, or a VXLAN remote VTEP. */
export interface FdbEntry {
  mac: string;
  /** The bridge port's ifindex (bridge FDB), or undefined for a VXLAN entry. */
  port?: number;
  /** The remote VTEP (`dst 172.30.1.3`) for VXLAN entries. */
  dst?: number;
  /** `permanent`/`self permanent` entries are never aged (flannel writes these). */
  permanent: boolean;
  vlan?: number;
}

export interface VxlanInfo {
  vni: number;
  /** Local VTEP address. */
  local: number;
  /** UDP port: 8472 (flannel, Linux's default) or 4789 (Calico, IANA). */
  port: number;
  /** The underlay interface's name (`dev eth0`). */
  dev: string;
  learning: boolean;
  /** Remote VTEPs by inner MAC (what `bridge fdb show dev flannel.1` prints). */
  fdb: FdbEntry[];
}

export interface WireguardPeer {
  publicKey: string;
  endpoint?: { ip: number; port: number };
  allowedIps: { base: number; prefix: number }[];
  /** Virtual epoch ms of the last handshake; undefined: never. */
  latestHandshake?: number;
  rxBytes: number;
  txBytes: number;
}

export interface WireguardInfo {
  listenPort: number;
  publicKey: string;
  /** Base64 of seeded bytes; `wg show` prints `(hidden)`. */
  privateKey: string;
  fwmark?: number;
  peers: WireguardPeer[];
}

export interface LinkStats {
  rxPackets: number;
  rxBytes: number;
  rxDropped: number;
  txPackets: number;
  txBytes: number;
  txDropped: number;
}

export interface Link {
  index: number;
  name: string;
  kind: LinkKind;
  /** `aa:bb:cc:dd:ee:ff`; loopback's is all zeros; ipip/wireguard have none (empty). */
  mac: string;
  mtu: number;
  /** Administratively up (`ip link set X up`). Operational state also needs the carrier. */
  up: boolean;
  /** NOARP on ipip/wireguard devices, PROMISC on bridge ports when set by a tool. */
  noarp: boolean;
  promisc: boolean;
  /** The bridge this interface is a port of (ifindex in the same stack). */
  master?: number;
  /** veth: the other end. */
  peer?: PeerRef;
  /** device: the layer-2 segment its cable is plugged into (the node network). */
  segment?: string;
  addrs: Address[];
  /** bridge: learned and static entries (`bridge fdb show br cni0`). */
  fdb?: FdbEntry[];
  vxlan?: VxlanInfo;
  /** ipip (`tunl0`): the local endpoint, `any` when undefined. */
  ipip?: { local?: number };
  wireguard?: WireguardInfo;
  /** The name the link had when created in another namespace is not kept; aliases are. */
  altnames?: string[];
  stats: LinkStats;
  /** Interface-level sysctls that matter to the walk: proxy_arp (Calico's cali*), rp_filter. */
  proxyArp: boolean;
  /**
   * Set by hand (`ip link set X address|mtu`): a bridge stops following its ports then (the
   * kernel's NET_ADDR_SET and BROPT_MTU_SET_BY_USER).
   */
  macSet?: boolean;
  mtuSet?: boolean;
  /** A bridge port's number on its bridge (`port_no 0x1`, `port_id 0x8001`). */
  portNo?: number;
  /** A bridge port sends frames back out the port they came in on (the CNI bridge plugin's hairpinMode). */
  hairpin?: boolean;
}

/** Counters of a new interface. */
export function emptyStats(): LinkStats {
  return { rxPackets: 0, rxBytes: 0, rxDropped: 0, txPackets: 0, txBytes: 0, txDropped: 0 };
}
