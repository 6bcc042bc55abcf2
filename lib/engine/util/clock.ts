/**
 * The engine's virtual clock. Nothing in the engine reads real time: the terminal reports how
 * long the learner paused before each line, `sleep` advances it, and replays feed the same
 * numbers back, so the same transcript yields the same bytes.
 *
 * @example
 * const clock = new VirtualClock(Date.UTC(2026, 0, 1));
 * clock.advance(1500);
 * clock.now(); // epoch ms
 */
export class VirtualClock {
  private ms: number;

  constructor(startEpochMs: number) {
    this.ms = startEpochMs;
  }

  /** Milliseconds since the Unix epoch, in virtual time. */
  now(): number {
    return this.ms;
  }

  /** Moves time forward; negative or non-finite amounts are ignored (time never runs back). */
  advance(ms: number): void {
    if (Number.isFinite(ms) && ms > 0) this.ms += Math.floor(ms);
  }

  /** Moves time forward to an instant; an instant in the past is ignored. */
  advanceTo(epochMs: number): void {
    if (Number.isFinite(epochMs) && epochMs > this.ms) this.ms = Math.floor(epochMs);
  }

  /** RFC 3339 timestamp with second precision, as the apiserver writes them. */
  rfc3339(ms: number = this.ms): string {
    return rfc3339Seconds(Math.floor(ms / 1000));
  }
}

// Timestamps are asked for many times within the same virtual second (every status a sync
// writes): the last one is remembered.
let lastSecond = NaN;
let lastText = "";

function rfc3339Seconds(second: number): string {
  if (second !== lastSecond) {
    lastText = new Date(second * 1000).toISOString().slice(0, 19) + "Z";
    lastSecond = second;
  }
  return lastText;
}

/** The instant every scenario's clock starts at, unless the scenario says otherwise. */
export const DEFAULT_EPOCH_MS = Date.UTC(2026, 0, 12, 9, 0, 0);
