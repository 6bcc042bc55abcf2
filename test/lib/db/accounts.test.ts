import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clearThrottle, countThrottled, createAccount, EmailTakenError, findCredentials, findLearnerIdentity, findSession,
  insertSession, lockedUntil, mergeGuestInto, openDatabase, supersedeSession, type Database,
} from "@/lib/db";
import { openInOwnSchema } from "./own-schema";

const T0 = new Date("2026-03-01T09:00:00Z");
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

/** The account queries, checked on embedded PGlite and (with TEST_DATABASE_URL) PostgreSQL. */
function suite(label: string, open: () => Promise<Database>) {
  describe(label, () => {
    let db: Database;
    beforeAll(async () => {
      db = await open();
    });
    afterAll(async () => {
      await db?.close();
    });

    const account = (email: string, guestId: string | null = null) =>
      createAccount(db.prisma, { guestId, email, displayName: null, passwordHash: "scrypt$x", role: "learner", now: T0 });

    describe("createAccount", () => {
      it("turns an existing guest row into the account, keeping its id and progress", async () => {
        const guest = await db.prisma.learner.create({ data: { progress: { create: { lessonSlug: "a", status: "STARTED" } } } });
        const id = await account("keep@example.org", guest.id);
        expect(id).toBe(guest.id);
        expect(await findLearnerIdentity(db.prisma, id)).toEqual({ account: { email: "keep@example.org", displayName: null, role: "learner" } });
        expect(await db.prisma.lessonProgress.count({ where: { learnerId: id } })).toBe(1);
      });

      it("creates the row under the guest's id when the guest never wrote anything", async () => {
        const guestId = crypto.randomUUID();
        expect(await account("fresh@example.org", guestId)).toBe(guestId);
      });

      it("never takes over a guest id that already belongs to an account", async () => {
        const taken = await account("first@example.org", crypto.randomUUID());
        const other = await account("second@example.org", taken);
        expect(other).not.toBe(taken);
        expect((await findCredentials(db.prisma, "first@example.org"))?.learnerId).toBe(taken);
      });

      it("refuses an email that is already registered", async () => {
        await account("dup@example.org");
        await expect(account("dup@example.org", crypto.randomUUID())).rejects.toBeInstanceOf(EmailTakenError);
      });
    });

    describe("mergeGuestInto", () => {
      it("moves progress (furthest status, earliest start), attempts and memberships, then deletes the guest", async () => {
        const accountId = await account("merge@example.org");
        const guest = await db.prisma.learner.create({ data: {} });
        const owner = await account("owner@example.org");
        const [c1, c2] = await Promise.all(["c1", "c2"].map((code) =>
          db.prisma.cohort.create({ data: { name: code, joinCode: `${code}-${crypto.randomUUID()}`, ownerId: owner } })));
        await db.prisma.lessonProgress.createMany({ data: [
          // both: the guest got further and started earlier
          { learnerId: guest.id, lessonSlug: "both", status: "COMPLETED", startedAt: minutes(0), completedAt: minutes(30) },
          { learnerId: accountId, lessonSlug: "both", status: "STARTED", startedAt: minutes(60) },
          // both: the account got further, the guest started earlier
          { learnerId: guest.id, lessonSlug: "mixed", status: "STARTED", startedAt: minutes(5) },
          { learnerId: accountId, lessonSlug: "mixed", status: "COMPLETED", startedAt: minutes(50), completedAt: minutes(70) },
          { learnerId: guest.id, lessonSlug: "guest-only", status: "STARTED", startedAt: minutes(10) },
        ] });
        await db.prisma.exerciseAttempt.create({ data: {
          learnerId: guest.id, lessonSlug: "both", exerciseId: "e1", passed: true, outcomes: [], failedChecks: [], scenario: "s", seed: 1,
          transcriptHash: "h", transcriptSize: 1, replayMs: 1,
        } });
        await db.prisma.quizAttempt.create({ data: { learnerId: guest.id, lessonSlug: "both", answers: {}, correct: 3, total: 4, score: 0.75 } });
        await db.prisma.cohortMember.createMany({ data: [
          { cohortId: c1.id, learnerId: guest.id },
          { cohortId: c2.id, learnerId: guest.id },
          { cohortId: c1.id, learnerId: accountId },
        ] });

        expect(await mergeGuestInto(db.prisma, guest.id, accountId)).toBe(true);

        expect(await db.prisma.learner.findUnique({ where: { id: guest.id } })).toBeNull();
        const progress = Object.fromEntries((await db.prisma.lessonProgress.findMany({ where: { learnerId: accountId } }))
          .map((p) => [p.lessonSlug, { status: p.status, startedAt: p.startedAt?.toISOString(), completedAt: p.completedAt?.toISOString() ?? null }]));
        expect(progress).toEqual({
          both: { status: "COMPLETED", startedAt: minutes(0).toISOString(), completedAt: minutes(30).toISOString() },
          mixed: { status: "COMPLETED", startedAt: minutes(5).toISOString(), completedAt: minutes(70).toISOString() },
          "guest-only": { status: "STARTED", startedAt: minutes(10).toISOString(), completedAt: null },
        });
        expect(await db.prisma.exerciseAttempt.count({ where: { learnerId: accountId } })).toBe(1);
        expect(await db.prisma.quizAttempt.count({ where: { learnerId: accountId } })).toBe(1);
        const cohorts = await db.prisma.cohortMember.findMany({ where: { learnerId: accountId }, select: { cohortId: true } });
        expect(cohorts.map((m) => m.cohortId).sort()).toEqual([c1.id, c2.id].sort());
      });

      it("leaves accounts alone: a learner with an email is never merged away", async () => {
        const a = await account("a@merge.example");
        const b = await account("b@merge.example");
        expect(await mergeGuestInto(db.prisma, a, b)).toBe(false);
        expect(await findLearnerIdentity(db.prisma, a)).not.toBeNull();
        expect(await mergeGuestInto(db.prisma, crypto.randomUUID(), b)).toBe(false);
      });

      it("merges a guest once when two sign-ins race", async () => {
        const target = await account("race@example.org");
        const guest = await db.prisma.learner.create({ data: { progress: { create: { lessonSlug: "r", status: "STARTED", startedAt: T0 } } } });
        const results = await Promise.all([mergeGuestInto(db.prisma, guest.id, target), mergeGuestInto(db.prisma, guest.id, target)]);
        expect(results.sort()).toEqual([false, true]);
        expect(await db.prisma.lessonProgress.count({ where: { learnerId: target } })).toBe(1);
      });
    });

    describe("sessions", () => {
      it("supersedes a session once: the old row ends at the grace time, the new one keeps the expiry", async () => {
        const learnerId = await account("rotate@example.org");
        await insertSession(db.prisma, { tokenHash: "old", learnerId, createdAt: T0, rotatedAt: T0, expiresAt: minutes(1000) });
        const old = (await findSession(db.prisma, "old"))!;
        const next = { tokenHash: "new", rotatedAt: minutes(100), graceUntil: minutes(101) };
        const [first, second] = await Promise.all([
          supersedeSession(db.prisma, old, next),
          supersedeSession(db.prisma, old, { ...next, tokenHash: "other" }),
        ]);
        expect([first, second].sort()).toEqual([false, true]);
        expect((await findSession(db.prisma, "old"))?.expiresAt).toEqual(minutes(101));
        const fresh = await findSession(db.prisma, first ? "new" : "other");
        expect(fresh).toMatchObject({ learnerId, createdAt: T0, rotatedAt: minutes(100), expiresAt: minutes(1000) });
        expect(await findSession(db.prisma, first ? "other" : "new")).toBeNull();
      });
    });

    describe("throttle", () => {
      const policy = { limit: 3, windowMs: 10 * 60_000, lockMs: 15 * 60_000 };

      it("locks a key when the limit is reached within the window, until the lock ends", async () => {
        expect(await countThrottled(db.prisma, "k1", minutes(0), policy)).toBeNull();
        expect(await countThrottled(db.prisma, "k1", minutes(1), policy)).toBeNull();
        expect(await lockedUntil(db.prisma, "k1", minutes(2))).toBeNull();
        expect(await countThrottled(db.prisma, "k1", minutes(2), policy)).toEqual(minutes(17));
        expect(await lockedUntil(db.prisma, "k1", minutes(16))).toEqual(minutes(17));
        expect(await lockedUntil(db.prisma, "k1", minutes(17))).toBeNull();
      });

      it("starts counting over when the window has passed", async () => {
        await countThrottled(db.prisma, "k2", minutes(0), policy);
        await countThrottled(db.prisma, "k2", minutes(1), policy);
        expect(await countThrottled(db.prisma, "k2", minutes(11), policy)).toBeNull();
        expect(await countThrottled(db.prisma, "k2", minutes(12), policy)).toBeNull();
        expect(await countThrottled(db.prisma, "k2", minutes(13), policy)).toEqual(minutes(28));
      });

      it("counts concurrent failures without losing any, and forgets a cleared key", async () => {
        await Promise.all(Array.from({ length: 3 }, () => countThrottled(db.prisma, "k3", minutes(0), policy)));
        expect(await lockedUntil(db.prisma, "k3", minutes(1))).toEqual(minutes(15));
        await clearThrottle(db.prisma, "k3");
        expect(await lockedUntil(db.prisma, "k3", minutes(1))).toBeNull();
      });
    });
  });
}

suite("embedded PGlite", () => openDatabase({ dataDir: "memory://" }));

const pgUrl = process.env.TEST_DATABASE_URL;
if (pgUrl) {
  suite("PostgreSQL (TEST_DATABASE_URL)", () => openInOwnSchema(pgUrl, "netlab_test_accounts"));
} else {
  describe("PostgreSQL", () => {
    it.skip("set TEST_DATABASE_URL to run the account queries against a real PostgreSQL server", () => {});
  });
}
