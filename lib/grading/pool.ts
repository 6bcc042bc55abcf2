/**
 * Worker threads that grade submissions, one job per worker at a time, so a replay never blocks
 * the server's event loop and every core grades. A job stops itself at its CPU limit (job.ts);
 * one that overruns a hard wall-clock limit as well (an engine path that missed its interrupt)
 * has its worker terminated and replaced: the limit holds whatever a transcript does.
 *
 * @example
 * const result = await gradingPool().run({ cluster, entries, check, limitMs: 2000 });
 */
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { GradingJob, GradingResult } from "./job";
import type { LessonCluster } from "./lesson-cluster";

/** What a worker posts: that it is ready (loaded and warmed up), or the answer to job `id`. */
export type WorkerMessage = { ready: true } | { id: number; result: GradingResult } | { id: number; error: string };

/** What a worker starts with (its `workerData`): the clusters to boot and warm up before it is ready. */
export interface WorkerInit {
  clusters: LessonCluster[];
}

/** Too many submissions are waiting: the caller should ask again shortly. */
export class GraderBusyError extends Error {
  constructor() {
    super("The grader is busy. Try again in a few seconds.");
    this.name = "GraderBusyError";
  }
}

export interface PoolOptions {
  /** Worker threads (default: one per core, at most 8). */
  size?: number;
  /**
   * Wall milliseconds after which a job's worker is deemed stuck and terminated. Default: four
   * times the job's CPU limit, since on a busy machine a thread gets a fraction of a core.
   */
  hardLimitMs?: (limitMs: number) => number;
  /** Jobs that may wait for a worker before run() refuses more. */
  maxQueue?: number;
  /** Starts a worker (tests substitute their own). */
  startWorker?: (init: WorkerInit) => Worker;
}

interface Pending {
  job: GradingJob;
  /** The worker this job's learner had before: it holds their session's checkpoints. */
  home: number;
  resolve: (result: GradingResult) => void;
  reject: (error: Error) => void;
}

interface Slot {
  /** Its place in the pool, kept by the worker that replaces it. */
  index: number;
  worker: Worker;
  /** Loaded and warmed up: jobs go only to ready workers, so start-up never counts against a job. */
  ready: boolean;
  /** Settles when the worker is ready, or gone before it was. */
  started: Promise<void>;
  job: (Pending & { id: number; timer: ReturnType<typeof setTimeout> }) | null;
}

const CLOSED = "the grading pool is closed";

export class GradingPool {
  private readonly size: number;
  private readonly hardLimitMs: (limitMs: number) => number;
  private readonly maxQueue: number;
  private readonly startWorker: (init: WorkerInit) => Worker;
  private init: WorkerInit = { clusters: [] };
  private slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  /** Workers that died before they were ready, since the last one that was. */
  private failedStarts = 0;

  constructor(options: PoolOptions = {}) {
    this.size = Math.max(1, options.size ?? Math.min(os.availableParallelism(), 8));
    this.hardLimitMs = options.hardLimitMs ?? ((limitMs) => 4 * limitMs);
    this.maxQueue = options.maxQueue ?? 64 * this.size;
    this.startWorker = options.startWorker ?? startReplayWorker;
  }

  /**
   * Starts the workers (those not running) and resolves once each is ready or has failed. Each
   * worker started from now on boots `clusters` (the lessons') before it takes a job.
   */
  async start(clusters?: LessonCluster[]): Promise<void> {
    if (clusters) this.init = { clusters };
    this.fill(true);
    await Promise.all(this.slots.map((slot) => slot.started));
  }

  /** Workers loaded, warmed up and taking jobs. */
  get ready(): number {
    return this.slots.filter((s) => s.ready).length;
  }

  /** Grades `job` on the next free worker. Throws GraderBusyError when the queue is full. */
  run(job: GradingJob): Promise<GradingResult> {
    if (this.closed) return Promise.reject(new Error(CLOSED));
    if (this.queue.length >= this.maxQueue) return Promise.reject(new GraderBusyError());
    return new Promise((resolve, reject) => {
      this.queue.push({ job, home: homeOf(job, this.size), resolve, reject });
      this.pump();
    });
  }

  /** Terminates every worker; waiting and running jobs are refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.reject(new Error(CLOSED));
    const slots = this.slots;
    this.slots = [];
    for (const slot of slots) this.settle(slot, (job) => job.reject(new Error(CLOSED)));
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  /**
   * Gives waiting jobs to idle workers, and keeps the pool full. The oldest job whose home worker
   * is idle goes there; when no idle worker is home to a waiting job, one takes the oldest. A
   * learner's Checks stay with the worker that holds their checkpoints while there is work for
   * every worker, and no worker idles while jobs wait.
   */
  private pump(): void {
    for (;;) {
      const idle = this.slots.filter((s) => s.ready && s.job === null);
      if (idle.length === 0 || this.queue.length === 0) break;
      const homed = this.queue.findIndex((p) => idle.some((s) => s.index === p.home));
      const pending = this.queue.splice(Math.max(homed, 0), 1)[0];
      this.dispatch(idle.find((s) => s.index === pending.home) ?? idle[0], pending);
    }
    this.fill(this.queue.length > 0);
  }

  /**
   * Starts workers up to the pool's size: all of them at first use, and a replacement as soon as
   * one is lost. After a worker failed to start, only a job that is waiting (or start()) tries
   * again, and each failure refuses one waiting job, so a broken worker is never restarted in a
   * loop.
   */
  private fill(wanted: boolean): void {
    if (this.closed || (this.failedStarts > 0 && !wanted)) return;
    for (let index = 0; index < this.size; index++) if (!this.slots.some((s) => s.index === index)) this.spawn(index);
  }

  private spawn(index: number): void {
    const worker = this.startWorker(this.init);
    // Idle workers do not keep the process alive; a running job's timer does.
    worker.unref();
    let started!: () => void;
    const slot: Slot = { index, worker, ready: false, started: new Promise((resolve) => (started = resolve)), job: null };
    worker.on("message", (message: WorkerMessage) => {
      if ("ready" in message) {
        slot.ready = true;
        this.failedStarts = 0;
        started();
      } else this.settle(slot, (job) => ("result" in message ? job.resolve(message.result) : job.reject(new Error(message.error))), message.id);
      this.pump();
    });
    let gone = false;
    const lost = (error: Error) => {
      if (gone) return;
      gone = true;
      this.retire(slot);
      if (!slot.ready) {
        this.failedStarts += 1;
        this.queue.shift()?.reject(new Error(`the grading worker could not start: ${error.message}`));
        started();
      }
      this.settle(slot, (job) => job.reject(error));
      this.pump();
    };
    worker.on("error", lost);
    worker.on("exit", (code) => lost(new Error(`the grading worker stopped (exit code ${code})`)));
    this.slots.push(slot);
  }

  private dispatch(slot: Slot, pending: Pending): void {
    const id = this.nextId++;
    const hardLimitMs = this.hardLimitMs(pending.job.limitMs);
    const timer = setTimeout(() => {
      // The engine did not stop in time: the worker goes, and with it whatever it was doing.
      this.retire(slot);
      this.settle(slot, (job) => job.resolve({ ok: false, reason: "time-limit", replayMs: hardLimitMs }));
      void slot.worker.terminate();
      this.pump();
    }, hardLimitMs);
    slot.job = { ...pending, id, timer };
    slot.worker.postMessage({ id, job: pending.job });
  }

  /** Ends the slot's job (if it is still job `id`, when given) with `finish`. */
  private settle(slot: Slot, finish: (job: Pending) => void, id?: number): void {
    const job = slot.job;
    if (!job || (id !== undefined && job.id !== id)) return;
    clearTimeout(job.timer);
    slot.job = null;
    finish(job);
  }

  private retire(slot: Slot): void {
    this.slots = this.slots.filter((s) => s !== slot);
  }
}

/**
 * The replay worker. In the server Next built (and in `next dev`), `new Worker(new URL(…))` is
 * compiled into a worker chunk of its own. Run from source (vitest, tsx scripts), Node cannot
 * load TypeScript, so the worker loads it through tsx (the specifier stays inside the worker's
 * code, where the bundler does not follow it).
 */
function startReplayWorker(workerData: WorkerInit): Worker {
  if (process.env.NEXT_RUNTIME) return new Worker(new URL("./replay-worker.ts", import.meta.url), { workerData });
  const entry = JSON.stringify(path.join(path.dirname(fileURLToPath(import.meta.url)), "replay-worker.ts"));
  return new Worker(`require("tsx/cjs/api").require(${entry}, ${entry});`, { eval: true, workerData });
}

/**
 * The worker a job belongs on: a hash of its cluster and first entry, which stay the same across
 * one learner's Checks of a session (the later ones extend the transcript) and differ between
 * learners, who type at their own pace (FNV-1a: cheap, and spread enough for this).
 */
function homeOf(job: GradingJob, size: number): number {
  const first = job.entries[0];
  const text = `${job.cluster.scenario}\u0000${job.cluster.seed}\u0000${first ? `${"line" in first ? first.line : first.keys}\u0000${Math.round(first.elapsedMs)}` : ""}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % size;
}

const GLOBAL_KEY = Symbol.for("netlab.gradingPool");

/** The process's pool, started on first use and shared by every module graph (like the database). */
export function gradingPool(): GradingPool {
  const holder = globalThis as { [GLOBAL_KEY]?: GradingPool };
  holder[GLOBAL_KEY] ??= new GradingPool({ size: Number(process.env.NETLAB_GRADING_WORKERS) || undefined });
  return holder[GLOBAL_KEY];
}
