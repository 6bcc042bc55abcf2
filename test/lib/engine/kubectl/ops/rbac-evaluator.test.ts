import { describe, expect, it } from "vitest";
import type { PolicyRule } from "@/lib/engine/api";
import { type Attributes, authorize, impersonatedUser, ruleAllows, rulesFor, type UserInfo } from "@/lib/engine/kubectl/verbs/ops";
import { binding, opsFixture, role } from "./helpers";

const jane: UserInfo = { name: "jane", groups: ["system:authenticated"] };
const pods = (verb: string, namespace: string, extra: Partial<Attributes> = {}): Attributes => ({ verb, namespace, apiGroup: "", resource: "pods", ...extra });

describe("ruleAllows", () => {
  const cases: [string, PolicyRule, Attributes, boolean][] = [
    ["exact verb and resource", { verbs: ["get"], apiGroups: [""], resources: ["pods"] }, pods("get", "dev"), true],
    ["other verb", { verbs: ["get"], apiGroups: [""], resources: ["pods"] }, pods("delete", "dev"), false],
    ["wildcards", { verbs: ["*"], apiGroups: ["*"], resources: ["*"] }, { verb: "patch", namespace: "", apiGroup: "apps", resource: "deployments" }, true],
    ["wrong group", { verbs: ["get"], apiGroups: [""], resources: ["deployments"] }, { verb: "get", namespace: "dev", apiGroup: "apps", resource: "deployments" }, false],
    ["subresource needs its own rule", { verbs: ["get"], apiGroups: [""], resources: ["pods"] }, pods("get", "dev", { subresource: "log" }), false],
    ["resource/subresource", { verbs: ["get"], apiGroups: [""], resources: ["pods/log"] }, pods("get", "dev", { subresource: "log" }), true],
    ["*/subresource", { verbs: ["get"], apiGroups: [""], resources: ["*/log"] }, pods("get", "dev", { subresource: "log" }), true],
    ["named resource", { verbs: ["get"], apiGroups: [""], resources: ["pods"], resourceNames: ["web"] }, pods("get", "dev", { name: "web" }), true],
    ["named resource, other name", { verbs: ["get"], apiGroups: [""], resources: ["pods"], resourceNames: ["web"] }, pods("get", "dev", { name: "db" }), false],
    ["named resource, no name (list)", { verbs: ["list"], apiGroups: [""], resources: ["pods"], resourceNames: ["web"] }, pods("list", "dev"), false],
    ["non-resource URL", { verbs: ["get"], nonResourceURLs: ["/healthz"] }, { verb: "get", path: "/healthz" }, true],
    ["non-resource prefix", { verbs: ["get"], nonResourceURLs: ["/api/*"] }, { verb: "get", path: "/api/v1" }, true],
    ["non-resource rule for a resource", { verbs: ["get"], nonResourceURLs: ["*"] }, pods("get", "dev"), false],
  ];
  it.each(cases)("%s", (_name, rule, attrs, allowed) => {
    expect(ruleAllows(attrs, rule)).toBe(allowed);
  });
});

describe("authorize", () => {
  function world() {
    const f = opsFixture();
    f.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "dev" } });
    role(f, "Role", "pod-reader", [{ verbs: ["get", "list"], apiGroups: [""], resources: ["pods"] }], "dev");
    binding(f, "RoleBinding", "jane-reads", "Role", "pod-reader", [{ kind: "User", name: "jane", apiGroup: "rbac.authorization.k8s.io" }], "dev");
    role(f, "ClusterRole", "node-viewer", [{ verbs: ["get"], apiGroups: [""], resources: ["nodes"] }]);
    binding(f, "ClusterRoleBinding", "ops-view-nodes", "ClusterRole", "node-viewer", [{ kind: "Group", name: "ops", apiGroup: "rbac.authorization.k8s.io" }]);
    role(f, "ClusterRole", "deployer", [{ verbs: ["*"], apiGroups: ["apps"], resources: ["deployments"] }]);
    binding(f, "RoleBinding", "ci-deploys", "ClusterRole", "deployer", [{ kind: "ServiceAccount", name: "ci" }], "dev");
    return f;
  }
  const ci = impersonatedUser("system:serviceaccount:dev:ci", []);
  const cases: [string, UserInfo, Attributes, boolean][] = [
    ["role binding in its namespace", jane, pods("list", "dev"), true],
    ["not in another namespace", jane, pods("list", "default"), false],
    ["not other verbs", jane, pods("delete", "dev"), false],
    ["not cluster-wide", jane, pods("list", ""), false],
    ["group through a cluster role binding", { name: "bob", groups: ["ops"] }, { verb: "get", namespace: "", apiGroup: "", resource: "nodes" }, true],
    ["service account, namespace from the binding", ci, { verb: "create", namespace: "dev", apiGroup: "apps", resource: "deployments" }, true],
    ["cluster role bound in one namespace only", ci, { verb: "create", namespace: "default", apiGroup: "apps", resource: "deployments" }, false],
    ["system:masters may do anything", { name: "root", groups: ["system:masters"] }, { verb: "delete", namespace: "", apiGroup: "", resource: "nodes" }, true],
  ];
  it.each(cases)("%s", (_name, user, attrs, allowed) => {
    expect(authorize(world().store, user, attrs)).toEqual({ allowed, reason: "" });
  });

  it("explains a denial caused by bindings to missing roles", () => {
    const f = world();
    binding(f, "RoleBinding", "broken", "Role", "gone", [{ kind: "User", name: "jane" }], "dev");
    binding(f, "ClusterRoleBinding", "broken-too", "ClusterRole", "gone-too", [{ kind: "Group", name: "system:authenticated" }]);
    expect(authorize(f.store, jane, pods("delete", "dev"))).toEqual({
      allowed: false,
      reason: 'RBAC: [clusterrole.rbac.authorization.k8s.io "gone-too" not found, role.rbac.authorization.k8s.io "gone" not found]',
    });
    expect(authorize(f.store, jane, pods("get", "dev")).allowed).toBe(true);
  });

  it("lists a user's rules, flagging broken bindings", () => {
    const f = world();
    binding(f, "RoleBinding", "broken", "Role", "gone", [{ kind: "User", name: "jane" }], "dev");
    expect(rulesFor(f.store, jane, "dev")).toEqual({
      resourceRules: [{ verbs: ["get", "list"], apiGroups: [""], resources: ["pods"] }],
      nonResourceRules: [],
      incomplete: true,
      evaluationError: 'role.rbac.authorization.k8s.io "gone" not found',
    });
  });

  it("gives impersonated users the groups the apiserver adds", () => {
    expect(impersonatedUser("system:serviceaccount:dev:ci", [])).toEqual({
      name: "system:serviceaccount:dev:ci",
      groups: ["system:serviceaccounts", "system:serviceaccounts:dev", "system:authenticated"],
    });
    expect(impersonatedUser("jane", ["qa"])).toEqual({ name: "jane", groups: ["qa", "system:authenticated"] });
    expect(impersonatedUser("system:anonymous", [])).toEqual({ name: "system:anonymous", groups: [] });
  });
});
