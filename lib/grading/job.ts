/**
 * One grading: a fresh cluster of the lesson's scenario and seed (or a checkpoint of it the
 * transcript extends), the learner's transcript replayed into it exactly as the browser replays
 * it, then the exercise's check. Plain data in and out, so it runs the same in a worker thread
 * (replay-worker.ts) and in tests.
 *
 * @example
 * const result = await runGradingJob({ cluster, entries, check, limitMs: 2000 });
 * if (result.ok) result.verdict.passed;
 */
import type { TranscriptEntry } from "@/lib/engine";
import { replaySession, type CheckpointCache } from "./checkpoints";
import { threadCpuClock } from "./cpu-time";
import { evaluateCheck, runsCommands, type Verdict } from "./evaluate";
import type { LessonCluster } from "./lesson-cluster";
import type { Check } from "./schema";

export interface GradingJob {
  cluster: LessonCluster;
  entries: TranscriptEntry[];
  check: Check;
  /** CPU milliseconds the cluster's boot, the replay and the check may take. */
  limitMs: number;
}

export type GradingResult =
  /** `replayMs`: wall milliseconds from the start to the end of the replay. */
  | { ok: true; verdict: Verdict; replayMs: number }
  /** The job went past `limitMs` and was stopped: no verdict. */
  | { ok: false; reason: "time-limit"; replayMs: number };

/** A monotonic wall clock, and this thread's CPU clock where there is one (milliseconds). */
export interface Clocks {
  wall: () => number;
  cpu: (() => number) | null;
}

const defaultClocks = (): Clocks => ({ wall: () => performance.now(), cpu: threadCpuClock() });

/**
 * "Has this thread spent more than `limitMs` of CPU since now?" A thread's CPU time never runs
 * ahead of the wall clock, so the CPU clock is read only once the wall clock says the limit
 * could have been reached, and then only as often as the rest of the budget could run out:
 * a few readings for a long job, none for a short one. Without a CPU clock, wall time counts.
 */
export function cpuBudget(limitMs: number, clocks: Clocks): () => boolean {
  const { wall, cpu } = clocks;
  const wall0 = wall();
  const cpu0 = cpu?.() ?? 0;
  let lookAt = wall0 + limitMs;
  let spent = false;
  return () => {
    if (spent) return true;
    const now = wall();
    if (now <= lookAt) return false;
    const used = cpu ? cpu() - cpu0 : now - wall0;
    spent = used > limitMs;
    lookAt = now + (limitMs - used);
    return spent;
  };
}

/**
 * Runs one job under a CPU limit of `job.limitMs`, from the longest of `checkpoints` that the
 * transcript extends (a worker's cache; see checkpoints.ts), which then keeps this replay too.
 */
export async function runGradingJob(job: GradingJob, clocks: Clocks = defaultClocks(), checkpoints?: CheckpointCache): Promise<GradingResult> {
  const started = clocks.wall();
  const overTime = cpuBudget(job.limitMs, clocks);
  const timeLimit = (): GradingResult => ({ ok: false, reason: "time-limit", replayMs: Math.round(clocks.wall() - started) });
  try {
    // The engine never reads time itself: it asks `interrupt` at safe points (timers fired,
    // reconciles, shell steps) and unwinds the run once it says yes.
    const { cluster, stopped } = await replaySession(job.cluster, job.entries, { interrupt: overTime, checkpoints, readOnly: !runsCommands(job.check) });
    if (stopped) return timeLimit();
    const replayMs = Math.round(clocks.wall() - started);
    const verdict = await evaluateCheck(cluster, job.check);
    return { ok: true, verdict, replayMs };
  } catch (error) {
    // The interrupt unwinds whatever ran when time was up: the boot, a replayed command, or a
    // command the check runs.
    if (overTime()) return timeLimit();
    throw error;
  }
}
