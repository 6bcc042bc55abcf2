import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exerciseStatuses, lessonStatuses, openDatabase, recordExerciseAttempt, recordQuizAttempt, type Database, type NewExerciseAttempt } from "@/lib/db";
import { openInOwnSchema } from "./own-schema";

const T0 = new Date("2026-03-01T09:00:00Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const LESSON = { exerciseIds: ["one", "two"], hasQuiz: false };

function attempt(learnerId: string, exerciseId: string, passed: boolean, over: Partial<NewExerciseAttempt> = {}): NewExerciseAttempt {
  const outcomes = [{ description: "the thing exists", passed }, ...(passed ? [] : [{ description: "the other thing holds", passed: false, detail: "found 0" }])];
  return {
    learnerId, lessonSlug: "lesson", exerciseId, passed, outcomes, failedChecks: outcomes.filter((o) => !o.passed).map((o) => o.description),
    scenario: "single-node", seed: 1, transcriptHash: "ab".repeat(32), transcriptSize: 120, replayMs: 80, ...over,
  };
}

/** The attempt queries, checked on embedded PGlite and (with TEST_DATABASE_URL) PostgreSQL. */
function suite(label: string, open: () => Promise<Database>) {
  describe(label, () => {
    let db: Database;
    beforeAll(async () => {
      db = await open();
    });
    afterAll(async () => {
      await db?.close();
    });

    it("stores an attempt for a guest it has never seen, and completes the lesson with its last exercise", async () => {
      const learner = crypto.randomUUID();
      expect(await recordExerciseAttempt(db.prisma, attempt(learner, "one", false), LESSON, at(0))).toMatchObject({ lessonCompleted: false });
      expect(await recordExerciseAttempt(db.prisma, attempt(learner, "one", true), LESSON, at(1))).toMatchObject({ lessonCompleted: false });
      const last = await recordExerciseAttempt(db.prisma, attempt(learner, "two", true), LESSON, at(2));
      expect(last.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(last.lessonCompleted).toBe(true);
      expect(await lessonStatuses(db.prisma, learner)).toEqual({ lesson: "completed" });
      const row = await db.prisma.exerciseAttempt.findUniqueOrThrow({ where: { id: last.id } });
      expect(row).toMatchObject({ learnerId: learner, exerciseId: "two", passed: true, failedChecks: [], outcomes: [{ description: "the thing exists", passed: true }], createdAt: at(2) });
    });

    it("writes nothing when any part of the attempt fails", async () => {
      const learner = crypto.randomUUID();
      // A seed beyond a 32-bit integer: the insert fails after the learner's row was written.
      await expect(recordExerciseAttempt(db.prisma, attempt(learner, "one", true, { seed: 2 ** 40 }), LESSON)).rejects.toThrow();
      expect(await db.prisma.learner.count({ where: { id: learner } })).toBe(0);
      expect(await db.prisma.exerciseAttempt.count({ where: { learnerId: learner } })).toBe(0);
    });

    it("stores every one of many Checks at once, each whole", async () => {
      const learner = crypto.randomUUID();
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => recordExerciseAttempt(db.prisma, attempt(learner, i % 2 ? "one" : "two", i % 3 === 0), LESSON)));
      expect(new Set(results.map((r) => r.id)).size).toBe(12);
      const rows = await db.prisma.exerciseAttempt.findMany({ where: { learnerId: learner } });
      expect(rows).toHaveLength(12);
      for (const row of rows) expect(row.failedChecks).toEqual((row.outcomes as { description: string; passed: boolean }[]).filter((o) => !o.passed).map((o) => o.description));
    });

    it("completes a lesson with a quiz only once the best quiz score reaches 70%, and keeps it completed", async () => {
      const withQuiz = { exerciseIds: ["one", "two", "two"], hasQuiz: true };
      const learner = crypto.randomUUID();
      await recordExerciseAttempt(db.prisma, attempt(learner, "one", true), withQuiz, at(0));
      await recordQuizAttempt(db.prisma, { learnerId: learner, lessonSlug: "lesson", answers: {}, correct: 6, total: 10, score: 0.6 }, withQuiz, at(1));
      expect(await recordExerciseAttempt(db.prisma, attempt(learner, "two", true), withQuiz, at(2))).toMatchObject({ lessonCompleted: false });
      await recordQuizAttempt(db.prisma, { learnerId: learner, lessonSlug: "lesson", answers: {}, correct: 7, total: 10, score: 0.7 }, { exerciseIds: ["one", "two", "three"], hasQuiz: true }, at(3));
      expect(await lessonStatuses(db.prisma, learner)).toEqual({});
      // The quiz passed before the last exercise: that exercise's pass completes the lesson.
      expect(await recordExerciseAttempt(db.prisma, attempt(learner, "two", true), withQuiz, at(4))).toMatchObject({ lessonCompleted: true });
      // A later failure neither undoes it nor moves its time.
      expect(await recordExerciseAttempt(db.prisma, attempt(learner, "one", false), withQuiz, at(5))).toMatchObject({ lessonCompleted: true });
      expect(await recordExerciseAttempt(db.prisma, attempt(learner, "two", true), withQuiz, at(6))).toMatchObject({ lessonCompleted: true });
      const progress = await db.prisma.lessonProgress.findUniqueOrThrow({ where: { learnerId_lessonSlug: { learnerId: learner, lessonSlug: "lesson" } } });
      expect(progress).toMatchObject({ status: "COMPLETED", completedAt: at(4) });
    });

    it("never completes a lesson on a failed attempt, an exercise the lesson does not ask for, or a lesson that asks nothing", async () => {
      const learner = crypto.randomUUID();
      await recordExerciseAttempt(db.prisma, attempt(learner, "one", true), LESSON, at(0));
      expect(await recordExerciseAttempt(db.prisma, attempt(learner, "two", false), LESSON, at(1))).toMatchObject({ lessonCompleted: false });
      expect(await recordExerciseAttempt(db.prisma, attempt(learner, "bonus", true), LESSON, at(2))).toMatchObject({ lessonCompleted: false });
      expect(await recordExerciseAttempt(db.prisma, attempt(learner, "one", true, { lessonSlug: "empty" }), { exerciseIds: [], hasQuiz: false }, at(3))).toMatchObject({ lessonCompleted: false });
      expect(await lessonStatuses(db.prisma, learner)).toEqual({});
    });

    it("completes the lesson when its last two exercises pass in two tabs at once", async () => {
      for (let round = 0; round < 4; round++) {
        const learner = crypto.randomUUID();
        const results = await Promise.all([recordExerciseAttempt(db.prisma, attempt(learner, "one", true), LESSON), recordExerciseAttempt(db.prisma, attempt(learner, "two", true), LESSON)]);
        expect(results.some((r) => r.lessonCompleted)).toBe(true);
        expect(await lessonStatuses(db.prisma, learner)).toEqual({ lesson: "completed" });
      }
    });

    it("reports each exercise's attempts, first pass and last verdict, to that learner only", async () => {
      const learner = crypto.randomUUID();
      const other = crypto.randomUUID();
      await recordExerciseAttempt(db.prisma, attempt(learner, "one", false), LESSON, at(0));
      await recordExerciseAttempt(db.prisma, attempt(learner, "one", true), LESSON, at(5));
      await recordExerciseAttempt(db.prisma, attempt(learner, "one", false), LESSON, at(9));
      await recordExerciseAttempt(db.prisma, attempt(learner, "two", false), LESSON, at(3));
      await recordExerciseAttempt(db.prisma, attempt(other, "two", true), LESSON, at(4));
      expect(await exerciseStatuses(db.prisma, learner, "lesson")).toEqual({
        one: { attempts: 3, passedAt: at(5).toISOString(), last: { passed: false, outcomes: attempt(learner, "one", false).outcomes, at: at(9).toISOString() } },
        two: { attempts: 1, passedAt: null, last: { passed: false, outcomes: attempt(learner, "two", false).outcomes, at: at(3).toISOString() } },
      });
      expect(Object.keys(await exerciseStatuses(db.prisma, other, "lesson"))).toEqual(["two"]);
      expect(await exerciseStatuses(db.prisma, learner, "another-lesson")).toEqual({});
    });
  });
}

suite("embedded PGlite", () => openDatabase({ dataDir: "memory://" }));

const pgUrl = process.env.TEST_DATABASE_URL;
if (pgUrl) {
  suite("PostgreSQL (TEST_DATABASE_URL)", () => openInOwnSchema(pgUrl, "netlab_test_attempts"));
} else {
  describe("PostgreSQL", () => {
    it.skip("set TEST_DATABASE_URL to run the attempt queries against a real PostgreSQL server", () => {});
  });
}
