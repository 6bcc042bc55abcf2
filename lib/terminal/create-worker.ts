import type { WorkerLike } from "./client";

/**
 * The engine's module worker. The `new Worker(new URL(…, import.meta.url))` form is what the
 * bundler recognises to build worker.ts (and the engine) as their own chunk.
 */
export function createEngineWorker(): WorkerLike {
  return new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "netlab-engine" }) as unknown as WorkerLike;
}
