/**
 * NetworkPolicy semantics as the Kubernetes API defines them (networking.k8s.io/v1), decided
 * from the API objects alone: which policies select each side of a connection, and whether
 * the egress side of the client and the ingress side of the server both allow it. This is the
 * reference the enforcing dataplane (Calico's chains in iptables) is tested against, and what
 * a learner aid prints to say *why* a packet was allowed or dropped.
 *
 * The rules, from the API reference and the NetworkPolicy concept page:
 * - A policy selects pods of its own namespace by `podSelector` (`{}`: all of them).
 * - `policyTypes` defaults to `["Ingress"]`, plus `"Egress"` when the policy has an `egress`
 *   section. A pod selected for a direction is isolated in it: only what some rule of some
 *   selecting policy allows gets through (policies add up; none can deny what another allows).
 * - A rule with no `from`/`to` matches every peer; with no `ports` every port.
 * - A peer with `podSelector` alone means pods of the policy's namespace; `namespaceSelector`
 *   alone means every pod of matching namespaces; both in ONE peer means pods matching the pod
 *   selector inside matching namespaces (AND); separate peers are alternatives (OR).
 * - `ipBlock` matches addresses in `cidr` but not in any `except`. Whether it applies to pod
 *   IPs is left to the implementation; Calico (the enforcing CNI here) matches pod IPs too.
 * - A port is a number or a named container port, resolved on the destination pod; `endPort`
 *   makes a range; `protocol` defaults to TCP.
 * - Pods cannot block traffic from their own node (kubelet probes), nor localhost; hostNetwork
 *   pods are not subject to policies. Replies of allowed connections pass (conntrack): that is
 *   the dataplane's, not decided here.
 *
 * @example
 * const d = decideConnection(policies, namespaces, client, server, { port: 80, protocol: "TCP" });
 * d.allowed; // false
 * d.ingress; // { isolated: true, selectedBy: ["default/deny-all"], allowedBy: [] }
 */
import { labelSelectorAsSelector, type Selector } from "../../api";
import type { LabelSelector } from "../../api/types/meta";
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from "../../api/types/other";
import { inCIDR, parseCIDR, parseIP } from "../../util/ipv4";

/** One end of a connection: a pod (with what policies look at), or an address outside any pod. */
export type PolicyEndpoint =
  | {
      kind: "pod";
      namespace: string;
      name: string;
      labels: Readonly<Record<string, string>>;
      ip: string;
      /** The node it runs on: traffic from that node's own address is never blocked. */
      node: string;
      hostNetwork?: boolean;
      /** Named container ports (`http` → 8080/TCP), for named ports in policies. */
      namedPorts?: readonly { name: string; port: number; protocol: string }[];
    }
  | {
      kind: "host";
      ip: string;
      /** The node this address belongs to, if it is a node's. */
      node?: string;
    };

/** What a side decided. */
export interface SideDecision {
  /** Some policy selects the pod for this direction, so only allowed traffic passes. */
  isolated: boolean;
  /** `namespace/name` of each policy selecting the pod for this direction. */
  selectedBy: string[];
  /** Each policy rule that allows this connection, as `namespace/name` and the rule's index. */
  allowedBy: { policy: string; rule: number }[];
  /** Why not isolated or why allowed without a rule (`from its own node`, `host network`). */
  exempt?: string;
}

export interface ConnectionDecision {
  allowed: boolean;
  /** The client's egress side (undefined when the client is not a pod). */
  egress?: SideDecision;
  /** The server's ingress side (undefined when the server is not a pod). */
  ingress?: SideDecision;
}

export interface Traffic {
  port: number;
  protocol: "TCP" | "UDP" | "SCTP";
}

/**
 * Whether `client` may open a connection to `server` on `traffic`, and why. `namespaceLabels`
 * gives each namespace's labels (namespaceSelector matches on them; every namespace carries
 * `kubernetes.io/metadata.name` automatically).
 */
export function decideConnection(
  policies: readonly NetworkPolicy[],
  namespaceLabels: ReadonlyMap<string, Readonly<Record<string, string>>>,
  client: PolicyEndpoint,
  server: PolicyEndpoint,
  traffic: Traffic,
): ConnectionDecision {
  const egress = client.kind === "pod" ? side(policies, namespaceLabels, client, server, server, traffic, "Egress") : undefined;
  const ingress = server.kind === "pod" ? side(policies, namespaceLabels, server, client, server, traffic, "Ingress") : undefined;
  const passes = (d: SideDecision | undefined) => !d || !d.isolated || d.exempt !== undefined || d.allowedBy.length > 0;
  return { allowed: passes(egress) && passes(ingress), egress, ingress };
}

/** The policy types a policy applies to, defaulted as the API server does. */
export function policyTypesOf(policy: NetworkPolicy): ("Ingress" | "Egress")[] {
  const given = policy.spec.policyTypes;
  if (given && given.length > 0) return given.filter((t): t is "Ingress" | "Egress" => t === "Ingress" || t === "Egress");
  return policy.spec.egress ? ["Ingress", "Egress"] : ["Ingress"];
}

/** Whether `policy` selects `pod` (same namespace, pod selector matches). */
export function selectsPod(policy: NetworkPolicy, pod: { namespace: string; labels: Readonly<Record<string, string>> }): boolean {
  return (policy.metadata.namespace ?? "default") === pod.namespace && selectorOf(policy.spec.podSelector).matches(pod.labels);
}

/**
 * Compiled label selectors by the selector object (API objects are replaced, never edited in
 * place, so an object's selector never changes): a table of 81 cells over 500 policies would
 * otherwise compile the same selectors 40,000 times.
 */
const compiled = new WeakMap<LabelSelector, Selector>();
function selectorOf(s: LabelSelector): Selector {
  let selector = compiled.get(s);
  if (!selector) {
    selector = labelSelectorAsSelector(s);
    compiled.set(s, selector);
  }
  return selector;
}

const policyName = (p: NetworkPolicy) => `${p.metadata.namespace ?? "default"}/${p.metadata.name}`;

function side(
  policies: readonly NetworkPolicy[],
  namespaceLabels: ReadonlyMap<string, Readonly<Record<string, string>>>,
  pod: Extract<PolicyEndpoint, { kind: "pod" }>,
  peer: PolicyEndpoint,
  destination: PolicyEndpoint,
  traffic: Traffic,
  direction: "Ingress" | "Egress",
): SideDecision {
  const decision: SideDecision = { isolated: false, selectedBy: [], allowedBy: [] };
  if (pod.hostNetwork) return { ...decision, exempt: "the pod uses the host's network: policies do not apply" };
  for (const policy of policies) {
    if (!policyTypesOf(policy).includes(direction) || !selectsPod(policy, pod)) continue;
    decision.isolated = true;
    decision.selectedBy.push(policyName(policy));
    const rules = (direction === "Ingress" ? policy.spec.ingress : policy.spec.egress) ?? [];
    rules.forEach((rule, index) => {
      const peers = direction === "Ingress" ? (rule as { from?: NetworkPolicyPeer[] }).from : (rule as { to?: NetworkPolicyPeer[] }).to;
      const peerOk = !peers || peers.length === 0 || peers.some((p) => peerMatches(p, policy, peer, namespaceLabels));
      const portOk = !rule.ports || rule.ports.length === 0 || rule.ports.some((p) => portMatches(p, traffic, destination));
      if (peerOk && portOk) decision.allowedBy.push({ policy: policyName(policy), rule: index });
    });
  }
  if (decision.isolated && direction === "Ingress" && peer.kind === "host" && peer.node === pod.node) {
    decision.exempt = "traffic from the pod's own node is always allowed";
  }
  return decision;
}

/** Whether `other` is one of the pods or addresses `peer` (a rule's from/to entry of `policy`) means. */
export function peerMatches(
  peer: NetworkPolicyPeer,
  policy: NetworkPolicy,
  other: PolicyEndpoint,
  namespaceLabels: ReadonlyMap<string, Readonly<Record<string, string>>>,
): boolean {
  if (peer.ipBlock) return ipBlockMatches(peer.ipBlock, other.ip);
  if (other.kind !== "pod" || other.hostNetwork) return false;
  const policyNamespace = policy.metadata.namespace ?? "default";
  if (peer.namespaceSelector) {
    if (!selectorOf(peer.namespaceSelector).matches(namespaceLabels.get(other.namespace) ?? {})) return false;
  } else if (other.namespace !== policyNamespace) {
    return false;
  }
  return !peer.podSelector || selectorOf(peer.podSelector).matches(other.labels);
}

function ipBlockMatches(block: { cidr: string; except?: string[] }, address: string): boolean {
  const ip = parseIP(address);
  const cidr = parseCIDR(block.cidr);
  if (ip === undefined || !cidr || !inCIDR(ip, cidr)) return false;
  return !(block.except ?? []).some((e) => {
    const excluded = parseCIDR(e);
    return excluded !== undefined && inCIDR(ip, excluded);
  });
}

function portMatches(rule: NetworkPolicyPort, traffic: Traffic, destination: PolicyEndpoint): boolean {
  if ((rule.protocol ?? "TCP") !== traffic.protocol) return false;
  if (rule.port === undefined) return true;
  if (typeof rule.port === "number") {
    return rule.endPort !== undefined ? traffic.port >= rule.port && traffic.port <= rule.endPort : traffic.port === rule.port;
  }
  // A named port is the destination pod's container port of that name and protocol.
  if (destination.kind !== "pod") return false;
  return (destination.namedPorts ?? []).some((p) => p.name === rule.port && p.port === traffic.port && p.protocol === traffic.protocol);
}
