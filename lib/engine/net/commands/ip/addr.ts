/**
 * `ip address` (iproute2 5.15 ipaddress.c): show interfaces with their addresses (`ip a`,
 * `ip -4 a`, `ip -br a`, `ip -o a`, `ip a show dev eth0`, filters `up`, `scope`, `to`,
 * `label`, `master`, `type`), and add, replace, delete and flush IPv4 addresses with the
 * kernel's side effects (local/broadcast routes, the prefix route on an up link, secondaries).
 * IPv6 addresses are the ones the kernel configures itself (`::1`, EUI-64 `fe80::`).
 *
 * @example
 * ip addr add 10.200.0.1/24 dev veth-red
 * ip -br -4 a
 */
import { autoIPv6 } from "../../kernel/link-state";
import type { Address, Link } from "../../kernel/link";
import { broadcastOf, formatIP, inCIDR, networkOf, parseCIDR, parseIP, type CIDR } from "../../../util/ipv4";
import { duparg, duparg2, fail, findLink, invarg, linksInOrder, matches, needLink, paint, refused, sl, Words, type IpEnv } from "./common";
import { briefHead, briefLink, linkBlock, stats } from "./link-format";

const USAGE = `Usage: ip address {add|change|replace} IFADDR dev IFNAME [ LIFETIME ]
                                                      [ CONFFLAG-LIST ]
       ip address del IFADDR dev IFNAME [mngtmpaddr]
       ip address {save|flush} [ dev IFNAME ] [ scope SCOPE-ID ]
                            [ to PREFIX ] [ FLAG-LIST ] [ label LABEL ] [up]
       ip address [ show [ dev IFNAME ] [ scope SCOPE-ID ] [ master DEVICE ]
                         [ type TYPE ] [ to PREFIX ] [ FLAG-LIST ]
                         [ label LABEL ] [up] [ vrf NAME ] ]
       ip address {showdump|restore}
IFADDR := PREFIX | ADDR peer PREFIX
          [ broadcast ADDR ] [ anycast ADDR ]
          [ label IFNAME ] [ scope SCOPE-ID ] [ metric METRIC ]
SCOPE-ID := [ host | link | global | NUMBER ]
FLAG-LIST := [ FLAG-LIST ] FLAG
FLAG  := [ permanent | dynamic | secondary | primary |
           [-]tentative | [-]deprecated | [-]dadfailed | temporary |
           CONFFLAG-LIST ]
CONFFLAG-LIST := [ CONFFLAG-LIST ] CONFFLAG
CONFFLAG  := [ home | nodad | mngtmpaddr | noprefixroute | autojoin ]
LIFETIME := [ valid_lft LFT ] [ preferred_lft LFT ]
LFT := forever | SECONDS
TYPE := { amt | bareudp | bond | bond_slave | bridge | bridge_slave |
          dummy | erspan | geneve | gre | gretap | ifb |
          ip6erspan | ip6gre | ip6gretap | ip6tnl |
          ipip | ipoib | ipvlan | ipvtap |
          macsec | macvlan | macvtap |
          netdevsim | nlmon | rmnet | sit | team | team_slave |
          vcan | veth | vlan | vrf | vti | vxcan | vxlan | wwan |
          xfrm }
`;

export function usageExit(text: string): never {
  fail(text, 255);
}

export function doAddress(env: IpEnv, words: Words): void {
  if (!words.more()) return list(env, words, false);
  const cmd = words.next();
  if (matches(cmd, "add")) return modify(env, words, "add");
  if (matches(cmd, "change") || cmd === "chg") return modify(env, words, "change");
  if (matches(cmd, "replace")) return modify(env, words, "replace");
  if (matches(cmd, "delete")) return modify(env, words, "del");
  if (matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst")) return list(env, words, false);
  if (matches(cmd, "flush")) return flush(env, words);
  if (matches(cmd, "help")) usageExit(USAGE);
  fail(`Command "${cmd}" is unknown, try "ip address help".`, 255);
}

/** The filters `ip address show` and `ip link show` take. */
export interface LinkFilter {
  link?: Link;
  up: boolean;
  master?: number;
  kind?: string;
  scope?: Address["scope"];
  to?: CIDR;
  label?: string;
  /** `primary` / `secondary`. */
  secondary?: boolean;
  /** A flag no address here has (`dynamic`, `tentative`…). */
  none?: boolean;
}

/** Parses the show/flush arguments (`[dev] IFNAME`, `up`, `scope`, `to`, `label`, `master`, `type`). */
export function parseFilter(env: IpEnv, words: Words, usage: string): LinkFilter {
  const filter: LinkFilter = { up: false };
  let dev: string | undefined;
  while (words.more()) {
    const w = words.next();
    if (w === "to") {
      const arg = words.arg();
      filter.to = parseCIDR(arg.includes("/") ? arg : `${arg}/32`) ?? fail(`Error: any valid prefix is expected rather than "${arg}".`);
    } else if (w === "scope") {
      const arg = words.arg();
      if (arg !== "all") filter.scope = scopeOf(arg) ?? invarg('invalid "scope"\n', arg);
    } else if (w === "up") {
      filter.up = true;
    } else if (w === "primary" || w === "secondary") {
      filter.secondary = w === "secondary";
    } else if (w === "permanent" || w === "dynamic" || w === "tentative" || w === "deprecated" || w === "dadfailed") {
      // Every address here is permanent and settled (DAD done): only `permanent` matches any.
      if (w !== "permanent") filter.none = true;
    } else if (w === "label") {
      filter.label = words.arg();
    } else if (w === "master") {
      const arg = words.arg();
      filter.master = (findLink(env.stack, arg) ?? invarg("Device does not exist\n", arg)).index;
    } else if (w === "type") {
      filter.kind = words.arg();
    } else {
      const name = w === "dev" ? words.arg() : w;
      if (w !== "dev" && matches(w, "help")) usageExit(usage);
      if (dev !== undefined) duparg2("dev", name);
      dev = name;
    }
  }
  if (dev !== undefined) filter.link = findLink(env.stack, dev) ?? fail(`Device "${dev}" does not exist.`);
  return filter;
}

function scopeOf(word: string): Address["scope"] | undefined {
  if (word === "host" || word === "link" || word === "global") return word;
  if (word === "0") return "global";
  if (word === "253") return "link";
  if (word === "254") return "host";
  return undefined;
}

/** Whether a link passes the link-level filters. */
export function linkMatches(filter: LinkFilter, link: Link): boolean {
  if (filter.link && filter.link !== link) return false;
  if (filter.up && !link.up) return false;
  if (filter.master !== undefined && link.master !== filter.master) return false;
  if (filter.kind !== undefined && kindName(link) !== filter.kind) return false;
  return true;
}

/** The `type` a link filter matches (`ip link show type veth`); a plain NIC has none. */
function kindName(link: Link): string | undefined {
  return link.kind === "device" || link.kind === "loopback" ? undefined : link.kind;
}

/** One printable address of a link: a configured IPv4 one or a kernel-made IPv6 one. */
interface ShownAddress {
  family: "inet" | "inet6";
  text: string;
  prefix: number;
  scope: Address["scope"];
  address?: Address;
  secondary: boolean;
}

function addressesOf(env: IpEnv, link: Link, filter: LinkFilter): ShownAddress[] {
  const out: ShownAddress[] = [];
  const v4 = [...link.addrs].map((a) => ({ a, secondary: env.stack.isSecondary(link, a) }));
  // The kernel keeps a device's primaries ahead of its secondaries.
  v4.sort((x, y) => Number(x.secondary) - Number(y.secondary));
  if (env.opts.family !== "inet6") {
    for (const { a, secondary } of v4) out.push({ family: "inet", text: formatIP(a.ip), prefix: a.prefix, scope: a.scope, address: a, secondary });
  }
  if (env.opts.family !== "inet") {
    for (const a of autoIPv6(env.network, env.stack, link)) out.push({ family: "inet6", text: a.address, prefix: a.prefix, scope: a.scope, secondary: false });
  }
  return out.filter((x) => {
    if (filter.none) return false;
    if (filter.scope && x.scope !== filter.scope) return false;
    if (filter.secondary !== undefined && x.secondary !== filter.secondary) return false;
    if (filter.label !== undefined && (x.family !== "inet" || !globMatch(filter.label, x.address?.label ?? link.name))) return false;
    if (filter.to && (x.family !== "inet" || !inCIDR(x.address!.ip, filter.to))) return false;
    return true;
  });
}

function globMatch(pattern: string, text: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  return re.test(text);
}

/** `ip address show` (doLink false) and `ip link show` (doLink true). */
export function list(env: IpEnv, words: Words, doLink: boolean, usage = USAGE): void {
  const filter = parseFilter(env, words, usage);
  const { opts } = env;
  for (const link of linksInOrder(env.stack)) {
    if (!linkMatches(filter, link)) continue;
    if (doLink) {
      env.out.push(opts.brief ? briefLink(env, link) : linkBlock(env, link, true));
      continue;
    }
    const shown = opts.family === "link" ? [] : addressesOf(env, link, filter);
    // ipaddr_filter: a link with addresses stays if one matches; one without any only when no family was asked for.
    const hasAny = link.addrs.length > 0 || autoIPv6(env.network, env.stack, link).length > 0;
    if (opts.family !== "link" && shown.length === 0 && (hasAny || opts.family !== undefined)) continue;
    if (opts.brief) {
      env.out.push(briefHead(env, link).head + shown.map((a) => `${paint(env, a.family, a.text)}/${a.prefix} `).join("") + "\n");
      continue;
    }
    if (!opts.oneline) env.out.push(linkBlock(env, link, false));
    for (const a of shown) env.out.push(addressLine(env, link, a));
    if (opts.stats > 0 && !opts.oneline) env.out.push(`${stats(env, link.stats)}\n`);
  }
}

/** `    inet 10.244.1.5/24 brd 10.244.1.255 scope global eth0` and its lifetimes line. */
function addressLine(env: IpEnv, link: Link, a: ShownAddress): string {
  let s = env.opts.oneline ? `${link.index}: ${link.name}` : "";
  s += `    ${a.family} ${paint(env, a.family, a.text)}/${a.prefix} `;
  if (a.address?.broadcast !== undefined) s += `brd ${paint(env, "inet", formatIP(a.address.broadcast))} `;
  s += `scope ${a.scope} `;
  if (a.secondary) s += "secondary ";
  if (a.family === "inet") s += a.address?.label ?? link.name;
  return `${s}${sl(env)}       valid_lft forever preferred_lft forever\n`;
}

/** `ip address add|change|replace|del IFADDR dev IFNAME`. */
function modify(env: IpEnv, words: Words, cmd: "add" | "change" | "replace" | "del"): void {
  let local: string | undefined;
  let dev: string | undefined;
  let label: string | undefined;
  let brd: string | undefined;
  let scope: Address["scope"] | undefined;
  while (words.more()) {
    const w = words.next();
    if (w === "peer" || w === "remote") {
      fail("ip: point-to-point peers are not simulated here");
    } else if (matches(w, "broadcast") || w === "brd") {
      const arg = words.arg();
      if (brd !== undefined) duparg("broadcast", arg);
      brd = arg;
    } else if (w === "scope") {
      const arg = words.arg();
      scope = scopeOf(arg) ?? invarg("invalid scope value.", arg);
    } else if (w === "dev") {
      dev = words.arg();
    } else if (w === "label") {
      label = words.arg();
    } else if (matches(w, "valid_lft") || matches(w, "preferred_lft")) {
      const arg = words.arg();
      if (arg !== "forever") fail("ip: address lifetimes are not simulated here; every address is permanent");
    } else if (w === "noprefixroute" || w === "nodad" || w === "home" || w === "mngtmpaddr" || w === "autojoin") {
      fail(`ip: the "${w}" flag is not simulated here`);
    } else {
      const arg = w === "local" ? words.arg() : w;
      if (w !== "local" && matches(w, "help")) usageExit(USAGE);
      if (local !== undefined) duparg2("local", arg);
      local = arg;
    }
  }
  const prefix = local === undefined ? undefined : parsePrefix(local);
  if (dev === undefined) fail('Not enough information: "dev" argument is required.');
  if (label !== undefined && !label.startsWith(dev)) fail(`"dev" (${dev}) must match "label" (${label}).`);
  const link = needLink(env.stack, dev);
  if (!prefix) refused("Invalid argument");
  const { stack } = env;
  if (cmd === "del") {
    if (!prefix.explicit) wildcardWarning(env, prefix.ip);
    const found = link.addrs.find((a) => a.ip === prefix.ip && (!prefix.explicit || a.prefix === prefix.len) && (label === undefined || (a.label ?? link.name) === label));
    if (!found) refused("Cannot assign requested address");
    stack.removeAddress(link, found);
    return;
  }
  const broadcast = brd === undefined ? undefined : brd === "+" ? broadcastOf(prefix.ip, prefix.len) : brd === "-" ? networkOf(prefix.ip, prefix.len) : (parseIP(brd) ?? fail(`Error: any valid address is expected rather than "${brd}".`));
  const existing = link.addrs.find((a) => a.ip === prefix.ip && a.prefix === prefix.len);
  if (existing && cmd === "add") refused("File exists");
  if (!existing && cmd === "change") refused("No such file or directory");
  if (existing) stack.removeAddress(link, existing);
  stack.addAddress(link, { ip: prefix.ip, prefix: prefix.len, scope: scope ?? (prefix.ip >>> 24 === 127 ? "host" : "global"), broadcast, label: label !== undefined && label !== link.name ? label : undefined });
}

/** What `ip address del ADDR` without a prefix length warns about, then deletes anyway. */
function wildcardWarning(env: IpEnv, ip: number): void {
  env.err.push(`Warning: Executing wildcard deletion to stay compatible with old scripts.\n         Explicitly specify the prefix length (${formatIP(ip)}/32) to avoid this warning.\n         This special behaviour is likely to disappear in further releases,\n         fix your scripts!\n`);
}

/** `get_prefix` for an address argument: `10.0.0.1/24`, or `10.0.0.1` as /32. */
function parsePrefix(text: string): { ip: number; len: number; explicit: boolean } {
  if (text.includes(":")) fail("ip: IPv6 addresses are not simulated here");
  const slash = text.indexOf("/");
  const ip = parseIP(slash < 0 ? text : text.slice(0, slash));
  const bits = slash < 0 ? "32" : text.slice(slash + 1);
  if (ip === undefined || !/^\d{1,2}$/.test(bits) || Number(bits) > 32) fail(`Error: any valid prefix is expected rather than "${text}".`);
  return { ip, len: Number(bits), explicit: slash >= 0 };
}

/** `ip address flush dev X …`: removes the matching IPv4 addresses. */
function flush(env: IpEnv, words: Words): void {
  if (!words.more()) fail("Flush requires arguments.");
  const filter = parseFilter(env, words, USAGE);
  let count = 0;
  for (const link of linksInOrder(env.stack)) {
    if (!linkMatches(filter, link)) continue;
    for (const a of addressesOf({ ...env, opts: { ...env.opts, family: "inet" } }, link, filter)) {
      if (!a.address) continue;
      env.stack.removeAddress(link, a.address);
      count++;
    }
  }
  if (env.opts.stats > 0) env.out.push(count > 0 ? `\n*** Round 1, deleting ${count} addresses ***\n*** Flush is complete after 1 round ***\n` : "Nothing to flush.\n");
}
