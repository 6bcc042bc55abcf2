/**
 * Helpers for plain JSON-shaped data (what API objects are): deep copy, deep freeze and
 * structural equality. `structuredClone` is not in the engine's ES-only lib, and objects here
 * never hold functions, dates or cycles, so a small recursive walk is both enough and fast.
 *
 * @example
 * const copy = clonePlain({ a: [1, { b: 2 }] });
 * equalPlain(copy, { a: [1, { b: 2 }] }); // true
 * freezeDeep(copy);                       // copy.a.push(3) now throws in strict mode
 */
export function clonePlain<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => clonePlain(v)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
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
    const out = value.map((v, i) => cloneSharing(v, Array.isArray(before) ? before[i] : undefined));
    return (Array.isArray(before) && before.length === out.length && out.every((v, i) => v === before[i]) ? before : out) as T;
  }
  const out: Record<string, unknown> = {};
  let same = before !== undefined && !Array.isArray(before);
  const names = before ? Object.keys(before) : [];
  let at = 0;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    out[k] = cloneSharing(v, before?.[k]);
    if (same && (names[at++] !== k || out[k] !== before![k])) same = false;
  }
  return (same && at === names.length ? before : out) as T;
}

/** Freezes `value` and everything reachable from it; returns it for chaining. */
export function freezeDeep<T>(value: T): T {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const v of Object.values(value as Record<string, unknown>)) freezeDeep(v);
  return value;
}

/**
 * Structural equality where a missing key equals an `undefined` one, as Go's
 * `apiequality.Semantic.DeepEqual` treats nil and absent fields after decoding.
 */
export function equalPlain(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => equalPlain(v, b[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const k of keys) if (!equalPlain(ra[k], rb[k])) return false;
  return true;
}
