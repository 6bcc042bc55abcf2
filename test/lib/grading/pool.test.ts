import { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { GraderBusyError, GradingPool, type GradingJob } from "@/lib/grading";

/** A worker from a few lines of CommonJS: `onJob(id, job)` decides what it does with each job. */
function fakeWorker(onJob: string, onStart = 'port.postMessage({ ready: true });'): () => Worker {
  return () => new Worker(`const port = require("node:worker_threads").parentPort;\n${onStart}\nport.on("message", ({ id, job }) => { ${onJob} });`, { eval: true });
}
const ANSWER = 'port.postMessage({ id, result: { ok: true, verdict: { passed: job.entries.length > 0, outcomes: [] }, replayMs: 1 } });';
const HANG = "if (job.entries.length > 0) for (;;) {} else " + ANSWER;

const job = (lines: number, limitMs = 200): GradingJob => ({ cluster: { scenario: "single-node", seed: 1 }, entries: Array(lines).fill({ line: "true", elapsedMs: 0 }), check: { all: [] } as never, limitMs });

let pool: GradingPool | null = null;
afterEach(async () => {
  await pool?.close();
  pool = null;
});

describe("GradingPool", () => {
  it("grades jobs on its workers, several at once", async () => {
    pool = new GradingPool({ size: 2, startWorker: fakeWorker(ANSWER) });
    const results = await Promise.all([pool.run(job(1)), pool.run(job(0)), pool.run(job(3))]);
    expect(results.map((r) => r.ok && r.verdict.passed)).toEqual([true, false, true]);
  });

  it("terminates a worker that overruns the job's limit, answers time-limit and carries on with a new one", async () => {
    let started = 0;
    const start = fakeWorker(HANG);
    pool = new GradingPool({ size: 1, hardLimitMs: (limitMs) => limitMs + 100, startWorker: () => (started++, start()) });
    await pool.start();
    const t0 = performance.now();
    expect(await pool.run(job(1, 200))).toEqual({ ok: false, reason: "time-limit", replayMs: 300 });
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(await pool.run(job(0))).toMatchObject({ ok: true });
    expect(started).toBe(2);
  });

  it("does not count a worker's start-up against the job", async () => {
    pool = new GradingPool({ size: 1, hardLimitMs: (limitMs) => limitMs + 50, startWorker: fakeWorker(ANSWER, "setTimeout(() => port.postMessage({ ready: true }), 400);") });
    expect(await pool.run(job(1, 50))).toMatchObject({ ok: true });
  });

  it("refuses a job when a worker cannot start, without restarting it in a loop", async () => {
    let started = 0;
    pool = new GradingPool({ size: 2, startWorker: () => (started++, fakeWorker(ANSWER, 'throw new Error("no engine here");')()) });
    await expect(pool.run(job(1))).rejects.toThrow(/the grading worker could not start: no engine here/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(started).toBeLessThanOrEqual(3);
  });

  it("rejects a job whose worker dies, and serves the next", async () => {
    pool = new GradingPool({ size: 1, startWorker: fakeWorker("if (job.entries.length === 7) process.exit(3); " + ANSWER) });
    await expect(pool.run(job(7))).rejects.toThrow("the grading worker stopped (exit code 3)");
    expect(await pool.run(job(1))).toMatchObject({ ok: true });
  });

  it("answers busy when too many jobs wait", async () => {
    pool = new GradingPool({ size: 1, maxQueue: 2, startWorker: fakeWorker(ANSWER, "setTimeout(() => port.postMessage({ ready: true }), 200);") });
    const waiting = [pool.run(job(1)), pool.run(job(1))];
    await expect(pool.run(job(1))).rejects.toBeInstanceOf(GraderBusyError);
    expect((await Promise.all(waiting)).every((r) => r.ok)).toBe(true);
  });

  it("sends a learner's Checks to the same worker, where their checkpoints are, and keeps every worker busy", async () => {
    // The answer says which worker gave it.
    const WHO = 'setTimeout(() => port.postMessage({ id, result: { ok: true, verdict: { passed: true, outcomes: [{ description: String(require("node:worker_threads").threadId), passed: true }] }, replayMs: 1 } }), 20);';
    pool = new GradingPool({ size: 2, startWorker: fakeWorker(WHO) });
    await pool.start();
    const of = (learner: number, lines: number): GradingJob => ({ ...job(0), entries: Array.from({ length: lines }, (_, i) => ({ line: `learner ${learner}`, elapsedMs: 1000 * i })) });
    const workerOf = async (j: GradingJob) => {
      const result = await pool!.run(j);
      return result.ok ? result.verdict.outcomes[0].description : "";
    };
    const homes = new Map<number, string>();
    for (let learner = 0; learner < 8; learner++) {
      const workers = new Set<string>();
      for (let lines = 1; lines <= 4; lines++) workers.add(await workerOf(of(learner, lines)));
      expect(workers.size).toBe(1);
      homes.set(learner, [...workers][0]);
    }
    expect(new Set(homes.values()).size).toBe(2);
    // Ten Checks of one learner at once: the other worker takes some rather than idle.
    const burst = await Promise.all(Array.from({ length: 10 }, (_, i) => workerOf(of(0, i + 1))));
    expect(new Set(burst).size).toBe(2);
  });

  it("grades with the real replay worker", async () => {
    pool = new GradingPool({ size: 1 });
    const result = await pool.run({ cluster: { scenario: "single-node", seed: 1 }, entries: [{ line: "touch /root/done", elapsedMs: 0 }], check: { file: { path: "/root/done" } }, limitMs: 2000 });
    expect(result).toMatchObject({ ok: true, verdict: { passed: true, outcomes: [{ passed: true }] } });
  });
});
