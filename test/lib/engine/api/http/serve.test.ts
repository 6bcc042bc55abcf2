import { describe, expect, it } from "vitest";
import { createCluster } from "@/lib/engine";
import { type AuthenticationTrust, issueToken, serveApiRequest, type ServiceAccount, type Stored } from "@/lib/engine/api";
import { keyPairFrom } from "@/lib/engine/pki";
import { bind, rbacStore, role, serviceAccount } from "../authz/fixtures";

const ISSUER = "https://kubernetes.default.svc.cluster.local";
const key = keyPairFrom("test/sa");

function world() {
  const store = rbacStore();
  const sa = store.create<ServiceAccount>({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "app", namespace: "dev" } }) as Stored<ServiceAccount>;
  store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings", namespace: "dev" }, data: { mode: "fast" } });
  const now = store.clock.now();
  const token = issueToken({ namespace: "dev", serviceAccount: { name: "app", uid: sa.metadata.uid }, issuer: ISSUER, now, expirationSeconds: 3600, jti: "1", key });
  const trust: AuthenticationTrust = { clientCAs: [], issuer: ISSUER, serviceAccountKey: key.publicKey, now };
  const get = (target: string, auth = token, method = "GET", body?: string) =>
    serveApiRequest(store, { method, target, headers: auth ? [["Authorization", `Bearer ${auth}`]] : [], ...(body ? { body } : {}) }, trust);
  return { store, token, trust, get };
}

const status = (code: number, reason: string, message: string, details: Record<string, string> = {}) =>
  JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, details, code }, null, 2);

describe("serveApiRequest", () => {
  it("authenticates the bearer token and answers 403 with the Status the apiserver sends", () => {
    const { get } = world();
    expect(get("/api/v1/namespaces/dev/configmaps")).toEqual({
      status: 403,
      contentType: "application/json",
      body: status(403, "Forbidden", 'configmaps is forbidden: User "system:serviceaccount:dev:app" cannot list resource "configmaps" in API group "" in the namespace "dev"', { kind: "configmaps" }),
    });
    expect(get("/apis/apps/v1/namespaces/dev/deployments/web").body).toBe(
      status(403, "Forbidden", 'deployments.apps "web" is forbidden: User "system:serviceaccount:dev:app" cannot get resource "deployments" in API group "apps" in the namespace "dev"', { name: "web", group: "apps", kind: "deployments" }),
    );
    expect(get("/metrics").body).toBe(status(403, "Forbidden", 'forbidden: User "system:serviceaccount:dev:app" cannot get path "/metrics"'));
  });

  it("treats a request without credentials as system:anonymous, and refuses bad tokens with 401", () => {
    const { get, token } = world();
    expect(JSON.parse(get("/api/v1/namespaces/dev/configmaps", "").body).message).toBe(
      'configmaps is forbidden: User "system:anonymous" cannot list resource "configmaps" in API group "" in the namespace "dev"',
    );
    const forged = `${token.split(".").slice(0, 2).join(".")}.${"A".repeat(86)}`;
    for (const bad of ["not-a-jwt", forged]) {
      expect(get("/api/v1/namespaces/dev/configmaps", bad)).toEqual({
        status: 401,
        contentType: "application/json",
        body: JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 }, null, 2),
      });
    }
  });

  it("serves lists, objects, writes and the store's errors once RBAC allows", () => {
    const { store, get } = world();
    role(store, "Role", "cm", [{ verbs: ["get", "list", "create", "patch", "delete"], apiGroups: [""], resources: ["configmaps"] }], "dev");
    bind(store, "RoleBinding", "app-cm", "Role/cm", [serviceAccount("app")], "dev");
    const list = JSON.parse(get("/api/v1/namespaces/dev/configmaps").body);
    expect(list).toMatchObject({ kind: "ConfigMapList", apiVersion: "v1", metadata: { resourceVersion: store.resourceVersion } });
    expect(list.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(["settings"]);
    expect(list.items[0].kind).toBeUndefined();
    expect(JSON.parse(get("/api/v1/namespaces/dev/configmaps/settings").body).data).toEqual({ mode: "fast" });
    expect(get("/api/v1/namespaces/dev/configmaps/nope").body).toBe(status(404, "NotFound", 'configmaps "nope" not found', { name: "nope", kind: "configmaps" }));
    const created = get("/api/v1/namespaces/dev/configmaps", undefined, "POST", JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "made" }, data: { a: "1" } }));
    expect(created.status).toBe(201);
    expect(store.get("ConfigMap", "dev", "made").data).toEqual({ a: "1" });
    expect(get("/api/v1/namespaces/dev/configmaps/made", undefined, "PATCH", '{"data":{"a":"2"}}').status).toBe(200);
    expect(store.get("ConfigMap", "dev", "made").data).toEqual({ a: "2" });
    expect(JSON.parse(get("/api/v1/namespaces/dev/configmaps/made", undefined, "DELETE").body)).toMatchObject({ kind: "Status", status: "Success", details: { name: "made", kind: "configmaps" } });
    expect(store.find("ConfigMap", "dev", "made")).toBeUndefined();
    expect(get("/api/v1/namespaces/dev/configmaps", undefined, "POST", "{oops").status).toBe(400);
    expect(get("/api/v1/namespaces/dev/configmaps/settings", undefined, "PUT", "{}").status).toBe(403);
  });

  it("authorises an unknown resource like any other before its 404", () => {
    const { store, get } = world();
    expect(JSON.parse(get("/api/v1/namespaces/dev/foos").body).message).toBe('foos is forbidden: User "system:serviceaccount:dev:app" cannot list resource "foos" in API group "" in the namespace "dev"');
    role(store, "ClusterRole", "all", [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }]);
    bind(store, "ClusterRoleBinding", "app-all", "ClusterRole/all", [serviceAccount("app", "dev")]);
    expect(get("/api/v1/namespaces/dev/foos").body).toBe(status(404, "NotFound", "the server could not find the requested resource"));
  });
});

describe("a pod's curl to the apiserver", () => {
  it("walks the network to kube-apiserver, authenticates its projected token and answers JSON", async () => {
    const cluster = createCluster({ scenario: "single-node", seed: 5 });
    const sh = cluster.shell();
    await sh.run("kubectl run curl --image=curlimages/curl --command -- sleep 3600");
    expect((await sh.run("kubectl wait --for=condition=Ready pod/curl --timeout=60s")).exitCode).toBe(0);
    const curl = (path: string) =>
      sh.run(`kubectl exec curl -- sh -c 'curl -sk -H "Authorization: Bearer $(cat /var/run/secrets/kubernetes.io/serviceaccount/token)" https://kubernetes.default.svc${path}'`);
    expect(JSON.parse((await curl("/api/v1/namespaces/default/pods")).stdout)).toMatchObject({
      code: 403, message: 'pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"',
    });
    await sh.run("kubectl create rolebinding default-view --clusterrole=view --serviceaccount=default:default");
    const list = JSON.parse((await curl("/api/v1/namespaces/default/pods")).stdout);
    expect(list.kind).toBe("PodList");
    expect(list.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual(["curl"]);
    expect((await sh.run("kubectl exec curl -- curl -sk https://kubernetes.default.svc/healthz")).stdout).toBe("ok");
    // Every answer carries its own Audit-Id, a version 4 UUID as the apiserver's.
    const audits = [];
    for (const path of ["/healthz", "/healthz", "/version"]) {
      const headers = (await sh.run(`kubectl exec curl -- curl -sk -i https://kubernetes.default.svc${path}`)).stdout;
      audits.push(/^Audit-Id: (.*)\r?$/m.exec(headers)?.[1]);
    }
    for (const id of audits) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(audits).size).toBe(3);
  });
});
