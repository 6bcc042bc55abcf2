/**
 * The apiserver's authorizer as kubeadm configures it, over the RBAC objects in the store:
 * members of `system:masters` may do anything (the privileged-group authorizer), everyone else
 * gets what RBAC grants — every ClusterRoleBinding, plus the RoleBindings of the request's
 * namespace, whose subjects match the user (by name, group, or service account), through the
 * rules of the Role or ClusterRole they reference (`RuleAllows`: verbs, API groups, resources
 * with `*`, also as the resource part of `pods/log`, resource names, non-resource URLs with a trailing `*`).
 * Bindings to roles that do not exist add `RBAC: … not found` to the denial reason, as upstream.
 *
 * `kubectl auth can-i` asks it now; the API layer will ask it for every request.
 *
 * @example
 * const user = { name: "jane", groups: ["system:authenticated"] };
 * authorize(store, user, { verb: "list", namespace: "dev", apiGroup: "", resource: "pods" });
 * // { allowed: true, reason: "" } when a RoleBinding in dev grants it
 * rulesFor(store, user, "dev").resourceRules; // what `kubectl auth can-i --list -n dev` prints
 */
import type { PolicyRule, Role, RoleBinding, Stored, Subject } from "../../../api";

/** The requesting user as the authenticator (or impersonation) resolved it. */
export interface UserInfo {
  name: string;
  groups: readonly string[];
}

/** A request on an API resource (`get pods/log web -n dev`). */
export interface ResourceAttributes {
  verb: string;
  /** "" for cluster-wide requests (`--all-namespaces`, cluster-scoped objects). */
  namespace: string;
  apiGroup: string;
  resource: string;
  subresource?: string;
  name?: string;
}

/** A request on a non-resource URL (`get /healthz`). */
export interface NonResourceAttributes {
  verb: string;
  path: string;
}

export type Attributes = ResourceAttributes | NonResourceAttributes;

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

/** The part of the store the evaluator reads. */
export interface RbacReader {
  list<T extends Role | RoleBinding>(kind: string, options?: { namespace?: string }): Stored<T>[];
  find<T extends Role | RoleBinding>(kind: string, namespace: string | undefined, name: string): Stored<T> | undefined;
}

const MASTERS = "system:masters";
const SA_PREFIX = "system:serviceaccount:";

/**
 * The user the apiserver sees when kubectl impersonates `name` with `groups` (`--as`,
 * `--as-group`): service accounts gain their groups, and everyone but `system:anonymous`
 * gains `system:authenticated`.
 */
export function impersonatedUser(name: string, groups: readonly string[]): UserInfo {
  const all = [...groups];
  if (name.startsWith(SA_PREFIX)) {
    const namespace = name.slice(SA_PREFIX.length).split(":")[0];
    all.push("system:serviceaccounts", `system:serviceaccounts:${namespace}`);
  }
  if (name !== "system:anonymous" && !all.includes("system:authenticated")) all.push("system:authenticated");
  return { name, groups: all };
}

/** `appliesToUser`. A service account subject without a namespace means the binding's. */
function subjectMatches(user: UserInfo, subject: Subject, namespace: string): boolean {
  switch (subject.kind) {
    case "User":
      return user.name === subject.name;
    case "Group":
      return user.groups.includes(subject.name);
    case "ServiceAccount": {
      const ns = subject.namespace || namespace;
      return ns !== "" && user.name === `${SA_PREFIX}${ns}:${subject.name}`;
    }
    default:
      return false;
  }
}

/** `GetRoleReferenceRules`: the referenced role's rules, or the lister's NotFound text. */
function roleRules(store: RbacReader, binding: Stored<RoleBinding>, namespace: string): PolicyRule[] | string {
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
  const bindings: [Stored<RoleBinding>, string][] = store.list<RoleBinding>("ClusterRoleBinding").map((b) => [b, ""]);
  if (namespace !== "") bindings.push(...store.list<RoleBinding>("RoleBinding", { namespace }).map((b): [Stored<RoleBinding>, string] => [b, namespace]));
  for (const [binding, bindingNamespace] of bindings) {
    if (!(binding.subjects ?? []).some((s) => subjectMatches(user, s, bindingNamespace))) continue;
    const rules = roleRules(store, binding, bindingNamespace);
    if (typeof rules === "string") {
      errors.push(rules);
      continue;
    }
    for (const rule of rules) if (!visit(rule)) return errors;
  }
  return errors;
}

const isResource = (a: Attributes): a is ResourceAttributes => "resource" in a;
const matches = (list: readonly string[] | undefined, value: string) => (list ?? []).some((v) => v === "*" || v === value);

/** `RuleAllows`. */
export function ruleAllows(attrs: Attributes, rule: PolicyRule): boolean {
  if (!matches(rule.verbs, attrs.verb)) return false;
  if (!isResource(attrs)) {
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
  if (user.groups.includes(MASTERS)) return { allowed: true, reason: "" };
  let allowed = false;
  const errors = visitRules(store, user, isResource(attrs) ? attrs.namespace : "", (rule) => {
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
  if (user.groups.includes(MASTERS)) {
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
