/**
 * Netfilter's iptables side: the rules of each namespace, the one parser every writer uses,
 * iptables-save/-S/-L rendering, iptables-restore, ipsets, and the evaluation the packet walker
 * runs at each hook. See types.ts for the state, parse.ts for the command line, evaluate.ts for
 * the walk.
 */
export { applyCommand } from "./apply";
export { hitLabel, traverse, type CtState, type CtTuple, type CtView, type PacketView, type RuleHit, type TraverseEnv, type TraverseResult, type Verdict } from "./evaluate";
export { addEntry, createSet, deleteEntry, destroySet, entryText, flushSet, IPSET_REVISIONS, IpSetError, setReferences, testEntry, type IpSet, type IpSetEntry, type IpSetType } from "./ipset";
export { parseCommandLine, parseRule, splitRuleLine, type CommandName, type ParsedCommand } from "./parse";
export { ctime, listChains, listRules, saveTables } from "./render";
export { restoreTables, type RestoreOptions, type RestoreResult } from "./restore";
export { chainOrder, NfError, referenceCounts, TableTxn, type NfFailure } from "./ruleset";
export * from "./types";
export { formatXtError, XtError } from "./xtables";
