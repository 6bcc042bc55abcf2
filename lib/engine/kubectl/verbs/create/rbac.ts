/**
 * `kubectl create role|clusterrole|rolebinding|clusterrolebinding`, after create_role.go,
 * create_clusterrole.go and create_(cluster)rolebinding.go: one rule per API group (groups
 * sorted, resources resolved through discovery: `rs` → `replicasets` in `apps`), `*` verbs and
 * resources collapsing, sub-resources, resource names, non-resource URLs and aggregation rules
 * for cluster roles; bindings to a Role or ClusterRole for users, groups and service accounts.
 *
 * @example
 * await sh.run("kubectl create role pod-reader --verb=get,list,watch --resource=pods");
 * await sh.run("kubectl create rolebinding read-pods --role=pod-reader --serviceaccount=default:app");
 */
import { resolveResource } from "../../../api";
import type { Output } from "../../../shell";
import { KubectlError } from "../../errors";
import type { KubectlArgs, KubectlContext } from "../../types";
import { GENERATOR_FLAGS, generatorVerb, typedMeta } from "./generator";

const RBAC = "rbac.authorization.k8s.io";
const RESOURCE_VERBS = ["*", "get", "delete", "list", "create", "update", "patch", "watch", "proxy", "deletecollection", "use", "bind", "escalate", "impersonate"];
const NON_RESOURCE_VERBS = ["*", "get", "post", "put", "delete", "patch", "head", "options"];
/** Verbs that only make sense on certain resources (`specialVerbs`). */
const SPECIAL_VERBS: Record<string, readonly string[]> = {
  use: ["policy/podsecuritypolicies", "extensions/podsecuritypolicies"],
  bind: [`${RBAC}/roles`, `${RBAC}/clusterroles`],
  escalate: [`${RBAC}/roles`, `${RBAC}/clusterroles`],
  impersonate: ["/users", "/serviceaccounts", "/groups", "authentication.k8s.io/userextras"],
};

interface ResourceOption {
  group: string;
  resource: string;
  subresource: string;
}

const unique = (values: readonly string[]) => [...new Set(values)];

/** `--verb` without duplicates; `*` stands for all of them. */
function verbsOf(args: KubectlArgs): string[] {
  const verbs = args.strings("verb");
  return verbs.includes("*") ? ["*"] : unique(verbs);
}

/** `--resource=resource.group/subresource` values; a bare `*` replaces the rest. */
function resourcesOf(args: KubectlArgs): ResourceOption[] {
  const out: ResourceOption[] = [];
  for (const r of args.strings("resource")) {
    const [main, subresource = ""] = r.split(/\/(.*)/s);
    const dot = main.indexOf(".");
    const option = { resource: dot < 0 ? main : main.slice(0, dot), group: dot < 0 ? "" : main.slice(dot + 1), subresource };
    if (option.resource === "*" && dot < 0 && subresource === "") return [option];
    out.push(option);
  }
  return out;
}

/** The RESTMapper's answer for a resource option (discovery comes from the server). */
function mapped(ctx: KubectlContext, r: ResourceOption): { group: string; resource: string } | undefined {
  void ctx.store; // The RESTMapper reads discovery: without a server this is where kubectl fails.
  const info = resolveResource(r.group ? `${r.resource}.${r.group}` : r.resource);
  return info ? { group: info.group, resource: info.plural } : undefined;
}

/** `validateResource`: known resources, and the special verbs only where they apply. */
function validateResources(ctx: KubectlContext, verbs: readonly string[], resources: readonly ResourceOption[]): void {
  for (const r of resources) {
    if (r.resource === "") throw new KubectlError("resource must be specified if apiGroup/subresource specified");
    if (r.resource === "*") return;
    const found = mapped(ctx, r);
    const target = found ?? { group: r.group, resource: r.resource };
    // A special verb on its own resource is fine even where discovery does not know it.
    let unknown = !found;
    for (const verb of verbs) {
      const allowed = SPECIAL_VERBS[verb];
      if (!allowed) continue;
      if (!allowed.includes(`${target.group}/${target.resource}`)) {
        throw new KubectlError(`can not perform '${verb}' on '${target.resource}' in group '${target.group}'`);
      }
      unknown = false;
    }
    // The RESTMapper's NoMatch error, which CheckErr prints without `error: `.
    if (unknown) throw new KubectlError(`the server doesn't have a resource type "${r.resource}"${r.group ? ` in group "${r.group}"` : ""}`, 1, true);
  }
}

/** `generateResourcePolicyRules`: one rule per API group, groups in sorted order. */
function policyRules(ctx: KubectlContext, verbs: string[], resources: readonly ResourceOption[], names: string[], urls: string[]) {
  const byGroup = new Map<string, string[]>();
  for (const r of resources) {
    const target = mapped(ctx, r) ?? { group: r.group, resource: r.resource };
    const resource = r.subresource ? `${target.resource}/${r.subresource}` : target.resource;
    const list = byGroup.get(target.group) ?? [];
    if (!list.includes(resource)) list.push(resource);
    byGroup.set(target.group, list);
  }
  // PolicyRule's struct order: verbs, apiGroups, resources, resourceNames, nonResourceURLs.
  const rules: Record<string, unknown>[] = [...byGroup.keys()].sort().map((group) => ({
    verbs,
    apiGroups: [group],
    resources: byGroup.get(group),
    ...(names.length > 0 ? { resourceNames: names } : {}),
  }));
  if (urls.length > 0) rules.push({ verbs, nonResourceURLs: urls });
  return rules;
}

function warnVerbs(verbs: readonly string[], out: Output): void {
  for (const v of verbs) if (!RESOURCE_VERBS.includes(v)) out.err(`Warning: '${v}' is not a standard resource verb\n`);
}

function buildRole(name: string, args: KubectlArgs, ctx: KubectlContext, out: Output) {
  const verbs = verbsOf(args);
  const resources = resourcesOf(args);
  if (verbs.length === 0) throw new KubectlError("at least one verb must be specified");
  warnVerbs(verbs, out);
  if (resources.length === 0) throw new KubectlError("at least one resource must be specified");
  validateResources(ctx, verbs, resources);
  const rules = policyRules(ctx, verbs, resources, unique(args.strings("resource-name")), []);
  return { kind: "Role", apiVersion: `${RBAC}/v1`, metadata: typedMeta(name, ctx), rules };
}

function validateURLs(verbs: readonly string[], urls: readonly string[], args: KubectlArgs): void {
  if (args.strings("resource-name").length > 0) throw new KubectlError("resource name should not be specified with non-resource url");
  for (const v of verbs) if (!NON_RESOURCE_VERBS.includes(v)) throw new KubectlError(`invalid verb: '${v}' for nonResourceURL`);
  for (const url of urls) {
    if (url === "*") continue;
    if (!url.startsWith("/")) throw new KubectlError("nonResourceURL should start with /");
    if (url.slice(0, -1).includes("*")) throw new KubectlError("nonResourceURL only supports wildcard matches when '*' is at the end");
  }
}

function buildClusterRole(name: string, args: KubectlArgs, ctx: KubectlContext, out: Output) {
  const verbs = verbsOf(args);
  const resources = resourcesOf(args);
  const urls = unique(args.strings("non-resource-url"));
  const aggregation = args.string("aggregation-rule") ?? "";
  const meta = { kind: "ClusterRole", apiVersion: `${RBAC}/v1`, metadata: typedMeta(name) };
  if (aggregation !== "") {
    if (urls.length > 0 || verbs.length > 0 || resources.length > 0 || args.strings("resource-name").length > 0) {
      throw new KubectlError("aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames");
    }
    // A Go map: JSON writes its keys sorted.
    const pairs = aggregation.split(",").map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)] as const);
    const matchLabels = Object.fromEntries([...pairs].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
    return { ...meta, rules: null, aggregationRule: { clusterRoleSelectors: [{ matchLabels }] } };
  }
  if (verbs.length === 0) throw new KubectlError("at least one verb must be specified");
  if (resources.length === 0 && urls.length === 0) throw new KubectlError("one of resource or nonResourceURL must be specified");
  if (resources.length > 0) {
    warnVerbs(verbs, out);
    validateResources(ctx, verbs, resources);
  }
  if (urls.length > 0) validateURLs(verbs, urls, args);
  return { ...meta, rules: policyRules(ctx, verbs, resources, unique(args.strings("resource-name")), urls) };
}

/** Subjects in the order kubectl adds them: users, groups, service accounts. */
function subjects(args: KubectlArgs) {
  const out: Record<string, string>[] = [];
  for (const name of args.strings("user")) out.push({ kind: "User", apiGroup: RBAC, name });
  for (const name of args.strings("group")) out.push({ kind: "Group", apiGroup: RBAC, name });
  for (const sa of args.strings("serviceaccount")) {
    const parts = sa.split(":");
    if (parts.length !== 2 || !parts[0] || !parts[1]) throw new KubectlError("serviceaccount must be <namespace>:<name>");
    out.push({ kind: "ServiceAccount", name: parts[1], namespace: parts[0] });
  }
  return out.length > 0 ? { subjects: out } : {};
}

function buildRoleBinding(name: string, args: KubectlArgs, ctx: KubectlContext) {
  const role = args.string("role") ?? "";
  const clusterRole = args.string("clusterrole") ?? "";
  if ((role === "") === (clusterRole === "")) throw new KubectlError("exactly one of clusterrole or role must be specified");
  const roleRef = { apiGroup: RBAC, kind: role ? "Role" : "ClusterRole", name: role || clusterRole };
  return { kind: "RoleBinding", apiVersion: `${RBAC}/v1`, metadata: typedMeta(name, ctx), ...subjects(args), roleRef };
}

function buildClusterRoleBinding(name: string, args: KubectlArgs) {
  const clusterRole = args.string("clusterrole") ?? "";
  const roleRef = { apiGroup: RBAC, kind: "ClusterRole", name: clusterRole };
  return { kind: "ClusterRoleBinding", apiVersion: `${RBAC}/v1`, metadata: typedMeta(name), ...subjects(args), roleRef };
}

const RULE_FLAGS = [
  { name: "resource", type: "stringSlice", usage: "Resource that the rule applies to" },
  { name: "resource-name", type: "stringArray", usage: "Resource in the white list that the rule applies to, repeat this flag for multiple items" },
  { name: "verb", type: "stringSlice", usage: "Verb that applies to the resources contained in the rule" },
] as const;

function subjectFlags(target: "role" | "clusterrole") {
  return [
    { name: "group", type: "stringArray", usage: `Groups to bind to the ${target}. The flag can be repeated to add multiple groups.` },
    {
      name: "serviceaccount",
      type: "stringArray",
      usage: `Service accounts to bind to the ${target}, in the format <namespace>:<name>. The flag can be repeated to add multiple service accounts.`,
    },
    { name: "user", type: "stringArray", usage: `Usernames to bind to the ${target}. The flag can be repeated to add multiple users.` },
  ] as const;
}

/** `kubectl create role`. */
export const createRole = generatorVerb({
  name: "role",
  short: "Create a role with single rule",
  long: "Create a role with single rule.",
  examples:
    '  # Create a role named "pod-reader" that allows user to perform "get", "watch" and "list" on pods\n  kubectl create role pod-reader --verb=get --verb=list --verb=watch --resource=pods\n  \n  # Create a role named "pod-reader" with ResourceName specified\n  kubectl create role pod-reader --verb=get --resource=pods --resource-name=readablepod --resource-name=anotherpod\n  \n  # Create a role named "foo" with API Group specified\n  kubectl create role foo --verb=get,list,watch --resource=rs.apps\n  \n  # Create a role named "foo" with SubResource specified\n  kubectl create role foo --verb=get,list,watch --resource=pods,pods/status',
  usage:
    "kubectl create role NAME --verb=verb --resource=resource.group/subresource [--resource-name=resourcename] [--dry-run=server|client|none] [options]",
  flags: [...GENERATOR_FLAGS, ...RULE_FLAGS],
  offline: () => ({ discovery: 2 }),
  build: buildRole,
});

/** `kubectl create clusterrole`. */
export const createClusterRole = generatorVerb({
  name: "clusterrole",
  short: "Create a cluster role",
  long: "Create a cluster role.",
  examples:
    '  # Create a cluster role named "pod-reader" that allows user to perform "get", "watch" and "list" on pods\n  kubectl create clusterrole pod-reader --verb=get,list,watch --resource=pods\n  \n  # Create a cluster role named "pod-reader" with ResourceName specified\n  kubectl create clusterrole pod-reader --verb=get --resource=pods --resource-name=readablepod --resource-name=anotherpod\n  \n  # Create a cluster role named "foo" with API Group specified\n  kubectl create clusterrole foo --verb=get,list,watch --resource=rs.apps\n  \n  # Create a cluster role named "foo" with SubResource specified\n  kubectl create clusterrole foo --verb=get,list,watch --resource=pods,pods/status\n  \n  # Create a cluster role name "foo" with NonResourceURL specified\n  kubectl create clusterrole "foo" --verb=get --non-resource-url=/logs/*\n  \n  # Create a cluster role name "monitoring" with AggregationRule specified\n  kubectl create clusterrole monitoring --aggregation-rule="rbac.example.com/aggregate-to-monitoring=true"',
  usage: "kubectl create clusterrole NAME --verb=verb --resource=resource.group [--resource-name=resourcename] [--dry-run=server|client|none] [options]",
  flags: [
    ...GENERATOR_FLAGS,
    { name: "aggregation-rule", type: "string", usage: "An aggregation label selector for combining ClusterRoles." },
    { name: "non-resource-url", type: "stringSlice", usage: "A partial url that user should have access to." },
    ...RULE_FLAGS,
  ],
  offline: () => ({ discovery: 2 }),
  build: buildClusterRole,
});

/** `kubectl create rolebinding`. */
export const createRoleBinding = generatorVerb({
  name: "rolebinding",
  short: "Create a role binding for a particular role or cluster role",
  long: "Create a role binding for a particular role or cluster role.",
  examples:
    "  # Create a role binding for user1, user2, and group1 using the admin cluster role\n  kubectl create rolebinding admin --clusterrole=admin --user=user1 --user=user2 --group=group1\n  \n  # Create a role binding for service account monitoring:sa-dev using the admin role\n  kubectl create rolebinding admin-binding --role=admin --serviceaccount=monitoring:sa-dev",
  usage:
    "kubectl create rolebinding NAME --clusterrole=NAME|--role=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none] [options]",
  flags: [
    ...GENERATOR_FLAGS,
    { name: "clusterrole", type: "string", usage: "ClusterRole this RoleBinding should reference" },
    { name: "role", type: "string", usage: "Role this RoleBinding should reference" },
    ...subjectFlags("role"),
  ],
  post: { what: "rolebinding", path: (ns) => `/apis/${RBAC}/v1/namespaces/${ns}/rolebindings` },
  build: buildRoleBinding,
});

/** `kubectl create clusterrolebinding`. */
export const createClusterRoleBinding = generatorVerb({
  name: "clusterrolebinding",
  short: "Create a cluster role binding for a particular cluster role",
  long: "Create a cluster role binding for a particular cluster role.",
  examples:
    "  # Create a cluster role binding for user1, user2, and group1 using the cluster-admin cluster role\n  kubectl create clusterrolebinding cluster-admin --clusterrole=cluster-admin --user=user1 --user=user2 --group=group1",
  usage:
    "kubectl create clusterrolebinding NAME --clusterrole=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none] [options]",
  flags: [
    ...GENERATOR_FLAGS,
    { name: "clusterrole", type: "string", usage: "ClusterRole this ClusterRoleBinding should reference" },
    ...subjectFlags("clusterrole"),
  ],
  required: ["clusterrole"],
  post: { what: "clusterrolebinding", path: () => `/apis/${RBAC}/v1/clusterrolebindings` },
  build: buildClusterRoleBinding,
});
