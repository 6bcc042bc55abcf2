// RBAC figures for `npm run bench` (issue 8's budget: a decision ≤ 0.05 ms with 500 bindings).
// The cluster has 500 bindings over 50 namespaces — 450 RoleBindings to users, groups and
// service accounts, 50 ClusterRoleBindings — plus kubeadm's own; the decisions are a mix of
// allowed and denied requests by users who hold a few of them. Also the first decision after a
// binding changes (the subject index is rebuilt), and a request through the authorised store.
import { createCluster } from "../lib/engine";
import { type Attributes, type UserInfo, authorize, authorizedStore, serviceAccountUser } from "../lib/engine/api";
import type { Figure } from "./fixtures";

const NAMESPACES = 50;
const ROLE_BINDINGS = 450;
const CLUSTER_BINDINGS = 50;
const RBAC = "rbac.authorization.k8s.io";

function median(fn: () => void, runs: number, warmup: number, perRun = 1): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push((performance.now() - t0) / perRun);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function populate(): ReturnType<typeof createCluster>["internals"]["store"] {
  const store = createCluster({ scenario: "single-node", seed: 7 }).internals.store;
  for (let n = 0; n < NAMESPACES; n++) {
    const namespace = `team-${n}`;
    store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
    store.create({ apiVersion: `${RBAC}/v1`, kind: "Role", metadata: { name: "reader", namespace }, rules: [{ verbs: ["get", "list", "watch"], apiGroups: [""], resources: ["pods", "services", "configmaps"] }] });
  }
  for (let i = 0; i < ROLE_BINDINGS; i++) {
    const namespace = `team-${i % NAMESPACES}`;
    const subject = i % 3 === 0 ? { kind: "User", apiGroup: RBAC, name: `user-${i}` } : i % 3 === 1 ? { kind: "Group", apiGroup: RBAC, name: `group-${i % 40}` } : { kind: "ServiceAccount", name: `sa-${i}`, namespace };
    const roleRef = i % 2 === 0 ? { apiGroup: RBAC, kind: "Role", name: "reader" } : { apiGroup: RBAC, kind: "ClusterRole", name: "edit" };
    store.create({ apiVersion: `${RBAC}/v1`, kind: "RoleBinding", metadata: { name: `rb-${i}`, namespace }, roleRef, subjects: [subject] });
  }
  for (let i = 0; i < CLUSTER_BINDINGS; i++) {
    store.create({ apiVersion: `${RBAC}/v1`, kind: "ClusterRoleBinding", metadata: { name: `crb-${i}` }, roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: "view" }, subjects: [{ kind: "Group", apiGroup: RBAC, name: `viewers-${i}` }] });
  }
  return store;
}

export function rbacFigures(): Figure[] {
  const store = populate();
  const alice: UserInfo = { name: "user-3", groups: ["group-7", "system:authenticated"] };
  const viewer: UserInfo = { name: "vic", groups: ["viewers-49", "system:authenticated"] };
  const sa = serviceAccountUser("team-5", "sa-5");
  const requests: [UserInfo, Attributes][] = [
    [alice, { verb: "list", namespace: "team-3", apiGroup: "", resource: "pods" }],
    [alice, { verb: "delete", namespace: "team-3", apiGroup: "", resource: "pods", name: "web" }],
    [alice, { verb: "list", namespace: "", apiGroup: "", resource: "nodes" }],
    [viewer, { verb: "get", namespace: "team-9", apiGroup: "apps", resource: "deployments", name: "web" }],
    [sa, { verb: "update", namespace: "team-5", apiGroup: "apps", resource: "deployments", name: "web" }],
    [sa, { verb: "get", namespace: "team-6", apiGroup: "", resource: "secrets", name: "db" }],
    [{ name: "nobody", groups: ["system:authenticated"] }, { verb: "get", path: "/metrics" }],
  ];
  const batch = () => {
    for (const [user, attrs] of requests) authorize(store, user, attrs);
  };
  const decision = median(batch, 400, 50, requests.length);
  let churn = 0;
  const afterChange = median(() => {
    store.create({ apiVersion: `${RBAC}/v1`, kind: "RoleBinding", metadata: { name: `churn-${churn++}`, namespace: "team-1" }, roleRef: { apiGroup: RBAC, kind: "Role", name: "reader" }, subjects: [{ kind: "User", apiGroup: RBAC, name: "late" }] });
    authorize(store, alice, requests[0][1]);
  }, 40, 5);
  const asAlice = authorizedStore(store, alice);
  const listed = median(() => asAlice.list("Pod", { namespace: "team-3" }), 400, 50);
  return [
    { name: "RBAC decision, 500 bindings (mixed allow/deny)", ms: decision, budgetMs: 0.05, note: "issue 8's budget; bindings indexed by subject" },
    { name: "RBAC decision after a binding changed", ms: afterChange, note: "a write plus the subject index rebuilt over ~510 bindings" },
    { name: "authorised list of pods (kubectl's path)", ms: listed, note: "decision + store list" },
  ];
}
