/**
 * NodePort allocation from `--service-node-port-range` (30000-32767), as upstream's
 * `portallocator`: ports below 30086 form the static band, random picks come from the Rng.
 *
 * @example
 * const ports = new NodePortAllocator(new Rng(7));
 * ports.allocate(30080);
 * ports.allocateNext();      // e.g. 31742
 * ports.allocate(40000);     // throws AllocationError("provided port is not in the valid range. …")
 */
import type { Rng } from "../../util/rng";
import { OffsetBitmap } from "./bitmap";
import { AllocationError } from "./cluster-ip";

/** Allocates NodePorts from the node port range. */
export class NodePortAllocator {
  private readonly bitmap: OffsetBitmap;

  constructor(
    rng: Rng,
    readonly first = 30000,
    readonly last = 32767,
  ) {
    const size = last - first + 1;
    this.bitmap = new OffsetBitmap(size, OffsetBitmap.offsetFor(size, 16, 128, 32), rng);
  }

  /** `net.PortRange.String()`. */
  get range(): string {
    return `${this.first}-${this.last}`;
  }

  allocate(port: number): void {
    if (!Number.isInteger(port) || port < this.first || port > this.last) {
      throw new AllocationError(`provided port is not in the valid range. The range of valid ports is ${this.range}`);
    }
    if (!this.bitmap.allocate(port - this.first)) throw new AllocationError("provided port is already allocated");
  }

  allocateNext(): number {
    const slot = this.bitmap.next();
    if (slot === undefined) throw new AllocationError("range is full");
    return this.first + slot;
  }

  release(port: number): void {
    if (port >= this.first && port <= this.last) this.bitmap.release(port - this.first);
  }

  isAllocated(port: number): boolean {
    return port >= this.first && port <= this.last && this.bitmap.has(port - this.first);
  }
}
