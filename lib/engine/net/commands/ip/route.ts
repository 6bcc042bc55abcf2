/**
 * `ip route` (iproute2 5.15 iproute.c): list a table (`ip route`, `ip route show table all`,
 * filters `dev`, `proto`, `scope`, `type`, `via`, `src`, `metric`, an exact prefix), change
 * routes (`add`, `replace`, `change`, `append`, `del`, `flush`) through the kernel's checks,
 * and `ip route get ADDR` (the route the kernel would use, with `src`, `uid 0` and `cache`).
 * IPv4 lines end in a space, as iproute2 prints them; `-6` shows the kernel's own IPv6 routes.
 *
 * @example
 * ip route add 10.244.1.0/24 via 172.30.1.3 dev eth0
 * ip route get 10.244.1.5
 */
import { checkNexthop, dumpOrder, findForDelete, isLinkDown, resolveRoute, sameEntry, type RouteSelector } from "../../kernel/fib";
import { autoIPv6 } from "../../kernel/link-state";
import { TABLE_DEFAULT, TABLE_LOCAL, TABLE_MAIN, type Route, type RouteProto, type RouteType } from "../../kernel/route";
import { formatIP, networkOf, parseIP, type CIDR } from "../../../util/ipv4";
import { duparg2, fail, invarg, linksInOrder, matches, needLink, paint, refused, sl, Words, type IpEnv } from "./common";

const USAGE = `Usage: ip route { list | flush } SELECTOR
       ip route save SELECTOR
       ip route restore
       ip route showdump
       ip route get [ ROUTE_GET_FLAGS ] ADDRESS
                            [ from ADDRESS iif STRING ]
                            [ oif STRING ] [ tos TOS ]
                            [ mark NUMBER ] [ vrf NAME ]
                            [ uid NUMBER ] [ ipproto PROTOCOL ]
                            [ sport NUMBER ] [ dport NUMBER ]
       ip route { add | del | change | append | replace } ROUTE
SELECTOR := [ root PREFIX ] [ match PREFIX ] [ exact PREFIX ]
            [ table TABLE_ID ] [ vrf NAME ] [ proto RTPROTO ]
            [ type TYPE ] [ scope SCOPE ]
ROUTE := NODE_SPEC [ INFO_SPEC ]
NODE_SPEC := [ TYPE ] PREFIX [ tos TOS ]
             [ table TABLE_ID ] [ proto RTPROTO ]
             [ scope SCOPE ] [ metric METRIC ]
             [ ttl-propagate { enabled | disabled } ]
INFO_SPEC := { NH | nhid ID } OPTIONS FLAGS [ nexthop NH ]...
NH := [ encap ENCAPTYPE ENCAPHDR ] [ via [ FAMILY ] ADDRESS ]
	    [ dev STRING ] [ weight NUMBER ] NHFLAGS
FAMILY := [ inet | inet6 | mpls | bridge | link ]
OPTIONS := FLAGS [ mtu NUMBER ] [ advmss NUMBER ] [ as [ to ] ADDRESS ]
           [ rtt TIME ] [ rttvar TIME ] [ reordering NUMBER ]
           [ window NUMBER ] [ cwnd NUMBER ] [ initcwnd NUMBER ]
           [ ssthresh NUMBER ] [ realms REALM ] [ src ADDRESS ]
           [ rto_min TIME ] [ hoplimit NUMBER ] [ initrwnd NUMBER ]
           [ features FEATURES ] [ quickack BOOL ] [ congctl NAME ]
           [ pref PREF ] [ expires TIME ] [ fastopen_no_cookie BOOL ]
TYPE := { unicast | local | broadcast | multicast | throw |
          unreachable | prohibit | blackhole | nat }
TABLE_ID := [ local | main | default | all | NUMBER ]
SCOPE := [ host | link | global | NUMBER ]
NHFLAGS := [ onlink | pervasive ]
RTPROTO := [ kernel | boot | static | NUMBER ]
PTIME := NUMBER
PREF := [ low | medium | high ]
TIME := NUMBER[s|ms]
BOOL := [1|0]
FEATURES := ecn
ENCAPTYPE := [ mpls | ip | ip6 | seg6 | seg6local | rpl | ioam6 ]
ENCAPHDR := [ MPLSLABEL | SEG6HDR | SEG6LOCAL | IOAM6HDR ]
SEG6HDR := [ mode SEGMODE ] segs ADDR1,ADDRi,ADDRn [hmac HMACKEYID] [cleanup]
SEGMODE := [ encap | inline ]
SEG6LOCAL := action ACTION [ OPTIONS ] [ count ]
ACTION := { End | End.X | End.T | End.DX2 | End.DX6 | End.DX4 |
            End.DT6 | End.DT4 | End.DT46 | End.B6 | End.B6.Encaps |
            End.BM | End.S | End.AS | End.AM | End.BPF }
OPTIONS := OPTION [ OPTIONS ]
OPTION := { srh SEG6HDR | nh4 ADDR | nh6 ADDR | iif DEV | oif DEV |
            table TABLEID | vrftable TABLEID | endpoint PROGNAME }
IOAM6HDR := trace prealloc type IOAM6_TRACE_TYPE ns IOAM6_NAMESPACE size IOAM6_TRACE_SIZE
ROUTE_GET_FLAGS := [ fibmatch ]
`;

const TYPES: readonly RouteType[] = ["unicast", "local", "broadcast", "blackhole", "unreachable", "prohibit"];
const UNSIMULATED_TYPES = new Set(["multicast", "anycast", "nat", "throw", "xresolve"]);
const PROTOS: Record<string, RouteProto> = { kernel: "kernel", boot: "boot", static: "static", dhcp: "dhcp", bird: "bird", redirect: 1, zebra: 11, ra: 9 };
const PROTO_NUMBERS: Record<string, number> = { redirect: 1, kernel: 2, boot: 3, static: 4, ra: 9, zebra: 11, bird: 12, dhcp: 16 };

export function doRoute(env: IpEnv, words: Words): void {
  if (!words.more()) return show(env, words);
  const cmd = words.next();
  if (matches(cmd, "add")) return modify(env, words, "add");
  if (matches(cmd, "change") || cmd === "chg") return modify(env, words, "change");
  if (matches(cmd, "replace")) return modify(env, words, "replace");
  if (matches(cmd, "prepend") || matches(cmd, "append")) return modify(env, words, "append");
  if (matches(cmd, "delete")) return modify(env, words, "del");
  if (matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst")) return show(env, words);
  if (matches(cmd, "get")) return get(env, words);
  if (matches(cmd, "flush")) return flush(env, words);
  if (matches(cmd, "help")) fail(USAGE, 255);
  fail(`Command "${cmd}" is unknown, try "ip route help".`, 255);
}

type Family = "inet" | "any valid";

/** `get_prefix`: `default`, `a.b.c.d` (a host) or `a.b.c.d/n`, host bits kept so the kernel can refuse them. */
function parsePrefix(text: string, family: Family): { base: number; prefix: number } {
  if (text === "default" || text === "all" || text === "any") return { base: 0, prefix: 0 };
  const slash = text.indexOf("/");
  const ip = parseIP(slash < 0 ? text : text.slice(0, slash));
  const bits = slash < 0 ? "32" : text.slice(slash + 1);
  if (text.includes(":")) fail("ip: IPv6 routes are not simulated here");
  if (ip === undefined || !/^\d{1,2}$/.test(bits) || Number(bits) > 32) fail(`Error: ${family} prefix is expected rather than "${text}".`);
  return { base: ip, prefix: Number(bits) };
}

function parseAddress(text: string, family: Family): number {
  if (text.includes(":")) fail("ip: IPv6 routes are not simulated here");
  return parseIP(text) ?? fail(`Error: ${family} address is expected rather than "${text}".`);
}

export function tableId(word: string): number | undefined {
  if (word === "main") return TABLE_MAIN;
  if (word === "local") return TABLE_LOCAL;
  if (word === "default") return TABLE_DEFAULT;
  if (/^\d+$/.test(word) && Number(word) > 0 && Number(word) < 2 ** 32) return Number(word);
  return undefined;
}

export function tableName(id: number): string {
  return id === TABLE_MAIN ? "main" : id === TABLE_LOCAL ? "local" : id === TABLE_DEFAULT ? "default" : String(id);
}

function protoOf(word: string): RouteProto | undefined {
  if (word in PROTOS) return PROTOS[word];
  if (/^\d+$/.test(word) && Number(word) < 256) {
    const n = Number(word);
    const named = Object.entries(PROTO_NUMBERS).find(([, v]) => v === n)?.[0];
    return named && typeof PROTOS[named] === "string" ? PROTOS[named] : n;
  }
  return undefined;
}

function protoName(p: RouteProto): string {
  if (typeof p === "string") return p;
  return Object.entries(PROTO_NUMBERS).find(([, v]) => v === p)?.[0] ?? String(p);
}

function scopeOf(word: string): Route["scope"] | undefined {
  if (word === "host" || word === "254") return "host";
  if (word === "link" || word === "253") return "link";
  if (word === "global" || word === "universe" || word === "0") return "global";
  return undefined;
}

/** What the route lines leave out because the selector already says it. */
interface ShowFilter {
  table?: number;
  all: boolean;
  dev?: number;
  proto?: RouteProto;
  scope?: Route["scope"];
  type?: RouteType;
  via?: number;
  src?: number;
  metric?: number;
  exact?: CIDR;
  root?: CIDR;
  match?: CIDR;
}

function parseShow(env: IpEnv, words: Words): ShowFilter {
  const f: ShowFilter = { all: false };
  let dev: string | undefined;
  while (words.more()) {
    const w = words.next();
    if (matches(w, "table")) {
      const arg = words.arg();
      if (arg === "all") f.all = true;
      else f.table = tableId(arg) ?? invarg("table id value is invalid\n", arg);
    } else if (matches(w, "cached") || matches(w, "cloned")) {
      f.table = -1;
    } else if (matches(w, "protocol")) {
      const arg = words.arg();
      if (arg !== "all") f.proto = protoOf(arg) ?? invarg('invalid "protocol"\n', arg);
    } else if (matches(w, "scope")) {
      const arg = words.arg();
      if (arg !== "all") f.scope = scopeOf(arg) ?? invarg('invalid "scope"\n', arg);
    } else if (matches(w, "type")) {
      const arg = words.arg();
      f.type = TYPES.find((t) => t === arg) ?? invarg("node type value is invalid\n", arg);
    } else if (w === "dev" || w === "oif") {
      dev = words.arg();
    } else if (matches(w, "metric") || matches(w, "priority") || w === "preference") {
      const arg = words.arg();
      if (!/^\d+$/.test(arg)) invarg('"metric" value is invalid\n', arg);
      f.metric = Number(arg);
    } else if (w === "via") {
      f.via = parsePrefix(words.arg(), "inet").base;
    } else if (w === "src") {
      f.src = parsePrefix(words.arg(), "inet").base;
    } else if (matches(w, "root")) {
      f.root = cidrOf(parsePrefix(words.arg(), "inet"));
    } else if (matches(w, "match")) {
      f.match = cidrOf(parsePrefix(words.arg(), "inet"));
    } else {
      const arg = w === "to" || matches(w, "exact") ? words.arg() : w;
      if (w !== "to" && !matches(w, "exact") && matches(w, "help")) fail(USAGE, 255);
      f.exact = cidrOf(parsePrefix(arg, "inet"));
    }
  }
  if (dev !== undefined) f.dev = needLink(env.stack, dev).index;
  return f;
}

function cidrOf(p: { base: number; prefix: number }): CIDR {
  return { base: networkOf(p.base, p.prefix), prefix: p.prefix };
}

function selected(r: Route, f: ShowFilter): boolean {
  if (!f.all && r.table !== (f.table ?? TABLE_MAIN)) return false;
  if (f.dev !== undefined && r.dev !== f.dev) return false;
  if (f.proto !== undefined && r.proto !== f.proto) return false;
  if (f.scope !== undefined && r.scope !== f.scope) return false;
  if (f.type !== undefined && r.type !== f.type) return false;
  if (f.via !== undefined && r.via !== f.via) return false;
  if (f.src !== undefined && r.src !== f.src) return false;
  if (f.metric !== undefined && (r.metric ?? 0) !== f.metric) return false;
  if (f.exact && (r.dst.base !== f.exact.base || r.dst.prefix !== f.exact.prefix)) return false;
  if (f.root && (r.dst.prefix < f.root.prefix || networkOf(r.dst.base, f.root.prefix) !== f.root.base)) return false;
  if (f.match && (r.dst.prefix > f.match.prefix || networkOf(f.match.base, r.dst.prefix) !== r.dst.base)) return false;
  return true;
}

/** `print_route` for an IPv4 route; `cache` adds what `ip route get` prints of its answer. */
function routeLine(env: IpEnv, r: Route, f: ShowFilter, cache?: { src?: number }): string {
  const details = env.opts.details > 0;
  let s = "";
  if (r.type !== "unicast" || details) s += `${r.type} `;
  if (r.dst.prefix === 0 && r.dst.base === 0 && !cache) s += "default ";
  else s += r.dst.prefix === 32 ? `${paint(env, "inet", formatIP(r.dst.base))} ` : `${paint(env, "inet", formatIP(r.dst.base))}/${r.dst.prefix} `;
  if (r.via !== undefined && f.via === undefined) s += `via ${paint(env, "inet", formatIP(r.via))} `;
  // What is delivered locally leaves through lo.
  const dev = cache && r.type === "local" ? env.stack.link("lo") : r.dev === undefined ? undefined : env.stack.links.get(r.dev);
  if (dev && f.dev === undefined) s += `dev ${paint(env, "ifname", dev.name)} `;
  if ((r.table !== TABLE_MAIN || details) && (f.all || cache)) s += `table ${tableName(r.table)} `;
  if (!cache) {
    if ((r.proto !== "boot" || details) && f.proto === undefined) s += `proto ${protoName(r.proto)} `;
    if ((r.scope !== "global" || details) && f.scope === undefined) s += `scope ${r.scope} `;
  }
  const src = cache ? cache.src : r.src;
  if (src !== undefined && f.src === undefined) s += `src ${paint(env, "inet", formatIP(src))} `;
  if (r.metric && f.metric === undefined && !cache) s += `metric ${r.metric} `;
  if (r.onlink) s += "onlink ";
  if (isLinkDown(env.network, env.stack, r)) s += "linkdown ";
  if (cache) {
    s += `uid ${env.ctx.host.uid} `;
    s += `${sl(env)}    cache `;
    if (r.type === "local" || r.type === "broadcast") s += r.type === "broadcast" ? "<local,brd> " : "<local> ";
  }
  return s + "\n";
}

/** `ip route [show …]`. */
function show(env: IpEnv, words: Words): void {
  const f = parseShow(env, words);
  if (f.table === -1) return;
  if (env.opts.family === "inet6") return showIPv6(env, f);
  for (const r of dumpOrder(env.stack.routing.routes)) if (selected(r, f)) env.out.push(routeLine(env, r, f));
}

/** The kernel's own IPv6 routes: `::1` on lo and each ready link's `fe80::/64`. */
function showIPv6(env: IpEnv, f: ShowFilter): void {
  if (!f.all && (f.table ?? TABLE_MAIN) !== TABLE_MAIN) return;
  for (const link of linksInOrder(env.stack)) {
    if (f.dev !== undefined && link.index !== f.dev) continue;
    for (const a of autoIPv6(env.network, env.stack, link)) {
      const dst = a.prefix === 128 ? a.address : "fe80::/64";
      env.out.push(`${dst} ${f.dev === undefined ? `dev ${link.name} ` : ""}proto kernel metric 256 pref medium\n`);
    }
  }
}

/** `ip route add|change|replace|append|del ROUTE`. */
function modify(env: IpEnv, words: Words, cmd: "add" | "change" | "replace" | "append" | "del"): void {
  let family: Family = "any valid";
  let dst: { base: number; prefix: number } | undefined;
  let type: RouteType | undefined;
  let via: number | undefined;
  let dev: string | undefined;
  let src: number | undefined;
  let proto: RouteProto | undefined;
  let scope: Route["scope"] | undefined;
  let metric: number | undefined;
  let table = TABLE_MAIN;
  let onlink = false;
  while (words.more()) {
    const w = words.next();
    if (w === "src") {
      src = parseAddress(words.arg(), family);
    } else if (w === "via") {
      let arg = words.arg();
      if (arg === "inet") arg = words.arg();
      via = parseAddress(arg, family);
    } else if (matches(w, "metric") || matches(w, "priority") || w === "preference") {
      const arg = words.arg();
      if (!/^\d+$/.test(arg) || Number(arg) >= 2 ** 32) invarg('"metric" value is invalid\n', arg);
      metric = Number(arg);
    } else if (w === "scope") {
      const arg = words.arg();
      scope = scopeOf(arg) ?? invarg('invalid "scope" value\n', arg);
    } else if (matches(w, "onlink")) {
      onlink = true;
    } else if (matches(w, "protocol")) {
      const arg = words.arg();
      proto = protoOf(arg) ?? invarg('"protocol" value is invalid\n', arg);
    } else if (matches(w, "table")) {
      const arg = words.arg();
      table = tableId(arg) ?? invarg('"table" value is invalid\n', arg);
    } else if (w === "dev" || w === "oif") {
      dev = words.arg();
    } else if (w === "mtu" || w === "advmss" || w === "nexthop" || w === "encap" || w === "from" || w === "tos" || w === "realms" || w === "expires" || w === "initcwnd" || w === "nhid") {
      fail(`ip: the route option "${w}" is not simulated here`);
    } else {
      let arg = w === "to" ? words.arg() : w;
      if (!/^\d/.test(arg) && (TYPES as readonly string[]).includes(arg)) {
        type = arg as RouteType;
        arg = words.arg();
      } else if (!/^\d/.test(arg) && UNSIMULATED_TYPES.has(arg)) {
        fail(`ip: routes of type ${arg} are not simulated here`);
      }
      if (matches(arg, "help")) fail(USAGE, 255);
      if (dst) duparg2("to", arg);
      dst = parsePrefix(arg, family);
      family = "inet";
    }
  }
  if (!dst) fail(USAGE, 255);
  const link = dev === undefined ? undefined : needLink(env.stack, dev);
  const stack = env.stack;
  if (cmd === "del") {
    const sel: RouteSelector = { table, dst, type, dev: link?.index, via, proto, scope, metric, src };
    const found = findForDelete(stack.routing.routes, sel);
    if (!found) refused("No such process");
    stack.routing.routes = stack.routing.routes.filter((r) => r !== found);
    return;
  }
  if (networkOf(dst.base, dst.prefix) !== dst.base) refused("Error: Invalid prefix for given prefix length.");
  const routeType = type ?? "unicast";
  const route: Route = {
    table, type: routeType, dst: { base: dst.base, prefix: dst.prefix }, dev: link?.index, via, src,
    proto: proto ?? "boot",
    scope: scope ?? (routeType === "local" ? "host" : routeType === "broadcast" || (routeType === "unicast" && via === undefined) ? "link" : "global"),
    metric, onlink,
  };
  const error = checkNexthop(env.network, stack, route);
  if (error) fail(error, 2);
  const existing = stack.routing.routes.find((r) => sameEntry(r, route));
  if (cmd === "add" && existing) refused("File exists");
  if (cmd === "change" && !existing) refused("No such file or directory");
  if ((cmd === "replace" || cmd === "change") && existing) {
    stack.routing.routes = stack.routing.routes.map((r) => (r === existing ? route : r));
    return;
  }
  stack.addRoute(route);
}

/** `ip route flush SELECTOR`: removes every route the selector picks (`cache` is a no-op on 5.15). */
function flush(env: IpEnv, words: Words): void {
  if (!words.more()) fail('"ip route flush" requires arguments.');
  const f = parseShow(env, words);
  if (f.table === -1) return;
  const before = env.stack.routing.routes.length;
  env.stack.routing.routes = env.stack.routing.routes.filter((r) => !selected(r, f));
  if (env.opts.stats > 0) env.out.push(`\n*** Round 1, deleting ${before - env.stack.routing.routes.length} entries ***\n*** Flush is complete after 1 round ***\n`);
}

/** `ip route get ADDRESS [from ADDRESS] [oif DEV] [mark N]`. */
function get(env: IpEnv, words: Words): void {
  let dst: number | undefined;
  let src: number | undefined;
  let oif: number | undefined;
  let mark: number | undefined;
  while (words.more()) {
    const w = words.next();
    if (matches(w, "from")) {
      src = parsePrefix(words.arg(), "inet").base;
    } else if (matches(w, "oif") || w === "dev") {
      oif = needLink(env.stack, words.arg()).index;
    } else if (matches(w, "mark")) {
      const arg = words.arg();
      if (!/^(0x[0-9a-f]+|\d+)$/i.test(arg)) invarg("invalid mark value", arg);
      mark = Number(arg);
    } else if (matches(w, "iif") || matches(w, "tos") || matches(w, "uid") || matches(w, "fibmatch") || matches(w, "ipproto") || w === "sport" || w === "dport" || matches(w, "connected")) {
      fail(`ip: "ip route get ... ${w}" is not simulated here`);
    } else {
      const arg = w === "to" ? words.arg() : w;
      if (w !== "to" && matches(w, "help")) fail(USAGE, 255);
      const p = parsePrefix(arg, "any valid");
      dst = p.prefix === 0 ? undefined : p.base;
    }
  }
  if (dst === undefined) fail("need at least a destination address");
  const answer = resolveRoute(env.stack, dst, { src, oif, mark });
  if ("error" in answer) fail(answer.error, 2);
  const r: Route = { ...answer.route, dst: { base: dst, prefix: 32 } };
  env.out.push(routeLine(env, r, { all: false }, { src: answer.src }));
}
