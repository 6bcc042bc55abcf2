/**
 * Netfilter's iptables state as data: tables → chains → rules with their counters. A rule's
 * text (the arguments `iptables-save` prints after `-A CHAIN`) and its compiled form are kept
 * together and frozen, so forks share them; only counters change. Every writer goes through the
 * same parser (`iptables`, `iptables-restore`, kube-proxy's restore payload, Calico's Felix), and
 * every reader (`iptables-save`, `iptables -L`, the packet walker) sees the same rules.
 *
 * Matches and targets are compiled once, at parse time, to numbers: an address is a 32-bit
 * base and mask, a port range two numbers, a state list a bit mask, so evaluating a rule is a
 * handful of compares.
 */

export type TableName = "raw" | "mangle" | "nat" | "filter";

/** Built-in chains per table, in the order `iptables-save` prints them (by hook number). */
export const BUILTIN_CHAINS: Readonly<Record<TableName, readonly string[]>> = Object.freeze({
  raw: Object.freeze(["PREROUTING", "OUTPUT"]),
  mangle: Object.freeze(["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"]),
  nat: Object.freeze(["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"]),
  filter: Object.freeze(["INPUT", "FORWARD", "OUTPUT"]),
});

/** The order iptables-nft-save prints tables in (nft.h's `enum nft_table_type` since 1.8.6: mangle, security, raw, filter, nat). */
export const TABLE_ORDER: readonly TableName[] = Object.freeze(["mangle", "raw", "filter", "nat"]);

export function isTableName(name: string): name is TableName {
  return name === "raw" || name === "mangle" || name === "nat" || name === "filter";
}

// ---------------------------------------------------------------------------------------------
// Matches: the IP header fields (-s, -d, -i, -o, -p, -f) first, then each `-m` module in order.

/** `-s`/`-d`: `(ip & mask) === addr`. */
export interface AddrMatch {
  readonly kind: "src" | "dst";
  readonly negate: boolean;
  readonly addr: number;
  readonly mask: number;
}

/** `-i`/`-o`: an exact name, or a prefix when written with `+` (`cali+`). */
export interface IfaceMatch {
  readonly kind: "in" | "out";
  readonly negate: boolean;
  readonly name: string;
  readonly wildcard: boolean;
}

/** `-p`: the IP protocol number (0 is `all`, never stored). */
export interface ProtoMatch {
  readonly kind: "proto";
  readonly negate: boolean;
  readonly proto: number;
}

/** `-f`: second and further fragments. */
export interface FragmentMatch {
  readonly kind: "fragment";
  readonly negate: boolean;
}

/** An inclusive port range with its own negation (`! --dport 80:90`). */
export interface PortRange {
  readonly lo: number;
  readonly hi: number;
  readonly negate: boolean;
}

/** `-m tcp`/`-m udp`/`-m sctp` (also loaded implicitly by `-p tcp --dport 80`). */
export interface PortsMatch {
  readonly kind: "tcp" | "udp" | "sctp";
  readonly sport?: PortRange;
  readonly dport?: PortRange;
  /** `--tcp-flags MASK COMP` / `--syn` (tcp only). */
  readonly flags?: { readonly mask: number; readonly comp: number; readonly negate: boolean };
  /** `--tcp-option N` (tcp only; parsed and printed, never seen on our packets). */
  readonly option?: { readonly value: number; readonly negate: boolean };
}

/** `-m multiport --dports 80,443,8000:8080`. */
export interface MultiportMatch {
  readonly kind: "multiport";
  readonly side: "src" | "dst" | "either";
  /** Single ports are `[p, p]`; `lo:hi` ranges are `[lo, hi]`. */
  readonly ports: readonly (readonly [number, number])[];
  readonly negate: boolean;
}

export interface CommentMatch {
  readonly kind: "comment";
  readonly comment: string;
}

/** `-m mark --mark value[/mask]`: `(mark & mask) === value`. */
export interface MarkMatch {
  readonly kind: "mark";
  readonly negate: boolean;
  readonly value: number;
  readonly mask: number;
}

/** `-m addrtype`: bit masks over the RTN types (UNSPEC=bit 0, UNICAST=bit 1, LOCAL=bit 2, …). */
export interface AddrtypeMatch {
  readonly kind: "addrtype";
  readonly src: number;
  readonly srcNegate: boolean;
  readonly dst: number;
  readonly dstNegate: boolean;
  readonly limitIn: boolean;
  readonly limitOut: boolean;
}

/** Conntrack states as `xt_conntrack` numbers them (bit masks). */
export const CT_STATE_BITS = Object.freeze({ INVALID: 1, ESTABLISHED: 2, RELATED: 4, NEW: 8, UNTRACKED: 16, SNAT: 32, DNAT: 64 });
/** Conntrack status bits (`--ctstatus`). */
export const CT_STATUS_BITS = Object.freeze({ EXPECTED: 1, SEEN_REPLY: 2, ASSURED: 4, CONFIRMED: 8 });

export interface CtAddr {
  readonly addr: number;
  readonly mask: number;
  readonly negate: boolean;
}

/** `-m conntrack` (and `-m state`, its alias: `alias` says which one the rule was written with). */
export interface ConntrackMatch {
  readonly kind: "conntrack";
  readonly alias: "conntrack" | "state";
  readonly state?: { readonly mask: number; readonly negate: boolean };
  readonly proto?: { readonly proto: number; readonly negate: boolean };
  readonly origsrc?: CtAddr;
  readonly origdst?: CtAddr;
  readonly replsrc?: CtAddr;
  readonly repldst?: CtAddr;
  readonly origsrcport?: PortRange;
  readonly origdstport?: PortRange;
  readonly replsrcport?: PortRange;
  readonly repldstport?: PortRange;
  readonly status?: { readonly mask: number; readonly negate: boolean };
  readonly expire?: PortRange;
  readonly dir?: "ORIGINAL" | "REPLY";
}

/** `-m statistic`: random with a 31-bit threshold (`lround(0x80000000 * p)`), or every nth packet. */
export type StatisticMatch =
  | { readonly kind: "statistic"; readonly mode: "random"; readonly negate: boolean; readonly probability: number }
  | { readonly kind: "statistic"; readonly mode: "nth"; readonly negate: boolean; readonly every: number; readonly packet: number };

/** `-m recent` (kube-proxy's sessionAffinity ClientIP). */
export interface RecentMatch {
  readonly kind: "recent";
  readonly op: "set" | "rcheck" | "update" | "remove";
  readonly negate: boolean;
  readonly seconds: number;
  readonly reap: boolean;
  readonly hitcount: number;
  readonly rttl: boolean;
  readonly name: string;
  readonly side: "source" | "dest";
  readonly mask: number;
}

/** `-m icmp --icmp-type type[/code]`; type 0xff is `any`. */
export interface IcmpMatch {
  readonly kind: "icmp";
  readonly type: number;
  readonly codeMin: number;
  readonly codeMax: number;
  readonly negate: boolean;
}

/** `-m set --match-set NAME src,dst`. */
export interface SetMatch {
  readonly kind: "set";
  readonly name: string;
  readonly dirs: readonly ("src" | "dst")[];
  readonly negate: boolean;
}

/** `-m limit` (parsed and printed; always matches: the walk never sends bursts). */
export interface LimitMatch {
  readonly kind: "limit";
  /** Average period in units of 1/10000 s (`XT_LIMIT_SCALE`). */
  readonly avg: number;
  readonly burst: number;
}

/** `-m mac --mac-source`. */
export interface MacMatch {
  readonly kind: "mac";
  readonly mac: string;
  readonly negate: boolean;
}

/** `-m nfacct --nfacct-name` (kube-proxy's metrics counters; always matches). */
export interface NfacctMatch {
  readonly kind: "nfacct";
  readonly name: string;
}

/** `-m physdev` (bridged traffic through br_netfilter). */
export interface PhysdevMatch {
  readonly kind: "physdev";
  readonly in?: { readonly name: string; readonly wildcard: boolean; readonly negate: boolean };
  readonly out?: { readonly name: string; readonly wildcard: boolean; readonly negate: boolean };
  readonly isIn?: { readonly negate: boolean };
  readonly isOut?: { readonly negate: boolean };
  readonly isBridged?: { readonly negate: boolean };
}

/** `-m owner`: the sending socket's uid/gid ranges, or that a socket exists (OUTPUT, POSTROUTING). */
export interface OwnerMatch {
  readonly kind: "owner";
  readonly uid?: { readonly lo: number; readonly hi: number; readonly negate: boolean };
  readonly gid?: { readonly lo: number; readonly hi: number; readonly negate: boolean };
  readonly socketExists?: { readonly negate: boolean };
}

export type Match =
  | AddrMatch
  | IfaceMatch
  | ProtoMatch
  | FragmentMatch
  | PortsMatch
  | MultiportMatch
  | CommentMatch
  | MarkMatch
  | AddrtypeMatch
  | ConntrackMatch
  | StatisticMatch
  | RecentMatch
  | IcmpMatch
  | SetMatch
  | LimitMatch
  | MacMatch
  | NfacctMatch
  | PhysdevMatch
  | OwnerMatch;

// ---------------------------------------------------------------------------------------------
// Targets

export type RejectWith =
  | "icmp-net-unreachable"
  | "icmp-host-unreachable"
  | "icmp-proto-unreachable"
  | "icmp-port-unreachable"
  | "icmp-net-prohibited"
  | "icmp-host-prohibited"
  | "tcp-reset"
  | "icmp-admin-prohibited";

/** One NAT range: addresses and/or ports (`10.0.0.5:8080`, `10.0.0.5-10.0.0.9`, `:1000-2000`). */
export interface NatRange {
  readonly minIp?: number;
  readonly maxIp?: number;
  readonly minPort?: number;
  readonly maxPort?: number;
}

export type Target =
  | { readonly kind: "ACCEPT" }
  | { readonly kind: "DROP" }
  | { readonly kind: "RETURN" }
  | { readonly kind: "QUEUE" }
  | { readonly kind: "jump"; readonly chain: string }
  | { readonly kind: "goto"; readonly chain: string }
  | { readonly kind: "REJECT"; readonly with: RejectWith }
  | { readonly kind: "DNAT"; readonly ranges: readonly NatRange[]; readonly random: boolean; readonly persistent: boolean }
  | { readonly kind: "SNAT"; readonly ranges: readonly NatRange[]; readonly random: boolean; readonly randomFully: boolean; readonly persistent: boolean }
  | { readonly kind: "MASQUERADE"; readonly ports?: { readonly lo: number; readonly hi: number }; readonly random: boolean; readonly randomFully: boolean }
  | { readonly kind: "REDIRECT"; readonly ports?: { readonly lo: number; readonly hi: number }; readonly random: boolean }
  /** The new mark is `(mark & ~mask) ^ value` (every --set/--and/--or/--xor-mark is one of these). */
  | { readonly kind: "MARK"; readonly value: number; readonly mask: number }
  | { readonly kind: "CONNMARK"; readonly mode: "set"; readonly value: number; readonly mask: number }
  | { readonly kind: "CONNMARK"; readonly mode: "save" | "restore"; readonly nfmask: number; readonly ctmask: number }
  | { readonly kind: "LOG"; readonly prefix: string; readonly level: number; readonly flags: number }
  /** `-j CT --notrack`, or `-j NOTRACK` (`alias`), which iptables keeps as CT underneath. */
  | { readonly kind: "CT"; readonly notrack: boolean; readonly alias: boolean };

/** What a rule is, frozen: shared by every fork and every chain it is copied into. */
export interface RuleSpec {
  /** The arguments in iptables-save's canonical order and spelling, after `-A CHAIN`. */
  readonly args: readonly string[];
  /** The same as iptables-save prints it after `-A CHAIN ` (quoting, spacing and all): the rule's identity for `-D`/`-C`. */
  readonly text: string;
  readonly matches: readonly Match[];
  readonly target?: Target;
}

export interface Rule {
  readonly spec: RuleSpec;
  packets: number;
  bytes: number;
  /** `-m statistic --mode nth`: the kernel's per-rule packet counter (set on first use). */
  nth?: number;
}

export interface Chain {
  readonly name: string;
  /** Built-in chains have a policy; user chains have none (`-`). */
  policy?: "ACCEPT" | "DROP";
  /** The policy's counters (built-in chains). */
  packets: number;
  bytes: number;
  rules: Rule[];
}

export interface Table {
  readonly name: TableName;
  /** Insertion order is creation order; iptables-save prints built-ins first, then user chains sorted. */
  chains: Map<string, Chain>;
  /**
   * Whether the table exists in the kernel. nf_tables creates an iptables table on its first
   * write, and a plain `iptables-save` prints only those; listing or `-t nat` shows a missing
   * one as its empty built-in chains.
   */
  present: boolean;
}

export type Netfilter = Record<TableName, Table>;

/** A built-in chain as the table makes it: policy ACCEPT, no rules. */
export function builtinChain(name: string): Chain {
  return { name, policy: "ACCEPT", packets: 0, bytes: 0, rules: [] };
}

/** An empty table: its built-in chains, policies ACCEPT, no rules. */
export function emptyTable(name: TableName): Table {
  return { name, chains: new Map(BUILTIN_CHAINS[name].map((c) => [c, builtinChain(c)])), present: false };
}

/** Every table with its built-in chains, policies ACCEPT, no rules (a fresh namespace). */
export function emptyNetfilter(): Netfilter {
  return { raw: emptyTable("raw"), mangle: emptyTable("mangle"), nat: emptyTable("nat"), filter: emptyTable("filter") };
}
