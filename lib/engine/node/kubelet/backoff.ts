/**
 * client-go's `flowcontrol.Backoff` as the kubelet uses it for crash loops and image pulls:
 * per key, a delay that starts at 10 s and doubles up to 5 min; an entry not touched for twice
 * the maximum (10 min) starts over.
 *
 * @example
 * const b = new Backoff(10_000, 300_000);
 * b.next("web", t);              // 10s
 * b.inBackOffSince("web", t2, now); // true while now - t2 < 10s
 */
interface Entry {
  backoff: number;
  lastUpdate: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    readonly initial: number,
    readonly max: number,
  ) {}

  /** The current delay for a key (0 when none). */
  get(key: string): number {
    return this.entries.get(key)?.backoff ?? 0;
  }

  /** Records a failure at `eventTime`: the first delay, or the previous one doubled. */
  next(key: string, eventTime: number): void {
    const entry = this.entries.get(key);
    if (!entry || eventTime - entry.lastUpdate > 2 * this.max) {
      this.entries.set(key, { backoff: this.initial, lastUpdate: eventTime });
      return;
    }
    entry.backoff = Math.min(entry.backoff * 2, this.max);
    entry.lastUpdate = eventTime;
  }

  /** `IsInBackOffSince`: whether `now` is still within the delay counted from `eventTime`. */
  inBackOffSince(key: string, eventTime: number, now: number): boolean {
    const entry = this.entries.get(key);
    if (!entry || now - entry.lastUpdate > 2 * this.max) return false;
    return now - eventTime < entry.backoff;
  }

  /** `IsInBackOffSinceUpdate`: within the delay counted from the last failure. */
  inBackOffSinceUpdate(key: string, now: number): boolean {
    const entry = this.entries.get(key);
    if (!entry || now - entry.lastUpdate > 2 * this.max) return false;
    return now - entry.lastUpdate < entry.backoff;
  }

  /** When the delay for `key` counted from `eventTime` ends. */
  expiry(key: string, eventTime: number): number {
    return eventTime + this.get(key);
  }

  /** When the delay counted from the last failure ends. */
  expiryFromUpdate(key: string): number {
    const entry = this.entries.get(key);
    return entry ? entry.lastUpdate + entry.backoff : 0;
  }

  reset(key: string): void {
    this.entries.delete(key);
  }
}
