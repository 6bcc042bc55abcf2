/**
 * A seeded pseudo-random generator (mulberry32 over a 32-bit state). Every choice the engine
 * makes that a real cluster makes at random (pod name suffixes, IPs, uids, tokens) draws from
 * one of these, so a seed reproduces a cluster exactly.
 *
 * @example
 * const rng = new Rng(7);
 * rng.int(10);         // 0..9
 * rng.alnum(5);        // "x7k2q" (kubernetes' name-suffix alphabet)
 */
const HEX_CODES = Array.from("0123456789abcdef", (c) => c.charCodeAt(0));

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Characters from apimachinery's rand.String alphabet (no vowels, no confusable digits). */
  alnum(length: number): string {
    const alphabet = "bcdfghjklmnpqrstvwxz2456789";
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }

  /** Lowercase hex digits. */
  hex(length: number): string {
    const codes = new Array<number>(length);
    for (let i = 0; i < length; i++) codes[i] = HEX_CODES[this.int(16)];
    return String.fromCharCode(...codes);
  }

  /** A version-4-shaped UUID drawn from this generator. */
  uuid(): string {
    const h = this.hex(32);
    const variant = "89ab"[this.int(4)];
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20)}`;
  }

  /** An independent generator derived from this one, for a subsystem that must not perturb others. */
  fork(): Rng {
    return new Rng(this.int(0x7fffffff));
  }
}
