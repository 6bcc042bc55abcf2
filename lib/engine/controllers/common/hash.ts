/**
 * `controller.ComputeHash`: the `pod-template-hash` of a Deployment's ReplicaSets and the
 * `controller-revision-hash` of DaemonSet pods. Upstream hashes the Go struct with FNV-32a
 * through `hashutil.DeepHashObject` (a spew dump, which only Go can reproduce); here FNV-32a
 * runs over canonical JSON (sorted keys) instead, so hashes are stable and shaped like
 * upstream's (`rand.SafeEncodeString` of the decimal sum: `7d4b9c8f5`) but not equal to a
 * real cluster's for the same template.
 *
 * @example
 * computeHash(deployment.spec.template);    // "5d59d67564"
 * computeHash(deployment.spec.template, 1); // another hash after a collision
 */

/** `rand.SafeEncodeString`'s alphabet: no vowels, no confusable characters. */
const ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

/** JSON with object keys sorted, so equal templates hash equally whatever their key order. */
function canonicalJSON(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJSON).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJSON(v)}`).join(",")}}`;
}

/** FNV-32a over bytes. */
function fnv32a(bytes: Iterable<number>, seed = 0x811c9dc5): number {
  let h = seed;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function utf8(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

/** `rand.SafeEncodeString`: each byte mapped onto the alphabet. */
function safeEncodeString(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) out += ALPHANUMS[s.charCodeAt(i) % ALPHANUMS.length];
  return out;
}

// A stored template is frozen, so its hash never changes: every sync of its owner reuses it.
const templateHashes = new WeakMap<object, number>();

function templateHash(template: unknown): number {
  const frozen = template !== null && typeof template === "object" && Object.isFrozen(template);
  const known = frozen ? templateHashes.get(template) : undefined;
  if (known !== undefined) return known;
  const h = fnv32a(utf8(canonicalJSON(template)));
  if (frozen) templateHashes.set(template, h);
  return h;
}

/** The template's hash; a collision count, when set, is mixed in as 8 little-endian bytes. */
export function computeHash(template: unknown, collisionCount?: number): string {
  let h = templateHash(template);
  if (collisionCount !== undefined) {
    const n = collisionCount >>> 0;
    h = fnv32a([n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255, 0, 0, 0, 0], h);
  }
  return safeEncodeString(String(h));
}
