/**
 * Routing tables and policy rules (`ip route`, `ip rule`), and the lookup the kernel does for
 * every packet: rules in priority order, then the longest matching prefix of the rule's table
 * (lowest metric among equals). Tables are numbered as Linux numbers them: 255 local, 254 main,
 * 253 default.
 *
 * @example
 * const r = lookupRoute(stack.routing, parseIP("10.244.1.5")!, { mark: 0 });
 * // { dst: {base: 10.244.1.0, prefix: 24}, via: 172.30.1.3, dev: 2, proto: "static", … }
 */
import { inCIDR, type CIDR } from "../../util/ipv4";

export const TABLE_LOCAL = 255;
export const TABLE_MAIN = 254;
export const TABLE_DEFAULT = 253;

export type RouteType = "unicast" | "local" | "broadcast" | "blackhole" | "unreachable" | "prohibit";

/** Who installed the route, as `ip route` prints it (`proto kernel`, `proto bird`, `proto 80`). */
export type RouteProto = "kernel" | "boot" | "static" | "dhcp" | "bird" | number;

export interface Route {
  table: number;
  type: RouteType;
  /** `default` is 0.0.0.0/0. */
  dst: CIDR;
  /** Output interface index; undefined for blackhole/unreachable/prohibit. */
  dev?: number;
  /** Gateway. */
  via?: number;
  /** Preferred source address (`src 10.244.1.1`). */
  src?: number;
  proto: RouteProto;
  scope: "host" | "link" | "global";
  metric?: number;
  /** `onlink`: the gateway is reachable on `dev` even though no prefix of it covers the gateway. */
  onlink: boolean;
}

/** A policy routing rule (`ip rule`): which table to consult for which packets. */
export interface RoutingRule {
  priority: number;
  /** Match on the firewall mark (`fwmark 0x100000/0x100000`, Calico WireGuard). */
  fwmark?: { value: number; mask: number };
  /** `not fwmark …` */
  invert: boolean;
  from?: CIDR;
  to?: CIDR;
  table: number;
  /** `suppress_prefixlength 0` (skip the default route of that table). */
  suppressPrefixLength?: number;
}

export interface RoutingState {
  rules: RoutingRule[];
  /** Every route of every table; `ip route show table all` order is insertion order per table. */
  routes: Route[];
}

/** The three rules every namespace starts with. */
export function defaultRouting(): RoutingState {
  return {
    rules: [
      { priority: 0, invert: false, table: TABLE_LOCAL },
      { priority: 32766, invert: false, table: TABLE_MAIN },
      { priority: 32767, invert: false, table: TABLE_DEFAULT },
    ],
    routes: [],
  };
}

/** The route the kernel picks for a destination, honouring policy rules; undefined: `Network is unreachable`. */
export function lookupRoute(routing: RoutingState, dst: number, packet: { mark: number; src?: number }): Route | undefined {
  const rules = routing.rules;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (rule.fwmark) {
      const hit = ((packet.mark & rule.fwmark.mask) >>> 0) === rule.fwmark.value;
      if (hit === rule.invert) continue;
    }
    if (rule.from && (packet.src === undefined || !inCIDR(packet.src, rule.from))) continue;
    if (rule.to && !inCIDR(dst, rule.to)) continue;
    const found = longestMatch(routing.routes, rule.table, dst);
    if (!found) continue;
    if (rule.suppressPrefixLength !== undefined && found.dst.prefix <= rule.suppressPrefixLength) continue;
    return found;
  }
  return undefined;
}

/** Longest prefix, then lowest metric, in one table. */
export function longestMatch(routes: readonly Route[], table: number, dst: number): Route | undefined {
  let best: Route | undefined;
  for (let i = 0; i < routes.length; i++) {
    const r = routes[i];
    if (r.table !== table || !inCIDR(dst, r.dst)) continue;
    if (!best || r.dst.prefix > best.dst.prefix || (r.dst.prefix === best.dst.prefix && (r.metric ?? 0) < (best.metric ?? 0))) best = r;
  }
  return best;
}
