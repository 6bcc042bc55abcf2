/**
 * Replayed sessions kept by a grading worker, so a Check replays only what is new. A learner's
 * successive Checks send transcripts that extend each other: the worker keeps a fork of the
 * cluster and shell each replay ended with, keyed by a hash of the transcript so far, and the
 * next Check forks the longest prefix it holds, replays the rest and keeps the result in its
 * place. A fork goes on byte for
 * byte as the same transcript replayed from the start would (lib/engine `forkCluster`), so the
 * verdict is the same either way.
 *
 * @example
 * const checkpoints = new CheckpointCache();
 * const session = await replaySession(job.cluster, job.entries, { interrupt, checkpoints });
 * session.resumedAt; // how many entries a checkpoint saved replaying
 */
import { createHash } from "node:crypto";
import { createCluster, forkCluster, replayTranscript, type ClusterFork, type ClusterHandle, type Shell, type TranscriptEntry } from "@/lib/engine";
import { clusterOptions, type LessonCluster } from "./lesson-cluster";
import { canonicalEntry } from "./submission";

/**
 * Heap bytes per object a fork copies (the rest it shares with its source, frozen): measured at
 * 127–142 B on the built-in scenarios, about 420 KB for a three-node cluster after a session.
 */
const BYTES_PER_OBJECT = 140;

export interface CheckpointLimits {
  /** Checkpoints held at most. */
  entries: number;
  /** Their estimated heap bytes at most. */
  bytes: number;
}

/** Per worker: about 150 three-node sessions, well within a worker's heap and quick to mark. */
export const CHECKPOINT_LIMITS: CheckpointLimits = { entries: 256, bytes: 64 * 1024 * 1024 };

/** A session replayed up to `length` entries, frozen in time (it is only ever forked). */
export interface Checkpoint {
  fork: ClusterFork;
  length: number;
  bytes: number;
}

/** Checkpoints by prefix key, least recently used first out when a limit would be passed. */
export class CheckpointCache {
  private readonly held = new Map<string, Checkpoint>();
  private heldBytes = 0;

  constructor(readonly limits: CheckpointLimits = CHECKPOINT_LIMITS) {}

  get size(): number {
    return this.held.size;
  }

  /** The estimated heap bytes of what is held. */
  get bytes(): number {
    return this.heldBytes;
  }

  /** The checkpoint of the longest prefix held, `keys[i]` being the key of the first i + 1 entries. */
  longest(keys: readonly string[]): Checkpoint | undefined {
    for (let i = keys.length - 1; i >= 0; i--) {
      const hit = this.held.get(keys[i]);
      if (hit) {
        this.held.delete(keys[i]);
        this.held.set(keys[i], hit);
        return hit;
      }
    }
    return undefined;
  }

  /**
   * Keeps `fork` (a session after `length` entries) under `key`, making room as needed. A
   * session's transcript only grows, so the checkpoint it was resumed from (`replaces`) is of no
   * more use once this one is kept: it goes, and each session holds one checkpoint.
   */
  keep(key: string, fork: ClusterFork, length: number, replaces?: string): void {
    const bytes = fork.objects * BYTES_PER_OBJECT;
    if (bytes > this.limits.bytes) return;
    if (replaces !== undefined) this.drop(replaces);
    this.drop(key);
    this.held.set(key, { fork, length, bytes });
    this.heldBytes += bytes;
    for (const oldest of this.held.keys()) {
      if (this.held.size <= this.limits.entries && this.heldBytes <= this.limits.bytes) break;
      this.drop(oldest);
    }
  }

  private drop(key: string): void {
    const gone = this.held.get(key);
    if (!gone) return;
    this.held.delete(key);
    this.heldBytes -= gone.bytes;
  }
}

/**
 * The key of every prefix of a transcript on a lesson's cluster: `keys[i]` names the cluster and
 * the first i + 1 entries in their canonical form (elapsed time clamped, as replayed). Each key
 * hashes the one before with the next entry, so all of them cost one hash per entry.
 */
export function prefixKeys(cluster: LessonCluster, entries: readonly TranscriptEntry[]): string[] {
  let key = createHash("sha256").update(JSON.stringify(clusterOptions(cluster))).digest("base64");
  return entries.map((entry) => (key = createHash("sha256").update(key).update("\n").update(JSON.stringify(canonicalEntry(entry))).digest("base64")));
}

export interface ReplayedSession {
  cluster: ClusterHandle;
  /** The shell the transcript ran in, where it left off. */
  shell: Shell;
  /** Whether `interrupt` ended the replay early. */
  stopped: boolean;
  /** Entries a checkpoint stood in for (0: replayed from a fresh cluster). */
  resumedAt: number;
}

export interface ReplayOptions {
  /** The time limit (see job.ts): asked by the engine at safe points and between entries. */
  interrupt?: () => boolean;
  /** Where replays start from and are kept. */
  checkpoints?: CheckpointCache;
  /**
   * The caller only reads the cluster it gets (the store, the nodes' files): a checkpoint of the
   * whole transcript is then handed over as it is, not forked. Nothing may change it.
   */
  readOnly?: boolean;
}

/**
 * The lesson's cluster after `entries`: forked from the longest checkpoint held, else fresh, and
 * the rest replayed. A replay that ran to its end is kept as a checkpoint (a fork taken before
 * anyone looks at the cluster, so a check's own commands never leak into the next Check).
 */
export async function replaySession(lesson: LessonCluster, entries: readonly TranscriptEntry[], options: ReplayOptions = {}): Promise<ReplayedSession> {
  const { interrupt, checkpoints } = options;
  const keys = checkpoints ? prefixKeys(lesson, entries) : [];
  const start = checkpoints?.longest(keys);
  if (start && start.length === entries.length && options.readOnly) return { cluster: start.fork.cluster, shell: start.fork.shell, stopped: false, resumedAt: start.length };
  const fork = start ? forkCluster(start.fork.cluster, start.fork.shell, { interrupt }) : null;
  const cluster = fork?.cluster ?? createCluster({ ...clusterOptions(lesson), interrupt });
  const shell = fork?.shell ?? cluster.shell();
  const resumedAt = fork && start ? start.length : 0;
  const replay = await replayTranscript(shell, entries.slice(resumedAt), { stop: interrupt });
  if (checkpoints && !replay.stopped && resumedAt < entries.length) {
    // Null while a program runs or inside a container: that session is not kept.
    const kept = forkCluster(cluster, shell);
    if (kept) checkpoints.keep(keys[entries.length - 1], kept, entries.length, fork && start ? keys[start.length - 1] : undefined);
  }
  return { cluster, shell, stopped: replay.stopped, resumedAt };
}
