// Mesh figures for `npm run bench` (issue 8's budget: creating a mesh-enabled 3-node scenario
// with 20 workloads' certificates ≤ 300 ms). A cold boot of three-node-calico with istiod and
// 20 injected Deployments (each sidecar gets its workload certificate from istiod's root at
// start), a new seed each run so nothing is reused; and the 20 certificates alone.
import { performance } from "node:perf_hooks";
import { createCluster, type CreateClusterOptions } from "../lib/engine";
import { meshRoot, workloadIdentity } from "../lib/engine/mesh";
import type { Figure } from "./fixtures";

const WORKLOADS = 20;

export const MESH_BENCH_SPEC: CreateClusterOptions["spec"] = {
  base: "three-node-calico",
  name: "mesh-bench",
  addons: ["coredns", "istio"],
  manifests: [
    "apiVersion: v1\nkind: Namespace\nmetadata: { name: mesh, labels: { istio-injection: enabled } }",
    ...Array.from({ length: WORKLOADS }, (_, i) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: app-${i}, namespace: mesh }
spec:
  replicas: 1
  selector: { matchLabels: { app: app-${i} } }
  template:
    metadata: { labels: { app: app-${i} } }
    spec:
      containers:
      - { name: web, image: traefik/whoami:v1.10, ports: [{ containerPort: 80 }] }`),
  ].join("\n---\n"),
};

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function meshFigures(): Figure[] {
  let seed = 5_000;
  const boots: number[] = [];
  let proxies = 0;
  for (let run = 0; run < 7; run++) {
    const t0 = performance.now();
    const cluster = createCluster({ spec: MESH_BENCH_SPEC, seed: seed++ });
    const ms = performance.now() - t0;
    if (run >= 2) boots.push(ms);
    proxies = (cluster.internals.store.list("Pod", { namespace: "mesh" }) as { status?: { containerStatuses?: { name: string; ready?: boolean }[] } }[])
      .filter((p) => p.status?.containerStatuses?.some((c) => c.name === "istio-proxy" && c.ready)).length;
  }
  const certs: number[] = [];
  for (let run = 0; run < 7; run++) {
    const at = Date.parse("2026-01-12T09:00:00Z") + run * 1000;
    const t0 = performance.now();
    const root = meshRoot(at);
    for (let i = 0; i < WORKLOADS; i++) workloadIdentity(root, { namespace: "mesh", serviceAccount: "default", pod: `app-${i}-${run}`, issuedAt: at + 1000 });
    if (run >= 2) certs.push(performance.now() - t0);
  }
  return [
    { name: "mesh: cold boot, 3 nodes + istiod + 20 sidecars", ms: median(boots), budgetMs: 300, note: `${proxies} proxies ready with their certificates (a new seed per run: nothing cached)` },
    { name: "mesh: istiod root + 20 workload certificates", ms: median(certs), note: "ECDSA P-256 keys and signatures, the part of the boot that is cryptography" },
  ];
}
