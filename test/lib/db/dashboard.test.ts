import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { learnerDashboard, openDatabase, progressSummaries, recentActivity, type CourseLesson, type Database } from "@/lib/db";

const COURSE: CourseLesson[] = [
  { slug: "one", exerciseIds: ["a", "b"], hasQuiz: true },
  { slug: "two", exerciseIds: ["c"], hasQuiz: false },
  { slug: "three", exerciseIds: [], hasQuiz: true },
];

const NOW = new Date("2026-11-20T15:00:00Z");
const daysAgo = (n: number, hour = 12) => new Date(Date.UTC(2026, 10, 20 - n, hour));

describe("dashboard queries", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ dataDir: "memory://" });
  });
  afterAll(() => db.close());

  const learner = async () => (await db.prisma.learner.create({ data: {} })).id;
  const check = (learnerId: string, lessonSlug: string, exerciseId: string, passed: boolean, createdAt: Date) =>
    db.prisma.exerciseAttempt.create({
      data: { learnerId, lessonSlug, exerciseId, passed, outcomes: [], failedChecks: passed ? [] : ["x"], scenario: "single-node", seed: 1, transcriptHash: "h", transcriptSize: 0, replayMs: 1, createdAt },
    });
  const quiz = (learnerId: string, lessonSlug: string, correct: number, total: number, createdAt: Date) =>
    db.prisma.quizAttempt.create({ data: { learnerId, lessonSlug, answers: {}, correct, total, score: correct / total, createdAt } });

  it("sums up each course lesson: exercises passed once each, best quiz, and attempts count as a start", async () => {
    const id = await learner();
    await check(id, "one", "a", false, daysAgo(3));
    await check(id, "one", "a", true, daysAgo(2));
    await check(id, "one", "a", true, daysAgo(1));
    await check(id, "one", "gone", true, daysAgo(1)); // an exercise no longer in the lesson
    await quiz(id, "one", 5, 10, daysAgo(2));
    await quiz(id, "one", 8, 10, daysAgo(1));
    await quiz(id, "two", 1, 1, daysAgo(1)); // "two" has no quiz now: not shown as a best score
    const { lessons } = await learnerDashboard(db.prisma, id, COURSE, { now: NOW });
    expect(lessons).toEqual([
      { slug: "one", status: "started", exercisesPassed: 1, exercisesTotal: 2, hasQuiz: true, quizBest: 0.8, quizAttempts: 2 },
      { slug: "two", status: "started", exercisesPassed: 0, exercisesTotal: 1, hasQuiz: false, quizBest: null, quizAttempts: 0 },
      { slug: "three", status: "not-started", exercisesPassed: 0, exercisesTotal: 0, hasQuiz: true, quizBest: null, quizAttempts: 0 },
    ]);
  });

  it("keeps the stored status, and never mixes in another learner's attempts", async () => {
    const [me, other] = [await learner(), await learner()];
    await db.prisma.lessonProgress.create({ data: { learnerId: me, lessonSlug: "two", status: "COMPLETED", startedAt: daysAgo(5), completedAt: daysAgo(4) } });
    await check(other, "one", "a", true, daysAgo(1));
    await quiz(other, "one", 10, 10, daysAgo(1));
    const byLearner = await progressSummaries(db.prisma, [me, other], COURSE);
    expect(byLearner.get(me)!.map((l) => [l.status, l.exercisesPassed, l.quizBest])).toEqual([
      ["not-started", 0, null],
      ["completed", 0, null],
      ["not-started", 0, null],
    ]);
    expect(byLearner.get(other)![0]).toMatchObject({ status: "started", exercisesPassed: 1, quizBest: 1 });
    expect(await recentActivity(db.prisma, me)).toEqual([]);
  });

  it("lists the last ten checks and quizzes together, newest first", async () => {
    const id = await learner();
    for (let i = 0; i < 8; i++) await check(id, "one", "a", i % 2 === 0, new Date(Date.UTC(2026, 10, 1, i)));
    for (let i = 0; i < 4; i++) await quiz(id, "one", i + 5, 10, new Date(Date.UTC(2026, 10, 1, i, 30)));
    const recent = await recentActivity(db.prisma, id);
    expect(recent).toHaveLength(10);
    expect(recent.map((r) => r.at.getTime())).toEqual([...recent.map((r) => r.at.getTime())].sort((a, b) => b - a));
    expect(recent[0]).toMatchObject({ kind: "exercise", exerciseId: "a", passed: false, at: new Date(Date.UTC(2026, 10, 1, 7)) });
    expect(recent[1]).toMatchObject({ kind: "exercise", passed: true, at: new Date(Date.UTC(2026, 10, 1, 6)) });
    // 03:30 quiz: 8/10 passes (≥ 70%); 02:30 quiz: 7/10 passes; 01:30: 6/10 does not.
    expect(recent.filter((r) => r.kind === "quiz").map((r) => [r.kind === "quiz" && r.correct, r.passed])).toEqual([
      [8, true],
      [7, true],
      [6, false],
    ]);
  });

  it("draws running totals per UTC day over the window, counting earlier progress from day one", async () => {
    const id = await learner();
    await check(id, "one", "a", true, new Date("2026-09-01T10:00:00Z")); // long before the window
    await check(id, "one", "b", false, daysAgo(5));
    await check(id, "one", "b", true, daysAgo(3, 23)); // 23:00 UTC still counts for that day
    await check(id, "one", "b", true, daysAgo(1)); // a second pass of b adds nothing
    await check(id, "two", "c", true, daysAgo(0, 1));
    await db.prisma.lessonProgress.create({ data: { learnerId: id, lessonSlug: "one", status: "COMPLETED", startedAt: daysAgo(4), completedAt: daysAgo(2) } });
    await db.prisma.lessonProgress.create({ data: { learnerId: id, lessonSlug: "elsewhere", status: "COMPLETED", completedAt: daysAgo(2) } });
    const { history } = await learnerDashboard(db.prisma, id, COURSE, { now: NOW, days: 7 });
    expect(history).toEqual([
      { day: "2026-11-14", exercisesPassed: 1, lessonsCompleted: 0 },
      { day: "2026-11-15", exercisesPassed: 1, lessonsCompleted: 0 },
      { day: "2026-11-16", exercisesPassed: 1, lessonsCompleted: 0 },
      { day: "2026-11-17", exercisesPassed: 2, lessonsCompleted: 0 },
      { day: "2026-11-18", exercisesPassed: 2, lessonsCompleted: 1 },
      { day: "2026-11-19", exercisesPassed: 2, lessonsCompleted: 1 },
      { day: "2026-11-20", exercisesPassed: 3, lessonsCompleted: 1 },
    ]);
    const { history: month } = await learnerDashboard(db.prisma, id, COURSE, { now: NOW });
    expect(month).toHaveLength(30);
    expect(month[0].day).toBe("2026-10-22");
  });
});
