// Grading benchmark: `npm run bench:grading`. Builds the site into its own folder (or reuses it
// with BENCH_SKIP_BUILD=1), starts `next start` on a free loopback port against a fresh embedded
// PGlite database, and drives Check with autocannon: a typical 30-line transcript from 50
// learners at once. Prints submissions/s and latency against issue 5's budgets (≥ 300/s, p99 ≤
// 100 ms on 2 cores). With BENCH_DATABASE_URL (or TEST_DATABASE_URL) set, the same runs against
// that PostgreSQL database too. A measurement, not a test: it never fails on a slow machine.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import { findExercise, runGradingJob } from "../lib/grading";

const DIST_DIR = process.env.BENCH_DIST_DIR || ".next-bench";
const LESSON = "cluster-anatomy";
const EXERCISE = "map-the-control-plane";
const CONNECTIONS = 50;
const DURATION_S = Number(process.env.BENCH_DURATION_S) || 20;
const BUDGET = { perSecond: 300, p99Ms: 100 };

/** A learner finding their way around the control plane, then solving the exercise: 30 lines. */
const SESSION = [
  "kubectl get nodes",
  "kubectl get nodes -o wide",
  "kubectl get pods -A",
  "kubectl get pods -n kube-system -o wide",
  "kubectl describe node controlplane | head -20",
  "kubectl get pods -n kube-system -l component=kube-scheduler",
  "kubectl get pods -n kube-system -l component=kube-scheduler -o wide",
  "ls /etc/kubernetes/manifests",
  "head /etc/kubernetes/manifests/kube-scheduler.yaml",
  "systemctl status kubelet",
  "ls /var/lib/kubelet",
  "cat /var/lib/kubelet/config.yaml",
  "grep staticPodPath /var/lib/kubelet/config.yaml",
  "crictl ps",
  "ssh node01",
  "crictl ps",
  "ls /etc/kubernetes/manifests",
  "exit",
  "hostname",
  "kubectl get ds -A",
  "kubectl get svc -A",
  "kubectl get pods -n kube-system -l component=kube-scheduler -o jsonpath='{.items[0].spec.nodeName}'",
  "echo",
  "kubectl get pods -n kube-system -l component=kube-scheduler -o jsonpath='{.items[0].spec.nodeName}' > /root/scheduler-node.txt",
  "cat /root/scheduler-node.txt",
  "grep staticPodPath /var/lib/kubelet/config.yaml | awk '{print $2}'",
  "grep staticPodPath /var/lib/kubelet/config.yaml | awk '{print $2}' > /root/static-pod-path.txt",
  "cat /root/static-pod-path.txt",
  "ls -l /root",
  "kubectl get nodes",
];
// Think time between commands, as a learner types: 4 to 19 seconds.
const ENTRIES = SESSION.map((line, i) => ({ line, elapsedMs: 4000 + ((i * 7919) % 15_000) }));

interface Run {
  target: string;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  ok: number;
  other: number;
  errors: number;
}

async function main(): Promise<void> {
  console.log(`\nnetlab grading benchmark (node ${process.version}, ${os.availableParallelism()} cores)\n`);
  const inProcess = await replayCost();
  console.log(`one grading in-process (boot + replay of ${ENTRIES.length} lines + check): median ${inProcess.toFixed(1)} ms`);
  console.log(`  → at most ~${Math.floor((os.availableParallelism() * 1000) / inProcess)} gradings/s on ${os.availableParallelism()} cores before any HTTP or database work\n`);

  if (process.env.BENCH_SKIP_BUILD !== "1") {
    console.log(`building the site into ${DIST_DIR}/ …`);
    const build = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NETLAB_DIST_DIR: DIST_DIR } });
    if (build.status !== 0) throw new Error("next build failed");
  }

  const runs: Run[] = [await serveAndMeasure("embedded PGlite", "")];
  const pgUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (pgUrl) runs.push(await serveAndMeasure("PostgreSQL", pgUrl));
  else console.log("(set BENCH_DATABASE_URL to measure against PostgreSQL too)\n");

  console.log(`\nCheck of a ${ENTRIES.length}-line transcript, ${CONNECTIONS} connections, ${DURATION_S} s:\n`);
  for (const r of runs) {
    const rate = r.perSecond >= BUDGET.perSecond ? "ok" : "UNDER";
    const tail = r.p99 <= BUDGET.p99Ms ? "ok" : "OVER";
    console.log(`${r.target}`);
    console.log(`  graded submissions/s  ${r.perSecond.toFixed(1).padStart(8)}  ${rate} (budget ≥ ${BUDGET.perSecond}/s, ${(r.perSecond / BUDGET.perSecond).toFixed(2)}×)`);
    console.log(`  latency p99           ${r.p99.toFixed(0).padStart(6)} ms  ${tail} (budget ≤ ${BUDGET.p99Ms} ms, ${(r.p99 / BUDGET.p99Ms).toFixed(2)}×); p50 ${r.p50.toFixed(0)} ms, max ${r.max.toFixed(0)} ms`);
    console.log(`  answers               ${r.ok} graded (2xx), ${r.other} refused (non-2xx), ${r.errors} connection errors\n`);
  }
}

/** Median cost of one grading job in this process, after a warm-up. */
async function replayCost(): Promise<number> {
  const target = await findExercise(LESSON, EXERCISE);
  if ("error" in target) throw new Error(target.error);
  const job = { cluster: target.cluster, entries: ENTRIES, check: target.check, limitMs: 60_000 };
  const first = await runGradingJob(job);
  if (!first.ok || !first.verdict.passed) throw new Error(`the benchmark's transcript does not pass: ${JSON.stringify(first)}`);
  const times: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t0 = performance.now();
    await runGradingJob(job);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[4];
}

async function serveAndMeasure(target: string, databaseUrl: string): Promise<Run> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "netlab-bench-db-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], {
    env: { ...process.env, NETLAB_DIST_DIR: DIST_DIR, NETLAB_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  server.stdout?.on("data", (d) => (log += d));
  server.stderr?.on("data", (d) => (log += d));
  try {
    await waitForServer(base, server, () => log);
    const url = `${base}/api/lessons/${LESSON}/exercises/${EXERCISE}/check`;
    const body = JSON.stringify({ scenario: "three-node-flannel", seed: 1, entries: ENTRIES });
    const learners = Array.from({ length: CONNECTIONS }, () => randomUUID());
    const headers = (learner: string) => ({ "content-type": "application/json", origin: base, cookie: `netlab_learner=${learner}` });

    // One Check first: it must pass, or the figures would measure refusals.
    const probe = await fetch(url, { method: "POST", headers: headers(learners[0]), body });
    const verdict = await probe.text();
    if (probe.status !== 200 || !JSON.parse(verdict).passed) throw new Error(`${target}: the first Check answered ${probe.status}: ${verdict}`);

    let next = 0;
    // The callback form: autocannon 9's promise form resolved before any answer came back here.
    const cannon = (duration: number) =>
      new Promise<autocannon.Result>((resolve, reject) =>
        autocannon(
          {
            url,
            method: "POST",
            connections: CONNECTIONS,
            duration,
            // A slow answer counts as slow, not as a connection error (autocannon's default is 10 s).
            timeout: 60,
            body,
            requests: [{ setupRequest: (request) => ({ ...request, headers: headers(learners[next++ % learners.length]) }) }],
          },
          (error, result) => (error ? reject(error) : resolve(result)),
        ),
      );
    console.log(`${target}: warming up …`);
    await cannon(3);
    console.log(`${target}: measuring for ${DURATION_S} s …`);
    const result = await cannon(DURATION_S);
    return {
      target,
      perSecond: result["2xx"] / DURATION_S,
      p50: result.latency.p50,
      p99: result.latency.p99,
      max: result.latency.max,
      ok: result["2xx"],
      other: result.non2xx,
      errors: result.errors + result.timeouts,
    };
  } finally {
    if (server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((resolve) => server.once("exit", resolve));
    }
    await rm(dataDir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

async function waitForServer(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`next start exited:\n${log()}`);
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`next start did not answer within 60 s:\n${log()}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
