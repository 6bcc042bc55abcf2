/**
 * What kube-proxy asks of the node's kernel besides IPVS, through the same paths the real one
 * uses: `iptables -N`/`-C`/`-I` for the chains and jump rules it ensures one by one
 * (utiliptables' EnsureChain / EnsureRule), `iptables-restore --noflush --counters` for its
 * payload, `ipset` for the IPVS proxier's sets, and sysctls. Rules go through the netfilter
 * layer's one parser, so they are exactly what `iptables-save` then prints.
 *
 * @example
 * ensureRule(stack, "nat", "PREROUTING", '-m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
 * const error = restore(stack, payload);
 */
import type { NetStack } from "../kernel/stack";
import { parseCommandLine, splitRuleLine } from "../netfilter/parse";
import { TableTxn } from "../netfilter/ruleset";
import { addEntry, createSet, deleteEntry } from "../netfilter/ipset";
import { restoreTables } from "../netfilter/restore";
import type { RuleSpec, TableName } from "../netfilter/types";
import { IPVS_IPSETS, type IpvsSets } from "./ipvs-rules";

/** EnsureChain: `iptables -t TABLE -N CHAIN` unless it exists. */
export function ensureChain(stack: NetStack, table: TableName, chain: string): void {
  const txn = new TableTxn(stack.netfilter[table], stack);
  if (txn.hasChain(chain)) return;
  txn.newChain(chain);
  txn.commit();
}

/** The jump rules kube-proxy and the kubelet ensure, parsed once (rule specs are frozen and shared). */
const ensuredSpecs = new Map<string, RuleSpec>();

/** EnsureRule: `iptables -C …`, and `iptables -I CHAIN 1 …` (or `-A`) when that finds nothing. */
export function ensureRule(stack: NetStack, table: TableName, chain: string, args: string, position: "prepend" | "append" = "prepend"): void {
  const key = `${table} ${chain} ${args}`;
  let spec = ensuredSpecs.get(key);
  if (!spec) {
    const parsed = parseCommandLine(["-t", table, "-I", chain, ...splitRuleLine(args)]);
    if (parsed.kind !== "command") throw new Error(`not a rule: ${args}`);
    spec = parsed.command.specs[0];
    ensuredSpecs.set(key, spec);
  }
  const txn = new TableTxn(stack.netfilter[table], stack);
  if (txn.chain(chain)?.rules.some((r) => r.spec.text === spec.text)) return;
  if (position === "prepend") txn.insert(chain, 1, spec);
  else txn.append(chain, spec);
  txn.commit();
}

/** The user chains of a table (what kube-proxy reads back with `iptables-save -t nat`). */
export function chainNames(stack: NetStack, table: TableName): string[] {
  return [...stack.netfilter[table].chains.keys()];
}

/** `iptables-restore --noflush --counters`: undefined, or the error that made it apply nothing. */
export function restore(stack: NetStack, text: string): string | undefined {
  return restoreTables(stack, text, { noflush: true, counters: true }).error?.message;
}

/**
 * The IPVS proxier's ipsets: created when missing (`ipset create NAME TYPE family inet hashsize
 * 1024 maxelem 65536 -exist`, bitmap:port with `range 0-65535`), then their members made what
 * this sync wants (`ipset del`/`add` of the difference, as syncIPSetEntries does).
 */
export function syncIpsets(stack: NetStack, sets: IpvsSets): void {
  for (const info of IPVS_IPSETS) {
    const want = sets.get(info.name) ?? new Set<string>();
    const set = createSet(stack, { name: info.name, type: info.type, hashsize: 1024, maxelem: 65536, range: info.type === "bitmap:port" ? { lo: 0, hi: 65535 } : undefined, exist: true });
    for (const entry of [...set.entries.keys()]) if (!want.has(entry)) deleteEntry(stack, info.name, entry, true);
    for (const entry of want) if (!set.entries.has(entry)) addEntry(stack, info.name, entry, true);
  }
}

/** `sysctl -w` as proxyutil.EnsureSysctl does it: only when the value differs. */
export function ensureSysctl(stack: NetStack, key: string, value: string): void {
  if (stack.sysctl(key) !== value) stack.sysctls.set(key, value);
}
