import { describe, expect, it } from "vitest";
import { type Attributes, authorizedStore, forbidden, kubectlErrorText } from "@/lib/engine/api";
import { errorText } from "../helpers";
import { bind, rbacStore, role, user } from "./fixtures";

const jane = { name: "jane", groups: ["system:authenticated"] };

describe("the apiserver's Forbidden text", () => {
  const cases: [string, Attributes, string, string][] = [
    ["namespaced list", { verb: "list", namespace: "default", apiGroup: "", resource: "pods" }, "",
      'Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"'],
    ["cluster scope", { verb: "list", namespace: "", apiGroup: "", resource: "nodes" }, "",
      'Error from server (Forbidden): nodes is forbidden: User "jane" cannot list resource "nodes" in API group "" at the cluster scope'],
    ["named object in a group", { verb: "delete", namespace: "dev", apiGroup: "apps", resource: "deployments", name: "web" }, "",
      'Error from server (Forbidden): deployments.apps "web" is forbidden: User "jane" cannot delete resource "deployments" in API group "apps" in the namespace "dev"'],
    ["subresource", { verb: "get", namespace: "dev", apiGroup: "", resource: "pods", subresource: "log", name: "web" }, "",
      'Error from server (Forbidden): pods "web" is forbidden: User "jane" cannot get resource "pods/log" in API group "" in the namespace "dev"'],
    ["non-resource URL", { verb: "get", path: "/metrics" }, "",
      'Error from server (Forbidden): forbidden: User "jane" cannot get path "/metrics"'],
    ["with the authorizer's reason", { verb: "list", namespace: "dev", apiGroup: "", resource: "pods" }, 'RBAC: role.rbac.authorization.k8s.io "gone" not found',
      'Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "dev": RBAC: role.rbac.authorization.k8s.io "gone" not found'],
  ];
  it.each(cases)("%s", (_name, attrs, reason, text) => {
    const error = forbidden(jane, attrs, reason);
    expect(error.code).toBe(403);
    expect(kubectlErrorText(error)).toBe(text);
  });

  it("names the resource without its subresource in the Status details", () => {
    const error = forbidden(jane, { verb: "create", namespace: "dev", apiGroup: "", resource: "pods", subresource: "exec", name: "web" });
    expect(error.status.details).toEqual({ name: "web", group: "", kind: "pods" });
  });
});

describe("authorizedStore", () => {
  const store = rbacStore();
  role(store, "Role", "cm-editor", [{ verbs: ["get", "list", "create", "update", "patch", "delete"], apiGroups: [""], resources: ["configmaps"] }], "dev");
  bind(store, "RoleBinding", "jane-edits", "Role/cm-editor", [user("jane")], "dev");
  const asJane = authorizedStore(store, jane);
  const cm = (name: string, namespace = "dev") => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace }, data: { a: "1" } });

  it("serves what RBAC grants, through to the store", () => {
    asJane.create(cm("app"));
    expect(asJane.get("ConfigMap", "dev", "app").data).toEqual({ a: "1" });
    expect(asJane.list("ConfigMap", { namespace: "dev" }).map((c) => c.metadata.name)).toContain("app");
    asJane.patch("ConfigMap", "dev", "app", { data: { a: "2" } });
    expect(store.get("ConfigMap", "dev", "app").data).toEqual({ a: "2" });
    expect(asJane.delete("ConfigMap", "dev", "app").deleted).toBe(true);
    expect(asJane.resourceVersion).toBe(store.resourceVersion);
  });

  it("refuses every other request with the verb, scope and name the URL would carry", () => {
    expect(errorText(() => asJane.create(cm("app", "prod")))).toBe(
      'Error from server (Forbidden): configmaps is forbidden: User "jane" cannot create resource "configmaps" in API group "" in the namespace "prod"',
    );
    expect(errorText(() => asJane.list("ConfigMap"))).toBe(
      'Error from server (Forbidden): configmaps is forbidden: User "jane" cannot list resource "configmaps" in API group "" at the cluster scope',
    );
    expect(errorText(() => asJane.find("Namespace", undefined, "dev"))).toBe(
      'Error from server (Forbidden): namespaces "dev" is forbidden: User "jane" cannot get resource "namespaces" in API group "" at the cluster scope',
    );
    expect(errorText(() => asJane.watch(() => undefined, { kind: "Pod", namespace: "dev" }))).toBe(
      'Error from server (Forbidden): pods is forbidden: User "jane" cannot watch resource "pods" in API group "" in the namespace "dev"',
    );
    expect(errorText(() => asJane.bind("dev", "web", "node01"))).toBe(
      'Error from server (Forbidden): pods "web" is forbidden: User "jane" cannot create resource "pods/binding" in API group "" in the namespace "dev"',
    );
    expect(errorText(() => asJane.patch("ConfigMap", "dev", "app", {}, { subresource: "status" }))).toBe(
      'Error from server (Forbidden): configmaps "app" is forbidden: User "jane" cannot patch resource "configmaps/status" in API group "" in the namespace "dev"',
    );
  });

  it("authorises before looking: a forbidden object's existence is not revealed", () => {
    expect(errorText(() => asJane.get("Secret", "dev", "no-such-secret"))).toMatch(/^Error from server \(Forbidden\): secrets "no-such-secret" is forbidden/);
  });
});
