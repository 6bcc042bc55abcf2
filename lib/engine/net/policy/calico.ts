/**
 * Kubernetes NetworkPolicy as Calico sees it (libcalico-go's converter in Kubernetes-datastore
 * mode): each policy becomes the Calico NetworkPolicy `knp.default.<name>` in tier `default`,
 * order 1000, whose selector is the pod selector written in Calico's selector language
 * (`projectcalico.org/orchestrator == 'k8s' && app == 'web'`), and whose rules are the cross
 * product of each k8s rule's peers and protocols (ports grouped by protocol). Felix renders
 * these into iptables (cni/calico/felix-policy.ts); calicoctl prints them.
 *
 * Which endpoints a peer means is decided here with the same label logic as decide.ts, so the
 * dataplane and the reference cannot drift apart.
 *
 * @example
 * const c = toCalicoPolicy(policy);
 * c.name;           // "knp.default.allow-b"
 * c.selector;       // "projectcalico.org/orchestrator == 'k8s' && pod == 'a'"
 * c.ingress[0].peer?.selector; // "projectcalico.org/orchestrator == 'k8s' && pod == 'b'"
 */
import type { LabelSelector } from "../../api/types/meta";
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from "../../api/types/other";
import { peerMatches, policyTypesOf, type PolicyEndpoint } from "./decide";

/** Calico's k8s policies all have this order; ties are broken by name. */
export const KNP_ORDER = 1000;
export const DEFAULT_TIER = "default";

export type Protocol = "TCP" | "UDP" | "SCTP";

/** A port of a Calico rule: a number, a range, or a named port. */
export type CalicoPort = { kind: "number"; port: number } | { kind: "range"; lo: number; hi: number } | { kind: "named"; name: string };

/** A Calico rule (always `Allow`) from one peer and one protocol of a k8s rule. */
export interface CalicoRule {
  /** The k8s rule it came from (0-based), for explanations. */
  k8sRule: number;
  protocol?: Protocol;
  /** The k8s peer (undefined: any peer). */
  peer?: NetworkPolicyPeer;
  /** Calico's entity selector and namespace selector for a pod/namespace peer. */
  selector?: string;
  namespaceSelector?: string;
  nets?: string[];
  notNets?: string[];
  ports?: CalicoPort[];
}

export interface CalicoPolicy {
  /** The k8s policy's namespace. */
  namespace: string;
  /** `knp.default.<k8s name>`. */
  name: string;
  /** `namespace/knp.default.<name>`: Felix's policy id within its tier. */
  id: string;
  order: number;
  selector: string;
  types: ("Ingress" | "Egress")[];
  ingress: CalicoRule[];
  egress: CalicoRule[];
  source: NetworkPolicy;
}

/** libcalico-go's k8sSelectorToCalico: matchLabels sorted by key, then the expressions, joined by `&&`. */
export function calicoSelector(s: LabelSelector | undefined, kind: "pod" | "namespace"): string {
  const terms: string[] = kind === "pod" ? ["projectcalico.org/orchestrator == 'k8s'"] : [];
  if (!s) return terms.join(" && ");
  const labels = s.matchLabels ?? {};
  const exprs = s.matchExpressions ?? [];
  if (kind === "namespace" && Object.keys(labels).length === 0 && exprs.length === 0) return "all()";
  for (const key of Object.keys(labels).sort()) terms.push(`${key} == '${labels[key]}'`);
  for (const e of exprs) {
    const values = (e.values ?? []).join("', '");
    if (e.operator === "In") terms.push(`${e.key} in { '${values}' }`);
    else if (e.operator === "NotIn") terms.push(`${e.key} not in { '${values}' }`);
    else if (e.operator === "Exists") terms.push(`has(${e.key})`);
    else if (e.operator === "DoesNotExist") terms.push(`! has(${e.key})`);
  }
  return terms.join(" && ");
}

function portOf(p: NetworkPolicyPort): CalicoPort | undefined {
  if (p.port === undefined) return undefined;
  if (typeof p.port === "string") return { kind: "named", name: p.port };
  return p.endPort !== undefined ? { kind: "range", lo: p.port, hi: p.endPort } : { kind: "number", port: p.port };
}

/** One k8s rule → Calico rules: every peer × every protocol its ports name (ports of a protocol together). */
function convertRule(peers: NetworkPolicyPeer[] | undefined, ports: NetworkPolicyPort[] | undefined, namespace: string, k8sRule: number): CalicoRule[] {
  const byProtocol = new Map<Protocol | "", CalicoPort[] | undefined>();
  for (const p of ports ?? []) {
    const protocol = (p.protocol ?? "TCP") as Protocol;
    const port = portOf(p);
    if (port === undefined) byProtocol.set(protocol, undefined);
    else if (!byProtocol.has(protocol) || byProtocol.get(protocol) !== undefined) byProtocol.set(protocol, [...(byProtocol.get(protocol) ?? []), port]);
  }
  if (byProtocol.size === 0) byProtocol.set("", undefined);
  const protocols = [...byProtocol.keys()].sort();
  const out: CalicoRule[] = [];
  for (const peer of peers && peers.length > 0 ? peers : [undefined]) {
    for (const protocol of protocols) {
      const rule: CalicoRule = { k8sRule, peer, ports: byProtocol.get(protocol) };
      if (protocol) rule.protocol = protocol;
      if (peer?.ipBlock) {
        rule.nets = [peer.ipBlock.cidr];
        if (peer.ipBlock.except?.length) rule.notNets = [...peer.ipBlock.except];
      } else if (peer) {
        if (peer.podSelector) rule.selector = calicoSelector(peer.podSelector, "pod");
        rule.namespaceSelector = peer.namespaceSelector ? calicoSelector(peer.namespaceSelector, "namespace") : `projectcalico.org/name == '${namespace}'`;
      }
      out.push(rule);
    }
  }
  return out;
}

/** The Calico policy a k8s NetworkPolicy becomes. */
export function toCalicoPolicy(policy: NetworkPolicy): CalicoPolicy {
  const namespace = policy.metadata.namespace ?? "default";
  const name = `knp.default.${policy.metadata.name}`;
  const types = policyTypesOf(policy);
  return {
    namespace, name, id: `${namespace}/${name}`, order: KNP_ORDER,
    selector: calicoSelector(policy.spec.podSelector, "pod"),
    types,
    ingress: types.includes("Ingress") ? (policy.spec.ingress ?? []).flatMap((r, i) => convertRule(r.from, r.ports, namespace, i)) : [],
    egress: types.includes("Egress") ? (policy.spec.egress ?? []).flatMap((r, i) => convertRule(r.to, r.ports, namespace, i)) : [],
    source: policy,
  };
}

/** Felix's order of policies in a tier: by order, then by id. */
export function byFelixOrder(a: CalicoPolicy, b: CalicoPolicy): number {
  return a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The selector Felix makes an IP set of for a rule's peer: the namespace selector on the
 * namespace's labels (`pcns.` prefixed on the endpoint) AND the entity selector.
 */
export function peerSetSelector(rule: CalicoRule): string | undefined {
  if (rule.selector === undefined && rule.namespaceSelector === undefined) return undefined;
  const ns = rule.namespaceSelector === undefined || rule.namespaceSelector === "all()" ? undefined : rule.namespaceSelector.replace(/(^|&& |! has\(|has\()([\w./-]+)/g, "$1pcns.$2");
  return [ns, rule.selector].filter((s) => s !== undefined && s !== "").join(" && ") || "all()";
}

/** Whether the endpoint is one of the rule's peers (the members of the peer's IP set). */
export function inPeer(rule: CalicoRule, policy: CalicoPolicy, endpoint: PolicyEndpoint, namespaceLabels: ReadonlyMap<string, Readonly<Record<string, string>>>): boolean {
  return rule.peer !== undefined && !rule.peer.ipBlock && peerMatches(rule.peer, policy.source, endpoint, namespaceLabels);
}

