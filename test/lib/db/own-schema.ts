import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { Database } from "@/lib/db";
import { applyMigrations } from "@/lib/db";
import { pgConnection } from "@/lib/db/connection";
import { PrismaClient } from "@/lib/db/generated/client";
import { MIGRATIONS_DIR } from "@/lib/db/migrate";

/**
 * A freshly migrated schema of its own in the test database (TEST_DATABASE_URL), so a test file
 * can run beside other files that reset `public` there. Unqualified SQL resolves through
 * search_path to it too.
 */
export async function openInOwnSchema(url: string, schema: string): Promise<Database> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}; SET search_path TO ${schema}`);
    await applyMigrations(pgConnection(admin), MIGRATIONS_DIR);
  } finally {
    await admin.end();
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, options: `-c search_path=${schema}`, max: 10 }, { schema }) });
  return { prisma, target: `${url} (${schema})`, close: () => prisma.$disconnect() };
}
