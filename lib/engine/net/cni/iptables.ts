/**
 * What the CNI plugins and flanneld do with iptables, as go-iptables does it: each call one
 * iptables command line run on the namespace's tables through the netfilter layer's parser,
 * with checks for AppendUnique and chains created when missing. A command line is parsed
 * once per process (its rule specs are frozen and shared), and a check compares a rule's
 * canonical arguments with the chain's, so the agents' periodic re-checks stay cheap.
 *
 * @example
 * appendUnique(stack, "nat", "POSTROUTING", ["-s", "10.244.1.5", "-j", chain, "-m", "comment", "--comment", comment]);
 */
import type { NetStack } from "../kernel/stack";
import { applyCommand, NfError, parseCommandLine, TableTxn, XtError, type ParsedCommand, type RuleSpec, type TableName } from "../netfilter";

/** Parsed command lines by their words (frozen results, shared like restore's cache). */
const parsed = new Map<string, ParsedCommand>();
const CACHE_LIMIT = 20_000;

function parse(argv: readonly string[]): ParsedCommand | undefined {
  const key = argv.join("\u0000");
  let cmd = parsed.get(key);
  if (!cmd) {
    const out = parseCommandLine(argv);
    if (out.kind !== "command") return undefined;
    cmd = out.command;
    if (parsed.size >= CACHE_LIMIT) parsed.clear();
    parsed.set(key, cmd);
  }
  return cmd;
}

/** Runs `iptables ARGV` on the namespace: undefined when it succeeded, else the error go-iptables reports. */
export function iptables(stack: NetStack, argv: readonly string[]): string | undefined {
  try {
    const cmd = parse(argv);
    if (!cmd) return undefined;
    const txn = new TableTxn(stack.netfilter[cmd.table], stack);
    applyCommand(cmd, txn, () => undefined);
    txn.commit();
    return undefined;
  } catch (error) {
    if (error instanceof XtError || error instanceof NfError) return `running [/usr/sbin/iptables ${argv.join(" ")} --wait]: exit status 1: iptables: ${error.message.trim()}`;
    throw error;
  }
}

export function hasChain(stack: NetStack, table: TableName, chain: string): boolean {
  return stack.netfilter[table].chains.has(chain);
}

/** `-N` unless the chain exists. */
export function ensureChain(stack: NetStack, table: TableName, chain: string): string | undefined {
  return hasChain(stack, table, chain) ? undefined : iptables(stack, ["-t", table, "-N", chain]);
}

const sameArgs = (a: RuleSpec, b: RuleSpec) => a.args.length === b.args.length && a.args.every((w, i) => w === b.args[i]);

/** Whether the rule is in the chain (`-C`): the same canonical arguments. */
export function ruleExists(stack: NetStack, table: TableName, chain: string, rule: readonly string[]): boolean {
  const rules = stack.netfilter[table].chains.get(chain)?.rules;
  if (!rules) return false;
  const spec = parse(["-t", table, "-A", chain, ...rule])?.specs[0];
  return spec !== undefined && rules.some((r) => sameArgs(r.spec, spec));
}

/** `-A` unless the rule is there already. */
export function appendUnique(stack: NetStack, table: TableName, chain: string, rule: readonly string[]): string | undefined {
  return ruleExists(stack, table, chain, rule) ? undefined : iptables(stack, ["-t", table, "-A", chain, ...rule]);
}

/** `-D` when the rule is there. */
export function deleteIfExists(stack: NetStack, table: TableName, chain: string, rule: readonly string[]): void {
  if (ruleExists(stack, table, chain, rule)) iptables(stack, ["-t", table, "-D", chain, ...rule]);
}

/** `-F` then `-X`, when the chain exists. */
export function removeChain(stack: NetStack, table: TableName, chain: string): void {
  if (!hasChain(stack, table, chain)) return;
  iptables(stack, ["-t", table, "-F", chain]);
  iptables(stack, ["-t", table, "-X", chain]);
}

/**
 * What the given chains are now, plus whatever else the rules depend on: a table transaction
 * replaces every chain it changes, so an unchanged snapshot means nobody touched those rules
 * (an agent's periodic re-check can stop there).
 */
export function chainSnapshot(stack: NetStack, chains: readonly (readonly [TableName, string])[], ...inputs: unknown[]): readonly unknown[] {
  return [...inputs, ...chains.map(([table, chain]) => stack.netfilter[table].chains.get(chain))];
}

export function sameSnapshot(a: readonly unknown[] | undefined, b: readonly unknown[]): boolean {
  return a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);
}
