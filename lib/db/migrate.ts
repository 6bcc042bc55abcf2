import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

/** The two things the runner needs from a PostgreSQL connection (PGlite or node-postgres). */
export interface SqlConnection {
  /** Runs one or more statements with no parameters. */
  exec(sql: string): Promise<void>;
  /** Runs one parameterised statement and returns its rows. */
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

export const MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");

// Prisma's own bookkeeping table, column for column, so `prisma migrate status` on a machine
// with the schema engine sees these migrations as applied.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

// Prisma Migrate takes this advisory lock too, so two starters never migrate at once.
const ADVISORY_LOCK_KEY = 72707369;

/**
 * Applies every migration folder under `dir` that is not yet recorded, in name order, each in
 * its own transaction, and records it in `_prisma_migrations` the way Prisma does (checksum =
 * sha256 of migration.sql). Idempotent; refuses to continue past a migration whose file changed
 * after it was applied or that failed half-way, as Prisma does.
 *
 * @example
 * await applyMigrations(pgliteConnection(db));
 */
export async function applyMigrations(conn: SqlConnection, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const folders = (await readdir(/*turbopackIgnore: true*/ dir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  await conn.exec(CREATE_MIGRATIONS_TABLE);
  await conn.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCK_KEY]);
  try {
    const rows = await conn.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
    );
    const done = new Map(rows.filter((r) => r.rolled_back_at === null).map((r) => [r.migration_name, r]));
    const result: MigrationResult = { applied: [], alreadyApplied: [] };
    for (const name of folders) {
      const sql = await readFile(path.join(/*turbopackIgnore: true*/ dir, name, "migration.sql"), "utf8");
      const checksum = createHash("sha256").update(sql).digest("hex");
      const previous = done.get(name);
      if (previous) {
        if (previous.finished_at === null) {
          throw new Error(`migration ${name} failed earlier and was not rolled back; resolve it before starting again`);
        }
        if (previous.checksum !== checksum) {
          throw new Error(`migration ${name} was modified after it was applied (checksum differs)`);
        }
        result.alreadyApplied.push(name);
        continue;
      }
      const id = randomUUID();
      await conn.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`,
        [id, checksum, name],
      );
      await conn.exec(`BEGIN;\n${sql}\nCOMMIT;`).catch(async (err: unknown) => {
        await conn.exec("ROLLBACK").catch(() => undefined);
        const message = err instanceof Error ? err.message : String(err);
        await conn.query(`UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1`, [id, message]);
        throw new Error(`migration ${name} failed: ${message}`);
      });
      await conn.query(
        `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
        [id],
      );
      result.applied.push(name);
    }
    return result;
  } finally {
    await conn.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCK_KEY]);
  }
}
