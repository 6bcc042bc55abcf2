import type { Prisma, PrismaClient } from "./generated/client";
import { ProgressStatus as DbStatus } from "./generated/enums";

export type ProgressStatus = "not-started" | "started" | "completed";

const fromDb: Record<DbStatus, ProgressStatus> = {
  NOT_STARTED: "not-started",
  STARTED: "started",
  COMPLETED: "completed",
};

/** Every lesson the learner has touched, by slug. Lessons not in the record are not started. */
export async function lessonStatuses(prisma: PrismaClient, learnerId: string): Promise<Record<string, ProgressStatus>> {
  const rows = await prisma.lessonProgress.findMany({ where: { learnerId }, select: { lessonSlug: true, status: true } });
  return Object.fromEntries(rows.map((r) => [r.lessonSlug, fromDb[r.status]]));
}

/**
 * Marks a lesson started for a learner, creating the (guest) learner on first write. A lesson
 * already started or completed keeps its status and its first start time.
 */
export async function markLessonStarted(prisma: PrismaClient, learnerId: string, lessonSlug: string, now = new Date()): Promise<void> {
  await touchLearner(prisma, learnerId, now);
  await prisma.lessonProgress.upsert({
    where: { learnerId_lessonSlug: { learnerId, lessonSlug } },
    create: { learnerId, lessonSlug, status: DbStatus.STARTED, startedAt: now },
    update: {},
  });
  await prisma.lessonProgress.updateMany({
    where: { learnerId, lessonSlug, status: DbStatus.NOT_STARTED },
    data: { status: DbStatus.STARTED, startedAt: now },
  });
}

/** A Prisma client or the client of an open transaction. */
export type Db = PrismaClient | Prisma.TransactionClient;

/** Creates a guest learner's row on their first write, and notes that they were seen. */
export async function touchLearner(db: Db, learnerId: string, now: Date): Promise<void> {
  await db.learner.upsert({
    where: { id: learnerId },
    create: { id: learnerId, createdAt: now, lastSeenAt: now },
    update: { lastSeenAt: now },
  });
}

/** What a lesson asks of a learner before it counts as completed. */
export interface LessonRequirements {
  exerciseIds: readonly string[];
  hasQuiz: boolean;
}

/** The best quiz score (0..1) that completes a lesson's quiz. */
export const QUIZ_PASS_SCORE = 0.7;

/**
 * Marks the lesson completed once every exercise has a passing attempt and the best quiz score
 * reaches QUIZ_PASS_SCORE (a lesson with neither is never completed this way). Call it in the
 * transaction that stores an attempt. A completed lesson stays completed. Returns whether the
 * lesson is completed now.
 */
export async function refreshLessonCompletion(db: Db, learnerId: string, lessonSlug: string, requirements: LessonRequirements, now = new Date()): Promise<boolean> {
  if (requirements.exerciseIds.length === 0 && !requirements.hasQuiz) return false;
  const current = await db.lessonProgress.findUnique({ where: { learnerId_lessonSlug: { learnerId, lessonSlug } }, select: { status: true } });
  if (current?.status === DbStatus.COMPLETED) return true;
  const passed = await db.exerciseAttempt.findMany({
    where: { learnerId, lessonSlug, passed: true, exerciseId: { in: [...requirements.exerciseIds] } },
    distinct: ["exerciseId"],
    select: { exerciseId: true },
  });
  if (passed.length < new Set(requirements.exerciseIds).size) return false;
  if (requirements.hasQuiz) {
    const best = await db.quizAttempt.aggregate({ where: { learnerId, lessonSlug }, _max: { score: true } });
    if ((best._max.score ?? 0) < QUIZ_PASS_SCORE) return false;
  }
  await db.lessonProgress.upsert({
    where: { learnerId_lessonSlug: { learnerId, lessonSlug } },
    create: { learnerId, lessonSlug, status: DbStatus.COMPLETED, startedAt: now, completedAt: now },
    update: { status: DbStatus.COMPLETED, completedAt: now },
  });
  return true;
}
