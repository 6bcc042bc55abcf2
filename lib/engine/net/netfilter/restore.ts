/**
 * iptables-restore (xtables-restore 1.8.7): `*table`, `:CHAIN POLICY [p:b]` declarations, rule
 * lines as iptables commands, `COMMIT`. Each table is one transaction: an error anywhere in it
 * applies nothing of it (tables committed before stay). Without `noflush` a table starts over;
 * with it, only the chains declared are emptied (kube-proxy's and Calico's way).
 *
 * kube-proxy and the CNI restore in-process through {@link restoreTables}; the
 * `iptables-restore` command is the same function over standard input. Rule lines are parsed
 * once per distinct text: a resync that writes the same rules again costs a lookup per line.
 *
 * @example
 * const { error } = restoreTables(stack, "*nat\n:KUBE-SERVICES - [0:0]\n-A KUBE-SERVICES -j RETURN\nCOMMIT\n", { noflush: true });
 */
import type { NetStack } from "../kernel/stack";
import { applyCommand } from "./apply";
import { parseCommandLine, splitRuleLine, type ParsedCommand } from "./parse";
import { NfError, TableTxn } from "./ruleset";
import { BUILTIN_CHAINS, isTableName, type RuleSpec, type TableName } from "./types";
import { formatXtError, OTHER_PROBLEM, PARAMETER_PROBLEM, XtError } from "./xtables";

export interface RestoreOptions {
  /** `--noflush`: keep what the tables hold; `:CHAIN - [0:0]` still empties that chain. */
  noflush?: boolean;
  /** `--counters`: take `[packets:bytes]` of chains and rules from the input. */
  counters?: boolean;
  /** `--test`: parse and check everything, commit nothing. */
  test?: boolean;
  /** `--table`: restore only this table. */
  table?: string;
  /** The name errors are reported under (`iptables-restore`). */
  program?: string;
  /** Host names in `-s`/`-d`; numbers only when absent. */
  resolveHost?: (name: string) => number | undefined;
}

export interface RestoreResult {
  /** What the program prints to standard error, and its exit status; absent on success. */
  error?: { message: string; status: number };
  /** What rule lines printed (a `-L` or `-S` inside the input). */
  output: string;
}

/** A line that appends one rule (nearly every line), kept as just that: a whole command costs a few hundred bytes more per line. */
interface Append {
  readonly append: string;
  readonly spec: RuleSpec;
}

/**
 * Parsed rule lines by table (and counters) and then by the line's text; successes only, as
 * errors mention line numbers. Bounded: kube-proxy's 1,000 Services × 5 endpoints fit twice.
 */
const parseCache = new Map<string, Map<string, ParsedCommand | Append>>();
let cached = 0;
const CACHE_LIMIT = 50_000;

/** Applies an iptables-restore input to a namespace's tables. */
export function restoreTables(stack: NetStack, text: string, options: RestoreOptions = {}): RestoreResult {
  const program = options.program ?? "iptables-restore";
  let output = "";
  let txn: TableTxn | undefined;
  let table: TableName | undefined;
  let skipping = false;
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  let line = 0;
  const fail = (message: string, status: number): RestoreResult => ({ error: { message, status }, output });
  try {
    for (const raw of lines) {
      line++;
      if (raw === "") continue;
      if (raw.startsWith("#")) continue;
      if (txn && raw === "COMMIT") {
        if (!options.test && !skipping) txn.commit();
        txn = undefined;
        table = undefined;
        skipping = false;
        continue;
      }
      if (raw.startsWith("*") && !txn) {
        const name = raw.slice(1).split(/[ \t]/)[0];
        if (name === "") throw new XtError(`${program}: line ${line} table name invalid\n`);
        if (!isTableName(name)) throw new XtError(`${program}: line ${line} table name '${name}' invalid\n`);
        table = name;
        txn = new TableTxn(stack.netfilter[name], stack);
        skipping = options.table !== undefined && options.table !== name;
        if (!options.noflush && !skipping) txn.reset();
        continue;
      }
      if (!txn || !table) return fail(`${program}: line ${line} failed\n`, OTHER_PROBLEM);
      if (skipping) continue;
      if (raw.startsWith(":")) {
        declare(txn, table, raw, line, options);
        continue;
      }
      const cmd = parseLine(raw, table, line, program, options);
      if (cmd && "append" in cmd) txn.append(cmd.append, cmd.spec);
      else if (cmd) output += applyCommand(cmd, txn, () => undefined);
    }
  } catch (error) {
    if (error instanceof XtError) return fail(formatXtError(error, program, error.status === PARAMETER_PROBLEM ? line : undefined), error.status);
    if (error instanceof NfError) {
      const f = error.failure;
      if (f.kind === "batch") return fail(`${program} v1.8.7 (nf_tables): \nline ${line}: ${f.op} failed (${f.reason}): ${f.what}\n`, 4);
      return fail(`${program}: line ${line} failed\n`, OTHER_PROBLEM);
    }
    throw error;
  }
  if (txn) return fail(`${program}: COMMIT expected at line ${line + 1}\n`, OTHER_PROBLEM);
  return { output };
}

/** `:CHAIN POLICY [packets:bytes]`: a built-in chain's policy, or a user chain created or emptied. */
function declare(txn: TableTxn, table: TableName, raw: string, line: number, options: RestoreOptions): void {
  const [chain, policy, ctrs] = blankSeparated(raw, 1, 3);
  const program = options.program ?? "iptables-restore";
  if (!chain) throw new XtError(`${program}: line ${line} chain name invalid\n`);
  if (chain.length >= 29) throw new XtError(`Invalid chain name \`${chain}' (28 chars max)`);
  if (!policy) throw new XtError(`${program}: line ${line} policy invalid\n`);
  if (policy === "-") {
    txn.declareChain(chain);
    return;
  }
  let counters = { packets: 0, bytes: 0 };
  if (options.counters) {
    const m = ctrs === undefined ? null : /^\[(\d+):(\d+)\]/.exec(ctrs);
    if (!m) throw new XtError(`invalid policy counters for chain '${chain}'\n`);
    counters = { packets: Number(m[1]), bytes: Number(m[2]) };
  }
  if ((policy !== "ACCEPT" && policy !== "DROP") || !BUILTIN_CHAINS[table].includes(chain)) {
    const reason = policy !== "ACCEPT" && policy !== "DROP" ? "Bad policy name" : "Bad built-in chain name";
    throw new XtError(`Can't set policy \`${policy}' on \`${chain}' line ${line}: ${reason}\n`, OTHER_PROBLEM);
  }
  txn.policy(chain, policy, counters);
}

function compact(cmd: ParsedCommand): ParsedCommand | Append {
  return cmd.command === "append" && cmd.specs.length === 1 && !cmd.counters ? Object.freeze({ append: cmd.chain!, spec: cmd.specs[0] }) : cmd;
}

/** Up to `max` words of `raw` from `from` on, separated by spaces and tabs. */
function blankSeparated(raw: string, from: number, max: number): string[] {
  const words: string[] = [];
  let start = -1;
  for (let i = from; i <= raw.length && words.length < max; i++) {
    const c = i < raw.length ? raw.charCodeAt(i) : 32;
    if (c !== 32 && c !== 9) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      words.push(raw.slice(start, i));
      start = -1;
    }
  }
  return words;
}

/** A rule line, `[packets:bytes]` first when it has counters; undefined for a skipped `-6` line. */
function parseLine(raw: string, table: TableName, line: number, program: string, options: RestoreOptions): ParsedCommand | Append | undefined {
  let rest = raw;
  let counters: string[] = [];
  if (raw.startsWith("[")) {
    const close = raw.indexOf("]");
    if (close < 0) throw new XtError(`Bad line ${line}: need ]\n`);
    const [p, b] = raw.slice(1, close).split(":");
    if (b === undefined) throw new XtError(`Bad line ${line}: need :\n`);
    if (options.counters) counters = ["--set-counters", p, b];
    rest = raw.slice(close + 1);
  }
  const scope = counters.length ? `${table} ${counters.join(" ")}` : table;
  let lines = parseCache.get(scope);
  const hit = lines?.get(rest);
  if (hit) return hit;
  const argv = ["-t", table, ...counters];
  for (const word of splitRuleLine(rest, { line, program })) argv.push(word);
  const outcome = parseCommandLine(argv, { restore: { line, program }, resolveHost: options.resolveHost });
  if (outcome.kind === "skip") return undefined;
  if (outcome.kind !== "command") throw new XtError(`${program}: line ${line} failed\n`);
  if (!outcome.command.resolved) {
    if (cached >= CACHE_LIMIT) {
      parseCache.clear();
      cached = 0;
      lines = undefined;
    }
    if (!lines) parseCache.set(scope, (lines = new Map()));
    lines.set(rest, compact(outcome.command));
    cached++;
  }
  return outcome.command;
}
