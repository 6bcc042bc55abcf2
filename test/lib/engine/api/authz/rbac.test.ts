import { describe, expect, it } from "vitest";
import { type Attributes, type PolicyRule, type UserInfo, authorize, impersonatedUser, ruleAllows, rulesFor, serviceAccountUser } from "@/lib/engine/api";
import { bind, group, rbacStore, role, serviceAccount, user } from "./fixtures";

const pods = (verb: string, namespace: string, extra: Partial<Attributes> = {}): Attributes => ({ verb, namespace, apiGroup: "", resource: "pods", ...extra });
const res = (verb: string, resource: string, namespace = "", apiGroup = "", extra: Partial<Attributes> = {}): Attributes => ({ verb, namespace, apiGroup, resource, ...extra });

describe("ruleAllows", () => {
  const cases: [string, PolicyRule, Attributes, boolean][] = [
    ["exact verb and resource", { verbs: ["get"], apiGroups: [""], resources: ["pods"] }, pods("get", "dev"), true],
    ["other verb", { verbs: ["get"], apiGroups: [""], resources: ["pods"] }, pods("delete", "dev"), false],
    ["wildcards", { verbs: ["*"], apiGroups: ["*"], resources: ["*"] }, res("patch", "deployments", "", "apps"), true],
    ["wrong group", { verbs: ["get"], apiGroups: [""], resources: ["deployments"] }, res("get", "deployments", "dev", "apps"), false],
    ["subresource needs its own rule", { verbs: ["get"], apiGroups: [""], resources: ["pods"] }, pods("get", "dev", { subresource: "log" }), false],
    ["resource/subresource", { verbs: ["get"], apiGroups: [""], resources: ["pods/log"] }, pods("get", "dev", { subresource: "log" }), true],
    ["*/subresource", { verbs: ["get"], apiGroups: [""], resources: ["*/log"] }, pods("get", "dev", { subresource: "log" }), true],
    ["a * resource covers subresources", { verbs: ["get"], apiGroups: [""], resources: ["*"] }, pods("get", "dev", { subresource: "log" }), true],
    ["named resource", { verbs: ["get"], apiGroups: [""], resources: ["pods"], resourceNames: ["web"] }, pods("get", "dev", { name: "web" }), true],
    ["named resource, other name", { verbs: ["get"], apiGroups: [""], resources: ["pods"], resourceNames: ["web"] }, pods("get", "dev", { name: "db" }), false],
    ["named resource, no name (list)", { verbs: ["list"], apiGroups: [""], resources: ["pods"], resourceNames: ["web"] }, pods("list", "dev"), false],
    ["named resource, create has no name", { verbs: ["create"], apiGroups: [""], resources: ["pods"], resourceNames: ["web"] }, pods("create", "dev"), false],
    ["non-resource URL", { verbs: ["get"], nonResourceURLs: ["/healthz"] }, { verb: "get", path: "/healthz" }, true],
    ["non-resource prefix", { verbs: ["get"], nonResourceURLs: ["/api/*"] }, { verb: "get", path: "/api/v1" }, true],
    ["non-resource other path", { verbs: ["get"], nonResourceURLs: ["/healthz"] }, { verb: "get", path: "/metrics" }, false],
    ["non-resource rule for a resource", { verbs: ["get"], nonResourceURLs: ["*"] }, pods("get", "dev"), false],
    ["resource rule for a URL", { verbs: ["*"], apiGroups: ["*"], resources: ["*"] }, { verb: "get", path: "/healthz" }, false],
  ];
  it.each(cases)("%s", (_name, rule, attrs, allowed) => {
    expect(ruleAllows(attrs, rule)).toBe(allowed);
  });
});

/** The subjects × requests matrix over one world of roles and bindings. */
describe("authorize", () => {
  const store = rbacStore();
  role(store, "Role", "pod-reader", [{ verbs: ["get", "list", "watch"], apiGroups: [""], resources: ["pods", "pods/log"] }], "dev");
  bind(store, "RoleBinding", "jane-reads", "Role/pod-reader", [user("jane")], "dev");
  role(store, "ClusterRole", "node-viewer", [{ verbs: ["get", "list"], apiGroups: [""], resources: ["nodes"] }]);
  bind(store, "ClusterRoleBinding", "ops-view-nodes", "ClusterRole/node-viewer", [group("ops")]);
  role(store, "ClusterRole", "deployer", [{ verbs: ["*"], apiGroups: ["apps"], resources: ["deployments", "deployments/scale"] }]);
  bind(store, "RoleBinding", "ci-deploys", "ClusterRole/deployer", [serviceAccount("ci")], "dev");
  role(store, "ClusterRole", "one-config", [{ verbs: ["get", "update"], apiGroups: [""], resources: ["configmaps"], resourceNames: ["app-config"] }]);
  bind(store, "RoleBinding", "bob-config", "ClusterRole/one-config", [user("bob")], "prod");
  role(store, "ClusterRole", "health", [{ verbs: ["get"], nonResourceURLs: ["/healthz", "/metrics"] }]);
  bind(store, "ClusterRoleBinding", "monitoring-health", "ClusterRole/health", [serviceAccount("prometheus", "monitoring")]);
  bind(store, "RoleBinding", "every-sa-in-dev", "ClusterRole/view-secrets", [group("system:serviceaccounts:dev")], "dev");
  role(store, "ClusterRole", "view-secrets", [{ verbs: ["get"], apiGroups: [""], resources: ["secrets"] }]);
  bind(store, "ClusterRoleBinding", "root", "ClusterRole/cluster-admin", [user("root")]);
  role(store, "ClusterRole", "cluster-admin", [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }, { verbs: ["*"], nonResourceURLs: ["*"] }]);

  const jane: UserInfo = { name: "jane", groups: ["system:authenticated"] };
  const bob: UserInfo = { name: "bob", groups: ["system:authenticated"] };
  const ops: UserInfo = { name: "olga", groups: ["ops", "system:authenticated"] };
  const ci = serviceAccountUser("dev", "ci");
  const ciElsewhere = serviceAccountUser("prod", "ci");
  const prometheus = serviceAccountUser("monitoring", "prometheus");
  const masters: UserInfo = { name: "kubernetes-super-admin", groups: ["system:masters", "system:authenticated"] };
  const root: UserInfo = { name: "root", groups: [] };

  const cases: [string, UserInfo, Attributes, boolean][] = [
    // A Role grants in its own namespace only, for the verbs and resources it lists.
    ["Role: list in its namespace", jane, pods("list", "dev"), true],
    ["Role: watch in its namespace", jane, pods("watch", "dev"), true],
    ["Role: not in another namespace", jane, pods("list", "prod"), false],
    ["Role: not other verbs", jane, pods("delete", "dev"), false],
    ["Role: not cluster-wide (-A)", jane, pods("list", ""), false],
    ["Role: its subresource", jane, pods("get", "dev", { subresource: "log", name: "web" }), true],
    ["Role: not other subresources", jane, pods("create", "dev", { subresource: "exec", name: "web" }), false],
    ["Role: not other resources", jane, res("list", "services", "dev"), false],
    // A ClusterRoleBinding grants everywhere, to everyone in the group.
    ["ClusterRoleBinding to a group: cluster-scoped", ops, res("list", "nodes"), true],
    ["ClusterRoleBinding to a group: named", ops, res("get", "nodes", "", "", { name: "node01" }), true],
    ["ClusterRoleBinding: not other verbs", ops, res("delete", "nodes", "", "", { name: "node01" }), false],
    ["not in the group", jane, res("list", "nodes"), false],
    // A RoleBinding to a ClusterRole limits it to the binding's namespace.
    ["RoleBinding to a ClusterRole: its namespace", ci, res("create", "deployments", "dev", "apps"), true],
    ["RoleBinding to a ClusterRole: its subresource", ci, res("update", "deployments", "dev", "apps", { subresource: "scale", name: "web" }), true],
    ["RoleBinding to a ClusterRole: not other namespaces", ci, res("create", "deployments", "prod", "apps"), false],
    ["RoleBinding to a ClusterRole: not cluster-wide", ci, res("list", "deployments", "", "apps"), false],
    ["ServiceAccount subject: same name, other namespace", ciElsewhere, res("create", "deployments", "dev", "apps"), false],
    ["ServiceAccount: wrong group", ci, res("create", "deployments", "dev", ""), false],
    // resourceNames.
    ["resourceNames: the named object", bob, res("update", "configmaps", "prod", "", { name: "app-config" }), true],
    ["resourceNames: another object", bob, res("update", "configmaps", "prod", "", { name: "db-config" }), false],
    ["resourceNames: not list", bob, res("list", "configmaps", "prod"), false],
    // Groups of service accounts.
    ["system:serviceaccounts:NS group", ci, res("get", "secrets", "dev", "", { name: "token" }), true],
    ["system:serviceaccounts:NS group, other namespace's SA", ciElsewhere, res("get", "secrets", "dev", "", { name: "token" }), false],
    // Non-resource URLs.
    ["non-resource URL granted", prometheus, { verb: "get", path: "/metrics" }, true],
    ["non-resource URL, other verb", prometheus, { verb: "post", path: "/metrics" }, false],
    ["non-resource URL, not granted", jane, { verb: "get", path: "/metrics" }, false],
    // Wildcards and the privileged group.
    ["cluster-admin wildcards", root, res("delete", "namespaces", "", "", { name: "prod" }), true],
    ["cluster-admin non-resource wildcard", root, { verb: "get", path: "/logs/" }, true],
    ["system:masters without any binding", masters, res("escalate", "clusterroles", "", "rbac.authorization.k8s.io"), true],
    ["nobody", { name: "mallory", groups: ["system:authenticated"] }, pods("get", "dev", { name: "web" }), false],
  ];
  it.each(cases)("%s", (_name, who, attrs, allowed) => {
    expect(authorize(store, who, attrs)).toEqual({ allowed, reason: "" });
  });

  it("explains a denial caused by bindings to missing roles, and still allows what others grant", () => {
    const s = rbacStore();
    role(s, "Role", "pod-reader", [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }], "dev");
    bind(s, "RoleBinding", "reads", "Role/pod-reader", [user("jane")], "dev");
    bind(s, "RoleBinding", "broken", "Role/gone", [user("jane")], "dev");
    bind(s, "ClusterRoleBinding", "broken-too", "ClusterRole/gone-too", [group("system:authenticated")]);
    expect(authorize(s, jane, pods("delete", "dev"))).toEqual({
      allowed: false,
      reason: 'RBAC: [clusterrole.rbac.authorization.k8s.io "gone-too" not found, role.rbac.authorization.k8s.io "gone" not found]',
    });
    expect(authorize(s, jane, pods("get", "dev")).allowed).toBe(true);
  });

  it("sees bindings and roles written after an earlier decision", () => {
    const s = rbacStore();
    expect(authorize(s, jane, pods("list", "dev")).allowed).toBe(false);
    bind(s, "RoleBinding", "late", "Role/late-reader", [user("jane")], "dev");
    expect(authorize(s, jane, pods("list", "dev"))).toEqual({ allowed: false, reason: 'RBAC: role.rbac.authorization.k8s.io "late-reader" not found' });
    role(s, "Role", "late-reader", [{ verbs: ["list"], apiGroups: [""], resources: ["pods"] }], "dev");
    expect(authorize(s, jane, pods("list", "dev")).allowed).toBe(true);
    s.delete("RoleBinding", "dev", "late");
    expect(authorize(s, jane, pods("list", "dev")).allowed).toBe(false);
  });

  it("lists a user's rules, cluster bindings first, flagging broken bindings", () => {
    const s = rbacStore();
    role(s, "Role", "pod-reader", [{ verbs: ["get", "list"], apiGroups: [""], resources: ["pods"] }], "dev");
    bind(s, "RoleBinding", "reads", "Role/pod-reader", [user("jane")], "dev");
    bind(s, "RoleBinding", "broken", "Role/gone", [user("jane")], "dev");
    role(s, "ClusterRole", "health", [{ verbs: ["get"], nonResourceURLs: ["/healthz"] }]);
    bind(s, "ClusterRoleBinding", "health", "ClusterRole/health", [group("system:authenticated")]);
    expect(rulesFor(s, jane, "dev")).toEqual({
      resourceRules: [{ verbs: ["get", "list"], apiGroups: [""], resources: ["pods"] }],
      nonResourceRules: [{ verbs: ["get"], nonResourceURLs: ["/healthz"] }],
      incomplete: true,
      evaluationError: 'role.rbac.authorization.k8s.io "gone" not found',
    });
    expect(rulesFor(s, jane, "prod")).toEqual({ resourceRules: [], nonResourceRules: [{ verbs: ["get"], nonResourceURLs: ["/healthz"] }], incomplete: false, evaluationError: "" });
  });
});

describe("impersonatedUser", () => {
  it("gives service accounts their groups unless groups are asked for, and everyone system:authenticated", () => {
    expect(impersonatedUser("system:serviceaccount:dev:ci", [])).toEqual({
      name: "system:serviceaccount:dev:ci",
      groups: ["system:serviceaccounts", "system:serviceaccounts:dev", "system:authenticated"],
    });
    expect(impersonatedUser("system:serviceaccount:dev:ci", ["qa"])).toEqual({ name: "system:serviceaccount:dev:ci", groups: ["qa", "system:authenticated"] });
    expect(impersonatedUser("jane", ["qa"])).toEqual({ name: "jane", groups: ["qa", "system:authenticated"] });
    expect(impersonatedUser("system:anonymous", [])).toEqual({ name: "system:anonymous", groups: [] });
  });
});
