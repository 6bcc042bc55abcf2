import { describe, expect, it } from "vitest";
import type { Deployment, KubeObject } from "@/lib/engine/api";
import { binding, fixture, opsFixture, role } from "./helpers";

/** A case recorded by `fixtures/record.mjs`: kubectl 1.32 against a fake apiserver serving apiserver-state.json. */
interface ApiCase {
  name: string;
  args: string[];
  /** Fields to compare (the fake server cannot watch, so `status` is compared on stdout only). */
  compare?: ("stdout" | "stderr" | "exitCode")[];
}
interface Recorded {
  stdout: string;
  stderr: string;
  exitCode: number;
}

const cases = JSON.parse(fixture("apiserver-cases.json")) as ApiCase[];
const recorded = JSON.parse(fixture("apiserver-recorded.json")) as Record<string, Recorded>;
const state = JSON.parse(fixture("apiserver-state.json")) as { objects: (KubeObject & { status?: unknown })[] };

/**
 * The same objects in the engine's store, and RBAC that grants the requesting user exactly what
 * the fake server's canned reviews say (with a binding to a missing role, as they report).
 */
function world() {
  const f = opsFixture();
  const byKind = (kind: string) => state.objects.filter((o) => o.kind === kind);
  const strip = (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, uid: undefined, generation: undefined } }) as KubeObject;
  const [web] = byKind("Deployment");
  const deployment = f.store.create<Deployment>({ ...strip(web), status: undefined } as Deployment);
  f.store.updateStatus<Deployment>({ ...deployment, status: web.status } as Deployment);
  for (const rs of byKind("ReplicaSet")) {
    const owner = { ...rs.metadata.ownerReferences![0], uid: deployment.metadata.uid };
    f.store.create({ ...strip(rs), metadata: { ...strip(rs).metadata, ownerReferences: [owner] } });
  }
  for (const svc of byKind("Service").filter((s) => s.metadata.name !== "kubernetes")) f.store.create(strip(svc));
  role(f, "ClusterRole", "self-review", [
    { verbs: ["create"], apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"] },
    { verbs: ["get"], nonResourceURLs: ["/healthz", "/version", "/api", "/api/*"] },
  ]);
  binding(f, "ClusterRoleBinding", "self-review", "ClusterRole", "self-review", [{ kind: "User", name: "jane" }]);
  role(f, "Role", "reader", [
    { verbs: ["get", "list", "watch"], apiGroups: [""], resources: ["pods", "services"] },
    { verbs: ["get"], apiGroups: ["apps"], resources: ["deployments"], resourceNames: ["web"] },
  ], "default");
  binding(f, "RoleBinding", "reader", "Role", "reader", [{ kind: "User", name: "jane" }], "default");
  binding(f, "RoleBinding", "broken", "Role", "gone", [{ kind: "User", name: "jane" }], "default");
  return f;
}

describe("against kubectl 1.32 talking to an apiserver", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (name, c) => {
    const f = world();
    // The recordings ran as a user the reviews describe; here that user is jane.
    const as = c.args[0] === "auth" ? " --as=jane" : "";
    const result = await f.sh.run(`kubectl ${c.args.join(" ")}${as}`);
    const want = recorded[name];
    for (const field of c.compare ?? ["stdout", "stderr", "exitCode"]) expect(result[field], field).toBe(want[field]);
  });
});
