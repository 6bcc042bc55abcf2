/**
 * Virtual timers: work due at an instant of virtual time (a container that finishes pulling,
 * a back-off that expires, a node that misses its heartbeat). Nothing fires by itself; the
 * cluster runs due timers in time order when the clock moves.
 *
 * A timer is data, not a closure: a module-level function and the arguments to call it with
 * (usually the object whose method it runs), so a forked cluster's timers call into the fork
 * (see ../CONTEXT.md, "State is data").
 *
 * @example
 * const timers = new TimerQueue();
 * timers.at(5_000, "kubelet/web", startPulled, runtime, containerId);
 * timers.nextDue(10_000)?.run(); // startPulled(runtime, containerId)
 */
export interface Timer {
  readonly at: number;
  /** Identifies the timer: setting a key again replaces the earlier timer. */
  readonly key: string;
  run(): void;
}

/** What a timer runs: a function that captures nothing, called with the timer's arguments. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each timer's arguments are checked where it is set
type TimerAction = (...args: any[]) => void;

class Entry implements Timer {
  constructor(
    readonly at: number,
    readonly key: string,
    readonly seq: number,
    private readonly action: TimerAction,
    private readonly args: readonly unknown[],
  ) {}

  run(): void {
    this.action(...this.args);
  }
}

export class TimerQueue {
  private readonly byKey = new Map<string, Entry>();
  // A binary heap ordered by (at, seq); entries replaced or cancelled are skipped lazily.
  private heap: Entry[] = [];
  private seq = 0;

  /** Schedules `action(...args)` at virtual instant `at`, replacing any timer with the same key. */
  at<A extends unknown[]>(at: number, key: string, action: (...args: A) => void, ...args: A): void {
    const entry = new Entry(at, key, this.seq++, action, args);
    this.byKey.set(key, entry);
    this.push(entry);
    // Replaced timers stay in the heap until they surface; when they outnumber the live ones
    // (a requeue set again and again), rebuild it, so it neither grows nor weighs on a fork.
    if (this.heap.length > 2 * this.byKey.size + 64) this.heap = [...this.byKey.values()].sort((a, b) => (before(a, b) ? -1 : 1));
  }

  cancel(key: string): void {
    this.byKey.delete(key);
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /** When the timer under `key` is due, if one is scheduled. */
  when(key: string): number | undefined {
    return this.byKey.get(key)?.at;
  }

  /** When the earliest live timer is due, if any. */
  peek(): number | undefined {
    this.dropStale();
    return this.heap[0]?.at;
  }

  /** Removes and returns the earliest timer due at or before `until`. */
  nextDue(until: number): Timer | undefined {
    this.dropStale();
    const top = this.heap[0];
    if (!top || top.at > until) return undefined;
    this.pop();
    this.byKey.delete(top.key);
    return top;
  }

  get size(): number {
    return this.byKey.size;
  }

  private dropStale(): void {
    while (this.heap.length > 0 && this.byKey.get(this.heap[0].key) !== this.heap[0]) this.pop();
  }

  private push(entry: Entry): void {
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop();
    if (h.length === 0 || !last) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && before(h[l], h[m])) m = l;
      if (r < h.length && before(h[r], h[m])) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
