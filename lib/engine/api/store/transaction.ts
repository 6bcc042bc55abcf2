/**
 * The context one write runs in: what strategies may read and allocate, plus the undo steps
 * (release an allocated IP) and deferred steps (release what an update dropped) that make a
 * failed or dry-run write leave no trace.
 *
 * @example
 * const txn = new Transaction(deps, false);
 * try { strategy.prepareForCreate(obj, txn); txn.finish(true); } catch (e) { txn.finish(false); throw e; }
 */
import type { VirtualClock } from "../../util/clock";
import type { Rng } from "../../util/rng";
import type { ClusterIPAllocator } from "../allocators/cluster-ip";
import type { NodePortAllocator } from "../allocators/node-port";
import type { AdmissionOptions, StoreReader, StrategyContext } from "../kinds/strategy";

/** What every transaction shares with the store. */
export interface TransactionDeps {
  readonly reader: StoreReader;
  readonly clock: VirtualClock;
  readonly rng: Rng;
  readonly clusterIPs: ClusterIPAllocator;
  readonly nodePorts: NodePortAllocator;
  readonly admission: AdmissionOptions;
}

/** One write's strategy context, with undo and on-commit steps. */
export class Transaction implements StrategyContext {
  private readonly undo: (() => void)[] = [];
  private readonly deferred: (() => void)[] = [];
  readonly reader: StoreReader;
  readonly clock: VirtualClock;
  readonly rng: Rng;
  readonly clusterIPs: ClusterIPAllocator;
  readonly nodePorts: NodePortAllocator;
  readonly admission: AdmissionOptions;

  constructor(
    deps: TransactionDeps,
    readonly dryRun: boolean,
  ) {
    ({ reader: this.reader, clock: this.clock, rng: this.rng, clusterIPs: this.clusterIPs } = deps);
    this.nodePorts = deps.nodePorts;
    this.admission = deps.admission;
  }

  onRollback(undo: () => void): void {
    this.undo.push(undo);
  }

  onCommit(action: () => void): void {
    this.deferred.push(action);
  }

  /** Commits (running deferred steps) or rolls back; a dry run always rolls back. */
  finish(committed: boolean): void {
    if (committed && !this.dryRun) {
      for (const action of this.deferred) action();
    } else {
      for (const undo of this.undo.reverse()) undo();
    }
  }
}
