/** Unwinds to the session when `exit` runs; subshells stop it. `message` replaces the location's exit message. */
export class ExitSignal {
  constructor(
    readonly code: number,
    readonly message?: string,
  ) {}
}

/** Thrown when loops ran more iterations than one input may. */
export class StepLimitError extends Error {
  constructor(readonly limit: number) {
    super(`loop limit exceeded: stopped after ${limit} iterations`);
    this.name = "StepLimitError";
  }
}

/** `break N` / `continue N` on its way to the enclosing loop. */
export class LoopSignal {
  constructor(
    readonly kind: "break" | "continue",
    public levels: number,
  ) {}
}
