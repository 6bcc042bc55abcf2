/**
 * The one definition of applying a terminal transcript to a shell. The browser's worker replays
 * a stored session with it on reload, and the server replays a submitted session with it before
 * grading: the two must rebuild the same cluster, so they share this loop.
 *
 * @example
 * const shell = createCluster({ scenario: "single-node", seed: 1 }).shell();
 * const { replayed, running } = await replayTranscript(shell, [{ line: "kubectl get pods", elapsedMs: 1200 }]);
 */
import type { Shell } from "./engine";
import { InterruptedError } from "./util/interrupt";

/** The longest pause one input may advance the virtual clock by. */
export const MAX_ELAPSED_MS = 10 * 60 * 1000;

/** The terminal's size in character cells. */
export interface ScreenSize {
  rows: number;
  columns: number;
}

/**
 * One input the learner ran, and the real milliseconds since the one before: a line for the
 * shell, or keys for a full-screen program (empty keys: a tick; `screen`: the terminal's size,
 * recorded when it changed, since a program's layout can steer what keys do).
 */
export type TranscriptEntry = { line: string; elapsedMs: number } | { keys: string; elapsedMs: number; screen?: ScreenSize };

/** Milliseconds as the clock may take them: whole, non-negative, at most MAX_ELAPSED_MS. */
export function clampElapsed(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) return 0;
  return Math.min(Math.round(ms), MAX_ELAPSED_MS);
}

export interface ReplayOptions {
  /** The terminal's size before the first entry (what a running program was last told). */
  size?: ScreenSize;
  /**
   * Asked after each entry; true ends the replay there (the server's time limit, between
   * entries; within one, the cluster's `interrupt` stops it).
   */
  stop?: () => boolean;
}

export interface ReplayResult {
  /** Entries applied: all of them, unless `stop` ended the replay early. */
  replayed: number;
  /** Whether `stop` ended the replay (the last entry applied may have been cut short). */
  stopped: boolean;
  /** A full-screen program still has the keyboard after the last entry. */
  running: boolean;
  /** When that program wants its next tick. */
  wakeMs?: number;
  /** The terminal's size as last recorded. */
  size: ScreenSize;
}

/**
 * Applies each entry as the live terminal did: lines to `run`, program keys (after a recorded
 * resize) to `input`, each with its clamped elapsed time. An entry that throws is passed over:
 * it failed the same way the first time, and its output is not what a replay is for. Only the
 * cluster's interrupt (InterruptedError) ends the whole replay.
 */
export async function replayTranscript(shell: Shell, entries: readonly TranscriptEntry[], options: ReplayOptions = {}): Promise<ReplayResult> {
  let size = options.size ?? { rows: 24, columns: 80 };
  let running = false;
  let wakeMs: number | undefined;
  let replayed = 0;
  for (const entry of entries) {
    try {
      if ("line" in entry) {
        const result = await shell.run(entry.line, { elapsedMs: clampElapsed(entry.elapsedMs) });
        running = result.program !== undefined;
        wakeMs = result.program?.wakeMs;
      } else {
        if (entry.screen) {
          size = entry.screen;
          await shell.resize(entry.screen);
        }
        const step = await shell.input(entry.keys, { elapsedMs: clampElapsed(entry.elapsedMs) });
        running = step.running;
        wakeMs = step.wakeMs;
      }
    } catch (error) {
      if (error instanceof InterruptedError) throw error;
      // Otherwise, as above: the learner saw this entry fail too.
    }
    replayed += 1;
    if (options.stop?.()) return { replayed, stopped: true, running, wakeMs, size };
  }
  return { replayed, stopped: false, running, wakeMs, size };
}
