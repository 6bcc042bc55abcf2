/**
 * A bounded cache of a pure function's results, shared by every cluster and fork in the process:
 * a key always gives the same value, so what the cache holds never changes what a cluster does
 * (replays stay byte for byte). When it holds more than `max`, it starts again: cheaper than
 * least-recently-used bookkeeping, and the working set refills at once.
 *
 * @example
 * const names = new PureCache<string>(20_000);
 * names.get("default.web", () => expensiveHash("default.web"));
 */
export class PureCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly max: number) {}

  get(key: string, make: (key: string) => V): V {
    let value = this.entries.get(key);
    if (value === undefined && !this.entries.has(key)) {
      value = make(key);
      if (this.entries.size > this.max) this.entries.clear();
      this.entries.set(key, value);
    }
    return value as V;
  }
}
