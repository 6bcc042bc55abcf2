/**
 * What the kernel derives from an interface's data rather than stores: its carrier
 * (IFF_LOWER_UP), its RFC 2863 operational state, its flags as `ip link` lists them, the qdisc
 * a device gets when it comes up, a bridge's ports and their STP state, and the IPv6 addresses
 * addrconf gives a link once it is ready (`::1` on lo, an EUI-64 `fe80::` on Ethernet-like
 * links). `ip`, `bridge`, `brctl`, `ethtool` and busybox's `ip` all read these, so they agree.
 *
 * @example
 * operState(network, stack, veth);   // "LOWERLAYERDOWN" while its peer is down
 * linkFlags(network, stack, veth);   // ["NO-CARRIER", "BROADCAST", "MULTICAST", "UP"]
 */
import { formatIP } from "../../util/ipv4";
import type { ClusterNetwork } from "../network";
import type { Link } from "./link";
import type { NetStack } from "./stack";

/** The `state` column (`IF_OPER_*`). */
export type OperState = "UNKNOWN" | "DOWN" | "LOWERLAYERDOWN" | "UP";

/** The interfaces enslaved to a bridge, by ifindex. */
export function bridgePorts(stack: NetStack, bridge: Link): Link[] {
  return [...stack.links.values()].filter((l) => l.master === bridge.index).sort((a, b) => a.index - b.index);
}

/**
 * Whether the link has carrier: admin up and, for a veth, its peer up too; a bridge has carrier
 * while one of its ports forwards (an empty bridge is `NO-CARRIER … state DOWN`).
 */
export function hasCarrier(network: ClusterNetwork, stack: NetStack, link: Link): boolean {
  if (!link.up) return false;
  if (link.kind === "veth") return network.peerOf(link)?.link.up ?? false;
  if (link.kind === "bridge") return bridgePorts(stack, link).some((port) => hasCarrier(network, stack, port));
  return true;
}

/** The operational state as `ip link` prints it after `state`. */
export function operState(network: ClusterNetwork, stack: NetStack, link: Link): OperState {
  if (!link.up) return "DOWN";
  // Devices without a driver-reported state (lo, tunnels, dummy) stay UNKNOWN while up.
  if (link.kind === "loopback" || link.kind === "vxlan" || link.kind === "ipip" || link.kind === "wireguard" || link.kind === "dummy") return "UNKNOWN";
  if (hasCarrier(network, stack, link)) return "UP";
  // A device stacked on another (a veth's iflink is its peer) reports its lower layer as the cause.
  return link.kind === "veth" ? "LOWERLAYERDOWN" : "DOWN";
}

/** The STP port state a bridge port is in (STP off: forwarding as soon as it has carrier). */
export function portState(network: ClusterNetwork, stack: NetStack, port: Link): "disabled" | "forwarding" {
  const bridge = port.master === undefined ? undefined : stack.links.get(port.master);
  return bridge?.up && hasCarrier(network, stack, port) ? "forwarding" : "disabled";
}

/** The root qdisc: `noop` until the device is up, then the default (fq_codel on Ubuntu) or none for virtual devices. */
export function qdiscOf(link: Link): string {
  if (!link.up) return "noop";
  return link.kind === "device" ? "fq_codel" : "noqueue";
}

/** `IFF_*` flags in the order iproute2 prints them, `NO-CARRIER` first when up without carrier. */
export function linkFlags(network: ClusterNetwork, stack: NetStack, link: Link): string[] {
  const flags: string[] = [];
  const carrier = hasCarrier(network, stack, link);
  if (link.up && !carrier) flags.push("NO-CARRIER");
  if (link.kind === "loopback") flags.push("LOOPBACK");
  if (link.kind !== "loopback" && link.kind !== "ipip" && link.kind !== "wireguard") flags.push("BROADCAST");
  if (link.kind === "wireguard") flags.push("POINTOPOINT");
  if (link.kind === "device" || link.kind === "veth" || link.kind === "bridge" || link.kind === "vxlan") flags.push("MULTICAST");
  if (link.noarp || link.kind === "dummy" || link.kind === "ipip" || link.kind === "wireguard") flags.push("NOARP");
  if (link.promisc) flags.push("PROMISC");
  if (link.up) flags.push("UP");
  if (carrier) flags.push("LOWER_UP");
  return flags;
}

/** `link/ether`, `link/loopback`, `link/ipip`, `link/none`: the hardware type after `link/`. */
export function linkType(link: Link): string {
  if (link.kind === "loopback") return "loopback";
  if (link.kind === "ipip") return "ipip";
  if (link.kind === "wireguard") return "none";
  return "ether";
}

/** The promiscuity count (`ip -d link`): a bridge port is promiscuous for the bridge, plus `promisc on`. */
export function promiscuity(link: Link): number {
  return (link.promisc ? 1 : 0) + (link.master !== undefined ? 1 : 0);
}

/** An IPv6 address the kernel configured by itself on a ready link. */
export interface AutoIPv6 {
  address: string;
  prefix: number;
  scope: "host" | "link";
}

/**
 * The IPv6 addresses addrconf gives a link: `::1/128` on lo once up, and an EUI-64 link-local
 * `fe80::/64` on an Ethernet-like link once it is operationally ready (a veth whose peer is
 * down, or an empty bridge, has none yet). Tunnels without a MAC get none.
 */
export function autoIPv6(network: ClusterNetwork, stack: NetStack, link: Link): AutoIPv6[] {
  if (link.kind === "loopback") return link.up ? [{ address: "::1", prefix: 128, scope: "host" }] : [];
  if (link.kind === "ipip" || link.kind === "wireguard" || !hasCarrier(network, stack, link)) return [];
  return [{ address: eui64LinkLocal(link.mac), prefix: 64, scope: "link" }];
}

/** `fe80::` + the modified EUI-64 of a MAC (universal/local bit flipped, `ff:fe` in the middle). */
export function eui64LinkLocal(mac: string): string {
  const b = mac.split(":").map((h) => parseInt(h, 16));
  const groups = [0xfe80, 0, 0, 0, (((b[0] ^ 0x02) << 8) | b[1]), ((b[2] << 8) | 0xff), ((0xfe << 8) | b[3]), ((b[4] << 8) | b[5])];
  return formatIPv6(groups);
}

/** RFC 5952 text of eight 16-bit groups: lower case, no leading zeros, the longest run of ≥ 2 zero groups as `::`. */
export function formatIPv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
}

/** What `hostname -I` prints for a namespace: every address but loopback ones, interfaces in order. */
export function hostAddresses(stack: NetStack): string[] {
  const out: string[] = [];
  for (const link of [...stack.links.values()].sort((a, b) => a.index - b.index)) {
    if (link.kind === "loopback") continue;
    for (const a of link.addrs) if (a.scope !== "host") out.push(formatIP(a.ip));
  }
  return out;
}
