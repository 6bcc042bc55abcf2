import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, DatabaseUnavailableError, lessonStatuses, markLessonStarted, openDatabase, type Database } from "@/lib/db";
import { pgliteConnection } from "@/lib/db/connection";

const LEARNER = "5b0a1e64-7c1f-4c0e-9a51-0f5d1c2b3a4e";

/** The same behaviour, checked against embedded PGlite and (when TEST_DATABASE_URL is set) PostgreSQL. */
function suite(label: string, open: () => Promise<Database>) {
  describe(label, () => {
    let db: Database;
    beforeAll(async () => {
      db = await open();
    });
    afterAll(async () => {
      await db?.close();
    });

    it("records the migrations the way Prisma does", async () => {
      const rows = await db.prisma.$queryRawUnsafe<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }[]>(
        `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
      );
      expect(rows.map((r) => r.migration_name)).toContain("20261121000000_learners_and_progress");
      for (const r of rows) {
        expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
        expect(r.finished_at).not.toBeNull();
        expect(r.applied_steps_count).toBe(1);
      }
    });

    it("serves every model through the generated client", async () => {
      const learner = await db.prisma.learner.create({ data: {} });
      expect(learner.id).toMatch(/^[0-9a-f-]{36}$/);
      const progress = await db.prisma.lessonProgress.create({ data: { learnerId: learner.id, lessonSlug: "x" } });
      expect(progress.status).toBe("NOT_STARTED");
      await db.prisma.learner.delete({ where: { id: learner.id } });
      expect(await db.prisma.lessonProgress.count({ where: { learnerId: learner.id } })).toBe(0);
    });

    it("marks a lesson started once and keeps the first start time", async () => {
      expect(await lessonStatuses(db.prisma, LEARNER)).toEqual({});
      const first = new Date("2026-01-01T10:00:00Z");
      await markLessonStarted(db.prisma, LEARNER, "network-namespaces", first);
      await markLessonStarted(db.prisma, LEARNER, "network-namespaces", new Date("2026-01-02T10:00:00Z"));
      expect(await lessonStatuses(db.prisma, LEARNER)).toEqual({ "network-namespaces": "started" });
      const row = await db.prisma.lessonProgress.findUniqueOrThrow({
        where: { learnerId_lessonSlug: { learnerId: LEARNER, lessonSlug: "network-namespaces" } },
      });
      expect(row.startedAt?.toISOString()).toBe(first.toISOString());
    });

    it("does not demote a completed lesson", async () => {
      await db.prisma.lessonProgress.update({
        where: { learnerId_lessonSlug: { learnerId: LEARNER, lessonSlug: "network-namespaces" } },
        data: { status: "COMPLETED", completedAt: new Date() },
      });
      await markLessonStarted(db.prisma, LEARNER, "network-namespaces");
      expect(await lessonStatuses(db.prisma, LEARNER)).toEqual({ "network-namespaces": "completed" });
    });
  });
}

suite("embedded PGlite", () => openDatabase({ dataDir: "memory://" }));

const pgUrl = process.env.TEST_DATABASE_URL;
if (pgUrl) {
  suite("PostgreSQL (TEST_DATABASE_URL)", async () => {
    // TEST_DATABASE_URL names a database that belongs to the tests: start it empty each run.
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
    await admin.end();
    return openDatabase({ url: pgUrl });
  });
} else {
  describe("PostgreSQL", () => {
    it.skip("set TEST_DATABASE_URL to run the database suite against a real PostgreSQL server", () => {});
  });
}

describe("migration runner", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "netlab-migrations-"));
    await mkdir(path.join(dir, "001_a"));
    await writeFile(path.join(dir, "001_a", "migration.sql"), 'CREATE TABLE "a" ("id" INT PRIMARY KEY);');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("is idempotent", async () => {
    const db = new PGlite();
    const conn = pgliteConnection(db);
    expect(await applyMigrations(conn, dir)).toEqual({ applied: ["001_a"], alreadyApplied: [] });
    expect(await applyMigrations(conn, dir)).toEqual({ applied: [], alreadyApplied: ["001_a"] });
    await db.close();
  });

  it("refuses a migration edited after it was applied", async () => {
    const db = new PGlite();
    const conn = pgliteConnection(db);
    await applyMigrations(conn, dir);
    await writeFile(path.join(dir, "001_a", "migration.sql"), 'CREATE TABLE "a" ("id" BIGINT PRIMARY KEY);');
    await expect(applyMigrations(conn, dir)).rejects.toThrow("migration 001_a was modified after it was applied");
    await db.close();
  });

  it("rolls back a failing migration and records its error", async () => {
    await mkdir(path.join(dir, "002_bad"));
    await writeFile(path.join(dir, "002_bad", "migration.sql"), 'CREATE TABLE "b" ("id" INT);\nSELECT * FROM "missing";');
    await writeFile(path.join(dir, "001_a", "migration.sql"), 'CREATE TABLE "a" ("id" INT PRIMARY KEY);');
    const db = new PGlite();
    const conn = pgliteConnection(db);
    await expect(applyMigrations(conn, dir)).rejects.toThrow(/migration 002_bad failed: relation "missing" does not exist/);
    const tables = await conn.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'b'`);
    expect(tables[0].n).toBe(0);
    const logs = await conn.query<{ logs: string }>(`SELECT logs FROM "_prisma_migrations" WHERE migration_name = '002_bad'`);
    expect(logs[0].logs).toContain("missing");
    await expect(applyMigrations(conn, dir)).rejects.toThrow("migration 002_bad failed earlier");
    await db.close();
  });
});

describe("an embedded database on its thread", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ dataDir: "memory://" });
  });
  afterAll(() => db.close());

  it("reports a folder it cannot use in one line naming the folder", async () => {
    const err = await openDatabase({ dataDir: "/dev/null/netlab" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseUnavailableError);
    expect((err as Error).message).toMatch(/^netlab: cannot use the database at \/dev\/null\/netlab: [^\n]*ENOTDIR/);
  });

  it("answers Prisma's errors as Prisma's errors, and goes on serving after them", async () => {
    const id = crypto.randomUUID();
    await db.prisma.learner.create({ data: { id, email: "twice@example.org" } });
    await expect(db.prisma.learner.create({ data: { email: "twice@example.org" } })).rejects.toMatchObject({ code: "P2002" });
    await expect(db.prisma.$transaction(async (tx) => {
      await tx.learner.update({ where: { id }, data: { displayName: "rolled back" } });
      throw new Error("abandon");
    })).rejects.toThrow("abandon");
    expect(await db.prisma.learner.findUnique({ where: { id }, select: { displayName: true } })).toEqual({ displayName: null });
  });
});

describe("an unreachable database", () => {
  it("gives one clear line", async () => {
    const err = await openDatabase({ url: "postgresql://netlab:secret@127.0.0.1:1/netlab" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseUnavailableError);
    const message = (err as Error).message;
    expect(message).not.toContain("\n");
    expect(message).not.toContain("secret");
    expect(message).toMatch(/^netlab: cannot use the database at postgresql:\/\/netlab:\*\*\*\*@127\.0\.0\.1:1\/netlab: .*ECONNREFUSED/);
  });
});
