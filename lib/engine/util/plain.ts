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
 * the same keys in the same order, so the copy's bytes are exactly `value`'s. Nothing is
 * allocated for a part that turns out to be `prev`'s: a status write walks the spec, and keeps it.
 */
export function cloneSharing<T>(value: T, prev?: unknown): T {
  if (value === prev || value === null || typeof value !== "object" || Object.isFrozen(value)) return value;
  const before = prev !== null && typeof prev === "object" && Object.isFrozen(prev) ? (prev as Record<string, unknown>) : undefined;
  if (Array.isArray(value)) {
    const was = Array.isArray(before) ? (before as unknown[]) : undefined;
    if (was === undefined || was.length !== value.length) return value.map((v, i) => cloneSharing(v, was?.[i])) as T;
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const part = cloneSharing(value[i], was[i]);
      if (out === undefined && part !== was[i]) out = was.slice(0, i);
      if (out !== undefined) out.push(part);
    }
    return (out ?? was) as T;
  }
  const record = value as Record<string, unknown>;
  if (before === undefined || Array.isArray(before)) {
    const out: Record<string, unknown> = {};
    for (const k in record) {
      const v = record[k];
      if (v !== undefined) out[k] = cloneSharing(v);
    }
    return out as T;
  }
  // `before`'s own object while every key so far came in its order with its part; a copy from
  // the first difference on.
  const names = Object.keys(before);
  let out: Record<string, unknown> | undefined;
  let at = 0;
  for (const k in record) {
    const v = record[k];
    if (v === undefined) continue;
    const was = before[k];
    const part = cloneSharing(v, was);
    if (out === undefined && (names[at] !== k || part !== was)) {
      out = {};
      for (let i = 0; i < at; i++) out[names[i]] = before[names[i]];
    }
    if (out !== undefined) out[k] = part;
    at++;
  }
  if (out === undefined && at !== names.length) {
    out = {};
    for (let i = 0; i < at; i++) out[names[i]] = before[names[i]];
  }
  return (out ?? before) as T;
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
