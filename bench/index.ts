// Engine benchmarks: `npm run bench`. Prints figures against the budgets of the engine issues;
// it is a measurement, not a test, so it never fails on a slow machine — read the ratios.
import { performance } from "node:perf_hooks";
import { stringify, parseAllDocuments } from "yaml";
import { createCluster } from "../lib/engine";
import { dnsFigures } from "./dns";
import { ingressFigures } from "./ingress";
import { kubeProxyFigures } from "./kube-proxy";
import { meshFigures } from "./mesh";
import { pkiFigures } from "./pki";
import { netfilterFigures } from "./netfilter";
import { policyFigures } from "./policy";
import { rbacFigures } from "./rbac";
import { walkerFigures } from "./walker";
import type { Figure } from "./fixtures";


const figures: Figure[] = [];

/** Median of `runs` timings of `fn` after `warmup` untimed runs. */
async function measure(fn: () => unknown | Promise<unknown>, runs = 15, warmup = 3): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function manifests(count: number): string {
  const docs: string[] = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 2 === 0 ? "ConfigMap" : "Service";
    docs.push(stringify(kind === "ConfigMap"
      ? { apiVersion: "v1", kind, metadata: { name: `cm-${i}`, labels: { app: `a${i % 10}` } }, data: { key: `value-${i}` } }
      : { apiVersion: "v1", kind, metadata: { name: `svc-${i}` }, spec: { selector: { app: `a${i % 10}` }, ports: [{ port: 80, targetPort: 8080 }] } }));
  }
  return docs.join("---\n");
}

/**
 * A large cluster: 100 nodes, 5,000 running pods, 1,000 services. The objects are written
 * straight into the store as the kubelets would leave them; nothing settles while we list, so
 * this measures listing and printing, which is what the budget is about. A function of its own,
 * so the cluster is garbage once measured (kept in main's scope, its heap slowed every later
 * figure's garbage collections).
 */
async function largeClusterFigure(): Promise<Figure> {
  const nodes = [{ name: "controlplane", role: "control-plane", ip: "10.0.0.2" }, ...Array.from({ length: 99 }, (_, i) => ({ name: `node${String(i + 1).padStart(2, "0")}`, role: "worker", ip: `10.0.${Math.floor((i + 3) / 250)}.${((i + 3) % 250) + 2}` }))];
  const tBuild = performance.now();
  const big = createCluster({ spec: { base: "three-node-flannel", name: "hundred-nodes", nodes: nodes as never, network: { nodeCidr: "10.0.0.0/16", podCidr: "10.244.0.0/16" } }, seed: 3, fresh: true });
  const store = big.internals.store;
  const started = new Date(big.internals.clock.now()).toISOString().replace(/\.\d+Z$/, "Z");
  for (let t = 0; t < 20; t++) store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: `team-${t}` } });
  big.internals.settle(); // their default ServiceAccounts
  for (let i = 0; i < 1000; i++) {
    const ns = `team-${i % 20}`;
    store.create({ apiVersion: "v1", kind: "Service", metadata: { name: `svc-${i}`, namespace: ns }, spec: { selector: { app: `app-${i}` }, ports: [{ port: 80 }] } });
    for (let k = 0; k < 5; k++) {
      const node = nodes[1 + ((i * 5 + k) % 99)].name;
      const pod = store.create({ apiVersion: "v1", kind: "Pod", metadata: { name: `app-${i}-${k}`, namespace: ns, labels: { app: `app-${i}` } }, spec: { nodeName: node, containers: [{ name: "c", image: "nginx" }] } }, { namespace: ns });
      store.updateStatus({ ...pod, status: { phase: "Running", podIP: `10.244.${(i * 5 + k) >> 8}.${(i * 5 + k) & 255}`, hostIP: "10.0.0.3", startTime: started, conditions: [{ type: "Ready", status: "True", lastTransitionTime: started }], containerStatuses: [{ name: "c", ready: true, restartCount: 0, started: true, image: "nginx", imageID: "", state: { running: { startedAt: started } } }] } });
    }
  }
  const buildMs = performance.now() - tBuild;
  const bsh = big.shell();
  const podsA = await bsh.run("kubectl get pods -A --no-headers | wc -l");
  return { name: "100 nodes/5,000 pods: kubectl get pods -A", ms: await measure(() => bsh.run("kubectl get pods -A"), 5, 1), budgetMs: 100, note: `${podsA.stdout.trim()} pods listed; writing the cluster's objects took ${(buildMs / 1000).toFixed(1)} s` };
}

async function main(): Promise<void> {
  // createCluster boots a scenario and seed once per process and forks that boot for every
  // caller: the fork is what a page or a grader pays, the cold boot what the first one does.
  const forkMs = await measure(() => createCluster({ scenario: "three-node-calico", seed: 7 }), 200, 20);
  figures.push({ name: "createCluster three-node-calico", ms: forkMs, budgetMs: 20, note: "issue 3's budget; what every call but the first pays (the fork below)" });
  figures.push({ name: "createCluster (fork, warm template)", ms: forkMs, budgetMs: 3, note: "a fresh cluster per graded submission (issue 5: ~1–3 ms)" });
  let coldSeed = 1_000;
  figures.push({
    name: "createCluster (first, cold template)",
    ms: await measure(() => createCluster({ scenario: "three-node-calico", seed: coldSeed++ }), 9, 2),
    budgetMs: 100,
    note: "once per scenario and seed in a process (a new seed each run: boot, seal, fork)",
  });
  const idleTimes: number[] = [];
  for (let run = 0; run < 70; run++) {
    const idle = createCluster({ scenario: "three-node-calico", seed: 7 }).internals;
    const t0 = performance.now();
    idle.advance(10 * 60_000);
    if (run >= 30) idleTimes.push(performance.now() - t0);
  }
  idleTimes.sort((a, b) => a - b);
  figures.push({
    name: "idle 10 virtual min (three-node-calico)",
    ms: idleTimes[Math.floor(idleTimes.length / 2)],
    budgetMs: 5,
    note: "leases, node status, manifest relists: what a transcript's pauses cost a replay",
  });

  // What one more workload pod costs: a 20-replica Deployment on a fork until every pod runs
  // (scheduling, the kubelet's sandbox, CNI, volumes, status writes, the controllers' syncs).
  const perPod: number[] = [];
  for (let run = 0; run < 7; run++) {
    const workload = createCluster({ scenario: "three-node-calico", seed: 7 });
    const wsh = workload.shell();
    const t0 = performance.now();
    await wsh.run("kubectl create deployment web --image=nginx --replicas=20");
    workload.internals.advance(60_000);
    if (run > 0) perPod.push((performance.now() - t0) / 20);
  }
  perPod.sort((a, b) => a - b);
  figures.push({ name: "per pod: 20-replica Deployment to Running", ms: perPod[Math.floor(perPod.length / 2)], note: "a fork of three-node-calico; creating the Deployment and 60 virtual seconds, divided by 20" });
  // Creating a scenario is measured before the figures that build clusters of 1,000 Services
  // and 500 policies: a page's worker holds its own scenario, not their templates and caches,
  // whose heap made every later collection slower.
  figures.push(...meshFigures());

  const cluster = createCluster({ scenario: "three-node-calico", seed: 7 });
  const sh = cluster.shell();
  for (const line of ["hostname", "ls /etc | wc -l", "kubectl get pods -A", "kubectl get nodes -o wide"]) {
    figures.push({ name: `command: ${line}`, ms: await measure(() => sh.run(line), 30, 5), budgetMs: 5 });
  }

  const text = manifests(1000);
  const parseMs = await measure(() => parseAllDocuments(text).map((d) => d.toJS()), 5, 1);
  const applyTimes: number[] = [];
  for (let run = 0; run < 4; run++) {
    const s = createCluster({ scenario: "three-node-calico", seed: 7 }).shell();
    await s.run(`cat > /tmp/m.yaml <<'EOF'\n${text}EOF`);
    const t0 = performance.now();
    const r = await s.run("kubectl apply -f /tmp/m.yaml");
    if (r.exitCode !== 0) throw new Error(`apply failed: ${r.stderr.slice(0, 200)}`);
    if (run > 0) applyTimes.push(performance.now() - t0);
  }
  const applyMs = applyTimes.sort((a, b) => a - b)[1];
  figures.push({ name: "kubectl apply 1,000 objects + settle", ms: applyMs, budgetMs: 1000, note: `${(applyMs / parseMs).toFixed(1)}× the YAML parse floor (${parseMs.toFixed(1)} ms); aim ≤ 3×` });

  figures.push(...kubeProxyFigures());
  figures.push(...(await netfilterFigures(measure)));
  figures.push(...walkerFigures());
  figures.push(...policyFigures());
  figures.push(...ingressFigures());
  figures.push(...dnsFigures());
  figures.push(...rbacFigures());
  figures.push(...pkiFigures());
  // Last: its 5,000 pods' heap would weigh on every later figure's garbage collections.
  figures.push(await largeClusterFigure());

  const width = Math.max(...figures.map((f) => f.name.length));
  console.log(`\nnetlab engine benchmarks (node ${process.version}, median of runs)\n`);
  for (const f of figures) {
    const verdict = f.budgetMs === undefined ? "" : f.ms <= f.budgetMs ? `  ok (budget ${f.budgetMs} ms, ${(f.ms / f.budgetMs).toFixed(2)}×)` : `  OVER (budget ${f.budgetMs} ms, ${(f.ms / f.budgetMs).toFixed(2)}×)`;
    console.log(`${f.name.padEnd(width)}  ${f.ms.toFixed(2).padStart(9)} ms${verdict}${f.note ? `\n${" ".repeat(width + 2)}${f.note}` : ""}`);
  }
}

void main();
