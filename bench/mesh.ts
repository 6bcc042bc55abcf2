// Mesh figures for `npm run bench` (issue 8's budget: creating a mesh-enabled 3-node scenario
// with 20 workloads' certificates ≤ 300 ms). A cold boot of three-node-calico with istiod and
// 20 injected Deployments, a new seed each run so nothing is reused; the same boot followed by
// the signing of the 20 sidecars' certificates (a sidecar's is signed when first needed, for
// its start: what the first handshakes add); and the 20 certificates alone.
import { performance } from "node:perf_hooks";
import { createCluster, type ClusterHandle, type CreateClusterOptions } from "../lib/engine";
import type { Pod } from "../lib/engine/api";
import { meshRoot, rootCertificatePem, workloadIdentity } from "../lib/engine/mesh";
import { parseCertificate } from "../lib/engine/pki";
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

/** Signs every sidecar's certificate in the `mesh` namespace as its first handshake would: istiod's root, the proxy's start. */
function signSidecarCertificates(cluster: ClusterHandle): number {
  const store = cluster.internals.store;
  const root = parseCertificate(rootCertificatePem(store)!);
  let signed = 0;
  for (const pod of store.list<Pod>("Pod", { namespace: "mesh" })) {
    const started = pod.status?.containerStatuses?.find((c) => c.name === "istio-proxy")?.state?.running?.startedAt;
    if (!started) continue;
    workloadIdentity(root, { namespace: "mesh", serviceAccount: pod.spec.serviceAccountName ?? "default", pod: pod.metadata.name ?? "", issuedAt: Date.parse(started) });
    signed++;
  }
  return signed;
}

export function meshFigures(): Figure[] {
  let seed = 5_000;
  const boots: number[] = [];
  const bootsWithCertificates: number[] = [];
  let proxies = 0;
  let signed = 0;
  // Two runs warm the JIT; the median of nine is what a boot costs (this machine's noise moves single runs by a third).
  for (let run = 0; run < 11; run++) {
    const t0 = performance.now();
    const cluster = createCluster({ spec: MESH_BENCH_SPEC, seed: seed++ });
    const ms = performance.now() - t0;
    signed = signSidecarCertificates(cluster);
    const withCertificates = performance.now() - t0;
    if (run >= 2) {
      boots.push(ms);
      bootsWithCertificates.push(withCertificates);
    }
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
    { name: "mesh: cold boot, 3 nodes + istiod + 20 sidecars", ms: median(boots), budgetMs: 300, note: `${proxies} proxies ready (a new seed per run: nothing cached); their certificates are signed on first use` },
    { name: "mesh: cold boot + the 20 sidecars' certificates", ms: median(bootsWithCertificates), note: `the boot, then ${signed} certificates signed as the first handshakes would (istiod's root, each proxy's start)` },
    { name: "mesh: istiod root + 20 workload certificates", ms: median(certs), note: "ECDSA P-256 keys and signatures, the part of the boot that is cryptography" },
  ];
}
