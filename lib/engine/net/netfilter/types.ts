/**
 * Netfilter's iptables state as data: tables → chains → rules with their counters. A rule's
 * text (the arguments `iptables-save` prints after `-A CHAIN`) and its compiled form are kept
 * together and frozen, so forks share them; only counters change. Every writer goes through the
 * same parser (`iptables`, `iptables-restore`, kube-proxy's restore payload, Calico's Felix), and
 * every reader (`iptables-save`, `iptables -L`, the packet walker) sees the same rules.
 */

export type TableName = "raw" | "mangle" | "nat" | "filter";

/** Built-in chains per table, in the order `iptables-save` prints them. */
export const BUILTIN_CHAINS: Readonly<Record<TableName, readonly string[]>> = Object.freeze({
  raw: Object.freeze(["PREROUTING", "OUTPUT"]),
  mangle: Object.freeze(["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"]),
  nat: Object.freeze(["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"]),
  filter: Object.freeze(["INPUT", "FORWARD", "OUTPUT"]),
});

/** One compiled match (a `-s`, `-p`, or an `-m module …` clause). Filled in by the netfilter module. */
export type Match = { readonly kind: string; readonly negate?: boolean } & Readonly<Record<string, unknown>>;

/** A rule's target (`-j`/`-g`); absent: the rule only counts. */
export type Target = { readonly kind: string } & Readonly<Record<string, unknown>>;

/** What a rule is, frozen: shared by every fork and every chain it is copied into. */
export interface RuleSpec {
  /** The arguments in iptables-save's canonical order and spelling, after `-A CHAIN`. */
  readonly args: readonly string[];
  readonly matches: readonly Match[];
  readonly target?: Target;
}

export interface Rule {
  readonly spec: RuleSpec;
  packets: number;
  bytes: number;
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
}

export type Netfilter = Record<TableName, Table>;

/** Every table with its built-in chains, policies ACCEPT, no rules (a fresh namespace). */
export function emptyNetfilter(): Netfilter {
  const make = (name: TableName): Table => ({
    name,
    chains: new Map(BUILTIN_CHAINS[name].map((c) => [c, { name: c, policy: "ACCEPT" as const, packets: 0, bytes: 0, rules: [] }])),
  });
  return { raw: make("raw"), mangle: make("mangle"), nat: make("nat"), filter: make("filter") };
}
