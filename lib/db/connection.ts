import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import type { SqlConnection } from "./migrate";

/** Where the embedded database keeps its files when DATABASE_URL is unset. */
export const EMBEDDED_DATA_DIR = path.join(process.cwd(), ".data", "pglite");

export function pgliteConnection(db: PGlite): SqlConnection {
  return {
    exec: async (sql) => {
      await db.exec(sql);
    },
    query: async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows,
  };
}

export function pgConnection(client: pg.Client | pg.Pool): SqlConnection {
  return {
    exec: async (sql) => {
      await client.query(sql);
    },
    query: async <T>(sql: string, params?: unknown[]) =>
      (await client.query(sql, params as unknown[] | undefined)).rows as T[],
  };
}

/** A database URL with its password hidden, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "****";
    return u.toString();
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}
