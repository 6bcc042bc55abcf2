/**
 * Helpers for plain JSON-shaped data (what API objects are): deep copy, deep freeze and
 * structural equality. `structuredClone` is not in the engine's ES-only lib, and objects here
 * never hold functions, dates or cycles, so a small recursive walk is both enough and fast.
 * The walks use `for…in` over plain objects (own keys in insertion order, nothing inherited)
 * rather than `Object.entries`: every store write runs them, and the pairs it allocates showed
 * up as a tenth of a cluster's boot.
 *
 * @example
 * const copy = clonePlain({ a: [1, { b: 2 }] });
 * equalPlain(copy, { a: [1, { b: 2 }] }); // true
 * freezeDeep(copy);                       // copy.a.push(3) now throws in strict mode
 */
export function clonePlain<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = clonePlain(value[i]);
    return out as T;
  }
  const out: Record<string, unknown> = {};
  const record = value as Record<string, unknown>;
  for (const k in record) {
    const v = record[k];
    if (v !== undefined) out[k] = clonePlain(v);
  }
  return out as T;
}

/**
 * {@link clonePlain} that keeps frozen parts as they are: they cannot change, so the copy may
 * share them (a stored object's new version shares its unchanged spec with the old one). With
 * `prev` (a frozen earlier version), it also takes `prev`'s part wherever `value` equals it with
 * the same keys in the same order, so the copy's bytes are exactly `value`'s.
 */
export function cloneSharing<T>(value: T, prev?: unknown): T {
  if (value === prev || value === null || typeof value !== "object" || Object.isFrozen(value)) return value;
  const before = prev !== null && typeof prev === "object" && Object.isFrozen(prev) ? (prev as Record<string, unknown>) : undefined;
  if (Array.isArray(value)) {
    const was = Array.isArray(before) ? (before as unknown[]) : undefined;
    const out = new Array<unknown>(value.length);
    let same = was !== undefined && was.length === value.length;
    for (let i = 0; i < value.length; i++) {
      out[i] = cloneSharing(value[i], was?.[i]);
      if (same && out[i] !== was![i]) same = false;
    }
    return (same ? was : out) as T;
  }
  const out: Record<string, unknown> = {};
  const record = value as Record<string, unknown>;
  if (before === undefined || Array.isArray(before)) {
    for (const k in record) {
      const v = record[k];
      if (v !== undefined) out[k] = cloneSharing(v);
    }
    return out as T;
  }
  // Shared only when the keys come in the same order and every part is the previous one's.
  const names = Object.keys(before);
  let same = true;
  let at = 0;
  for (const k in record) {
    const v = record[k];
    if (v === undefined) continue;
    const was = before[k];
    const part = cloneSharing(v, was);
    out[k] = part;
    if (same && (names[at++] !== k || part !== was)) same = false;
  }
  return (same && at === names.length ? before : out) as T;
}

/** Freezes `value` and everything reachable from it; returns it for chaining. */
export function freezeDeep<T>(value: T): T {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return value;
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) freezeDeep(value[i]);
  } else {
    const record = value as Record<string, unknown>;
    for (const k in record) freezeDeep(record[k]);
  }
  return value;
}

/**
 * Structural equality where a missing key equals an `undefined` one, as Go's
 * `apiequality.Semantic.DeepEqual` treats nil and absent fields after decoding.
 */
export function equalPlain(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  const arrayA = Array.isArray(a);
  if (arrayA !== Array.isArray(b)) return false;
  if (arrayA) {
    const xs = a as unknown[];
    const ys = b as unknown[];
    if (xs.length !== ys.length) return false;
    for (let i = 0; i < xs.length; i++) if (!equalPlain(xs[i], ys[i])) return false;
    return true;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  for (const k in ra) if (!equalPlain(ra[k], rb[k])) return false;
  // Keys only b has: equal only where b's value is undefined too (a's keys were compared above).
  for (const k in rb) if (ra[k] === undefined && rb[k] !== undefined) return false;
  return true;
}
