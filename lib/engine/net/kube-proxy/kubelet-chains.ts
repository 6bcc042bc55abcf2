/**
 * The iptables chains the kubelet itself keeps (v1.32 pkg/kubelet/kubelet_network_linux.go),
 * there before kube-proxy first runs: KUBE-IPTABLES-HINT in mangle (which iptables backend the
 * node uses), the KUBE-KUBELET-CANARY chains its monitor watches, and KUBE-FIREWALL with the rule
 * that drops outside packets to 127.0.0.0/8, jumped to first from INPUT and OUTPUT.
 *
 * @example
 * syncKubeletChains(cluster.network.host("node01")!); // when the kubelet starts
 */
import type { NetStack } from "../kernel/stack";
import { ensureChain, ensureRule } from "./kernel";

/** syncIPTablesRules and the canaries of iptClient.Monitor. */
export function syncKubeletChains(stack: NetStack): void {
  ensureChain(stack, "mangle", "KUBE-IPTABLES-HINT");
  ensureChain(stack, "filter", "KUBE-FIREWALL");
  ensureRule(stack, "filter", "OUTPUT", "-j KUBE-FIREWALL");
  ensureRule(stack, "filter", "INPUT", "-j KUBE-FIREWALL");
  const block = '-m comment --comment "block incoming localnet connections" --dst 127.0.0.0/8 ! --src 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP';
  ensureRule(stack, "filter", "KUBE-FIREWALL", block, "append");
  for (const table of ["mangle", "nat", "filter"] as const) ensureChain(stack, table, "KUBE-KUBELET-CANARY");
}
