/**
 * Booted clusters kept as templates, most recently used last, at most `limit` of them: booting
 * is deterministic for a scenario and seed, so a process boots each pair once and forks the
 * template for every cluster it is asked for (see engine.ts). The oldest template goes when a
 * new one would exceed the limit.
 *
 * @example
 * const boots = new BootCache<Booted>(4);
 * const template = boots.get(key, () => boot(scenario, seed)); // boots on a miss only
 */
export class BootCache<T> {
  private readonly entries = new Map<string, T>();

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`a boot cache holds at least one template (limit ${limit})`);
  }

  /** The template under `key`, made by `boot` on a miss (a boot that throws caches nothing). */
  get(key: string, boot: () => T): T {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const made = boot();
    this.entries.set(key, made);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as string);
    return made;
  }

  /** The keys held, least recently used first. */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  clear(): void {
    this.entries.clear();
  }
}
