/**
 * `ip rule` (iproute2 5.15 iprule.c): the policy routing rules consulted before any table
 * (`0: from all lookup local`, Calico WireGuard's `not from all fwmark … lookup 1`), listed in
 * priority order; `add` takes the next free priority below the first non-zero one, as the
 * kernel does; `del` removes the first rule matching what was given.
 *
 * @example
 * ip rule add fwmark 0x1 table 100
 */
import type { RoutingRule } from "../../kernel/route";
import { TABLE_MAIN } from "../../kernel/route";
import { formatIP, networkOf, parseIP, type CIDR } from "../../../util/ipv4";
import { fail, invarg, matches, paint, refused, Words, type IpEnv } from "./common";
import { tableId, tableName } from "./route";

const USAGE = `Usage: ip rule { add | del } SELECTOR ACTION
       ip rule { flush | save | restore }
       ip rule [ list [ SELECTOR ]]
SELECTOR := [ not ] [ from PREFIX ] [ to PREFIX ] [ tos TOS ]
            [ fwmark FWMARK[/MASK] ]
            [ iif STRING ] [ oif STRING ] [ pref NUMBER ] [ l3mdev ]
            [ uidrange NUMBER-NUMBER ]
            [ ipproto PROTOCOL ]
            [ sport [ NUMBER | NUMBER-NUMBER ]
            [ dport [ NUMBER | NUMBER-NUMBER ] ]
ACTION := [ table TABLE_ID ]
          [ protocol PROTO ]
          [ nat ADDRESS ]
          [ realms [SRCREALM/]DSTREALM ]
          [ goto NUMBER ]
          SUPPRESSOR
SUPPRESSOR := [ suppress_prefixlength NUMBER ]
              [ suppress_ifgroup DEVGROUP ]
TABLE_ID := [ local | main | default | NUMBER ]
`;

export function doRule(env: IpEnv, words: Words): void {
  if (!words.more()) return list(env);
  const cmd = words.next();
  if (matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst")) return list(env);
  if (matches(cmd, "add")) return modify(env, words, true);
  if (matches(cmd, "delete")) return modify(env, words, false);
  if (matches(cmd, "flush")) return flush(env);
  if (matches(cmd, "help")) fail(USAGE, 255);
  fail(`Command "${cmd}" is unknown, try "ip rule help".`, 255);
}

/** `%#x`: C's alternate hex, which prints zero as `0`. */
function hex(n: number): string {
  return n === 0 ? "0" : `0x${n.toString(16)}`;
}

function cidrText(env: IpEnv, c: CIDR): string {
  return paint(env, "inet", formatIP(c.base)) + (c.prefix === 32 ? "" : `/${c.prefix}`);
}

function ruleLine(env: IpEnv, r: RoutingRule): string {
  let s = `${r.priority}:\t`;
  if (r.invert) s += "not ";
  s += r.from ? `from ${cidrText(env, r.from)}` : "from all";
  if (r.to) s += ` to ${cidrText(env, r.to)}`;
  if (r.fwmark) s += r.fwmark.mask === 0xffffffff ? ` fwmark ${hex(r.fwmark.value)}` : ` fwmark ${hex(r.fwmark.value)}/${hex(r.fwmark.mask)}`;
  s += ` lookup ${tableName(r.table)}`;
  if (r.suppressPrefixLength !== undefined) s += ` suppress_prefixlength ${r.suppressPrefixLength}`;
  return s + "\n";
}

function list(env: IpEnv): void {
  for (const r of env.stack.routing.rules) env.out.push(ruleLine(env, r));
}

function prefixArg(arg: string): CIDR {
  if (arg === "all") return { base: 0, prefix: 0 };
  const [ip, bits = "32"] = arg.split("/");
  const base = parseIP(ip);
  if (base === undefined || !/^\d{1,2}$/.test(bits) || Number(bits) > 32) fail(`Error: any valid prefix is expected rather than "${arg}".`);
  return { base: networkOf(base, Number(bits)), prefix: Number(bits) };
}

function u32(text: string): number | undefined {
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(text)) return undefined;
  const n = Number(text);
  return n < 2 ** 32 ? n : undefined;
}

function modify(env: IpEnv, words: Words, add: boolean): void {
  const want: Partial<RoutingRule> = { invert: false };
  let priority: number | undefined;
  while (words.more()) {
    const w = words.next();
    if (w === "not") {
      want.invert = true;
    } else if (w === "from") {
      const c = prefixArg(words.arg());
      if (c.prefix > 0) want.from = c;
    } else if (w === "to") {
      const c = prefixArg(words.arg());
      if (c.prefix > 0) want.to = c;
    } else if (matches(w, "preference") || matches(w, "order") || matches(w, "priority")) {
      const arg = words.arg();
      priority = u32(arg) ?? invarg("preference value is invalid\n", arg);
    } else if (w === "fwmark") {
      const arg = words.arg();
      const [v, m] = arg.split("/");
      const value = u32(v) ?? invarg("fwmark value is invalid\n", v);
      const mask = m === undefined ? 0xffffffff : (u32(m) ?? invarg("fwmask value is invalid\n", m));
      want.fwmark = { value, mask };
    } else if (matches(w, "table") || w === "lookup") {
      const arg = words.arg();
      want.table = tableId(arg) ?? invarg("invalid table ID\n", arg);
    } else if (matches(w, "suppress_prefixlength") || w === "sup_pl") {
      const arg = words.arg();
      if (!/^\d+$/.test(arg)) invarg("suppress_prefixlength value is invalid\n", arg);
      want.suppressPrefixLength = Number(arg);
    } else if (matches(w, "help")) {
      fail(USAGE, 255);
    } else {
      fail(`ip: the rule selector "${w}" is not simulated here`);
    }
  }
  const rules = env.stack.routing.rules;
  if (!add) {
    const i = rules.findIndex((r) =>
      (priority === undefined || r.priority === priority) && (want.table === undefined || r.table === want.table) && r.invert === want.invert &&
      (!want.from || sameCidr(r.from, want.from)) && (!want.to || sameCidr(r.to, want.to)) && (!want.fwmark || sameMark(r.fwmark, want.fwmark)) &&
      (want.suppressPrefixLength === undefined || r.suppressPrefixLength === want.suppressPrefixLength));
    if (i < 0) refused("No such file or directory");
    rules.splice(i, 1);
    return;
  }
  // fib_default_rule_pref: one below the second rule's priority (32765 on a fresh namespace).
  const pref = priority ?? (rules.length > 1 && rules[1].priority > 0 ? rules[1].priority - 1 : 0);
  const rule: RoutingRule = { priority: pref, invert: want.invert ?? false, table: want.table ?? TABLE_MAIN, from: want.from, to: want.to, fwmark: want.fwmark, suppressPrefixLength: want.suppressPrefixLength };
  if (rules.some((r) => sameRule(r, rule))) refused("File exists");
  // A rule goes after every rule of its priority.
  let at = rules.findIndex((r) => r.priority > pref);
  if (at < 0) at = rules.length;
  rules.splice(at, 0, rule);
}

function sameCidr(a: CIDR | undefined, b: CIDR | undefined): boolean {
  return a === b || (!!a && !!b && a.base === b.base && a.prefix === b.prefix);
}

function sameMark(a: RoutingRule["fwmark"], b: RoutingRule["fwmark"]): boolean {
  return a === b || (!!a && !!b && a.value === b.value && a.mask === b.mask);
}

/** What makes an added rule `File exists`: every field, priority included. */
function sameRule(a: RoutingRule, b: RoutingRule): boolean {
  return a.priority === b.priority && a.invert === b.invert && a.table === b.table && sameCidr(a.from, b.from) && sameCidr(a.to, b.to) &&
    sameMark(a.fwmark, b.fwmark) && a.suppressPrefixLength === b.suppressPrefixLength;
}

/** `ip rule flush`: every rule but priority 0's goes. */
function flush(env: IpEnv): void {
  const rules = env.stack.routing.rules;
  const kept = rules.filter((r) => r.priority === 0);
  rules.splice(0, rules.length, ...kept);
}
