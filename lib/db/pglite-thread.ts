/**
 * The embedded PGlite database on a worker thread of its own (pglite-worker.ts), and a Prisma
 * driver adapter that forwards every query to it over the worker's MessagePort.
 *
 * Why: PGlite is PostgreSQL compiled to WebAssembly and runs on the thread that calls it. In
 * process, every statement of every request ran on the server's event loop (5.7–9 ms of CPU per
 * Check, and the loop stalled while it ran); on a thread of its own it runs beside the loop, which
 * only pays for a structured clone of the query and its rows.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { IsolationLevel, SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, SqlResultSet, Transaction } from "@prisma/driver-adapter-utils";
import { DatabaseUnavailableError } from "./errors";

export interface PGliteWorkerInit {
  dataDir: string;
  migrationsDir: string;
}

/** What the worker says once, after opening and migrating the database. */
export type PGliteWorkerStatus = { ready: true } | { failed: { stage: "open" | "migrate"; message: string; code?: string } };

type Request =
  | { op: "query" | "execute"; tx?: number; query: SqlQuery }
  | { op: "script"; script: string }
  | { op: "begin"; isolationLevel?: IsolationLevel }
  | { op: "commit" | "rollback"; tx: number }
  | { op: "close" };
export type PGliteRequest = Request & { id: number };
export type PGliteReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { name: string; message: string; cause?: unknown } };

const ADAPTER_NAME = "pglite-prisma-adapter (worker thread)";

/** An embedded database opened on its worker thread: a driver adapter for Prisma, and its end. */
export interface PGliteThread {
  adapter: SqlDriverAdapterFactory;
  close(): Promise<void>;
}

/**
 * Starts the worker, which opens `dataDir` and applies the migrations in `migrationsDir`;
 * resolves once it is ready. An unusable folder rejects with DatabaseUnavailableError, a failed
 * migration with its own message (as in process).
 */
export async function openPGliteThread(init: PGliteWorkerInit): Promise<PGliteThread> {
  const worker = startPGliteWorker(init);
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let dead: Error | null = null;

  await new Promise<void>((resolve, reject) => {
    const settle = (error?: Error) => {
      worker.off("message", onStatus).off("error", onError).off("exit", onExit);
      if (error) reject(error);
      else resolve();
    };
    const onStatus = (status: PGliteWorkerStatus) => {
      if ("ready" in status) return settle();
      const { stage, message, code } = status.failed;
      settle(stage === "open" ? new DatabaseUnavailableError(init.dataDir, Object.assign(new Error(message), { code })) : new Error(message));
      void worker.terminate();
    };
    const onError = (error: Error) => settle(new DatabaseUnavailableError(init.dataDir, error));
    const onExit = (code: number) => settle(new DatabaseUnavailableError(init.dataDir, new Error(`the database thread exited (${code})`)));
    worker.on("message", onStatus).on("error", onError).on("exit", onExit);
  });

  // Nothing here keeps the process alive but a request in flight (a script that has finished
  // with the database need not close it to exit; a server lives by its listening socket).
  worker.unref();
  const settleAll = (error: Error) => {
    dead = error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  worker.on("message", (reply: PGliteReply) => {
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    if (reply.ok) waiting.resolve(reply.value);
    else waiting.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name, ...(reply.error.cause ? { cause: reply.error.cause } : {}) }));
  });
  worker.on("error", (error) => settleAll(new Error(`the embedded database's thread failed: ${error.message}`)));
  worker.on("exit", (code) => settleAll(new Error(`the embedded database's thread exited (${code})`)));

  const call = <T>(request: Request): Promise<T> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    if (pending.size === 0) worker.ref();
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...request, id });
    });
  };

  const queryable = (tx?: number) => ({
    provider: "postgres" as const,
    adapterName: ADAPTER_NAME,
    queryRaw: (query: SqlQuery) => call<SqlResultSet>({ op: "query", tx, query }),
    executeRaw: (query: SqlQuery) => call<number>({ op: "execute", tx, query }),
  });
  const adapter: SqlDriverAdapter = {
    ...queryable(),
    executeScript: (script) => call<void>({ op: "script", script }),
    startTransaction: async (isolationLevel): Promise<Transaction> => {
      const tx = await call<number>({ op: "begin", isolationLevel });
      return {
        ...queryable(tx),
        // As pglite-prisma-adapter's transactions: PGlite's transaction() sends BEGIN and COMMIT.
        options: { usePhantomQuery: true },
        commit: () => call<void>({ op: "commit", tx }),
        rollback: () => call<void>({ op: "rollback", tx }),
      };
    },
    getConnectionInfo: () => ({ supportsRelationJoins: true }),
    dispose: async () => undefined,
  };
  return {
    adapter: { provider: "postgres", adapterName: ADAPTER_NAME, connect: async () => adapter },
    close: async () => {
      if (!dead) await call<void>({ op: "close" });
      dead ??= new Error("the embedded database is closed");
      await worker.terminate();
    },
  };
}

/**
 * In the server Next built, `new Worker(new URL(…))` is compiled into a worker chunk of its own.
 * Run from source (vitest, tsx scripts), the worker loads its TypeScript through tsx (as the
 * grading pool's replay worker does).
 */
function startPGliteWorker(workerData: PGliteWorkerInit): Worker {
  if (process.env.NEXT_RUNTIME) return new Worker(new URL("./pglite-worker.ts", import.meta.url), { workerData });
  const entry = JSON.stringify(path.join(path.dirname(fileURLToPath(import.meta.url)), "pglite-worker.ts"));
  return new Worker(`require("tsx/cjs/api").require(${entry}, ${entry});`, { eval: true, workerData });
}
