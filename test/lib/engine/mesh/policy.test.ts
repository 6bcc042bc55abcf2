// AuthorizationPolicy as the sidecar's RBAC filter enforces it (403 `RBAC: access denied`),
// in the cluster and as a truth table: ALLOW and DENY, principals and namespaces (which only
// mTLS gives), methods, paths with prefix/suffix wildcards, ports, selectors and the root
// namespace; and PeerAuthentication's precedence (workload > namespace > mesh, UNSET inherits).
import { describe, expect, it } from "vitest";
import type { Pod, StoreReader } from "@/lib/engine/api";
import { authorize, peerAuthenticationMode } from "@/lib/engine/mesh";
import { meshed } from "./fixtures";

const ap = (name: string, ns: string, body: string) => `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: { name: ${name}, namespace: ${ns} }\nspec:\n${body}`;

describe("AuthorizationPolicy in the cluster", () => {
  it("allows only the sleep service account's GETs under /api, and answers others 403 from the sidecar", async () => {
    const { apply, curlFrom } = meshed();
    await apply(ap("web", "demo", `  selector: { matchLabels: { app: web } }
  action: ALLOW
  rules:
  - from: [{ source: { principals: ["cluster.local/ns/demo/sa/sleep"] } }]
    to: [{ operation: { methods: ["GET"], paths: ["/api/*"] } }]`));
    expect((await curlFrom("demo", "-s -o /dev/null -w '%{http_code}' http://web/api/items")).stdout).toBe("200");
    const denied = await curlFrom("demo", "-si http://web/");
    expect(denied.stdout).toMatch(/^HTTP\/1\.1 403 Forbidden\r\ncontent-length: 19\r\ncontent-type: text\/plain\r\ndate: .+\r\nx-envoy-upstream-service-time: \d+\r\nserver: envoy\r\n\r\nRBAC: access denied$/);
    expect((await curlFrom("demo", "-s -o /dev/null -w '%{http_code}' -X POST http://web/api/items")).stdout).toBe("403");
    // Plain text from outside the mesh has no principal at all.
    const outside = await curlFrom("legacy", "-si http://web.demo/api/items");
    expect(outside.stdout).toContain("server: istio-envoy\r\n");
    expect(outside.stdout.endsWith("RBAC: access denied")).toBe(true);
  });

  it("DENY wins over ALLOW; a mesh-wide policy in istio-system applies everywhere", async () => {
    const { apply, curlFrom } = meshed();
    await apply(ap("allow-all", "demo", "  rules:\n  - {}"));
    expect((await curlFrom("demo", "-s -o /dev/null -w '%{http_code}' http://web/admin")).stdout).toBe("200");
    await apply(ap("no-admin", "istio-system", `  action: DENY
  rules:
  - to: [{ operation: { paths: ["/admin*"] } }]`));
    expect((await curlFrom("demo", "-s -o /dev/null -w '%{http_code}' http://web/admin")).stdout).toBe("403");
    expect((await curlFrom("demo", "-s -o /dev/null -w '%{http_code}' http://web/")).stdout).toBe("200");
  });

  it("an empty ALLOW policy denies everything", async () => {
    const { apply, curlFrom } = meshed();
    await apply("apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: { name: deny-all, namespace: demo }\nspec: {}");
    expect((await curlFrom("demo", "-s -o /dev/null -w '%{http_code}' http://web/")).stdout).toBe("403");
  });

  it("is listed with the CRD's columns and validated", async () => {
    const { apply, sh } = meshed();
    await apply(ap("web", "demo", "  action: DENY\n  rules:\n  - {}"));
    expect((await sh.run("kubectl get authorizationpolicies -n demo")).stdout).toMatch(/^NAME\s+ACTION\s+AGE\nweb\s+DENY\s+0s\n$/);
    const bad = await sh.run(`kubectl apply -f - <<'EOF'\n${ap("bad", "demo", "  action: allow")}\nEOF`);
    expect(bad.stderr).toContain('spec.action: Unsupported value: "allow": supported values: "ALLOW", "DENY", "AUDIT", "CUSTOM"');
  });
});

/** A reader over fixed objects, for the truth tables. */
function reader(objects: { kind: string; metadata: { name: string; namespace: string; creationTimestamp?: string }; spec?: unknown }[]): StoreReader {
  return {
    find: () => undefined,
    list: (kind: string, options?: { namespace?: string }) => objects.filter((o) => o.kind === kind && (!options?.namespace || o.metadata.namespace === options.namespace)) as never,
  };
}

const pod = { metadata: { name: "web-1", namespace: "demo", labels: { app: "web" } }, spec: { containers: [] } } as unknown as Pod;
const sleep = "cluster.local/ns/demo/sa/sleep";

describe("authorize (truth table)", () => {
  const policy = (name: string, spec: unknown, namespace = "demo") => ({ kind: "AuthorizationPolicy", metadata: { name, namespace }, spec });
  const cases: [string, unknown[], Parameters<typeof authorize>[2], boolean][] = [
    ["no policy allows", [], { port: 80 }, true],
    ["ALLOW by exact principal", [policy("a", { rules: [{ from: [{ source: { principals: [sleep] } }] }] })], { principal: sleep, port: 80 }, true],
    ["ALLOW by principal, other caller", [policy("a", { rules: [{ from: [{ source: { principals: [sleep] } }] }] })], { principal: "cluster.local/ns/demo/sa/other", port: 80 }, false],
    ["principals * needs an identity", [policy("a", { rules: [{ from: [{ source: { principals: ["*"] } }] }] })], { port: 80 }, false],
    ["namespaces from the principal", [policy("a", { rules: [{ from: [{ source: { namespaces: ["demo"] } }] }] })], { principal: sleep, port: 80 }, true],
    ["notNamespaces", [policy("a", { rules: [{ from: [{ source: { notNamespaces: ["demo"] } }] }] })], { principal: sleep, port: 80 }, false],
    ["path prefix", [policy("a", { rules: [{ to: [{ operation: { paths: ["/api/*"] } }] }] })], { path: "/api/x?y=1", method: "GET", port: 80 }, true],
    ["path suffix", [policy("a", { rules: [{ to: [{ operation: { paths: ["*.png"] } }] }] })], { path: "/a/b.png", method: "GET", port: 80 }, true],
    ["method not listed", [policy("a", { rules: [{ to: [{ operation: { methods: ["GET"] } }] }] })], { path: "/", method: "DELETE", port: 80 }, false],
    ["port", [policy("a", { rules: [{ to: [{ operation: { ports: ["8080"] } }] }] })], { port: 80 }, false],
    ["DENY beats ALLOW", [policy("a", { rules: [{}] }), policy("d", { action: "DENY", rules: [{ to: [{ operation: { methods: ["POST"] } }] }] })], { method: "POST", path: "/", port: 80 }, false],
    ["DENY without rules matches nothing", [policy("d", { action: "DENY" })], { port: 80 }, true],
    ["other selector does not apply", [policy("a", { selector: { matchLabels: { app: "db" } }, rules: [] })], { port: 80 }, true],
    ["root namespace applies", [policy("a", { action: "DENY", rules: [{}] }, "istio-system")], { port: 80 }, false],
    ["other namespace does not apply", [policy("a", { action: "DENY", rules: [{}] }, "prod")], { port: 80 }, true],
  ];
  it.each(cases)("%s", (_name, objects, req, allowed) => {
    expect(authorize(reader(objects as never), pod, req).allowed).toBe(allowed);
  });
});

describe("peerAuthenticationMode (precedence)", () => {
  const pa = (name: string, namespace: string, spec: unknown, at = "2026-01-12T09:00:00Z") => ({ kind: "PeerAuthentication", metadata: { name, namespace, creationTimestamp: at }, spec });
  it("defaults to PERMISSIVE", () => expect(peerAuthenticationMode(reader([]), pod, 80)).toBe("PERMISSIVE"));
  it("takes the mesh's, then the namespace's, then the workload's", () => {
    const mesh = pa("default", "istio-system", { mtls: { mode: "STRICT" } });
    const ns = pa("default", "demo", { mtls: { mode: "DISABLE" } });
    const workload = pa("web", "demo", { selector: { matchLabels: { app: "web" } }, mtls: { mode: "PERMISSIVE" } });
    expect(peerAuthenticationMode(reader([mesh]), pod, 80)).toBe("STRICT");
    expect(peerAuthenticationMode(reader([mesh, ns]), pod, 80)).toBe("DISABLE");
    expect(peerAuthenticationMode(reader([mesh, ns, workload]), pod, 80)).toBe("PERMISSIVE");
  });
  it("UNSET inherits; port-level settings apply to their port only", () => {
    const ns = pa("default", "demo", { mtls: { mode: "STRICT" } });
    const workload = pa("web", "demo", { selector: { matchLabels: { app: "web" } }, mtls: { mode: "UNSET" }, portLevelMtls: { 8080: { mode: "DISABLE" } } });
    expect(peerAuthenticationMode(reader([ns, workload]), pod, 80)).toBe("STRICT");
    expect(peerAuthenticationMode(reader([ns, workload]), pod, 8080)).toBe("DISABLE");
  });
  it("the oldest of two namespace-wide policies wins", () => {
    const older = pa("a", "demo", { mtls: { mode: "DISABLE" } }, "2026-01-12T08:00:00Z");
    const newer = pa("b", "demo", { mtls: { mode: "STRICT" } }, "2026-01-12T09:00:00Z");
    expect(peerAuthenticationMode(reader([newer, older]), pod, 80)).toBe("DISABLE");
  });
});
