import { VirtualClock } from "../util/clock";
import type { Cluster } from "./cluster";

/**
 * The clock a shell sees. Moving it (a learner's pause, `sleep 5`) moves the cluster's time
 * through `Cluster.advance`, so the timers due on the way fire in order.
 */
export class ClusterClock extends VirtualClock {
  constructor(private readonly cluster: Cluster) {
    super(cluster.clock.now());
  }

  override now(): number {
    return this.cluster.clock.now();
  }

  override advance(ms: number): void {
    if (Number.isFinite(ms) && ms > 0) this.cluster.advance(ms);
  }

  override advanceTo(epochMs: number): void {
    this.cluster.advanceTo(epochMs);
  }

  override rfc3339(ms: number = this.now()): string {
    return this.cluster.clock.rfc3339(ms);
  }
}
