/**
 * Per-key exponential back-off (client-go `flowcontrol.Backoff` and the workqueue's
 * per-item rate limiter), for work that keeps failing: pod creation refused by admission,
 * a DaemonSet pod the kubelet keeps rejecting, a load balancer that cannot be ensured.
 *
 * @example
 * const backoff = new Backoff(1_000, 15 * 60_000);
 * const delay = backoff.next("default/web", clock.now()); // 1000, then 2000, 4000… up to 900000
 * backoff.reset("default/web");                            // after a success
 */
export class Backoff {
  private readonly entries = new Map<string, { delay: number; at: number }>();

  constructor(private readonly initialMs: number, private readonly maxMs: number) {}

  /** Records a failure at `now` and returns the delay before the next attempt. */
  next(key: string, now: number): number {
    const entry = this.entries.get(key);
    // An entry idle for twice the maximum has expired and starts over, as upstream's does.
    const delay = !entry || now - entry.at > 2 * this.maxMs ? this.initialMs : Math.min(entry.delay * 2, this.maxMs);
    this.entries.set(key, { delay, at: now });
    return delay;
  }

  /** True while the delay set by the last failure has not passed yet. */
  inBackoff(key: string, now: number): boolean {
    const entry = this.entries.get(key);
    return entry !== undefined && now - entry.at < entry.delay;
  }

  /** Time left before the key may be tried again (0 when not backing off). */
  remaining(key: string, now: number): number {
    const entry = this.entries.get(key);
    return entry ? Math.max(0, entry.at + entry.delay - now) : 0;
  }

  reset(key: string): void {
    this.entries.delete(key);
  }
}
