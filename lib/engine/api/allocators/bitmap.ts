/**
 * The allocation strategy shared by upstream's ClusterIP and NodePort allocators
 * (`randomScanStrategyWithOffset`): the low `offset` slots are kept for values users ask for
 * by hand (10.96.0.10 for kube-dns), so random allocation scans the upper band from a random
 * start first and only falls back to the low band when the upper one is full.
 *
 * @example
 * const b = new OffsetBitmap(2768, 86, new Rng(1));
 * b.allocate(0);        // true: slot 0 taken by hand
 * b.next();             // a random free slot ≥ 86
 */
import type { Rng } from "../../util/rng";

/** A sparse allocation map with upstream's offset-band random scan. */
export class OffsetBitmap {
  private readonly used = new Set<number>();

  constructor(
    readonly size: number,
    readonly offset: number,
    private readonly rng: Rng,
  ) {}

  /** `calculateRangeOffset`: min(max(lo, size/step), hi), or 0 for tiny ranges. */
  static offsetFor(size: number, lo: number, hi: number, step: number): number {
    if (size <= lo) return 0;
    return Math.min(Math.max(lo, Math.trunc(size / step)), hi);
  }

  has(slot: number): boolean {
    return this.used.has(slot);
  }

  /** Claims `slot`; false when it is already taken. */
  allocate(slot: number): boolean {
    if (this.used.has(slot)) return false;
    this.used.add(slot);
    return true;
  }

  release(slot: number): void {
    this.used.delete(slot);
  }

  /** A free slot chosen as upstream does, or undefined when the range is full. */
  next(): number | undefined {
    if (this.used.size >= this.size) return undefined;
    const upper = this.size - this.offset;
    if (upper > 0) {
      const start = this.rng.int(upper);
      for (let i = 0; i < upper; i++) {
        const at = this.offset + ((start + i) % upper);
        if (this.allocate(at)) return at;
      }
    }
    if (this.offset > 0) {
      const start = this.rng.int(this.offset);
      for (let i = 0; i < this.offset; i++) {
        const at = (start + i) % this.offset;
        if (this.allocate(at)) return at;
      }
    }
    return undefined;
  }
}
