/**
 * The apiserver's authorizer as kubeadm configures it (`--authorization-mode=Node,RBAC`; the
 * Node authorizer is not modelled): members of `system:masters` may do anything (the
 * privileged-group authorizer in front of RBAC), everyone else gets what RBAC grants — the
 * ClusterRoleBindings, plus the RoleBindings of the request's namespace, whose subjects match
 * the user (by name, group, or service account), through the rules of the Role or ClusterRole
 * they reference (`RuleAllows`: verbs, API groups, resources with `*`, also as the resource
 * part of `pods/log`, resource names, non-resource URLs with a trailing `*`). Bindings to roles
 * that do not exist add `RBAC: … not found` to the denial reason, as upstream.
 *
 * @example
 * const user = { name: "jane", groups: ["system:authenticated"] };
 * authorize(store, user, { verb: "list", namespace: "dev", apiGroup: "", resource: "pods" });
 * // { allowed: true, reason: "" } when a RoleBinding in dev grants it
 * rulesFor(store, user, "dev").resourceRules; // what `kubectl auth can-i --list -n dev` prints
 */
import type { PolicyRule, Role } from "../types/other";
import { type Attributes, isResourceRequest } from "./attributes";
import { type BoundEntry, type RbacReader, bindingsFor } from "./binding-index";
import { MASTERS_GROUP, type UserInfo } from "./user";

/** The authorizer's answer; `reason` explains a denial caused by broken bindings. */
export interface Decision {
  allowed: boolean;
  reason: string;
}

/** What a SelfSubjectRulesReview returns. */
export interface SubjectRules {
  resourceRules: PolicyRule[];
  nonResourceRules: PolicyRule[];
  incomplete: boolean;
  evaluationError: string;
}

/** `GetRoleReferenceRules`: the referenced role's rules, or the lister's NotFound text. */
function roleRules(store: RbacReader, { binding, namespace }: BoundEntry): readonly PolicyRule[] | string {
  const ref = binding.roleRef;
  if (ref.kind === "Role") {
    const role = store.find<Role>("Role", namespace, ref.name);
    return role ? (role.rules ?? []) : `role.rbac.authorization.k8s.io "${ref.name}" not found`;
  }
  if (ref.kind === "ClusterRole") {
    const role = store.find<Role>("ClusterRole", undefined, ref.name);
    return role ? (role.rules ?? []) : `clusterrole.rbac.authorization.k8s.io "${ref.name}" not found`;
  }
  return `unsupported role reference kind: "${ref.kind}"`;
}

/**
 * `VisitRulesFor`: every rule granted to `user` in `namespace` (cluster bindings first), and the
 * errors met on the way. `visit` returns false to stop early.
 */
function visitRules(store: RbacReader, user: UserInfo, namespace: string, visit: (rule: PolicyRule) => boolean): string[] {
  const errors: string[] = [];
  for (const entry of bindingsFor(store, user, namespace)) {
    const rules = roleRules(store, entry);
    if (typeof rules === "string") {
      errors.push(rules);
      continue;
    }
    for (const rule of rules) if (!visit(rule)) return errors;
  }
  return errors;
}

const matches = (list: readonly string[] | undefined, value: string) => (list ?? []).some((v) => v === "*" || v === value);

/** `RuleAllows`. */
export function ruleAllows(attrs: Attributes, rule: PolicyRule): boolean {
  if (!matches(rule.verbs, attrs.verb)) return false;
  if (!isResourceRequest(attrs)) {
    return (rule.nonResourceURLs ?? []).some((u) => u === "*" || u === attrs.path || (u.endsWith("*") && attrs.path.startsWith(u.replace(/\*+$/, ""))));
  }
  if (!matches(rule.apiGroups, attrs.apiGroup)) return false;
  const sub = attrs.subresource ?? "";
  const combined = sub === "" ? attrs.resource : `${attrs.resource}/${sub}`;
  const resourceOk = (rule.resources ?? []).some((r) => r === "*" || r === combined || (sub !== "" && r === `*/${sub}`));
  if (!resourceOk) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(attrs.name ?? "");
}

/** Go's `utilerrors.NewAggregate(errs).Error()`: one message, or `[a, b]` without repeats. */
function aggregate(errors: readonly string[]): string {
  const unique = [...new Set(errors)];
  return unique.length === 1 ? unique[0] : `[${unique.join(", ")}]`;
}

/** Whether `user` may make the request described by `attrs`. */
export function authorize(store: RbacReader, user: UserInfo, attrs: Attributes): Decision {
  if (user.groups.includes(MASTERS_GROUP)) return { allowed: true, reason: "" };
  let allowed = false;
  const errors = visitRules(store, user, isResourceRequest(attrs) ? attrs.namespace : "", (rule) => {
    allowed = ruleAllows(attrs, rule);
    return !allowed;
  });
  if (allowed) return { allowed: true, reason: "" };
  return { allowed: false, reason: errors.length > 0 ? `RBAC: ${aggregate(errors)}` : "" };
}

/** Everything `user` may do in `namespace` (a SelfSubjectRulesReview), split as the review splits it. */
export function rulesFor(store: RbacReader, user: UserInfo, namespace: string): SubjectRules {
  const resourceRules: PolicyRule[] = [];
  const nonResourceRules: PolicyRule[] = [];
  if (user.groups.includes(MASTERS_GROUP)) {
    resourceRules.push({ verbs: ["*"], apiGroups: ["*"], resources: ["*"] });
    nonResourceRules.push({ verbs: ["*"], nonResourceURLs: ["*"] });
  }
  const errors = visitRules(store, user, namespace, (rule) => {
    if ((rule.resources ?? []).length > 0) resourceRules.push({ verbs: rule.verbs, apiGroups: rule.apiGroups ?? [], resources: rule.resources, ...(rule.resourceNames?.length ? { resourceNames: rule.resourceNames } : {}) });
    if ((rule.nonResourceURLs ?? []).length > 0) nonResourceRules.push({ verbs: rule.verbs, nonResourceURLs: rule.nonResourceURLs });
    return true;
  });
  return { resourceRules, nonResourceRules, incomplete: errors.length > 0, evaluationError: errors.length > 0 ? aggregate(errors) : "" };
}
