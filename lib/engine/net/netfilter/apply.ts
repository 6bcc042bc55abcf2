/**
 * One parsed iptables command carried out on a table's transaction (`do_commandx`): the rule
 * and chain changes, and the listings (`-L`, `-S`, which may zero counters after printing).
 * The `iptables` command and each line of iptables-restore share it.
 *
 * @example
 * const out = applyCommand(parsed, txn, listNames); // stdout of `iptables -t nat -S`
 */
import type { ParsedCommand } from "./parse";
import { listChains, listRules } from "./render";
import { NfError, type TableTxn } from "./ruleset";
import type { Table } from "./types";

const NO_CHAIN = new NfError({ kind: "errno", message: "No chain/target/match by that name", dmesg: false });

/** Carries out `cmd` on `txn`; returns what it prints. Throws XtError or NfError. */
export function applyCommand(cmd: ParsedCommand, txn: TableTxn, host: (ip: number) => string | undefined): string {
  const chain = cmd.chain!;
  switch (cmd.command) {
    case "append":
      for (const spec of cmd.specs) txn.append(chain, spec, cmd.counters);
      return "";
    case "insert":
      for (const spec of cmd.specs) txn.insert(chain, cmd.rulenum, spec, cmd.counters);
      return "";
    case "replace":
      txn.replace(chain, cmd.rulenum, cmd.specs[0], cmd.counters);
      return "";
    case "delete":
      for (const spec of cmd.specs) txn.deleteSpec(chain, spec);
      return "";
    case "deleteNum":
      txn.deleteNum(chain, cmd.rulenum);
      return "";
    case "check":
      for (const spec of cmd.specs) txn.check(chain, spec);
      return "";
    case "flush":
      txn.flush(cmd.chain);
      return "";
    case "zero":
      txn.zero(cmd.chain);
      return "";
    case "zeroNum":
      txn.zero(cmd.chain, cmd.rulenum);
      return "";
    case "newChain":
      txn.newChain(chain);
      return "";
    case "deleteChain":
      txn.deleteChain(cmd.chain);
      return "";
    case "rename":
      txn.rename(chain, cmd.newname!);
      return "";
    case "policy":
      txn.policy(chain, cmd.policy!, cmd.counters);
      return "";
    case "list":
    case "listRules": {
      const view: Table = { name: txn.name, chains: new Map([...txn.allChains()].map((c) => [c.name, c])), present: true };
      const out =
        cmd.command === "list"
          ? listChains(view, cmd.chain, cmd.rulenum, { numeric: cmd.numeric, verbose: cmd.verbose > 0, exact: cmd.exact, lineNumbers: cmd.lineNumbers, host })
          : listRules(view, cmd.chain, cmd.rulenum, cmd.verbose > 0);
      if (out === undefined) throw NO_CHAIN;
      if (cmd.zero === "zero") txn.zero(cmd.chain);
      else if (cmd.zero === "zeroNum") txn.zero(cmd.chain, cmd.rulenum);
      return out;
    }
  }
}
