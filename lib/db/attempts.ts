import type { Prisma, PrismaClient } from "./generated/client";
import { refreshLessonCompletion, touchLearner, type LessonRequirements } from "./progress";

/** One line of a verdict as the learner saw it. */
export interface AttemptOutcome {
  description: string;
  passed: boolean;
  detail?: string;
}

/** A graded Check, as the server replayed and judged it. */
export interface NewExerciseAttempt {
  learnerId: string;
  lessonSlug: string;
  exerciseId: string;
  passed: boolean;
  outcomes: AttemptOutcome[];
  failedChecks: string[];
  scenario: string;
  seed: number;
  transcriptHash: string;
  transcriptSize: number;
  replayMs: number;
}

/** Where a learner stands on one exercise. */
export interface ExerciseStatus {
  attempts: number;
  /** When the first passing attempt was stored (ISO 8601), or null before one. */
  passedAt: string | null;
  /** The latest attempt's verdict, so a reload shows what the learner saw. */
  last: { passed: boolean; outcomes: AttemptOutcome[]; at: string };
}

/**
 * Stores an attempt and refreshes the lesson's completion in one transaction, creating the
 * (guest) learner on first write: either both are stored or neither is, so an acknowledged
 * verdict is never lost and a crash leaves no half-written attempt. Returns whether the lesson
 * is completed now.
 */
export async function recordExerciseAttempt(prisma: PrismaClient, attempt: NewExerciseAttempt, requirements: LessonRequirements, now = new Date()): Promise<{ id: string; lessonCompleted: boolean }> {
  const store = async (tx: Prisma.TransactionClient) => {
    await touchLearner(tx, attempt.learnerId, now);
    const { outcomes, ...fields } = attempt;
    const row = await tx.exerciseAttempt.create({
      data: { ...fields, outcomes: outcomes.map((o) => ({ description: o.description, passed: o.passed, ...(o.detail ? { detail: o.detail } : {}) })), createdAt: now },
      select: { id: true },
    });
    const lessonCompleted = await refreshLessonCompletion(tx, attempt.learnerId, attempt.lessonSlug, requirements, now);
    return { id: row.id, lessonCompleted };
  };
  // Embedded PGlite runs one transaction at a time: under a burst of Checks, waiting for the
  // database is normal, and a verdict already earned must not be lost to Prisma's 2 s default.
  return prisma.$transaction(store, { maxWait: 10_000, timeout: 10_000 });
}

/** The learner's status on each exercise of a lesson they have attempted (theirs only). */
export async function exerciseStatuses(prisma: PrismaClient, learnerId: string, lessonSlug: string): Promise<Record<string, ExerciseStatus>> {
  const [counts, firstPasses, latest] = await Promise.all([
    prisma.exerciseAttempt.groupBy({ by: ["exerciseId"], where: { learnerId, lessonSlug }, _count: { _all: true } }),
    prisma.exerciseAttempt.groupBy({ by: ["exerciseId"], where: { learnerId, lessonSlug, passed: true }, _min: { createdAt: true } }),
    prisma.exerciseAttempt.findMany({
      where: { learnerId, lessonSlug },
      orderBy: [{ exerciseId: "asc" }, { createdAt: "desc" }, { id: "desc" }],
      distinct: ["exerciseId"],
      select: { exerciseId: true, passed: true, outcomes: true, createdAt: true },
    }),
  ]);
  const passedAt = new Map(firstPasses.map((p) => [p.exerciseId, p._min.createdAt]));
  const attempts = new Map(counts.map((c) => [c.exerciseId, c._count._all]));
  return Object.fromEntries(
    latest.map((row) => [
      row.exerciseId,
      {
        attempts: attempts.get(row.exerciseId) ?? 1,
        passedAt: passedAt.get(row.exerciseId)?.toISOString() ?? null,
        last: { passed: row.passed, outcomes: row.outcomes as unknown as AttemptOutcome[], at: row.createdAt.toISOString() },
      },
    ]),
  );
}
