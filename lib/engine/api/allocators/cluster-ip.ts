/**
 * Service ClusterIP allocation from the service CIDR (10.96.0.0/12 by default), as
 * `pkg/registry/core/service/ipallocator` does it: the network and broadcast addresses are
 * never handed out, the first 256 addresses form the static band (10.96.0.1 for `kubernetes`,
 * 10.96.0.10 for kube-dns), and random picks come from the Rng, so a seed replays exactly.
 *
 * @example
 * const ips = new ClusterIPAllocator(new Rng(7));
 * ips.allocate("10.96.0.1");      // the kubernetes Service
 * ips.allocateNext();             // e.g. "10.103.27.190"
 * ips.allocate("10.96.0.1");      // throws AllocationError("provided IP is already allocated")
 */
import type { Rng } from "../../util/rng";
import { formatIPv4, parseCIDRv4, parseIPv4 } from "../validation/strings";
import { OffsetBitmap } from "./bitmap";

/** An allocator refusal, worded as upstream's `ErrAllocated` / `ErrNotInRange` / `ErrFull`. */
export class AllocationError extends Error {}

/** Allocates Service ClusterIPs from the service CIDR. */
export class ClusterIPAllocator {
  /** The CIDR, as printed in range errors. */
  readonly cidr: string;
  private readonly base: number;
  private readonly bitmap: OffsetBitmap;

  constructor(rng: Rng, cidr = "10.96.0.0/12") {
    const parsed = parseCIDRv4(cidr);
    if (!parsed) throw new Error(`invalid service CIDR ${cidr}`);
    this.cidr = cidr;
    // Slot 0 is network+1; network and broadcast are excluded from the range.
    this.base = parsed.base + 1;
    const size = 2 ** (32 - parsed.bits) - 2;
    this.bitmap = new OffsetBitmap(size, OffsetBitmap.offsetFor(2 ** (32 - parsed.bits), 16, 256, 16), rng);
  }

  private slotOf(ip: string): number | undefined {
    const n = parseIPv4(ip);
    if (n === undefined) return undefined;
    const slot = n - this.base;
    return slot >= 0 && slot < this.bitmap.size ? slot : undefined;
  }

  /** Claims a specific address. */
  allocate(ip: string): void {
    const slot = this.slotOf(ip);
    if (slot === undefined) {
      throw new AllocationError(`the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${this.cidr}`);
    }
    if (!this.bitmap.allocate(slot)) throw new AllocationError("provided IP is already allocated");
  }

  /** Picks a free address at random from the dynamic band. */
  allocateNext(): string {
    const slot = this.bitmap.next();
    if (slot === undefined) throw new AllocationError("range is full");
    return formatIPv4(this.base + slot);
  }

  release(ip: string): void {
    const slot = this.slotOf(ip);
    if (slot !== undefined) this.bitmap.release(slot);
  }

  isAllocated(ip: string): boolean {
    const slot = this.slotOf(ip);
    return slot !== undefined && this.bitmap.has(slot);
  }
}
