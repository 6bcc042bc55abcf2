/**
 * Felix's NAT rules (iptables dataplane): its `cali-PREROUTING`, `cali-OUTPUT` and
 * `cali-POSTROUTING` chains hooked at the top of nat's built-in chains, and outgoing NAT for
 * pools with `natOutgoing`: pod traffic from such a pool to anything outside every pool is
 * masqueraded (the `cali40masq-ipam-pools` and `cali40all-ipam-pools` ipsets). In IPIP mode the
 * host's own traffic out of tunl0 takes the tunnel address. The rule comments are Felix's rule
 * hashes, which depend only on the chain and the rule, so every Calico node has these.
 *
 * @example
 * syncFelixNat(host, calico.pools, true);
 */
import type { NetStack } from "../../kernel/stack";
import { addEntry, createSet, deleteEntry, type TableName } from "../../netfilter";
import { formatCIDR } from "../../../util/ipv4";
import { appendUnique, chainSnapshot, ensureChain, iptables, ruleExists, sameSnapshot } from "../iptables";
import type { IPPool } from "./ipam";

const MASQ_SET = "cali40masq-ipam-pools";
const ALL_SET = "cali40all-ipam-pools";

const comment = (hash: string) => ["-m", "comment", "--comment", `cali:${hash}`];

/** Felix's hooks: inserted first in the built-in chains. */
const HOOKS: readonly [string, string[]][] = [
  ["PREROUTING", [...comment("6gwbT8clXdHdC1b1"), "-j", "cali-PREROUTING"]],
  ["OUTPUT", [...comment("tVnHkvAo15HuiPy0"), "-j", "cali-OUTPUT"]],
  ["POSTROUTING", [...comment("O3lYWMrLQYEMJtB5"), "-j", "cali-POSTROUTING"]],
];

function rules(ipip: boolean): [string, string[]][] {
  const out: [string, string[]][] = [
    ["cali-PREROUTING", [...comment("r6XmIziWUJsdOK6Z"), "-j", "cali-fip-dnat"]],
    ["cali-OUTPUT", [...comment("GBTAv2p5CwevEyJm"), "-j", "cali-fip-dnat"]],
    ["cali-POSTROUTING", [...comment("Z-c7XtVd2Bq7s_hA"), "-j", "cali-fip-snat"]],
    ["cali-POSTROUTING", [...comment("nYKhEzDlr11Jccal"), "-j", "cali-nat-outgoing"]],
  ];
  if (ipip) {
    out.push(["cali-POSTROUTING", ["-o", "tunl0", ...comment("SXWvdsbh4Mw7wOln"), "-m", "addrtype", "!", "--src-type", "LOCAL", "--limit-iface-out", "-m", "addrtype", "--src-type", "LOCAL", "-j", "MASQUERADE", "--random-fully"]]);
  }
  out.push(["cali-nat-outgoing", [...comment("flqWnvo8yq4ULQLa"), "-m", "set", "--match-set", MASQ_SET, "src", "-m", "set", "!", "--match-set", ALL_SET, "dst", "-j", "MASQUERADE", "--random-fully"]]);
  return out;
}

/** Makes a hash:net set hold exactly `members`. */
function syncSet(host: NetStack, name: string, members: readonly string[]): void {
  const set = createSet(host, { name, type: "hash:net", exist: true });
  for (const key of [...set.entries.keys()]) if (!members.includes(key)) deleteEntry(host, name, key);
  for (const m of members) if (!set.entries.has(m)) addEntry(host, name, m, true);
}

const CHAINS: readonly [TableName, string][] = ["PREROUTING", "OUTPUT", "POSTROUTING", "cali-PREROUTING", "cali-OUTPUT", "cali-POSTROUTING", "cali-fip-dnat", "cali-fip-snat", "cali-nat-outgoing"].map((c) => ["nat", c]);

/**
 * One pass of Felix's NAT table programming; returns what it checked against (pass it back as
 * `checked`: while the chains and inputs are the same, the pass has nothing to do).
 */
export function syncFelixNat(host: NetStack, pools: readonly IPPool[], ipip: boolean, checked?: readonly unknown[]): readonly unknown[] {
  const inputs = [ipip, ...pools.map((p) => `${formatCIDR(p.cidr)} ${p.natOutgoing} ${p.disabled}`), host.ipsets.get(MASQ_SET), host.ipsets.get(ALL_SET)];
  if (sameSnapshot(checked, chainSnapshot(host, CHAINS, ...inputs))) return checked!;
  const table: TableName = "nat";
  syncSet(host, MASQ_SET, pools.filter((p) => p.natOutgoing && !p.disabled).map((p) => formatCIDR(p.cidr)));
  syncSet(host, ALL_SET, pools.map((p) => formatCIDR(p.cidr)));
  for (const chain of ["cali-PREROUTING", "cali-OUTPUT", "cali-POSTROUTING", "cali-fip-dnat", "cali-fip-snat", "cali-nat-outgoing"]) ensureChain(host, table, chain);
  for (const [chain, rule] of rules(ipip)) appendUnique(host, table, chain, rule);
  for (const [chain, rule] of HOOKS) if (!ruleExists(host, table, chain, rule)) iptables(host, ["-t", table, "-I", chain, "1", ...rule]);
  return chainSnapshot(host, CHAINS, ...inputs);
}
