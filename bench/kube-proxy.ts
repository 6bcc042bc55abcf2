// kube-proxy figures for `npm run bench`: a node's kube-proxy starting on a cluster of N
// Services × 5 endpoints and building the kernel state from the API objects (its first, full
// sync: the model, the iptables-restore payload and its restore, or the IPVS table, ipsets and
// rules), for N = 100, 500, 1,000 and 2,000 in both modes. Issue 6's budget: 1,000 Services ×
// 5 endpoints ≤ 200 ms, growing about linearly. Each run uses names of its own, so no cache
// built by an earlier run helps it.
import type { ControllerContext } from "../lib/engine/cluster/controller";
import { createCluster } from "../lib/engine";
import { KubeProxy } from "../lib/engine/net";
import { createServices, ENDPOINTS_PER_SERVICE, type Figure } from "./fixtures";


const NAMESPACES = 20;
const RUNS = 5;

/** A cluster in `mode` with `services` ClusterIP Services of 5 endpoints each (half of them on node01). */
function clusterWith(mode: "iptables" | "ipvs", services: number, run: number) {
  const cluster = createCluster({ spec: { base: "three-node-flannel", kubeProxy: { mode } }, seed: 11 }).internals;
  const store = cluster.store;
  createServices(store, {
    services, namespaces: NAMESPACES, prefix: `r${run}-team-`,
    endpoint: (n) => ({ address: `10.244.${(n >> 8) & 255}.${n & 255}`, nodeName: (n % ENDPOINTS_PER_SERVICE) % 2 === 0 ? "node01" : "node02" }),
  });
  return cluster;
}

/** What a reconcile needs of the cluster; requeues are dropped (one sync is measured). */
function context(cluster: ReturnType<typeof clusterWith>): ControllerContext {
  return { store: cluster.store, clock: cluster.clock, rng: cluster.rng, events: cluster.events, scenario: cluster.scenario, requeueAfter: () => undefined };
}

/** Median ms of a fresh kube-proxy's first sync on node01, each run on its own cluster. */
function firstSync(mode: "iptables" | "ipvs", services: number): number {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const cluster = clusterWith(mode, services, run);
    const ctx = context(cluster);
    const proxy = new KubeProxy(cluster, "node01");
    const t0 = performance.now();
    proxy.reconcile("resync", ctx);
    times.push(performance.now() - t0);
    if (!proxy.instance?.syncs) throw new Error(`kube-proxy did not sync (${proxy.configError ?? "no instance"})`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export function kubeProxyFigures(): Figure[] {
  const figures: Figure[] = [];
  for (const mode of ["iptables", "ipvs"] as const) {
    firstSync(mode, 100); // warm the code paths
    const sizes = [100, 500, 1000, 2000];
    const ms = sizes.map((n) => firstSync(mode, n));
    sizes.forEach((n, i) => {
      const perService = (ms[i] / n) * 1000;
      figures.push({
        name: `kube-proxy ${mode}: first sync, ${n.toLocaleString("en")} Services × ${ENDPOINTS_PER_SERVICE} endpoints`,
        ms: ms[i],
        budgetMs: n === 1000 ? 200 : undefined,
        note: `${perService.toFixed(0)} µs per Service${i > 0 ? `; ${(ms[i] / ms[i - 1]).toFixed(2)}× the ${sizes[i - 1].toLocaleString("en")} figure for ${(n / sizes[i - 1]).toFixed(1)}× the Services` : ""}`,
      });
    });
  }
  return figures;
}
