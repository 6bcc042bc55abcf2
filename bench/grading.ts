// Grading benchmark: `npm run bench:grading`. Builds the site into its own folder (or reuses it
// with BENCH_SKIP_BUILD=1), starts the production server (server.mjs) on a free loopback port
// against a fresh embedded PGlite database, and sends Checks from 50 learners at once in three
// workloads (see WORKLOADS): the same 30-line transcript every time (issue 5's "typical
// transcript"), learners whose Checks extend their own sessions, and transcripts never seen
// before. Prints Checks/s and latency against issue 5's budgets (≥ 300/s; p99 ≤ 100 ms at 50
// concurrent learners): closed loop with autocannon (each learner sends the next Check as soon as
// the last is answered), and open loop at 300 Checks/s or BENCH_RATE (Checks arrive at random
// moments, whatever the server is doing). Also the server's CPU per Check, and first the floor:
// what the same route costs when it answers 404 with no grading and no database (BENCH_FLOOR=0
// skips it). With BENCH_DATABASE_URL (or TEST_DATABASE_URL) set, the same runs against that
// PostgreSQL database too. A measurement, not a test: it never fails on a slow machine.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import { readdirSync, readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { CheckpointCache, findExercise, runGradingJob, type GradingJob } from "../lib/grading";

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
/**
 * The session with a learner's think time between commands, 4 to 19 seconds; `pace` shifts the
 * times, so that two learners (or one learner's two sessions) never type the same transcript.
 */
const entries = (pace = 0, lines = SESSION.length) => SESSION.slice(0, lines).map((line, i) => ({ line, elapsedMs: 4000 + ((i * 7919 + pace * 131) % 15_000) }));
const ENTRIES = entries();
/** In the sessions workload a learner presses Check after every this many lines. */
const LINES_PER_CHECK = 6;

type Body = (learner: number) => string;

/** What the 50 learners send. */
const WORKLOADS: Record<string, { about: string; body: () => Body }> = {
  same: { about: "every Check the same 30-line transcript", body: () => () => submission(ENTRIES) },
  sessions: {
    about: `each learner's Checks extend their own session (a Check every ${LINES_PER_CHECK} lines; 30 lines, then a new session)`,
    body: () => {
      const progress = new Map<number, { session: number; lines: number }>();
      let sessions = 0;
      return (learner) => {
        let at = progress.get(learner);
        if (!at || at.lines >= SESSION.length) progress.set(learner, (at = { session: ++sessions, lines: 0 }));
        at.lines += LINES_PER_CHECK;
        return submission(entries(at.session, at.lines));
      };
    },
  },
  cold: {
    about: "every Check a 30-line transcript never seen before",
    body: () => {
      let n = 0;
      return () => submission(entries(++n));
    },
  },
};

const submission = (list: ReturnType<typeof entries>) => JSON.stringify({ scenario: "three-node-flannel", seed: 1, entries: list });

/**
 * The steady rate (Checks/s) at which the open-loop run measures latency: the throughput budget,
 * or BENCH_RATE (latency at a rate the server sustains).
 */
const OPEN_LOOP_RATE = Number(process.env.BENCH_RATE) || BUDGET.perSecond;

/** What a run of Checks came to: answers by kind and latency percentiles (ms). */
interface Tally {
  p50: number;
  p99: number;
  max: number;
  ok: number;
  other: number;
  errors: number;
}

interface Run extends Tally {
  target: string;
  workload: string;
  /** Checks/s offered (open loop), or undefined when every learner sends the next one as the last is answered. */
  rate?: number;
  perSecond: number;
  load: string;
  /** The server's CPU milliseconds per graded Check: its main thread, and its other threads. */
  cpu: { main: number; other: number };
}

async function main(): Promise<void> {
  console.log(`\nnetlab grading benchmark (node ${process.version}, ${os.availableParallelism()} cores, load average ${loadAverage()})\n`);
  const cost = await replayCost();
  console.log(`one grading in-process (${ENTRIES.length} lines + check), median of 9:`);
  console.log(`  from a fresh cluster            ${cost.cold.toFixed(1).padStart(6)} ms  → at most ~${Math.floor((os.availableParallelism() * 1000) / cost.cold)} gradings/s on ${os.availableParallelism()} cores`);
  console.log(`  ${LINES_PER_CHECK} lines past a checkpoint       ${cost.resumed.toFixed(1).padStart(6)} ms`);
  console.log(`  the same transcript again       ${cost.same.toFixed(1).padStart(6)} ms  (before any HTTP or database work)\n`);

  if (process.env.BENCH_SKIP_BUILD !== "1") {
    console.log(`building the site into ${DIST_DIR}/ …`);
    // next build adds include lines for its folder to tsconfig.json: put the file back as it was.
    const tsconfig = await readFile("tsconfig.json", "utf8");
    const build = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NETLAB_DIST_DIR: DIST_DIR } });
    await writeFile("tsconfig.json", tsconfig);
    if (build.status !== 0) throw new Error("next build failed");
  }

  const workloads = (process.env.BENCH_WORKLOADS ?? "same,sessions,cold").split(",").filter(Boolean);
  for (const w of workloads) if (!WORKLOADS[w]) throw new Error(`no workload "${w}" (there are ${Object.keys(WORKLOADS).join(", ")})`);
  const runs: Run[] = await serveAndMeasure("embedded PGlite", "", workloads);
  const pgUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (pgUrl) runs.push(...(await serveAndMeasure("PostgreSQL", pgUrl, workloads)));
  else console.log("(set BENCH_DATABASE_URL to measure against PostgreSQL too)\n");

  console.log(`\nCheck, ${CONNECTIONS} learners, ${DURATION_S} s each:\n`);
  for (const w of workloads) console.log(`  ${w.padEnd(9)} ${WORKLOADS[w].about}`);
  console.log("");
  for (const r of runs) {
    const how = r.rate ? `offered ${r.rate}/s` : "closed loop";
    const rate = r.rate ? "" : `  ${r.perSecond >= BUDGET.perSecond ? "ok   " : "UNDER"} (${(r.perSecond / BUDGET.perSecond).toFixed(2)}× ${BUDGET.perSecond}/s)`;
    const tail = r.p99 <= BUDGET.p99Ms ? "ok  " : "OVER";
    console.log(
      `${r.target.padEnd(16)} ${r.workload.padEnd(9)} ${how.padEnd(15)} ${r.perSecond.toFixed(1).padStart(7)}/s${rate}  p99 ${r.p99.toFixed(0).padStart(5)} ms ${tail} (p50 ${r.p50.toFixed(0)}, max ${r.max.toFixed(0)})  ${r.ok} graded, ${r.other} refused, ${r.errors} errors  load ${r.load}`,
    );
    const { main, other } = r.cpu;
    const ceiling = Math.min(1000 / main, (os.availableParallelism() * 1000) / (main + other));
    console.log(`${"".padEnd(43)}server CPU per Check: main thread ${main.toFixed(1)} ms + other threads ${other.toFixed(1)} ms → at most ~${Math.floor(ceiling)}/s on ${os.availableParallelism()} idle cores`);
  }
  console.log(`\nbudgets: ≥ ${BUDGET.perSecond} graded Checks/s; p99 ≤ ${BUDGET.p99Ms} ms at ${CONNECTIONS} concurrent learners`);
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
}

/**
 * Median cost of one grading job in this process, after a warm-up: from a fresh cluster, from a
 * checkpoint 6 lines back (a learner's next Check), and from a checkpoint of the whole transcript.
 */
async function replayCost(): Promise<{ cold: number; resumed: number; same: number }> {
  const target = await findExercise(LESSON, EXERCISE);
  if ("error" in target) throw new Error(target.error);
  const job = (list: GradingJob["entries"]): GradingJob => ({ cluster: target.cluster, entries: list, check: target.check, limitMs: 60_000 });
  const first = await runGradingJob(job(ENTRIES));
  if (!first.ok || !first.verdict.passed) throw new Error(`the benchmark's transcript does not pass: ${JSON.stringify(first)}`);
  /** The median of 9 runs of `measure`, which answers the milliseconds its part took. */
  const median = async (measure: (i: number) => Promise<number>) => {
    const times: number[] = [];
    for (let i = 0; i < 9; i++) times.push(await measure(i));
    return times.sort((a, b) => a - b)[4];
  };
  const timed = async (run: () => Promise<unknown>) => {
    const t0 = performance.now();
    await run();
    return performance.now() - t0;
  };
  const cold = await median(() => timed(() => runGradingJob(job(ENTRIES))));
  const resumed = await median(async (i) => {
    const checkpoints = new CheckpointCache();
    await runGradingJob(job(entries(1000 + i, SESSION.length - LINES_PER_CHECK)), undefined, checkpoints);
    return timed(() => runGradingJob(job(entries(1000 + i)), undefined, checkpoints));
  });
  const checkpoints = new CheckpointCache();
  await runGradingJob(job(ENTRIES), undefined, checkpoints);
  const same = await median(() => timed(() => runGradingJob(job(ENTRIES), undefined, checkpoints)));
  return { cold, resumed, same };
}

async function serveAndMeasure(target: string, databaseUrl: string, workloads: readonly string[]): Promise<Run[]> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "netlab-bench-db-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const server = spawn(process.execPath, ["server.mjs"], {
    env: { ...process.env, NETLAB_DIST_DIR: DIST_DIR, NETLAB_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  server.stdout?.on("data", (d) => (log += d));
  server.stderr?.on("data", (d) => (log += d));
  try {
    await waitForServer(base, server, () => log);
    const ready = performance.now() - started;
    const url = `${base}/api/lessons/${LESSON}/exercises/${EXERCISE}/check`;
    const learners = Array.from({ length: CONNECTIONS }, () => randomUUID());
    const headers = (learner: string) => ({ "content-type": "application/json", origin: base, cookie: `netlab_learner=${learner}` });

    // One Check first: it must pass, or the figures would measure refusals.
    const t0 = performance.now();
    const probe = await fetch(url, { method: "POST", headers: headers(learners[0]), body: submission(ENTRIES) });
    const verdict = await probe.text();
    if (probe.status !== 200 || !JSON.parse(verdict).passed) throw new Error(`${target}: the first Check answered ${probe.status}: ${verdict}`);
    console.log(`${target}: serving ${Math.round(ready)} ms after start; the first Check took ${Math.round(performance.now() - t0)} ms`);

    // The callback form: autocannon 9's promise form resolved before any answer came back here.
    const cannon = (duration: number, body: Body, rate?: number, to = url) => {
      let next = 0;
      return new Promise<autocannon.Result>((resolve, reject) =>
        autocannon(
          {
            url: to,
            method: "POST",
            connections: CONNECTIONS,
            duration,
            ...(rate ? { overallRate: rate } : {}),
            // A slow answer counts as slow, not as a connection error (autocannon's default is 10 s).
            timeout: 60,
            requests: [
              {
                setupRequest: (request) => {
                  const learner = next++ % learners.length;
                  return { ...request, headers: headers(learners[learner]), body: body(learner) };
                },
              },
            ],
          },
          (error, result) => (error ? reject(error) : resolve(result)),
        ),
      );
    };
    const runs: Run[] = [];
    const serverPid = Number(readFileSync(`/proc/${server.pid}/task/${server.pid}/children`, "utf8").trim().split(" ")[0]) || server.pid!;
    const measure = async (workload: string, rate?: number) => {
      const body = WORKLOADS[workload].body();
      if (!rate) {
        console.log(`${target}, ${workload}: warming up …`);
        await cannon(3, body);
      }
      console.log(`${target}, ${workload}: measuring for ${DURATION_S} s${rate ? ` at ${rate} Checks/s` : ""} …`);
      const cpu0 = threadCpu(serverPid);
      const result = rate ? await openLoop(url, rate, (i) => ({ headers: headers(learners[i % learners.length]), body: body(i % learners.length) })) : toTally(await cannon(DURATION_S, body));
      const cpu1 = threadCpu(serverPid);
      const graded = Math.max(1, result.ok);
      runs.push({ ...result, cpu: { main: (cpu1.main - cpu0.main) / graded, other: (cpu1.other - cpu0.other) / graded }, target, workload, rate, perSecond: result.ok / DURATION_S, load: loadAverage() });
    };
    // The floor: the same route refusing an exercise that does not exist (routing, the same-origin
    // check, a 404), no grading and no database. No Check can be cheaper than this.
    const floor = async () => {
      const missing = `${base}/api/lessons/${LESSON}/exercises/no-such-exercise/check`;
      const body = WORKLOADS.same.body();
      await cannon(3, body, undefined, missing);
      console.log(`${target}, floor: measuring for ${DURATION_S} s …`);
      const cpu0 = threadCpu(serverPid);
      const result = await cannon(DURATION_S, body, undefined, missing);
      const cpu1 = threadCpu(serverPid);
      const answered = Math.max(1, result.non2xx);
      const main = (cpu1.main - cpu0.main) / answered;
      console.log(`${target}, floor: ${(result.non2xx / DURATION_S).toFixed(1)} answers/s (404s, no grading, no database); server main thread ${main.toFixed(2)} ms per answer → at most ~${Math.floor(1000 / main)}/s  load ${loadAverage()}`);
    };
    if (process.env.BENCH_FLOOR !== "0") await floor();
    for (const workload of workloads) {
      await measure(workload);
      // Latency at the budget's rate, not at whatever rate 50 learners with no think time reach.
      if (workload === "same") await measure(workload, OPEN_LOOP_RATE);
    }
    return runs;
  } finally {
    if (server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((resolve) => server.once("exit", resolve));
    }
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * CPU milliseconds a process's threads have used (Linux /proc, 10 ms ticks): its main thread (the
 * event loop: HTTP, Next, the database client and embedded PGlite) and all the others (grading
 * workers, V8's and libuv's helpers). Unlike requests per second, this hardly depends on what
 * else the machine runs, so it tells what the server could do on cores of its own.
 */
function threadCpu(pid: number): { main: number; other: number } {
  let main = 0;
  let other = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
    } catch {
      continue; // a thread that ended meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ms = (Number(fields[11]) + Number(fields[12])) * 10;
    if (Number(tid) === pid) main += ms;
    else other += ms;
  }
  return { main, other };
}

function toTally(result: autocannon.Result): Tally {
  const { p50, p99, max } = result.latency;
  return { p50, p99, max, ok: result["2xx"], other: result.non2xx, errors: result.errors + result.timeouts };
}

/**
 * Checks sent open loop: at `rate` per second on average, at random moments (a Poisson process,
 * as independent learners press Check), over at most CONNECTIONS keep-alive connections, for
 * DURATION_S. Latency runs from the moment a Check was due, so a Check that waited for a free
 * connection counts its wait. (autocannon's `overallRate` is no open loop: it lets every
 * connection send its share of a second at once when the second begins, so it measures bursts.)
 */
async function openLoop(url: string, rate: number, request: (i: number) => { headers: Record<string, string>; body: string }): Promise<Tally> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const random = mulberry32(0x5eed);
  const latencies: number[] = [];
  let ok = 0;
  let other = 0;
  let errors = 0;
  const sent: Promise<void>[] = [];
  const start = performance.now();
  let due = start;
  for (let i = 0; due - start < DURATION_S * 1000; i++) {
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const { headers, body } = request(i);
    const at = due;
    sent.push(
      new Promise<void>((resolve) => {
        const req = http.request(url, { method: "POST", agent, headers: { ...headers, "content-length": Buffer.byteLength(body) } }, (res) => {
          res.resume();
          res.on("end", () => {
            latencies.push(performance.now() - at);
            if (res.statusCode && res.statusCode < 300) ok++;
            else other++;
            resolve();
          });
        });
        req.on("error", () => {
          errors++;
          resolve();
        });
        req.end(body);
      }),
    );
    due += (-Math.log(1 - random()) * 1000) / rate;
  }
  await Promise.all(sent);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), max: latencies[latencies.length - 1] ?? 0, ok, other, errors };
}

/** A small seeded PRNG, so every run offers the same arrival times. */
function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
    if (server.exitCode !== null) throw new Error(`the server exited:\n${log()}`);
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server did not answer within 60 s:\n${log()}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
