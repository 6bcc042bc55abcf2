/**
 * The NetworkPolicy kind (`networking.k8s.io/v1`): TCP and `policyTypes` defaults (Ingress,
 * plus Egress when egress rules exist), `ValidateNetworkPolicySpec` (ports, peers, ipBlocks,
 * policy types), generation on spec changes, and the NAME POD-SELECTOR AGE table.
 *
 * @example
 * store.create({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "deny" },
 *   spec: { podSelector: {} } }); // spec.policyTypes → ["Ingress"]
 */
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from "../types/other";
import { formatLabelSelector, validateLabelSelector } from "../selectors/label-selector";
import { age } from "../tables/common";
import { col } from "../tables/types";
import {
  type FieldError, FieldPath, fieldPath, forbidden, goRaw, goStringSlice, invalid, notSupported, required,
} from "../validation/field";
import { nameIsDNSSubdomain } from "../validation/meta";
import { invalidCIDRMessage, isCIDR, isValidPortName, isValidPortNum, parseCIDRv4 } from "../validation/strings";
import { defineKind } from "./strategy";

function defaultNetworkPolicy(np: NetworkPolicy): void {
  const spec = np.spec;
  for (const rule of [...(spec.ingress ?? []), ...(spec.egress ?? [])]) {
    for (const p of rule.ports ?? []) if (!p.protocol) p.protocol = "TCP";
  }
  if ((spec.policyTypes ?? []).length === 0) {
    spec.policyTypes = (spec.egress ?? []).length > 0 ? ["Ingress", "Egress"] : ["Ingress"];
  }
}

function validatePort(p: NetworkPolicyPort, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (p.protocol && !["TCP", "UDP", "SCTP"].includes(p.protocol)) errs.push(notSupported(path.child("protocol"), p.protocol, ["TCP", "UDP", "SCTP"]));
  if (typeof p.port === "number") {
    for (const m of isValidPortNum(p.port)) errs.push(invalid(path.child("port"), p.port, m));
    if (p.endPort !== undefined) {
      if (p.endPort < p.port) errs.push(invalid(path.child("endPort"), p.endPort, "must be greater than or equal to `port`"));
      for (const m of isValidPortNum(p.endPort)) errs.push(invalid(path.child("endPort"), p.endPort, m));
    }
  } else if (typeof p.port === "string") {
    if (p.endPort !== undefined) errs.push(invalid(path.child("endPort"), p.endPort, "may not be specified when `port` is non-numeric"));
    for (const m of isValidPortName(p.port)) errs.push(invalid(path.child("port"), p.port, m));
  } else if (p.endPort !== undefined) {
    errs.push(invalid(path.child("endPort"), p.endPort, "may not be specified when `port` is not specified"));
  }
  return errs;
}

function validateIPBlock(block: { cidr: string; except?: string[] }, path: FieldPath): FieldError[] {
  if (!block.cidr) return [required(path.child("cidr"))];
  if (!isCIDR(block.cidr)) return [invalid(path.child("cidr"), block.cidr, invalidCIDRMessage)];
  const errs: FieldError[] = [];
  const outer = parseCIDRv4(block.cidr);
  (block.except ?? []).forEach((ex, i) => {
    const ep = path.child("except").index(i);
    if (!isCIDR(ex)) {
      errs.push(invalid(ep, ex, invalidCIDRMessage));
      return;
    }
    const inner = parseCIDRv4(ex);
    if (outer && inner) {
      const mask = outer.bits === 0 ? 0 : (0xffffffff << (32 - outer.bits)) >>> 0;
      const contained = ((inner.base & mask) >>> 0) === outer.base;
      if (!contained || outer.bits >= inner.bits) errs.push(invalid(ep, ex, "must be a strict subset of `cidr`"));
    }
  });
  return errs;
}

function validatePeer(peer: NetworkPolicyPeer, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let peers = 0;
  if (peer.podSelector) {
    peers++;
    errs.push(...validateLabelSelector(peer.podSelector, path.child("podSelector")));
  }
  if (peer.namespaceSelector) {
    peers++;
    errs.push(...validateLabelSelector(peer.namespaceSelector, path.child("namespaceSelector")));
  }
  if (peer.ipBlock) {
    peers++;
    errs.push(...validateIPBlock(peer.ipBlock, path.child("ipBlock")));
  }
  if (peers === 0) errs.push(required(path, "must specify a peer"));
  else if (peers > 1 && peer.ipBlock) errs.push(forbidden(path, "may not specify both ipBlock and another peer"));
  return errs;
}

/** `ValidateNetworkPolicySpec`. */
function validateNetworkPolicySpec(np: NetworkPolicy): FieldError[] {
  const spec = np.spec;
  const errs = validateLabelSelector(spec.podSelector, fieldPath("spec", "podSelector"));
  for (const [rules, dir, peerKey] of [[spec.ingress ?? [], "ingress", "from"], [spec.egress ?? [], "egress", "to"]] as const) {
    rules.forEach((rule, i) => {
      const rp = fieldPath("spec", dir).index(i);
      (rule.ports ?? []).forEach((p, j) => errs.push(...validatePort(p, rp.child("ports").index(j))));
      const peers = (rule as Record<string, NetworkPolicyPeer[] | undefined>)[peerKey] ?? [];
      peers.forEach((peer, j) => errs.push(...validatePeer(peer, rp.child(peerKey).index(j))));
    });
  }
  const types = spec.policyTypes ?? [];
  if (types.length > 2) {
    errs.push(invalid(fieldPath("spec", "policyTypes"), goRaw(`&${goStringSlice(types).go.replace("[]string", "[]networking.PolicyType")}`), "may not specify more than two policyTypes"));
    return errs;
  }
  types.forEach((t, i) => {
    if (t !== "Ingress" && t !== "Egress") errs.push(notSupported(fieldPath("spec", "policyTypes").index(i), t, ["Ingress", "Egress"]));
  });
  return errs;
}

/** The NetworkPolicy registry strategy. */
export const networkPolicyStrategy = defineKind<NetworkPolicy>({
  kind: "NetworkPolicy",
  nameValidator: nameIsDNSSubdomain,
  defaults: defaultNetworkPolicy,
  validateSpec: validateNetworkPolicySpec,
  generationOf: (np) => np.spec,
  table: {
    columns: [col("Name"), col("Pod-Selector"), col("Age")],
    cells: (np, now) => [np.metadata.name ?? "", formatLabelSelector(np.spec.podSelector), age(np.metadata.creationTimestamp, now)],
  },
});
