/**
 * A worker thread that grades jobs (job.ts) one at a time, so a long replay never blocks the
 * server's event loop. Started by pool.ts with the lessons' clusters as its `workerData`: it
 * boots and warms up each, posts `{ ready: true }`, then answers each `{ id, job }` with
 * `{ id, result }` or `{ id, error }`. It keeps checkpoints of the sessions it replayed, so a
 * learner's next Check replays only what they typed since (checkpoints.ts).
 */
import { parentPort, workerData } from "node:worker_threads";
import { CheckpointCache, replaySession } from "./checkpoints";
import { runGradingJob, type GradingJob } from "./job";
import type { LessonCluster } from "./lesson-cluster";
import type { WorkerInit, WorkerMessage } from "./pool";

const port = parentPort;
if (!port) throw new Error("replay-worker.ts runs as a worker thread (see pool.ts)");

const checkpoints = new CheckpointCache();

port.on("message", async ({ id, job }: { id: number; job: GradingJob }) => {
  let answer: WorkerMessage;
  try {
    answer = { id, result: await runGradingJob(job, undefined, checkpoints) };
  } catch (error) {
    answer = { id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(answer);
});

/** Commands that go through the engine's main paths: kubectl's tables, the shell, the runtime, ssh. */
const WARM_UP = ["kubectl get pods -A -o wide", "kubectl describe node | head -5", "ls -l /etc/kubernetes/manifests | grep yaml", "crictl ps", "ssh $(hostname)", "exit"];

/**
 * Boots each lesson's cluster (the process keeps the boot: every job forks it) and runs a short
 * session on it, twice through a checkpoint, so the first learner's replay neither boots nor
 * compiles the engine's hot paths against the time limit. The checkpoints it makes are dropped.
 */
async function warmUp(clusters: readonly LessonCluster[]): Promise<void> {
  const entries = WARM_UP.map((line) => ({ line, elapsedMs: 1000 }));
  for (const cluster of clusters) {
    const scratch = new CheckpointCache();
    await replaySession(cluster, entries.slice(0, 3), { checkpoints: scratch });
    await replaySession(cluster, entries, { checkpoints: scratch });
  }
}

const init = workerData as WorkerInit | undefined;
// No top-level await: the worker may load as CommonJS.
void warmUp(init?.clusters?.length ? init.clusters : [{ scenario: "single-node", seed: 1 }])
  .catch((error: unknown) => console.error("grading worker warm-up failed:", error))
  .finally(() => port.postMessage({ ready: true } satisfies WorkerMessage));
