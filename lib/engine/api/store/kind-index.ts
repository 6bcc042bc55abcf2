/**
 * One kind's objects, indexed by namespace then name, listed in etcd key order
 * (`<namespace>/<name>`). The key order of each namespace is cached and only rebuilt when an
 * object is added or removed, so listing 5,000 pods after thousands of status updates is a
 * map walk, not a sort.
 *
 * @example
 * const idx = new KindIndex();
 * idx.put("default", "web", pod);
 * idx.list("default"); // [pod]
 */
import type { Stored } from "../types/meta";

/** Per-namespace maps of one kind with a cached key order. */
export class KindIndex {
  private readonly spaces = new Map<string, Map<string, Stored>>();
  private readonly order = new Map<string, string[]>();
  private spaceOrder: string[] | undefined;
  private writes = 0;

  /** How many puts and removes this kind has seen: a cheap "did anything change" for caches. */
  get version(): number {
    return this.writes;
  }

  get(namespace: string, name: string): Stored | undefined {
    return this.spaces.get(namespace)?.get(name);
  }

  /** Adds or replaces an object. */
  put(namespace: string, name: string, obj: Stored): void {
    this.writes++;
    let space = this.spaces.get(namespace);
    if (!space) {
      space = new Map();
      this.spaces.set(namespace, space);
      this.spaceOrder = undefined;
    }
    if (!space.has(name)) this.order.delete(namespace);
    space.set(name, obj);
  }

  remove(namespace: string, name: string): void {
    const space = this.spaces.get(namespace);
    if (!space?.delete(name)) return;
    this.writes++;
    this.order.delete(namespace);
    if (space.size === 0) {
      this.spaces.delete(namespace);
      this.spaceOrder = undefined;
    }
  }

  /** Objects in one namespace ("" for cluster-scoped kinds) or, with undefined, all of them. */
  list(namespace?: string): Stored[] {
    if (namespace !== undefined) return this.listSpace(namespace);
    this.spaceOrder ??= [...this.spaces.keys()].sort((a, b) => compare(`${a}/`, `${b}/`));
    return this.spaceOrder.flatMap((ns) => this.listSpace(ns));
  }

  /** How many objects one namespace holds. */
  count(namespace: string): number {
    return this.spaces.get(namespace)?.size ?? 0;
  }

  private listSpace(namespace: string): Stored[] {
    const space = this.spaces.get(namespace);
    if (!space) return [];
    let keys = this.order.get(namespace);
    if (!keys) {
      keys = [...space.keys()].sort(compare);
      this.order.set(namespace, keys);
    }
    return keys.map((k) => space.get(k)!);
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
