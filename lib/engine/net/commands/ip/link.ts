/**
 * `ip link` (iproute2 5.15 iplink.c): show interfaces (`ip link`, `ip -d link show type veth`,
 * `ip -s link`, `ip -br link`), create them (`type veth peer name P [netns N]`, `bridge`,
 * `dummy`, `vxlan id N …`), change them (`set X up|down`, `netns NAME|PID`, `master BR`,
 * `nomaster`, `mtu`, `name`, `address`, `promisc`, `arp`) and delete them (a veth pair goes
 * with either end). The kernel's answers are the real ones (`RTNETLINK answers: File exists`,
 * `Error: mtu greater than device maximum.`).
 *
 * @example
 * ip link add veth-red type veth peer name veth-blue
 * ip link set veth-red netns red
 */
import type { Link, LinkKind } from "../../kernel/link";
import type { NetStack } from "../../kernel/stack";
import { parseIP } from "../../../util/ipv4";
import { list } from "./addr";
import { duparg, duparg2, fail, findLink, invarg, matches, needLink, parseMac, refused, Words, type IpEnv } from "./common";
import { mtuBounds } from "./link-format";
import { namedStack, pidStack } from "./netns";

const USAGE = `Usage: ip link add [link DEV | parentdev NAME] [ name ] NAME
		    [ txqueuelen PACKETS ]
		    [ address LLADDR ]
		    [ broadcast LLADDR ]
		    [ mtu MTU ] [index IDX ]
		    [ numtxqueues QUEUE_COUNT ]
		    [ numrxqueues QUEUE_COUNT ]
		    type TYPE [ ARGS ]

	ip link delete { DEVICE | dev DEVICE | group DEVGROUP } type TYPE [ ARGS ]

	ip link { set | change } { DEVICE | dev DEVICE | group DEVGROUP }
			[ { up | down } ]
			[ type TYPE ARGS ]
		[ arp { on | off } ]
		[ dynamic { on | off } ]
		[ multicast { on | off } ]
		[ allmulticast { on | off } ]
		[ promisc { on | off } ]
		[ trailers { on | off } ]
		[ carrier { on | off } ]
		[ txqueuelen PACKETS ]
		[ name NEWNAME ]
		[ address LLADDR ]
		[ broadcast LLADDR ]
		[ mtu MTU ]
		[ netns { PID | NAME } ]
		[ link-netns NAME | link-netnsid ID ]
		[ alias NAME ]
		[ master DEVICE ][ vrf NAME ]
		[ nomaster ]
		[ addrgenmode { eui64 | none | stable_secret | random } ]
		[ protodown { on | off } ]
		[ protodown_reason PREASON { on | off } ]
		[ gso_max_size BYTES ] | [ gso_max_segs PACKETS ]

	ip link show [ DEVICE | group GROUP ] [up] [master DEV] [vrf NAME] [type TYPE]
		[nomaster]

	ip link xstats type TYPE [ ARGS ]

	ip link afstats [ dev DEVICE ]
	ip link property add dev DEVICE [ altname NAME .. ]
	ip link property del dev DEVICE [ altname NAME .. ]

	ip link help [ TYPE ]

TYPE := { amt | bareudp | bond | bond_slave | bridge | bridge_slave |
	   dummy | erspan | geneve | gre | gretap | ifb |
	   ip6erspan | ip6gre | ip6gretap | ip6tnl |
	   ipip | ipoib | ipvlan | ipvtap |
	   macsec | macvlan | macvtap |
	   netdevsim | nlmon | rmnet | sit | team | team_slave |
	   vcan | veth | vlan | vrf | vti | vxcan | vxlan | wwan |
	   xfrm }
`;

/** Link types the kernel knows but the lab does not build by hand. */
const KNOWN_TYPES = new Set(["amt", "bareudp", "bond", "bond_slave", "bridge_slave", "erspan", "geneve", "gre", "gretap", "ifb", "ip6erspan", "ip6gre", "ip6gretap", "ip6tnl", "ipip", "ipoib", "ipvlan", "ipvtap", "macsec", "macvlan", "macvtap", "netdevsim", "nlmon", "rmnet", "sit", "team", "team_slave", "vcan", "vlan", "vrf", "vti", "vxcan", "wwan", "xfrm", "wireguard"]);

export function doLink(env: IpEnv, words: Words): void {
  if (!words.more()) return list(env, words, true, USAGE);
  const cmd = words.next();
  if (matches(cmd, "add")) return add(env, words);
  if (matches(cmd, "set") || matches(cmd, "change")) return set(env, words);
  if (matches(cmd, "delete")) return del(env, words);
  if (matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list")) return list(env, words, true, USAGE);
  if (matches(cmd, "help")) fail(USAGE, 255);
  fail(`Command "${cmd}" is unknown, try "ip link help".`, 255);
}

/** What `iplink_parse` collected. */
interface LinkRequest {
  dev?: string;
  name?: string;
  up?: boolean;
  mtu?: number;
  address?: string;
  netns?: string;
  master?: string | null;
  promisc?: boolean;
  arp?: boolean;
  type?: string;
  /** The words after `type TYPE`. */
  typeArgs: string[];
}

function onOff(key: string, value: string): boolean {
  if (value === "on") return true;
  if (value === "off") return false;
  fail(`Error: argument of "${key}" must be "on" or "off", not "${value}"`, 255);
}

/** `iplink_parse`: the arguments of `add`, `set` and a veth's `peer`. */
function parseRequest(words: Words): LinkRequest {
  const req: LinkRequest = { typeArgs: [] };
  while (words.more()) {
    const w = words.next();
    if (w === "up" || w === "down") {
      req.up = w === "up";
    } else if (w === "name") {
      const arg = words.arg();
      if (req.name !== undefined) duparg("name", arg);
      if (!validIfname(arg)) invarg('"name" not a valid ifname', arg);
      req.name = arg;
    } else if (matches(w, "address")) {
      req.address = words.arg();
    } else if (w === "mtu") {
      const arg = words.arg();
      if (req.mtu !== undefined) duparg("mtu", arg);
      if (!/^\d+$/.test(arg)) invarg('Invalid "mtu" value\n', arg);
      req.mtu = Number(arg);
    } else if (w === "netns") {
      const arg = words.arg();
      if (req.netns !== undefined) duparg("netns", arg);
      req.netns = arg;
    } else if (w === "promisc") {
      req.promisc = onOff("promisc", words.arg());
    } else if (w === "arp") {
      req.arp = onOff("arp", words.arg());
    } else if (matches(w, "master")) {
      req.master = words.arg();
    } else if (matches(w, "nomaster")) {
      req.master = null;
    } else if (matches(w, "type")) {
      req.type = words.arg();
      req.typeArgs = words.rest();
    } else if (w === "txqueuelen" || w === "qlen" || w === "multicast" || w === "allmulticast" || w === "alias" || w === "group" || w === "carrier" || matches(w, "addrgenmode") || w === "numtxqueues" || w === "numrxqueues" || w === "gso_max_size" || w === "gso_max_segs") {
      fail(`ip: "${w}" is not simulated here`);
    } else {
      if (matches(w, "help")) fail(USAGE, 255);
      const arg = w === "dev" ? words.arg() : w;
      if (req.dev !== undefined) duparg2("dev", arg);
      req.dev = arg;
    }
  }
  return req;
}

/** check_ifname: 1–15 bytes, no `/`, `:` or white space. */
function validIfname(name: string): boolean {
  return name.length > 0 && name.length < 16 && !/[/:\s]/.test(name);
}

/** A new interface's name, or the kernel's `%d` template filled with the first free number. */
function freeName(stack: NetStack, template: string): string {
  if (!template.includes("%d")) return template;
  for (let i = 0; ; i++) {
    const name = template.replace("%d", String(i));
    if (!findLink(stack, name)) return name;
  }
}

/** `ip link add [name] NAME [mtu N] [address MAC] [up] type TYPE ARGS`. */
function add(env: IpEnv, words: Words): void {
  const req = parseRequest(words);
  const { network } = env;
  // `netns` creates the link straight in another namespace.
  const stack = req.netns === undefined ? env.stack : targetStack(env, req.netns);
  if (req.name !== undefined && req.dev !== undefined && req.name !== req.dev) fail('both "name" and "dev" cannot be used when creating devices.', 255);
  const requested = req.name ?? req.dev;
  if (requested !== undefined && !validIfname(requested)) invarg('"name" not a valid ifname', requested);
  if (!req.type) refused("Operation not supported");
  if (KNOWN_TYPES.has(req.type)) fail(`ip: links of type "${req.type}" are not simulated here; the lab builds veth, bridge, dummy and vxlan links`);
  if (req.type !== "veth" && req.type !== "bridge" && req.type !== "dummy" && req.type !== "vxlan") refused("Error: Unknown device type.");
  const kind: LinkKind = req.type;
  const name = freeName(stack, requested ?? `${kind}%d`);
  if (findLink(stack, name)) refused("File exists");
  const mac = req.address === undefined ? undefined : parseMac(req.address);
  const mtu = req.mtu ?? 1500;
  if (kind === "veth") {
    const peerWords = new Words(req.typeArgs);
    if (!peerWords.more()) return finishAdd(env, stack, req, network.createVethPair(stack, name, stack, freeName(stack, "veth%d"), { mtu, macA: mac })[0]);
    const first = peerWords.next();
    if (first !== "peer") fail("Usage: ip link <options> type veth [peer <options>]\nTo get <options> type 'ip link add help'", 255);
    const peerReq = parseRequest(peerWords);
    const peerStack = peerReq.netns === undefined ? stack : targetStack(env, peerReq.netns);
    const peerName = freeName(peerStack, peerReq.name ?? peerReq.dev ?? "veth%d");
    if (findLink(peerStack, peerName) || (peerStack === stack && peerName === name)) refused("File exists");
    const [one, two] = network.createVethPair(stack, name, peerStack, peerName, { mtu, macA: mac, macB: peerReq.address === undefined ? undefined : parseMac(peerReq.address) });
    if (peerReq.mtu !== undefined) peerStack.setMtu(two, peerReq.mtu);
    if (peerReq.up) peerStack.setUp(two, true);
    return finishAdd(env, stack, req, one);
  }
  if (kind === "vxlan") return finishAdd(env, stack, req, addVxlan(env, stack, name, req.mtu, mac, req.typeArgs));
  if (req.typeArgs.length > 0) fail(`ip: options of ${kind} links are not simulated here`);
  const link = stack.addLink({ name, kind, mac: mac ?? network.mac(), mtu: kind === "bridge" && req.mtu === undefined ? 1500 : mtu });
  if (mac) link.macSet = true;
  if (req.mtu !== undefined) link.mtuSet = true;
  finishAdd(env, stack, req, link);
}

/** What `add` does after creating the link: the remaining `set`-like options. */
function finishAdd(env: IpEnv, stack: NetStack, req: LinkRequest, link: Link): void {
  if (req.master !== undefined && req.master !== null) enslave(stack, link, req.master);
  if (req.up) stack.setUp(link, true);
}

/** `type vxlan id VNI [dev IF] [local IP] [dstport N] [nolearning]`. */
function addVxlan(env: IpEnv, stack: NetStack, name: string, mtu: number | undefined, mac: string | undefined, args: string[]): Link {
  const w = new Words(args);
  let vni: number | undefined;
  let lower: Link | undefined;
  let local: number | undefined;
  let port: number | undefined;
  let learning = true;
  while (w.more()) {
    const key = w.next();
    if (key === "id" || key === "vni") {
      const arg = w.arg();
      if (!/^\d+$/.test(arg) || Number(arg) >= 1 << 24) invarg("invalid id", arg);
      vni = Number(arg);
    } else if (key === "dev") {
      const arg = w.arg();
      lower = findLink(stack, arg) ?? invarg("dev is invalid", arg);
    } else if (key === "local") {
      const arg = w.arg();
      local = parseIP(arg) ?? invarg("invalid local address", arg);
    } else if (key === "dstport") {
      const arg = w.arg();
      if (!/^\d+$/.test(arg) || Number(arg) > 65535) invarg("dstport", arg);
      port = Number(arg);
    } else if (key === "nolearning" || key === "learning") {
      learning = key === "learning";
    } else {
      fail(`ip: the vxlan option "${key}" is not simulated here`);
    }
  }
  if (vni === undefined) fail("vxlan: missing virtual network identifier");
  if (port === undefined) {
    env.err.push("vxlan: destination port not specified\nWill use Linux kernel default (non-standard value)\nUse 'dstport 4789' to get the IANA assigned value\nUse 'dstport 0' to get default and quiet this message\n");
  }
  // Over a lower device the VXLAN header (50 bytes) comes out of its MTU.
  const link = stack.addLink({ name, kind: "vxlan", mac: mac ?? env.network.mac(), mtu: mtu ?? (lower ? lower.mtu - 50 : 1500), vxlan: { vni, local: local ?? 0, port: port || 8472, dev: lower?.name ?? "", learning, fdb: [] } });
  if (mac) link.macSet = true;
  return link;
}

/** The namespace `netns NAME|PID` names, or iproute2's complaint. */
function targetStack(env: IpEnv, arg: string): NetStack {
  const named = namedStack(env, arg);
  if (named) return named;
  if (!/^\d+$/.test(arg)) invarg('Invalid "netns" value\n', arg);
  return pidStack(env, Number(arg)) ?? refused("No such process");
}

/** `ip link set { DEVICE | dev DEVICE } …`. */
function set(env: IpEnv, words: Words): void {
  const req = parseRequest(words);
  const { network, stack } = env;
  if (req.dev === undefined) fail('Not enough information: "dev" argument is required.', 255);
  const link = needLink(stack, req.dev);
  if (req.type !== undefined) fail(`ip: changing ${req.type} options is not simulated here`);
  if (req.address !== undefined) {
    const mac = parseMac(req.address);
    if (link.kind === "loopback" || link.kind === "ipip" || link.kind === "wireguard") refused("Operation not supported");
    if (/^.[13579bdf]/.test(mac)) refused("Cannot assign requested address");
    stack.setMac(link, mac);
  }
  if (req.mtu !== undefined) {
    const [min, max] = mtuBounds(link);
    if (max > 0 && req.mtu > max) refused("Error: mtu greater than device maximum.");
    if (req.mtu < min) refused("Error: mtu less than device minimum.");
    stack.setMtu(link, req.mtu);
  }
  if (req.name !== undefined && req.name !== link.name) {
    if (findLink(stack, req.name)) refused("File exists");
    if (link.up) refused("Device or resource busy");
    link.name = req.name;
  }
  if (req.promisc !== undefined) link.promisc = req.promisc;
  if (req.arp !== undefined) link.noarp = !req.arp;
  if (req.master === null) {
    if (link.master !== undefined) stack.setMaster(link, undefined);
  } else if (req.master !== undefined) {
    enslave(stack, link, req.master);
  }
  if (req.up !== undefined) stack.setUp(link, req.up);
  if (req.netns !== undefined) {
    const to = targetStack(env, req.netns);
    if (to === stack) return;
    if (link.kind === "loopback" || link.kind === "bridge") refused("Invalid argument");
    if (findLink(to, link.name)) refused("File exists");
    network.moveLink(stack, link, to);
  }
}

/** `master BR`: the device becomes a port of a bridge. */
function enslave(stack: NetStack, link: Link, masterName: string): void {
  const bridge = findLink(stack, masterName) ?? invarg("Device does not exist\n", masterName);
  if (link.master === bridge.index) return;
  if (bridge.kind !== "bridge") refused("Operation not supported");
  if (link.kind === "bridge") refused("Error: Can not enslave a bridge to a bridge.");
  if (link === bridge) refused("Too many levels of symbolic links");
  if (link.kind === "loopback" || link.kind === "ipip" || link.kind === "wireguard") refused("Invalid argument");
  if (link.master !== undefined) refused("Device or resource busy");
  stack.setMaster(link, bridge);
}

/** `ip link delete { DEVICE | dev DEVICE } [type TYPE]`. */
function del(env: IpEnv, words: Words): void {
  const req = parseRequest(words);
  if (req.dev === undefined) fail('Not enough information: "dev" argument is required.', 255);
  const link = needLink(env.stack, req.dev);
  if (req.type !== undefined && req.type !== link.kind) refused("Operation not supported");
  if (link.kind === "loopback" || link.kind === "device") refused("Operation not supported");
  env.network.deleteLink(env.stack, link);
}
