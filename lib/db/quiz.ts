import type { Prisma, PrismaClient } from "./generated/client";
import { refreshLessonCompletion, touchLearner, type LessonRequirements } from "./progress";

/** A graded quiz submission, as the route handler stores it. */
export interface QuizAttemptInput {
  learnerId: string;
  lessonSlug: string;
  /** The answers exactly as the learner sent them (already validated against the quiz). */
  answers: Prisma.InputJsonObject;
  correct: number;
  total: number;
  score: number;
}

/** A learner's quiz record for one lesson: best score over all attempts, and the latest one. */
export interface QuizHistory {
  attempts: number;
  bestScore: number | null;
  last: { answers: unknown; correct: number; total: number; score: number; createdAt: Date } | null;
}

/**
 * Stores a quiz attempt and refreshes the lesson's completion in one transaction, so an attempt
 * is never stored without its effect on progress (or the other way round). Creates the (guest)
 * learner on first write. Returns whether the lesson is completed now.
 */
export async function recordQuizAttempt(prisma: PrismaClient, attempt: QuizAttemptInput, requirements: LessonRequirements, now = new Date()): Promise<{ lessonCompleted: boolean }> {
  const { learnerId, lessonSlug } = attempt;
  return prisma.$transaction(async (tx) => {
    await touchLearner(tx, learnerId, now);
    await tx.quizAttempt.create({ data: { ...attempt, createdAt: now } });
    return { lessonCompleted: await refreshLessonCompletion(tx, learnerId, lessonSlug, requirements, now) };
  });
}

/** The learner's own attempts at a lesson's quiz; nobody else's are ever read. */
export async function quizHistory(prisma: PrismaClient, learnerId: string, lessonSlug: string): Promise<QuizHistory> {
  const where = { learnerId, lessonSlug };
  const [summary, last] = await Promise.all([
    prisma.quizAttempt.aggregate({ where, _count: { _all: true }, _max: { score: true } }),
    prisma.quizAttempt.findFirst({
      where,
      orderBy: { createdAt: "desc" },
      select: { answers: true, correct: true, total: true, score: true, createdAt: true },
    }),
  ]);
  return { attempts: summary._count._all, bestScore: summary._max.score, last };
}
