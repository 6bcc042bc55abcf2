/**
 * The forwarding database as the kernel dumps it for `bridge fdb show` (rtnl_fdb_dump): per
 * device in index order, a bridge port's entries in its bridge (its own MAC with and without
 * the default VLAN, learned MACs), the bridge's own entries, a VXLAN device's remote VTEPs, and
 * each Ethernet device's multicast addresses (`33:33:00:00:00:01 … self permanent`): the
 * IPv6 all-nodes group from registration, 224.0.0.1 once up, the solicited-node group of its
 * link-local address, and a bridge's multicast-router groups.
 *
 * @example
 * fdbDump(network, stack).filter((e) => e.master === cni0.index);
 */
import type { ClusterNetwork } from "../network";
import type { Link } from "./link";
import { autoIPv6 } from "./link-state";
import type { NetStack } from "./stack";

export interface FdbRecord {
  mac: string;
  /** The device the entry is reported on (`dev X`). */
  dev: number;
  /** The bridge (`master cni0`) for entries of a bridge's table. */
  master?: number;
  /** `self`: the device's own table (its address lists, a VXLAN's remotes). */
  self: boolean;
  vlan?: number;
  /** VXLAN remote VTEP. */
  dst?: number;
  state: "permanent" | "static" | "";
}

/** The multicast MACs a device has joined, in the order it joined them. */
function multicastList(network: ClusterNetwork, stack: NetStack, link: Link): string[] {
  const list = ["33:33:00:00:00:01"];
  if (link.kind === "bridge" && link.up) list.push("01:00:5e:00:00:6a", "33:33:00:00:00:6a");
  if (link.up) list.push("01:00:5e:00:00:01");
  for (const a of autoIPv6(network, stack, link)) {
    // The solicited-node group of fe80::…:XXYY:ZZWW is 33:33:ff:YY:ZZ:WW (its last 24 bits).
    const groups = a.address.split(":");
    const last = groups.slice(-2).map((g) => g.padStart(4, "0")).join("");
    list.push(`33:33:ff:${last.slice(2, 4)}:${last.slice(4, 6)}:${last.slice(6, 8)}`);
  }
  return list;
}

/** What `bridge fdb show` lists for the namespace, in the kernel's order. */
export function fdbDump(network: ClusterNetwork, stack: NetStack): FdbRecord[] {
  const out: FdbRecord[] = [];
  const links = [...stack.links.values()].sort((a, b) => a.index - b.index);
  for (const dev of links) {
    const bridge = dev.master === undefined ? undefined : stack.links.get(dev.master);
    if (bridge) {
      // Newest first: the VLAN 1 entry was added after the plain one when the port joined.
      out.push({ mac: dev.mac, dev: dev.index, master: bridge.index, self: false, vlan: 1, state: "permanent" });
      out.push({ mac: dev.mac, dev: dev.index, master: bridge.index, self: false, state: "permanent" });
      for (const e of bridge.fdb ?? []) {
        if (e.port === dev.index) out.push({ mac: e.mac, dev: dev.index, master: bridge.index, self: false, vlan: e.vlan, state: e.permanent ? "permanent" : "" });
      }
    }
    if (dev.kind === "vxlan") {
      for (const e of dev.vxlan?.fdb ?? []) out.push({ mac: e.mac, dev: dev.index, self: true, dst: e.dst, state: e.permanent ? "permanent" : "" });
      continue;
    }
    if (dev.kind === "loopback" || dev.kind === "ipip" || dev.kind === "wireguard") continue;
    for (const mac of multicastList(network, stack, dev)) out.push({ mac, dev: dev.index, self: true, state: "permanent" });
    if (dev.kind === "bridge") {
      out.push({ mac: dev.mac, dev: dev.index, master: dev.index, self: false, vlan: 1, state: "permanent" });
      out.push({ mac: dev.mac, dev: dev.index, master: dev.index, self: false, state: "permanent" });
    }
  }
  return out;
}
