/**
 * How a host stops a run that takes too long (the grading server's CPU limit). The engine
 * never reads time itself: the host passes a predicate, and the engine asks it at safe points
 * (each timer the cluster fires, every 256 reconciles, every 1,024 shell steps). Once it says
 * yes, {@link InterruptedError} unwinds the whole run; the interruption is sticky, so a
 * catch-all on the way out cannot swallow it for good: the next safe point throws again. The
 * cluster is then abandoned, half way through whatever it was doing.
 *
 * @example
 * const interruption = new Interruption(() => process.cpuUsage().user > limit);
 * interruption.check();      // throws InterruptedError once the predicate said yes
 * interruption.step();       // the same, asking the predicate only every 1,024 steps
 */
export class InterruptedError extends Error {
  constructor() {
    super("interrupted: the run took longer than its host allows");
    this.name = "InterruptedError";
  }
}

/** Steps between two questions to the host from a tight loop. */
const STEPS_PER_CHECK = 1_024;

export class Interruption {
  private tripped = false;
  private steps = 0;

  constructor(private readonly predicate: () => boolean) {}

  /** Asks the host now; throws if it wants the run to stop (or wanted it before). */
  check(): void {
    if (!this.tripped && this.predicate()) this.tripped = true;
    if (this.tripped) throw new InterruptedError();
  }

  /** One step of a loop: asks the host every {@link STEPS_PER_CHECK} steps. */
  step(): void {
    if (this.tripped) throw new InterruptedError();
    if (++this.steps < STEPS_PER_CHECK) return;
    this.steps = 0;
    this.check();
  }

  /** Throws again if the run was interrupted (after code that may have caught the error). */
  rethrow(): void {
    if (this.tripped) throw new InterruptedError();
  }
}
