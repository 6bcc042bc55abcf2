/**
 * Deep copy of an object graph that shares no mutable object with the original: how a booted
 * cluster is forked (see `../CONTEXT.md`, "State is data"). It keeps aliasing and cycles (an
 * object reached twice is copied once) and each object's prototype, so class instances keep
 * their methods.
 *
 * - Primitives and functions are kept. Functions in state are module-level: they capture
 *   nothing, so sharing them shares no state (`test/lib/engine/fork.test.ts` checks this).
 * - Frozen objects are kept: they are immutable (the store's records, module constants).
 * - Arrays, Maps, Sets, Dates and class instances are copied, own enumerable fields only.
 * - Anything with hidden state (generators, promises, weak collections, typed arrays…)
 *   cannot be copied and throws {@link GraphCopyError}.
 * - `prepare`, if given, sees each class instance before its fields are copied, and may make
 *   parts of it shareable first (a file system seals its tree: the copy then shares it).
 *
 * @example
 * const copy = copyGraph({ store, timers });
 * copy.store !== store; // true, and so for everything mutable inside it
 */
export class GraphCopyError extends Error {}

export function copyGraph<T>(root: T, prepare?: (instance: object) => void): T {
  return new GraphCopier(prepare).copy(root) as T;
}

/** {@link copyGraph}, and how many objects it copied: the part of the copy that is its own. */
export function copyGraphCounting<T>(root: T): { copy: T; objects: number } {
  const copier = new GraphCopier();
  return { copy: copier.copy(root) as T, objects: copier.copied };
}

class GraphCopier {
  private readonly copies = new Map<object, unknown>();

  constructor(private readonly prepare?: (instance: object) => void) {}

  get copied(): number {
    return this.copies.size;
  }

  copy(value: unknown): unknown {
    if (value === null || typeof value !== "object") return value;
    const done = this.copies.get(value);
    if (done !== undefined) return done;
    if (Object.isFrozen(value)) return value;
    const proto = Object.getPrototypeOf(value) as object | null;
    if (proto === Object.prototype || proto === null) return this.fields(value, Object.create(proto) as object);
    if (Array.isArray(value)) return this.array(value);
    if (value instanceof Map) return this.map(value);
    if (value instanceof Set) return this.set(value);
    if (value instanceof Date) return this.remember(value, new Date(value.getTime()));
    const tag = Object.prototype.toString.call(value);
    if (tag !== "[object Object]") {
      throw new GraphCopyError(`cannot copy a ${tag.slice(8, -1)} (${proto?.constructor?.name ?? "no constructor"}): state must be data`);
    }
    this.prepare?.(value);
    return this.fields(value, Object.create(proto) as object);
  }

  private remember<V>(original: object, copy: V): V {
    this.copies.set(original, copy);
    return copy;
  }

  private fields(value: object, copy: object): object {
    this.remember(value, copy);
    const from = value as Record<string, unknown>;
    const to = copy as Record<string, unknown>;
    for (const key of Object.keys(from)) to[key] = this.copy(from[key]);
    return copy;
  }

  private array(value: readonly unknown[]): unknown[] {
    const copy = this.remember(value, new Array<unknown>(value.length));
    for (let i = 0; i < value.length; i++) copy[i] = this.copy(value[i]);
    return copy;
  }

  private map(value: Map<unknown, unknown>): Map<unknown, unknown> {
    const copy = this.remember(value, new Map<unknown, unknown>());
    this.subclass(value, copy);
    for (const [k, v] of value) copy.set(this.copy(k), this.copy(v));
    return copy;
  }

  private set(value: Set<unknown>): Set<unknown> {
    const copy = this.remember(value, new Set<unknown>());
    this.subclass(value, copy);
    for (const v of value) copy.add(this.copy(v));
    return copy;
  }

  /** A subclass of Map or Set keeps its prototype and its own fields. */
  private subclass(value: object, copy: object): void {
    const proto = Object.getPrototypeOf(value) as object;
    if (proto === Object.getPrototypeOf(copy)) return;
    Object.setPrototypeOf(copy, proto);
    const from = value as Record<string, unknown>;
    for (const key of Object.keys(from)) (copy as Record<string, unknown>)[key] = this.copy(from[key]);
  }
}
