/**
 * Node selection by labels and fields (`component-helpers/scheduling/corev1/nodeaffinity`):
 * a pod's `nodeSelector` and required node affinity (`GetRequiredNodeAffinity(pod).Match`),
 * and the weight of its preferred terms a node satisfies (the NodeAffinity score).
 *
 * @example
 * requiredAffinityMatches({ nodeSelector: { disk: "ssd" } }, node); // node has disk=ssd
 */
import type { Node, PodSpec } from "../../api";

/** `v1.NodeSelectorRequirement`. */
interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

/** `v1.NodeSelectorTerm`: expressions on labels AND expressions on fields. */
interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

/** `v1.NodeAffinity`, the part of `spec.affinity` the scheduler and DaemonSets read. */
export interface NodeAffinity {
  requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: NodeSelectorTerm[] };
  preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; preference: NodeSelectorTerm }[];
}

/** The node affinity of a pod spec (`spec.affinity.nodeAffinity`), typed. */
function nodeAffinityOf(spec: Pick<PodSpec, "affinity">): NodeAffinity | undefined {
  return (spec.affinity as { nodeAffinity?: NodeAffinity } | undefined)?.nodeAffinity;
}

function requirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case "In":
      return value !== undefined && values.includes(value);
    case "NotIn":
      return value === undefined || !values.includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
    case "Gt":
    case "Lt": {
      // Both sides must parse as integers, else the requirement does not match.
      if (value === undefined || values.length !== 1 || !/^[+-]?\d+$/.test(value) || !/^[+-]?\d+$/.test(values[0])) return false;
      return r.operator === "Gt" ? Number(value) > Number(values[0]) : Number(value) < Number(values[0]);
    }
    default:
      return false;
  }
}

/** A term matches when all its requirements do; an empty term matches nothing. */
function termMatches(term: NodeSelectorTerm, node: Pick<Node, "metadata">): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  if (!exprs.every((r) => requirementMatches(r, Object.hasOwn(labels, r.key) ? labels[r.key] : undefined))) return false;
  // Only metadata.name is a supported field; anything else fails to parse and does not match.
  return fields.every((r) => r.key === "metadata.name" && (r.operator === "In" || r.operator === "NotIn") && requirementMatches(r, node.metadata.name));
}

/** `nodeSelector` (every label equal) AND the required terms (any one of them). */
export function requiredAffinityMatches(spec: Pick<PodSpec, "nodeSelector" | "affinity">, node: Pick<Node, "metadata">): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = nodeAffinityOf(spec)?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return (required.nodeSelectorTerms ?? []).some((t) => termMatches(t, node));
}

/** Sum of the weights of the preferred terms `node` satisfies (before normalization). */
export function preferredAffinityWeight(spec: Pick<PodSpec, "affinity">, node: Pick<Node, "metadata">): number {
  const preferred = nodeAffinityOf(spec)?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  return preferred.reduce((sum, p) => sum + (p.weight && termMatches(p.preference, node) ? p.weight : 0), 0);
}
