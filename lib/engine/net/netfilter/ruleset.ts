/**
 * The kernel's side of an iptables change, as nf_tables does it for iptables-nft 1.8.7: each
 * change is applied to a transaction over one table and committed whole (a command line is one
 * transaction, an iptables-restore table is one), so a failure anywhere applies nothing.
 *
 * Failures come in the two shapes iptables reports: an errno the userspace side found
 * (`iptables: Index of deletion too big.`), or a batch the kernel refused
 * (`iptables v1.8.7 (nf_tables):  CHAIN_USER_DEL failed (Device or resource busy): chain X`).
 *
 * @example
 * const txn = new TableTxn(stack.netfilter.nat, stack);
 * txn.append("KUBE-SERVICES", spec);
 * txn.commit();
 */
import type { NetStack } from "../kernel/stack";
import { compiledRule } from "./parse";
import { BUILTIN_CHAINS, builtinChain, type Chain, type Rule, type RuleSpec, type Table, type TableName } from "./types";
import { XtError } from "./xtables";

/** What iptables prints for a failed change. */
export type NfFailure =
  /** `iptables: <message>.` (errno mapped by nft_strerror), exit 1. */
  | { readonly kind: "errno"; readonly message: string; readonly dmesg: boolean }
  /** A refused batch: `… OP failed (reason): what`, exit 4. */
  | { readonly kind: "batch"; readonly op: string; readonly reason: string; readonly what: string };

export class NfError extends Error {
  constructor(readonly failure: NfFailure) {
    super(failure.kind === "errno" ? failure.message : `${failure.op} failed (${failure.reason}): ${failure.what}`);
  }
}

const errno = (message: string, dmesg = false) => new NfError({ kind: "errno", message, dmesg });
const NO_CHAIN = "No chain/target/match by that name";
const BAD_RULE = "Bad rule (does a matching rule exist in that chain?)";

/** Targets only the nat table has, and the built-in chains each may sit in directly. */
const TARGET_TABLES: Readonly<Record<string, { tables: readonly TableName[]; hooks: readonly string[] }>> = {
  DNAT: { tables: ["nat"], hooks: ["PREROUTING", "OUTPUT"] },
  REDIRECT: { tables: ["nat"], hooks: ["PREROUTING", "OUTPUT"] },
  SNAT: { tables: ["nat"], hooks: ["POSTROUTING", "INPUT"] },
  MASQUERADE: { tables: ["nat"], hooks: ["POSTROUTING"] },
  CT: { tables: ["raw"], hooks: ["PREROUTING", "OUTPUT"] },
  REJECT: { tables: ["filter", "mangle", "raw", "nat"], hooks: ["INPUT", "FORWARD", "OUTPUT"] },
};

/** Matches the kernel accepts only under `-p` of their protocol (x_tables' `match->proto`). */
const PROTO_OF_MATCH: Readonly<Record<string, number>> = { tcp: 6, udp: 17, icmp: 1, sctp: 132 };

/** The chains a rule jumps or goes to. */
export function jumpOf(spec: RuleSpec): string | undefined {
  const t = spec.target;
  return t && (t.kind === "jump" || t.kind === "goto") ? t.chain : undefined;
}

/** User chains sorted as iptables lists them (strcmp), after the built-ins in hook order. */
export function chainOrder(table: { name: TableName; chains: ReadonlyMap<string, Chain> }): Chain[] {
  const builtins = BUILTIN_CHAINS[table.name].map((n) => table.chains.get(n)!).filter(Boolean);
  const users = [...table.chains.values()].filter((c) => c.policy === undefined).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [...builtins, ...users];
}

/** How many rules of the table jump or go to each chain (`Chain X (2 references)`). */
export function referenceCounts(chains: Iterable<Chain>): Map<string, number> {
  const refs = new Map<string, number>();
  for (const chain of chains) {
    for (const rule of chain.rules) {
      const to = jumpOf(rule.spec);
      if (to !== undefined) refs.set(to, (refs.get(to) ?? 0) + 1);
    }
  }
  return refs;
}

/**
 * One table's pending change: chains are copied when first written, so the table itself is
 * untouched until {@link commit}. `op` names the batch operation a kernel refusal reports.
 */
export class TableTxn {
  private readonly chains: Map<string, Chain>;
  private readonly copied = new Set<string>();
  /** Jump counts per target chain, kept once something needs them (`-X`). */
  private refs?: Map<string, number>;

  constructor(
    private readonly table: Table,
    private readonly stack: NetStack,
  ) {
    this.chains = new Map(table.chains);
  }

  get name(): TableName {
    return this.table.name;
  }

  chain(name: string): Chain | undefined {
    return this.chains.get(name);
  }

  hasChain(name: string): boolean {
    return this.chains.has(name);
  }

  allChains(): IterableIterator<Chain> {
    return this.chains.values();
  }

  /** Applies the transaction: the table gets the new chains and exists from now on. */
  commit(): void {
    this.table.chains = this.chains;
    this.table.present = true;
  }

  // -- rule changes --------------------------------------------------------------------------

  append(chain: string, spec: RuleSpec, counters?: { packets: number; bytes: number }): void {
    const c = this.writable(chain, NO_CHAIN);
    this.validate(chain, spec, "RULE_APPEND");
    this.checkLoop(chain, spec, "RULE_APPEND");
    this.addRule(c, c.rules.length, spec, counters);
  }

  /** `-I CHAIN N`: before rule N (1-based); N may be one past the end. */
  insert(chain: string, rulenum: number, spec: RuleSpec, counters?: { packets: number; bytes: number }): void {
    const c = this.writable(chain, NO_CHAIN);
    if (rulenum > c.rules.length + 1) throw errno("Index of insertion too big");
    this.validate(chain, spec, "RULE_INSERT");
    this.checkLoop(chain, spec, "RULE_INSERT");
    this.addRule(c, rulenum - 1, spec, counters);
  }

  /** `-R CHAIN N`: the rule keeps no counters unless given. */
  replace(chain: string, rulenum: number, spec: RuleSpec, counters?: { packets: number; bytes: number }): void {
    const c = this.writable(chain, NO_CHAIN);
    if (rulenum > c.rules.length) throw errno("Index of replacement too big");
    this.validate(chain, spec, "RULE_REPLACE");
    this.checkLoop(chain, spec, "RULE_REPLACE");
    this.removeRule(c, rulenum - 1);
    this.addRule(c, rulenum - 1, spec, counters);
  }

  /** `-D CHAIN rule-spec`: the first rule with the same text. */
  deleteSpec(chain: string, spec: RuleSpec): void {
    if (!this.chains.has(chain)) throw errno(BAD_RULE);
    this.validate(chain, spec, undefined);
    const c = this.writable(chain, BAD_RULE);
    const index = c.rules.findIndex((r) => r.spec.text === spec.text);
    if (index < 0) throw errno(BAD_RULE);
    this.removeRule(c, index);
  }

  deleteNum(chain: string, rulenum: number): void {
    const c = this.writable(chain, NO_CHAIN);
    if (rulenum > c.rules.length) throw errno("Index of deletion too big");
    this.removeRule(c, rulenum - 1);
  }

  /** `-C CHAIN rule-spec`: whether a rule with that text exists (a failure when not). */
  check(chain: string, spec: RuleSpec): void {
    const c = this.chains.get(chain);
    if (!c) throw errno(BAD_RULE);
    this.validate(chain, spec, undefined);
    if (!c.rules.some((r) => r.spec.text === spec.text)) throw errno(BAD_RULE);
  }

  /** `-F [CHAIN]`: a chain's rules, or every chain's. */
  flush(chain?: string): void {
    const names = chain === undefined ? [...this.chains.keys()] : [chain];
    for (const name of names) {
      const c = this.writable(name, NO_CHAIN);
      while (c.rules.length) this.removeRule(c, c.rules.length - 1);
    }
  }

  /** `-Z [CHAIN [N]]`: counters of rules (and of built-in policies) back to zero. */
  zero(chain?: string, rulenum?: number): void {
    const names = chain === undefined ? [...this.chains.keys()] : [chain];
    for (const name of names) {
      const c = this.writable(name, NO_CHAIN);
      if (rulenum !== undefined) {
        if (rulenum > c.rules.length) throw errno("Index of counter too big");
        c.rules[rulenum - 1] = { ...c.rules[rulenum - 1], packets: 0, bytes: 0 };
        continue;
      }
      c.packets = 0;
      c.bytes = 0;
      c.rules = c.rules.map((r) => ({ ...r, packets: 0, bytes: 0 }));
    }
  }

  // -- chain changes -------------------------------------------------------------------------

  newChain(name: string): void {
    if (this.chains.has(name)) throw errno("Chain already exists");
    this.chains.set(name, { name, packets: 0, bytes: 0, rules: [] });
    this.copied.add(name);
  }

  /** `:NAME - [0:0]` in iptables-restore: created, or emptied when it exists. */
  declareChain(name: string): void {
    if (this.chains.has(name)) this.flush(name);
    else this.newChain(name);
  }

  /**
   * `-X [CHAIN]`: a user chain, or every user chain. The kernel refuses one that still has
   * rules or that a rule jumps to.
   */
  deleteChain(name?: string): void {
    if (name !== undefined) {
      const c = this.chains.get(name);
      if (!c) throw errno(NO_CHAIN);
      if (c.policy !== undefined) throw errno("Can't delete built-in chain", true);
      this.removeChain(c);
      return;
    }
    const users = [...this.chains.values()].filter((c) => c.policy === undefined);
    const refs = this.references();
    const deleting = new Set(users.map((c) => c.name));
    // Deleting them all at once: jumps between them do not count, their rules do.
    for (const c of users) {
      const fromOutside = [...this.chains.values()].some((o) => !deleting.has(o.name) && o.rules.some((r) => jumpOf(r.spec) === c.name));
      if (c.rules.length > 0 || fromOutside) throw busy(c.name);
    }
    for (const c of users) {
      this.chains.delete(c.name);
      refs.delete(c.name);
    }
  }

  rename(from: string, to: string): void {
    const c = this.chains.get(from);
    if (!c) throw errno(NO_CHAIN);
    if (this.chains.has(to)) throw errno("File exists");
    if (c.policy !== undefined) throw errno("Invalid argument", true);
    const renamed: Chain = { ...c, name: to, rules: c.rules };
    // Insertion order is creation order; the renamed chain keeps its place.
    const entries = [...this.chains].map(([n, ch]): [string, Chain] => (n === from ? [to, renamed] : [n, ch]));
    this.chains.clear();
    for (const [n, ch] of entries) this.chains.set(n, ch);
    this.copied.add(to);
    // Jumps follow the chain (nf_tables references chains by handle; iptables prints the new name).
    for (const chain of [...this.chains.values()]) {
      if (!chain.rules.some((r) => jumpOf(r.spec) === from)) continue;
      const w = this.writable(chain.name, NO_CHAIN);
      w.rules = w.rules.map((r) => (jumpOf(r.spec) === from ? { ...r, spec: retarget(r.spec, from, to) } : r));
    }
    if (this.refs) {
      this.refs.set(to, this.refs.get(from) ?? 0);
      this.refs.delete(from);
    }
  }

  /** `-P CHAIN ACCEPT|DROP` (with the policy's counters when given, as restore's `[p:b]`). */
  policy(chain: string, policy: string, counters?: { packets: number; bytes: number }): void {
    if (policy !== "ACCEPT" && policy !== "DROP") throw errno("Bad policy name", true);
    if (!BUILTIN_CHAINS[this.table.name].includes(chain)) throw errno("Bad built-in chain name");
    const c = this.writable(chain, NO_CHAIN);
    c.policy = policy;
    if (counters) {
      c.packets = counters.packets;
      c.bytes = counters.bytes;
    }
  }

  /** iptables-restore without --noflush: the table starts over (built-ins with policy ACCEPT). */
  reset(): void {
    this.chains.clear();
    this.refs = undefined;
    for (const name of BUILTIN_CHAINS[this.table.name]) {
      this.chains.set(name, builtinChain(name));
      this.copied.add(name);
    }
  }

  // -- internals -----------------------------------------------------------------------------

  private writable(name: string, missing: string): Chain {
    const c = this.chains.get(name);
    if (!c) throw errno(missing);
    if (this.copied.has(name)) return c;
    const copy: Chain = { ...c, rules: [...c.rules] };
    this.chains.set(name, copy);
    this.copied.add(name);
    return copy;
  }

  private addRule(c: Chain, index: number, spec: RuleSpec, counters?: { packets: number; bytes: number }): void {
    const rule: Rule = { spec, packets: counters?.packets ?? 0, bytes: counters?.bytes ?? 0 };
    if (index === c.rules.length) c.rules.push(rule);
    else c.rules.splice(index, 0, rule);
    const to = jumpOf(spec);
    if (this.refs && to !== undefined) this.refs.set(to, (this.refs.get(to) ?? 0) + 1);
  }

  private removeRule(c: Chain, index: number): void {
    const [rule] = c.rules.splice(index, 1);
    const to = jumpOf(rule.spec);
    if (this.refs && to !== undefined) this.refs.set(to, (this.refs.get(to) ?? 1) - 1);
  }

  private removeChain(c: Chain): void {
    if (c.rules.length > 0 || (this.references().get(c.name) ?? 0) > 0) throw busy(c.name);
    this.chains.delete(c.name);
    this.refs!.delete(c.name);
  }

  private references(): Map<string, number> {
    this.refs ??= referenceCounts(this.chains.values());
    return this.refs;
  }

  /**
   * What the rule needs of the table before the kernel takes it: its jump target a chain of the
   * table (else iptables tries a target extension by that name), its ipsets existing, and the
   * target and protocol matches the kernel allows here.
   */
  private validate(chain: string, spec: RuleSpec, op: string | undefined): void {
    const to = jumpOf(spec);
    if (to !== undefined && !this.chains.has(to)) throw new XtError(`Couldn't load target \`${to}':No such file or directory\n`);
    for (const m of spec.matches) {
      if (m.kind === "set" && !this.stack.ipsets.has(m.name)) throw new XtError(`Set ${m.name} doesn't exist.\n`);
    }
    if (op === undefined) return;
    const what = `rule in chain ${chain}`;
    const proto = spec.matches.find((m) => m.kind === "proto");
    for (const m of spec.matches) {
      const needs = PROTO_OF_MATCH[m.kind];
      if (needs !== undefined && (!proto || proto.kind !== "proto" || proto.proto !== needs || proto.negate)) throw invalid(op, what);
    }
    if (to !== undefined && this.chains.get(to)!.policy !== undefined) throw new NfError({ kind: "batch", op, reason: "Operation not supported", what });
    const limits = spec.target ? TARGET_TABLES[spec.target.kind] : undefined;
    if (limits) {
      if (!limits.tables.includes(this.table.name)) throw invalid(op, what);
      if (BUILTIN_CHAINS[this.table.name].includes(chain) && !limits.hooks.includes(chain)) throw invalid(op, what);
    }
  }

  /** nf_tables refuses a rule whose jump leads back to its own chain (a loop). */
  private checkLoop(chain: string, spec: RuleSpec, op: string): void {
    const to = jumpOf(spec);
    if (to === undefined) return;
    const seen = this.loopSeen;
    const pending = this.loopPending;
    seen.clear();
    pending.length = 0;
    pending.push(to);
    while (pending.length) {
      const name = pending.pop()!;
      if (name === chain) throw new NfError({ kind: "batch", op, reason: "Too many levels of symbolic links", what: `rule in chain ${chain}` });
      if (seen.has(name)) continue;
      seen.add(name);
      const rules = this.chains.get(name)?.rules;
      if (!rules) continue;
      for (let i = 0; i < rules.length; i++) {
        const next = jumpOf(rules[i].spec);
        if (next !== undefined && !seen.has(next)) pending.push(next);
      }
    }
  }

  /** The loop search's scratch space, reused rule after rule. */
  private readonly loopSeen = new Set<string>();
  private readonly loopPending: string[] = [];
}

function busy(name: string): NfError {
  return new NfError({ kind: "batch", op: "CHAIN_USER_DEL", reason: "Device or resource busy", what: `chain ${name}` });
}

function invalid(op: string, what: string): NfError {
  return new NfError({ kind: "batch", op, reason: "Invalid argument", what });
}

/** The same rule jumping to a renamed chain: its text and words follow. */
function retarget(spec: RuleSpec, from: string, to: string): RuleSpec {
  const target = spec.target!.kind === "goto" ? { kind: "goto" as const, chain: to } : { kind: "jump" as const, chain: to };
  const flag = target.kind === "goto" ? "-g" : "-j";
  const text = `${spec.text.slice(0, spec.text.length - `${flag} ${from}`.length)}${flag} ${to}`;
  return compiledRule(text, spec.matches, Object.freeze(target));
}
