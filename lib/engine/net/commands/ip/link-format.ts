/**
 * How `ip link` and `ip address` print an interface (iproute2 5.15 `print_linkinfo`): the
 * header line (`2: eth0@if9: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP
 * group default qlen 1000`), the `link/ether … brd …` line with `link-netns`/`link-netnsid`,
 * `-d` details per link type, `-s` counters, and the `-br` one-liners.
 *
 * @example
 * linkBlock(env, eth0, { doLink: true }); // "2: eth0: <…> … mode DEFAULT group default qlen 1000\n    link/ether …\n"
 */
import { linkFlags, linkType, operState, portState, promiscuity, qdiscOf, type OperState } from "../../kernel/link-state";
import type { Link, LinkStats } from "../../kernel/link";
import { formatIP } from "../../../util/ipv4";
import { paint, sl, type IpEnv } from "./common";

/** What follows a name: `@if9` (peer elsewhere, with the id of its namespace), `@veth1` (peer here), `@NONE` (a tunnel without a lower device). */
interface PeerInfo {
  text: string;
  /** The peer here is down (`M-DOWN`). */
  mdown: boolean;
  nsid?: number;
}

function peerInfo(env: IpEnv, link: Link): PeerInfo | undefined {
  if (link.kind === "ipip") return { text: "NONE", mdown: false };
  const peer = link.kind === "veth" ? env.network.peerOf(link) : undefined;
  if (!peer) return undefined;
  if (peer.stack === env.stack) return { text: peer.link.name, mdown: !peer.link.up };
  return { text: `if${peer.link.index}`, mdown: false, nsid: env.stack.nsidFor(peer.stack.id) };
}

/** `get_name_from_nsid`: the `/run/netns` name whose namespace this one knows by `nsid`. */
function netnsName(env: IpEnv, nsid: number): string | undefined {
  const dir = "/run/netns";
  if (!env.ctx.fs.isDirectory(dir)) return undefined;
  for (const name of env.ctx.fs.list(dir)) {
    const stack = env.network.stacksOn(env.stack.host).find((s) => s.name === name);
    if (stack && env.stack.nsids.get(stack.id) === nsid) return name;
  }
  return undefined;
}

const STATE_COLOR: Partial<Record<OperState, "up" | "down">> = { UP: "up", DOWN: "down" };

/** One interface as `ip link` (doLink) or `ip address` prints it before its addresses, newline included. */
export function linkBlock(env: IpEnv, link: Link, doLink: boolean): string {
  const { network, stack, opts } = env;
  const peer = peerInfo(env, link);
  const state = operState(network, stack, link);
  let s = `${link.index}: ${paint(env, "ifname", link.name)}`;
  s += peer ? `@${peer.text}: ` : ": ";
  const flags = linkFlags(network, stack, link);
  s += `<${flags.join(",")}${peer?.mdown ? ",M-DOWN" : ""}> `;
  s += `mtu ${link.mtu} qdisc ${qdiscOf(link)} `;
  if (link.master !== undefined) s += `master ${stack.links.get(link.master)?.name ?? `if${link.master}`} `;
  s += `state ${paint(env, STATE_COLOR[state], `${state} `)}`;
  if (doLink) s += "mode DEFAULT ";
  s += "group default qlen 1000";
  if (!opts.family || opts.family === "link" || opts.details > 0) {
    s += sl(env) + `    link/${linkType(link)} ` + hardwareAddresses(env, link);
  }
  if (peer?.nsid !== undefined) {
    const name = netnsName(env, peer.nsid);
    s += name ? ` link-netns ${name}` : ` link-netnsid ${peer.nsid}`;
  }
  if (opts.details > 0) s += details(env, link, doLink);
  if (doLink && opts.stats > 0) s += sl(env) + stats(env, link.stats);
  for (const alt of link.altnames ?? []) s += `${sl(env)}    altname ${alt}`;
  return s + "\n";
}

function hardwareAddresses(env: IpEnv, link: Link): string {
  if (link.kind === "wireguard") return "";
  if (link.kind === "ipip") return `${formatIP(link.ipip?.local ?? 0)} brd 0.0.0.0`;
  const brd = link.kind === "loopback" ? "00:00:00:00:00:00" : "ff:ff:ff:ff:ff:ff";
  return `${paint(env, "mac", link.mac)} brd ${paint(env, "mac", brd)}`;
}

const MTU_BOUNDS: Record<Link["kind"], [number, number]> = {
  loopback: [0, 0], device: [68, 65535], veth: [68, 65535], bridge: [68, 65535], vxlan: [68, 65535], dummy: [0, 0], ipip: [68, 65515], wireguard: [0, 2147483552],
};

/** The smallest and largest MTU the kernel accepts for a link of this type. */
export function mtuBounds(link: Link): [number, number] {
  return MTU_BOUNDS[link.kind];
}

/** `-d`: promiscuity and MTU bounds, the link type's own options, a bridge port's, then queues. */
function details(env: IpEnv, link: Link, doLink: boolean): string {
  const [min, max] = MTU_BOUNDS[link.kind];
  let s = ` promiscuity ${promiscuity(link)} minmtu ${min} maxmtu ${max} `;
  const kind = kindDetails(env, link);
  if (kind !== undefined) s += `${sl(env)}    ${kind}`;
  const bridge = link.master === undefined ? undefined : env.stack.links.get(link.master);
  if (bridge) s += `${sl(env)}    bridge_slave ${portDetails(env, link, bridge)}`;
  if (doLink) s += "addrgenmode eui64 ";
  return s + "numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 ";
}

function kindDetails(env: IpEnv, link: Link): string | undefined {
  switch (link.kind) {
    case "veth":
    case "dummy":
    case "wireguard":
      return `${link.kind} `;
    case "vxlan": {
      const v = link.vxlan;
      if (!v) return "vxlan ";
      let s = `vxlan id ${v.vni} `;
      if (v.local) s += `local ${formatIP(v.local)} `;
      if (v.dev) s += `dev ${v.dev} `;
      s += `srcport 0 0 dstport ${v.port} `;
      if (!v.learning) s += "nolearning ";
      return s + "ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx ";
    }
    case "ipip":
      return `ipip any remote any local ${link.ipip?.local === undefined ? "any" : formatIP(link.ipip.local)} ttl inherit nopmtudisc `;
    case "bridge":
      return `bridge ${bridgeDetails(env, link)}`;
    default:
      return undefined;
  }
}

/** `8000.aa:bb:cc:dd:ee:ff`: priority 32768 and the bridge's MAC. */
function bridgeId(bridge: Link): string {
  return `8000.${bridge.mac}`;
}

/** `%4i.%.2i` of a timer in centiseconds. */
function timer(cs: number): string {
  return `${String(Math.floor(cs / 100)).padStart(4)}.${String(cs % 100).padStart(2, "0")}`;
}

function bridgeDetails(env: IpEnv, bridge: Link): string {
  // The FDB garbage collector runs every 300 s; where it stands follows the virtual clock.
  const gc = 30000 - (Math.floor(env.ctx.clock.now() / 10) % 30000);
  return `forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0 priority 32768 vlan_filtering 0 vlan_protocol 802.1Q ` +
    `bridge_id ${bridgeId(bridge)} designated_root ${bridgeId(bridge)} root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0 ` +
    `hello_timer ${timer(0)} tcn_timer ${timer(0)} topology_change_timer ${timer(0)} gc_timer ${timer(gc)} vlan_default_pvid 1 vlan_stats_enabled 0 ` +
    `vlan_stats_per_port 0 group_fwd_mask 0 group_address 01:80:c2:00:00:00 mcast_snooping 1 mcast_router 1 mcast_query_use_ifaddr 0 mcast_querier 0 ` +
    `mcast_hash_elasticity 16 mcast_hash_max 4096 mcast_last_member_count 2 mcast_startup_query_count 2 mcast_last_member_interval 100 ` +
    `mcast_membership_interval 26000 mcast_querier_interval 25500 mcast_query_interval 12500 mcast_query_response_interval 1000 ` +
    `mcast_startup_query_interval 3124 mcast_stats_enabled 0 mcast_igmp_version 2 mcast_mld_version 1 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 `;
}

function portDetails(env: IpEnv, port: Link, bridge: Link): string {
  const no = port.portNo ?? 1;
  const onOff = (b: boolean | undefined) => (b ? "on" : "off");
  return `state ${portState(env.network, env.stack, port)} priority 32 cost ${portCost(port)} hairpin ${onOff(port.hairpin)} guard off root_block off fastleave off learning on flood on ` +
    `port_id 0x${(0x8000 + no).toString(16)} port_no 0x${no.toString(16)} designated_port ${0x8000 + no} designated_cost 0 designated_bridge ${bridgeId(bridge)} ` +
    `designated_root ${bridgeId(bridge)} hold_timer ${timer(0)} message_age_timer ${timer(0)} forward_delay_timer ${timer(0)} topology_change_ack 0 config_pending 0 ` +
    `proxy_arp off proxy_arp_wifi off mcast_router 1 mcast_fast_leave off mcast_flood on bcast_flood on mcast_to_unicast off neigh_suppress off group_fwd_mask 0 ` +
    `group_fwd_mask_str 0x0 vlan_tunnel off isolated off `;
}

/** STP path cost from the port's speed: a veth reports 10 Gb/s (cost 2); a device of unknown speed gets 100. */
export function portCost(port: Link): number {
  return port.kind === "veth" ? 2 : 100;
}

/** `-s`: iproute2 5.15's right-aligned counter table (columns widen to fit the numbers). */
export function stats(env: IpEnv, st: LinkStats): string {
  const rx = [st.rxBytes, st.rxPackets, 0, st.rxDropped, 0, 0];
  const tx = [st.txBytes, st.txPackets, 0, st.txDropped, 0, 0];
  const cols = [10, 7, 6, 7, 7, 7, 10];
  for (const row of [rx, tx]) row.forEach((v, i) => (cols[i] = Math.max(cols[i], String(v).length)));
  const head = (label: string, names: string[]) =>
    `    ${label}: ${"bytes".padStart(cols[0] - 4)} ${names.map((n, i) => n.padStart(cols[i + 1])).join(" ")} ${"".padStart(cols[6])}`;
  const values = (row: number[]) => "    " + row.map((v, i) => `${String(v).padStart(cols[i])} `).join("");
  return [head("RX", ["packets", "errors", "dropped", "missed", "mcast"]), values(rx), head("TX", ["packets", "errors", "dropped", "carrier", "collsns"]), values(tx)].join(sl(env));
}

/**
 * `-br`: `%-16s ` name with its link (`@ifN` for a peer in another namespace), `%-14s ` state.
 */
export function briefHead(env: IpEnv, link: Link): { head: string; mdown: boolean } {
  const { network, stack } = env;
  // print_name_and_link, as in the long form: a peer in another namespace is `@ifN`, one here is its name.
  const peer = peerInfo(env, link);
  const name = peer ? `${link.name}@${peer.text}` : link.name;
  const mdown = peer?.mdown ?? false;
  const state = operState(network, stack, link);
  return { head: `${name.padEnd(16)} ${paint(env, STATE_COLOR[state], `${state.padEnd(14)} `)}`, mdown };
}

/** `ip -br link`: name, state, MAC, flags. */
export function briefLink(env: IpEnv, link: Link): string {
  const { head, mdown } = briefHead(env, link);
  const mac = link.kind === "wireguard" ? "" : link.kind === "ipip" ? `${formatIP(link.ipip?.local ?? 0)} ` : `${paint(env, "mac", link.mac)} `;
  return `${head}${mac}<${linkFlags(env.network, env.stack, link).join(",")}${mdown ? ",M-DOWN" : ""}> \n`;
}
