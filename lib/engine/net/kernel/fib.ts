/**
 * The kernel's side of route changes and lookups (net/ipv4/fib_*.c) that `ip route` and the
 * CNI plugins go through: a new route's next hop is checked as fib_check_nh does (a gateway
 * must be on-link through a link- or host-scope route, its device up), a route's identity for
 * `File exists` and `replace` is (table, prefix, tos, metric), `del` matches what was given,
 * dumps come in FIB-trie order, and the source address is picked as inet_select_addr does.
 *
 * @example
 * const error = checkNexthop(network, stack, route); // "Error: Nexthop has invalid gateway." or undefined
 * if (!error) stack.addRoute(route);
 */
import { inCIDR, networkOf } from "../../util/ipv4";
import type { ClusterNetwork } from "../network";
import { hasCarrier } from "./link-state";
import { lookupRoute, TABLE_MAIN, type Route } from "./route";
import type { NetStack } from "./stack";

const SCOPE_RANK: Record<Route["scope"], number> = { global: 0, link: 253, host: 254 };

/** The error iproute2 prints for a route the kernel refuses (netlink extack or errno), or undefined. */
export function checkNexthop(network: ClusterNetwork, stack: NetStack, route: Route): string | undefined {
  if (route.type === "blackhole" || route.type === "unreachable" || route.type === "prohibit") return undefined;
  if (route.src !== undefined && !stack.isLocal(route.src)) return "Error: Invalid prefsrc address.";
  const dev = route.dev === undefined ? undefined : stack.links.get(route.dev);
  if (route.via === undefined) {
    if (!dev) return "RTNETLINK answers: No such device";
    if (!dev.up) return "Error: Device for nexthop is not up.";
    return undefined;
  }
  if (route.onlink) {
    if (!dev) return "Error: Nexthop device required for onlink.";
    if (!dev.up) return "Error: Nexthop device is not up.";
    if (stack.isLocal(route.via)) return "Error: Nexthop has invalid gateway.";
    return undefined;
  }
  // The gateway must be reachable directly: a link- or host-scope route covers it, in the
  // route's own table or else in main (fib_check_nh_v4_gw falls back to a full lookup).
  const onLink = (table: number): Route | undefined => {
    let best: Route | undefined;
    for (const r of stack.routing.routes) {
      if (r.table !== table || SCOPE_RANK[r.scope] < SCOPE_RANK.link || !inCIDR(route.via!, r.dst)) continue;
      if (route.dev !== undefined && r.dev !== route.dev) continue;
      if (!best || r.dst.prefix > best.dst.prefix) best = r;
    }
    return best;
  };
  const best = onLink(route.table) ?? onLink(TABLE_MAIN);
  if (!best || best.type !== "unicast" || best.dev === undefined) return "Error: Nexthop has invalid gateway.";
  const out = stack.links.get(best.dev);
  if (!out?.up) return "Error: Nexthop device is not up.";
  route.dev = best.dev;
  return undefined;
}

/** Whether two routes are the same FIB entry: table, prefix and metric (what `File exists` and `replace` compare). */
export function sameEntry(a: Route, b: Route): boolean {
  return a.table === b.table && a.dst.base === b.dst.base && a.dst.prefix === b.dst.prefix && (a.metric ?? 0) === (b.metric ?? 0);
}

/** What `ip route del` gave beyond the prefix: unset fields match anything. */
export interface RouteSelector {
  table: number;
  dst: Route["dst"];
  type?: Route["type"];
  dev?: number;
  via?: number;
  proto?: Route["proto"];
  scope?: Route["scope"];
  metric?: number;
  src?: number;
}

/** The first route `ip route del` would take (fib_table_delete's matching), or undefined: `No such process`. */
export function findForDelete(routes: readonly Route[], sel: RouteSelector): Route | undefined {
  return routes.find((r) =>
    r.table === sel.table && r.dst.base === sel.dst.base && r.dst.prefix === sel.dst.prefix &&
    (sel.type === undefined || r.type === sel.type) && (sel.dev === undefined || r.dev === sel.dev) &&
    (sel.via === undefined || r.via === sel.via) && (sel.proto === undefined || r.proto === sel.proto) &&
    (sel.scope === undefined || r.scope === sel.scope) && (sel.metric === undefined || (r.metric ?? 0) === sel.metric) &&
    (sel.src === undefined || r.src === sel.src));
}

/** Routes in the order a dump lists them: by table id, then the trie's order (address, longer prefix first, lower metric). */
export function dumpOrder(routes: readonly Route[]): Route[] {
  return routes
    .map((route, i) => ({ route, i }))
    .sort((a, b) => a.route.table - b.route.table || a.route.dst.base - b.route.dst.base || b.route.dst.prefix - a.route.dst.prefix || (a.route.metric ?? 0) - (b.route.metric ?? 0) || a.i - b.i)
    .map((x) => x.route);
}

/**
 * The source address for traffic out of `dev` towards `toward` (the gateway or destination),
 * as inet_select_addr picks it: a primary address of the device in the same subnet, else its
 * first one of wide enough scope, else the first global address of another device.
 */
export function selectSource(stack: NetStack, dev: number | undefined, toward: number, scope: Route["scope"]): number | undefined {
  const link = dev === undefined ? undefined : stack.links.get(dev);
  let first: number | undefined;
  for (const a of link?.addrs ?? []) {
    if (SCOPE_RANK[a.scope] > SCOPE_RANK[scope] || stack.isSecondary(link!, a)) continue;
    if (networkOf(toward, a.prefix) === networkOf(a.ip, a.prefix)) return a.ip;
    first ??= a.ip;
  }
  if (first !== undefined) return first;
  for (const other of [...stack.links.values()].sort((x, y) => x.index - y.index)) {
    for (const a of other.addrs) if (a.scope !== "link" && SCOPE_RANK[a.scope] <= SCOPE_RANK[scope]) return a.ip;
  }
  return undefined;
}

/** What the kernel answers a route lookup with (`ip route get`): the route and source, or the errno text. */
export type RouteAnswer = { route: Route; src: number | undefined } | { error: string };

/** `ip route get DST [from SRC] [oif DEV] [mark M]`: policy rules, then the longest prefix. */
export function resolveRoute(stack: NetStack, dst: number, options: { src?: number; oif?: number; mark?: number } = {}): RouteAnswer {
  const oif = options.oif;
  const route = oif === undefined
    ? lookupRoute(stack.routing, dst, { mark: options.mark ?? 0, src: options.src })
    : lookupRoute({ rules: stack.routing.rules, routes: stack.routing.routes.filter((r) => r.dev === oif) }, dst, { mark: options.mark ?? 0, src: options.src });
  if (!route) return { error: "RTNETLINK answers: Network is unreachable" };
  if (route.type === "blackhole") return { error: "RTNETLINK answers: Invalid argument" };
  if (route.type === "unreachable") return { error: "RTNETLINK answers: No route to host" };
  if (route.type === "prohibit") return { error: "RTNETLINK answers: Permission denied" };
  const src = options.src ?? (route.type === "local" ? dst : route.src ?? selectSource(stack, route.dev, route.via ?? dst, route.scope));
  return { route, src };
}

/** Whether a unicast route's device has lost carrier (`linkdown`): the route stays, marked. */
export function isLinkDown(network: ClusterNetwork, stack: NetStack, route: Route): boolean {
  if (route.type !== "unicast") return false;
  const link = route.dev === undefined ? undefined : stack.links.get(route.dev);
  return link !== undefined && !hasCarrier(network, stack, link);
}
