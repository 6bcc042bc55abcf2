/**
 * A worker thread that owns the embedded PGlite database, so its WebAssembly runs beside the
 * server's event loop instead of on it (pglite-thread.ts is the other end). Started with
 * `{ dataDir, migrationsDir }` as its `workerData`: it opens the database, applies the
 * migrations, posts `{ ready: true }` (or `{ failed }`), then answers each request with
 * pglite-prisma-adapter's own result, so Prisma sees what it would see in process.
 */
import { mkdir } from "node:fs/promises";
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { SqlDriverAdapter, Transaction } from "@prisma/driver-adapter-utils";
import { pgliteConnection } from "./connection";
import { applyMigrations } from "./migrate";
import type { PGliteReply, PGliteRequest, PGliteWorkerInit, PGliteWorkerStatus } from "./pglite-thread";

const port = parentPort;
if (!port) throw new Error("pglite-worker.ts runs as a worker thread (see pglite-thread.ts)");
const { dataDir, migrationsDir } = workerData as PGliteWorkerInit;

async function open(): Promise<{ db: PGlite; adapter: SqlDriverAdapter } | null> {
  let db: PGlite;
  try {
    if (!dataDir.includes("://")) await mkdir(dataDir, { recursive: true });
    db = new PGlite(dataDir);
    await db.waitReady;
  } catch (error) {
    post({ failed: { stage: "open", message: messageOf(error), code: (error as { code?: string }).code } });
    return null;
  }
  try {
    await applyMigrations(pgliteConnection(db), migrationsDir);
  } catch (error) {
    post({ failed: { stage: "migrate", message: messageOf(error) } });
    return null;
  }
  return { db, adapter: await new PrismaPGlite(db).connect() };
}

function post(message: PGliteWorkerStatus | PGliteReply): void {
  port!.postMessage(message);
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

void open().then((opened) => {
  if (!opened) return;
  const { db, adapter } = opened;
  const transactions = new Map<number, Transaction>();
  let nextTransaction = 1;
  const queryable = (tx: number | undefined) => {
    if (tx === undefined) return adapter;
    const transaction = transactions.get(tx);
    if (!transaction) throw new Error(`no open transaction ${tx}`);
    return transaction;
  };
  const perform = async (request: PGliteRequest): Promise<unknown> => {
    switch (request.op) {
      case "query":
        return queryable(request.tx).queryRaw(request.query);
      case "execute":
        return queryable(request.tx).executeRaw(request.query);
      case "script":
        return adapter.executeScript(request.script);
      case "begin": {
        const id = nextTransaction++;
        transactions.set(id, await adapter.startTransaction(request.isolationLevel));
        return id;
      }
      case "commit":
      case "rollback": {
        const transaction = queryable(request.tx);
        transactions.delete(request.tx);
        return request.op === "commit" ? (transaction as Transaction).commit() : (transaction as Transaction).rollback();
      }
      case "close":
        await db.close();
        return undefined;
    }
  };
  port.on("message", async (request: PGliteRequest) => {
    try {
      const value = await perform(request);
      post({ id: request.id, ok: true, value });
    } catch (error) {
      // Prisma recognises a driver's error by its name and `cause` (a plain object): both cross.
      const { name, message, cause } = error as { name?: string; message?: string; cause?: unknown };
      post({ id: request.id, ok: false, error: { name: name ?? "Error", message: message ?? String(error), cause: name === "DriverAdapterError" ? cause : undefined } });
    }
  });
  post({ ready: true });
});
