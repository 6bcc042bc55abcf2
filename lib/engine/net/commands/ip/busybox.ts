/**
 * BusyBox 1.36's `ip` applet (busybox and Alpine images): the same kernel state in its own,
 * older format. A peer index it cannot find in this namespace is `@ifN` with `M-DOWN` (it looks
 * the flags up locally), lines carry `state` and `qlen` but no `group`, routes show no `proto`
 * and print `scope link  src …`. A container without CAP_NET_ADMIN can only look: changes
 * answer `RTNETLINK answers: Operation not permitted`.
 *
 * @example
 * kubectl exec web -c shell -- ip a
 */
import type { CommandContext, CommandResult } from "../../../shell";
import { dumpOrder, resolveRoute } from "../../kernel/fib";
import { autoIPv6, linkFlags, linkType, operState, qdiscOf } from "../../kernel/link-state";
import type { Link } from "../../kernel/link";
import { TABLE_MAIN, type Route } from "../../kernel/route";
import { formatIP, parseIP } from "../../../util/ipv4";
import { currentNet } from "../context";
import { fail, findLink, IpExit, linksInOrder, matches, type IpEnv } from "./common";
import { tableName } from "./route";

const USAGE = `BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.

Usage: ip [OPTIONS] address|route|link|tunnel|neigh|rule [ARGS]

OPTIONS := -f[amily] inet|inet6|link | -o[neline]

ip addr add|del IFADDR dev IFACE | show|flush [dev IFACE] [to PREFIX]
ip route list|flush|add|del|change|append|replace|test ROUTE
ip link set IFACE [up|down] [arp on|off] [multicast on|off]
	[promisc on|off] [mtu NUM] [name NAME] [qlen NUM] [address MAC]
	[master IFACE | nomaster] [netns PID]
ip tunnel add|change|del|show [NAME]
	[mode ipip|gre|sit] [remote ADDR] [local ADDR] [ttl TTL]
ip neigh show|flush [to PREFIX] [dev DEV] [nud STATE]
ip rule [list] | add|del SELECTOR ACTION
`;

/** The flags busybox names; any other set bit is printed as hex after them. */
const NAMED = new Set(["NO-CARRIER", "LOOPBACK", "BROADCAST", "POINTOPOINT", "MULTICAST", "NOARP", "UP", "LOWER_UP"]);

function linkLines(env: IpEnv, link: Link, family: string | undefined): string {
  const { network, stack } = env;
  const peer = link.kind === "veth" ? network.peerOf(link) : undefined;
  let s = `${link.index}: ${link.name}`;
  let mdown = false;
  if (link.kind === "ipip") s += "@NONE: ";
  else if (peer) {
    // The peer's index is looked up here, whatever namespace it lives in.
    const local = stack.links.get(peer.link.index);
    s += `@${local?.name ?? `if${peer.link.index}`}: `;
    mdown = !local?.up;
  } else s += ": ";
  const flags = linkFlags(network, stack, link);
  const named = flags.filter((f) => NAMED.has(f));
  const rest = flags.includes("PROMISC") ? "100" : "";
  s += `<${named.join(",")}${rest}${mdown ? ",M-DOWN" : ""}> mtu ${link.mtu} qdisc ${qdiscOf(link)} `;
  if (link.master !== undefined) s += `master ${stack.links.get(link.master)?.name ?? `if${link.master}`} `;
  s += `state ${operState(network, stack, link)} qlen 1000`;
  if (!family || family === "link") {
    s += `\n    link/${linkType(link)} `;
    if (link.kind === "ipip") s += `${formatIP(link.ipip?.local ?? 0)} brd 0.0.0.0`;
    else if (link.kind !== "wireguard") s += `${link.mac} brd ${link.kind === "loopback" ? "00:00:00:00:00:00" : "ff:ff:ff:ff:ff:ff"}`;
  }
  return s + "\n";
}

function addressLines(env: IpEnv, link: Link, family: string | undefined, oneline: boolean): string {
  let out = "";
  const prefix = oneline ? `${link.index}: ${link.name}` : "";
  const sep = oneline ? "\\" : "\n";
  if (family !== "inet6") {
    for (const a of link.addrs) {
      out += `${prefix}    inet ${formatIP(a.ip)}/${a.prefix} ${a.broadcast !== undefined ? `brd ${formatIP(a.broadcast)} ` : ""}scope ${a.scope} `;
      out += `${env.stack.isSecondary(link, a) ? "secondary " : ""}${a.label ?? link.name}${sep}       valid_lft forever preferred_lft forever\n`;
    }
  }
  if (family !== "inet") {
    for (const a of autoIPv6(env.network, env.stack, link)) out += `${prefix}    inet6 ${a.address}/${a.prefix} scope ${a.scope} ${sep}       valid_lft forever preferred_lft forever\n`;
  }
  return out;
}

function showAddresses(env: IpEnv, args: string[], family: string | undefined, oneline: boolean, linksOnly: boolean): string {
  let dev: Link | undefined;
  let up = false;
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (w === "up") up = true;
    else if (w === "to" || w === "scope" || w === "label") fail(`ip: "ip addr show ${w}" is not simulated here`);
    else {
      const name = w === "dev" ? args[++i] : w;
      if (name === undefined) fail("ip: command line is not complete");
      dev = findLink(env.stack, name) ?? fail(`ip: can't find device '${name}'`);
    }
  }
  let out = "";
  for (const link of linksInOrder(env.stack)) {
    if ((dev && link !== dev) || (up && !link.up)) continue;
    const addrs = linksOnly ? "" : addressLines(env, link, family, oneline);
    if (family && family !== "link" && !addrs) continue;
    if (!(oneline && !linksOnly)) out += linkLines(env, link, linksOnly ? "link" : family);
    out += addrs;
  }
  return out;
}

/** BusyBox prints its usage and exits 1 for what it does not understand. */
function usage(): never {
  throw new IpExit(USAGE, 1);
}

function routeLine(env: IpEnv, r: Route, get: { src?: number } | undefined): string {
  let s = r.type !== "unicast" ? `${r.type} ` : "";
  s += r.dst.prefix === 0 && !get ? "default " : r.dst.prefix === 32 ? `${formatIP(r.dst.base)} ` : `${formatIP(r.dst.base)}/${r.dst.prefix} `;
  if (r.via !== undefined) s += `via ${formatIP(r.via)} `;
  if (r.dev !== undefined) s += `dev ${env.stack.links.get(r.dev)?.name ?? `if${r.dev}`} `;
  if (r.table !== TABLE_MAIN && get) s += `table ${tableName(r.table)} `;
  if (!get && r.scope !== "global") s += `scope ${r.scope} `;
  const src = get ? get.src : r.src;
  if (src !== undefined) s += ` src ${formatIP(src)} `;
  if (r.metric && !get) s += ` metric ${r.metric} `;
  if (r.onlink) s += "onlink ";
  return s + "\n";
}

function route(env: IpEnv, args: string[]): string {
  const [cmd, ...rest] = args;
  if (cmd === undefined || matches(cmd, "list") || matches(cmd, "show")) {
    return dumpOrder(env.stack.routing.routes).filter((r) => r.table === TABLE_MAIN).map((r) => routeLine(env, r, undefined)).join("");
  }
  if (matches(cmd, "get")) {
    const target = rest.find((w) => w !== "to");
    const dst = target === undefined ? undefined : parseIP(target);
    if (dst === undefined) fail(`ip: an inet address is expected rather than "${target ?? ""}"`);
    const answer = resolveRoute(env.stack, dst);
    if ("error" in answer) fail(`ip: ${answer.error}`, 2);
    return routeLine(env, { ...answer.route, dst: { base: dst, prefix: 32 } }, { src: answer.src });
  }
  return notPermitted();
}

function notPermitted(): never {
  fail("ip: RTNETLINK answers: Operation not permitted", 2);
}

function neigh(env: IpEnv, args: string[]): string {
  const [cmd] = args;
  if (cmd !== undefined && !matches(cmd, "show") && !matches(cmd, "list")) notPermitted();
  return env.stack.neighbours.map((n) => `${formatIP(n.ip)} dev ${env.stack.links.get(n.dev)?.name} ${n.mac ? `lladdr ${n.mac} ` : ""}${n.state}\n`).join("");
}

function rule(env: IpEnv, args: string[]): string {
  const [cmd] = args;
  if (cmd !== undefined && !matches(cmd, "list") && !matches(cmd, "show")) notPermitted();
  return env.stack.routing.rules.map((r) => `${r.priority}:\tfrom all ${r.fwmark ? `fwmark 0x${r.fwmark.value.toString(16)}/0x${r.fwmark.mask.toString(16)} ` : ""}lookup ${tableName(r.table)} \n`).join("");
}

/** `ip` as BusyBox runs it. */
export function busyboxIp(argv: readonly string[], ctx: CommandContext): CommandResult {
  try {
    let family: string | undefined;
    let oneline = false;
    let i = 0;
    for (; i < argv.length && argv[i].startsWith("-"); i++) {
      const opt = argv[i];
      if (opt === "-4") family = "inet";
      else if (opt === "-6") family = "inet6";
      else if (opt === "-0") family = "link";
      else if (opt === "-o" || matches(opt, "-oneline")) oneline = true;
      else if (opt === "-f" || matches(opt, "-family")) family = argv[++i];
      else usage();
    }
    const [object, ...args] = argv.slice(i);
    if (object === undefined) usage();
    const here = currentNet(ctx) ?? fail("ip: can't open netlink socket");
    const env: IpEnv = { ctx, network: here.network, stack: here.stack, opts: { details: 0, stats: 0, brief: false, color: false, oneline, json: false, pretty: false, all: false, family: undefined }, out: [], err: [] };
    let stdout: string;
    if (matches(object, "address")) {
      const [cmd, ...rest] = args;
      if (cmd === undefined || matches(cmd, "show") || matches(cmd, "list") || matches(cmd, "lst")) stdout = showAddresses(env, cmd === undefined ? [] : rest, family, oneline, false);
      else notPermitted();
    } else if (matches(object, "link")) {
      const [cmd, ...rest] = args;
      if (cmd === undefined || matches(cmd, "show") || matches(cmd, "list")) stdout = showAddresses(env, cmd === undefined ? [] : rest, "link", oneline, true);
      else notPermitted();
    } else if (matches(object, "route")) stdout = route(env, args);
    else if (matches(object, "neigh")) stdout = neigh(env, args);
    else if (matches(object, "rule")) stdout = rule(env, args);
    else if (matches(object, "tunnel") || matches(object, "tunl")) stdout = linksInOrder(env.stack).filter((l) => l.kind === "ipip").map((l) => `${l.name}: ip/ip remote any local any ttl inherit nopmtudisc\n`).join("");
    else usage();
    return { stdout, stderr: "", exitCode: 0 };
  } catch (error) {
    if (error instanceof IpExit) return { stdout: "", stderr: error.stderr, exitCode: error.code };
    throw error;
  }
}
