import { describe, expect, it } from "vitest";
import { clusterOptions, cpuBudget, lessonCluster, LESSON_SEED, runGradingJob, type Check, type GradingJob } from "@/lib/grading";
import { threadCpuClock } from "@/lib/grading/cpu-time";

const check: Check = {
  all: [
    { description: "ConfigMap app exists", object: { kind: "ConfigMap", namespace: "default", name: "app" }, fields: { "data.mode": "prod" } },
    { description: "the note is written", file: { path: "/root/note" }, content: { equals: "done" } },
  ],
};
const job = (entries: GradingJob["entries"], limitMs = 60_000): GradingJob => ({ cluster: { scenario: "single-node", seed: 1 }, entries, check, limitMs });
const solution = [
  { line: "kubectl create configmap app --from-literal=mode=prod", elapsedMs: 3000 },
  { line: "echo done > /root/note", elapsedMs: 2000 },
];

describe("runGradingJob", () => {
  it("replays the transcript on a fresh cluster and runs the check", async () => {
    const result = await runGradingJob(job(solution));
    expect(result).toMatchObject({ ok: true, verdict: { passed: true } });
    expect(result.ok && result.verdict.outcomes.map((o) => o.passed)).toEqual([true, true]);
    expect(result.replayMs).toBeGreaterThanOrEqual(0);
  });

  it("grades what the transcript did, step by step", async () => {
    const result = await runGradingJob(job([{ line: "kubectl create configmap app --from-literal=mode=dev", elapsedMs: 0 }, solution[1]]));
    expect(result.ok && result.verdict).toEqual({
      passed: false,
      outcomes: [
        { description: "ConfigMap app exists", passed: false, detail: 'app: data.mode is "dev", expected "prod"' },
        { description: "the note is written", passed: true },
      ],
    });
    const untouched = await runGradingJob(job([]));
    expect(untouched.ok && untouched.verdict.passed).toBe(false);
  });

  it("stops a replay that goes past its limit, with no verdict", async () => {
    let t = 0;
    const wall = () => (t += 40); // every look at the clock costs 40 ms
    const result = await runGradingJob(job(Array(50).fill({ line: "true", elapsedMs: 0 }), 1000), { wall, cpu: null });
    expect(result).toEqual({ ok: false, reason: "time-limit", replayMs: expect.any(Number) });
    expect(result.replayMs).toBeGreaterThan(1000);
  });

  it("stops a command that runs past the limit within it", async () => {
    const cpu = threadCpuClock() ?? (() => performance.now());
    const c0 = cpu();
    const result = await runGradingJob(job([{ line: "while true; do kubectl get pods -A; done", elapsedMs: 0 }, ...solution], 300));
    expect(result).toMatchObject({ ok: false, reason: "time-limit" });
    // It stops at the next safe point after the budget: promptly, even on a shared machine.
    expect(cpu() - c0).toBeLessThan(2 * 300);
  });
});

describe("cpuBudget", () => {
  it("counts the thread's CPU time, not the wall clock, and reads it only when it could matter", () => {
    let wall = 0;
    let cpu = 0;
    let readings = 0;
    const over = cpuBudget(1000, { wall: () => wall, cpu: () => (readings++, cpu) });
    readings = 0;
    wall = 900;
    cpu = 900;
    expect(over()).toBe(false);
    expect(readings).toBe(0); // under a second of wall time, a second of CPU is impossible
    wall = 3000; // a busy machine: three seconds passed, the thread ran for 950 ms of them
    cpu = 950;
    expect(over()).toBe(false);
    wall = 3040; // 50 ms of budget left: no need to look again before 3050
    expect(over()).toBe(false);
    expect(readings).toBe(1);
    wall = 3100;
    cpu = 1010;
    expect(over()).toBe(true);
    expect(over()).toBe(true); // and it stays over
  });

  it("falls back to the wall clock without a CPU clock", () => {
    let wall = 0;
    const over = cpuBudget(1000, { wall: () => wall, cpu: null });
    wall = 1000;
    expect(over()).toBe(false);
    wall = 1001;
    expect(over()).toBe(true);
  });
});

describe.runIf(process.platform === "linux")("threadCpuClock", () => {
  it("advances while this thread computes, and not while it waits", async () => {
    const cpu = threadCpuClock()!;
    const c0 = cpu();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(cpu() - c0).toBeLessThan(100);
    // Spin until the process has spent 300 ms more CPU (on a shared machine that may take a
    // while on the wall clock): nearly all of it is this thread's.
    const c1 = cpu();
    const p1 = process.cpuUsage();
    while (process.cpuUsage(p1).user < 300_000);
    expect(cpu() - c1).toBeGreaterThanOrEqual(250);
    expect(cpu() - c1).toBeLessThanOrEqual(Math.ceil((process.cpuUsage(p1).user + process.cpuUsage(p1).system) / 10_000) * 10 + 10);
  });
});

describe("lessonCluster", () => {
  it("is the frontmatter's scenario on the lesson seed, with scenario.yaml when it says more than a name", () => {
    expect(lessonCluster({ scenario: "three-node-flannel" }, { scenario: null })).toEqual({ scenario: "three-node-flannel", seed: LESSON_SEED });
    expect(lessonCluster({ scenario: "single-node" }, { scenario: { name: "single-node" } })).toEqual({ scenario: "single-node", seed: LESSON_SEED });
    const spec = { base: "single-node", manifests: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: lab\n" };
    const cluster = lessonCluster({ scenario: "single-node" }, { scenario: { name: "lab", ...spec } });
    expect(cluster).toEqual({ scenario: "single-node", seed: LESSON_SEED, spec: { name: "lab", ...spec } });
    expect(clusterOptions(cluster)).toEqual({ spec: { name: "lab", ...spec }, seed: LESSON_SEED });
    expect(clusterOptions({ scenario: "single-node", seed: 3 })).toEqual({ scenario: "single-node", seed: 3 });
  });
});
