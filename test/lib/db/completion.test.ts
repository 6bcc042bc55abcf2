import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lessonStatuses, openDatabase, refreshLessonCompletion, type Database } from "@/lib/db";

describe("refreshLessonCompletion", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ dataDir: "memory://" });
  });
  afterAll(() => db.close());

  const attempt = (learnerId: string, exerciseId: string, passed: boolean) =>
    db.prisma.exerciseAttempt.create({
      data: { learnerId, lessonSlug: "l", exerciseId, passed, outcomes: [], failedChecks: [], scenario: "single-node", seed: 1, transcriptHash: "h", transcriptSize: 0, replayMs: 1 },
    });
  const requirements = { exerciseIds: ["a", "b"], hasQuiz: true };

  it("completes a lesson only when every exercise passed and the best quiz score reaches 70%", async () => {
    const { id } = await db.prisma.learner.create({ data: {} });
    await attempt(id, "a", true);
    await attempt(id, "b", false);
    await db.prisma.quizAttempt.create({ data: { learnerId: id, lessonSlug: "l", answers: {}, correct: 9, total: 10, score: 0.9 } });
    expect(await refreshLessonCompletion(db.prisma, id, "l", requirements)).toBe(false);
    await attempt(id, "b", true);
    expect(await refreshLessonCompletion(db.prisma, id, "l", requirements)).toBe(true);
    expect(await lessonStatuses(db.prisma, id)).toEqual({ l: "completed" });
  });

  it("does not complete with a quiz below 70%, and a lesson with no requirements never completes", async () => {
    const { id } = await db.prisma.learner.create({ data: {} });
    await attempt(id, "a", true);
    await attempt(id, "b", true);
    await db.prisma.quizAttempt.create({ data: { learnerId: id, lessonSlug: "l", answers: {}, correct: 6, total: 10, score: 0.6 } });
    expect(await refreshLessonCompletion(db.prisma, id, "l", requirements)).toBe(false);
    expect(await refreshLessonCompletion(db.prisma, id, "l", { exerciseIds: [], hasQuiz: false })).toBe(false);
    expect(await lessonStatuses(db.prisma, id)).toEqual({});
  });
});
