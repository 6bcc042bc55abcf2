/**
 * `iptables` (iptables v1.8.7, nf_tables: Ubuntu 22.04's `iptables` is iptables-nft): edits and
 * lists the rules of the namespace the shell is in. Every rule goes through the netfilter
 * layer's one parser, and each command is one transaction, so a failed change changes nothing.
 * Errors are iptables' own, with its exit codes (2 for a bad command line, 1 for a failed
 * change, 4 for a change the kernel refused, 3 for an unknown table).
 *
 * @example
 * iptables -t nat -N X
 * iptables -t nat -A X -p tcp --dport 80 -j DNAT --to-destination 10.0.0.5:8080
 * iptables -t nat -L X -n -v --line-numbers
 */
import type { Command, CommandContext, CommandResult } from "../../../shell";
import { applyCommand } from "../../netfilter/apply";
import { parseCommandLine } from "../../netfilter/parse";
import { NfError, TableTxn, type NfFailure } from "../../netfilter/ruleset";
import { formatXtError, XtError } from "../../netfilter/xtables";
import { currentStack } from "../context";
import { hostNameOf, resolveHost } from "../userland";

/** The stderr and status of a refused change, as iptables-nft prints them. */
export function failureText(program: string, f: NfFailure): { text: string; status: number } {
  if (f.kind === "batch") return { text: `${program} v1.8.7 (nf_tables):  ${f.op} failed (${f.reason}): ${f.what}\n`, status: 4 };
  return { text: `${program}: ${f.message}.${f.dmesg ? " Run `dmesg' for more information." : ""}\n`, status: 1 };
}

/** Reverse lookups for one listing, each address read from /etc/hosts once. */
export function hostNames(ctx: CommandContext): (ip: number) => string | undefined {
  const seen = new Map<number, string | undefined>();
  return (ip) => {
    if (!seen.has(ip)) seen.set(ip, hostNameOf(ctx, ip));
    return seen.get(ip);
  };
}

function run(argv: readonly string[], ctx: CommandContext): CommandResult {
  const stack = currentStack(ctx);
  if (!stack || ctx.host.uid !== 0) {
    return { stdout: "", stderr: "iptables v1.8.7 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)\n\n", exitCode: 4 };
  }
  try {
    const outcome = parseCommandLine(argv, { resolveHost: (name) => resolveHost(ctx, name) });
    if (outcome.kind === "help") return { stdout: outcome.text, stderr: "", exitCode: 0 };
    if (outcome.kind === "version") return { stdout: "iptables v1.8.7 (nf_tables)\n", stderr: "", exitCode: 0 };
    if (outcome.kind === "skip") return { stdout: "", stderr: "", exitCode: 0 };
    const cmd = outcome.command;
    const txn = new TableTxn(stack.netfilter[cmd.table], stack);
    const stdout = applyCommand(cmd, txn, hostNames(ctx));
    const readOnly = (cmd.command === "list" || cmd.command === "listRules" || cmd.command === "check") && !cmd.zero;
    if (!readOnly) txn.commit();
    return { stdout, stderr: "", exitCode: 0 };
  } catch (error) {
    if (error instanceof XtError) return { stdout: "", stderr: formatXtError(error, "iptables"), exitCode: error.status };
    if (error instanceof NfError) {
      const { text, status } = failureText("iptables", error.failure);
      return { stdout: "", stderr: text, exitCode: status };
    }
    throw error;
  }
}

export const iptablesCommand: Command = {
  name: "iptables",
  summary: "administration tool for IPv4 packet filtering and NAT",
  usage: "iptables [-t table] {-A|-C|-D} chain rule-specification",
  description:
    "Set up, maintain and inspect the tables of IPv4 packet filter rules in the kernel (nf_tables backend). " +
    "Commands: -A -C -D -I -R -L -S -F -Z -N -X -P -E; see `iptables -h`.",
  path: "/usr/sbin/iptables",
  spec: { raw: true, flags: [] },
  run: (args, ctx) => run(args.operands, ctx),
};
