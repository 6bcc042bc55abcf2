import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { EMBEDDED_DATA_DIR, pgConnection, redactUrl } from "./connection";
import { DatabaseUnavailableError } from "./errors";
import { PrismaClient } from "./generated/client";
import { applyMigrations, MIGRATIONS_DIR } from "./migrate";
import { openPGliteThread } from "./pglite-thread";

export interface Database {
  prisma: PrismaClient;
  /** What the database is, for logs: a redacted URL or the embedded folder. */
  target: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** A postgres:// URL; when absent, the embedded PGlite database is used. */
  url?: string;
  /** The embedded database's folder; `memory://` keeps it in memory (tests). */
  dataDir?: string;
  migrationsDir?: string;
}

/**
 * Opens the database, applies pending migrations and returns a Prisma client on it.
 *
 * @example
 * const db = await openDatabase({ dataDir: "memory://" });
 * await db.prisma.learner.create({ data: {} });
 */
export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
  return options.url ? openPostgres(options.url, options) : openEmbedded(options.dataDir ?? EMBEDDED_DATA_DIR, options);
}

async function openEmbedded(dataDir: string, options: OpenOptions): Promise<Database> {
  // PGlite runs on a thread of its own, off the event loop that serves requests (pglite-thread.ts).
  const thread = await openPGliteThread({ dataDir, migrationsDir: options.migrationsDir ?? MIGRATIONS_DIR });
  const prisma = new PrismaClient({ adapter: thread.adapter });
  return {
    prisma,
    target: dataDir,
    close: async () => {
      await prisma.$disconnect();
      await thread.close();
    },
  };
}

async function openPostgres(url: string, options: OpenOptions): Promise<Database> {
  const target = redactUrl(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw new DatabaseUnavailableError(target, err);
  }
  try {
    await applyMigrations(pgConnection(client), options.migrationsDir ?? MIGRATIONS_DIR);
  } finally {
    await client.end();
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }) });
  return { prisma, target, close: () => prisma.$disconnect() };
}

// One database per server process, shared by every module graph Next builds (instrumentation,
// route handlers, pages) and surviving hot reloads in development.
const GLOBAL_KEY = Symbol.for("netlab.database");
type Holder = { [GLOBAL_KEY]?: Promise<Database> };

/** The process's database, opened (and migrated) on first use from DATABASE_URL. */
export function getDatabase(): Promise<Database> {
  const holder = globalThis as Holder;
  if (!holder[GLOBAL_KEY]) {
    holder[GLOBAL_KEY] = openDatabase({ url: process.env.DATABASE_URL || undefined, dataDir: process.env.NETLAB_DATA_DIR || undefined });
    // A failed open is not cached: the next request tries again (the server may come back).
    holder[GLOBAL_KEY].catch(() => {
      delete holder[GLOBAL_KEY];
    });
  }
  return holder[GLOBAL_KEY];
}

/** Shorthand for the Prisma client of the process's database. */
export async function getPrisma(): Promise<PrismaClient> {
  return (await getDatabase()).prisma;
}
