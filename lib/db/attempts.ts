import { randomUUID } from "node:crypto";
import type { PrismaClient } from "./generated/client";
import { QUIZ_PASS_SCORE, type LessonRequirements } from "./progress";

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
 * Stores an attempt and refreshes the lesson's completion atomically, creating the (guest)
 * learner on first write: either all of it is stored or none, so an acknowledged verdict is never
 * lost and a crash leaves no half-written attempt. Returns whether the lesson is completed now.
 *
 * One call of the database function `record_exercise_attempt` does it all (see its migration,
 * 20261122000000_record_exercise_attempt, for why a function and why it needs no transaction
 * around it): it notes the learner, inserts the attempt and, for a passing one, completes the
 * lesson when this pass was the last thing missing.
 */
export async function recordExerciseAttempt(prisma: PrismaClient, attempt: NewExerciseAttempt, requirements: LessonRequirements, now = new Date()): Promise<{ id: string; lessonCompleted: boolean }> {
  const { learnerId, lessonSlug, exerciseId, passed } = attempt;
  const outcomes = JSON.stringify(attempt.outcomes.map((o) => ({ description: o.description, passed: o.passed, ...(o.detail ? { detail: o.detail } : {}) })));
  const required = [...new Set(requirements.exerciseIds)];
  const [row] = await prisma.$queryRaw<{ attempt_id: string; lesson_completed: boolean }[]>`
    SELECT attempt_id::text, lesson_completed FROM record_exercise_attempt(
      ${learnerId}::uuid, ${now}::timestamptz, ${randomUUID()}::uuid, ${lessonSlug}, ${exerciseId}, ${passed}::boolean, ${outcomes}::jsonb,
      ${attempt.failedChecks}::text[], ${attempt.scenario}, ${attempt.seed}::int, ${attempt.transcriptHash}, ${attempt.transcriptSize}::int,
      ${attempt.replayMs}::int, ${required}::text[], ${requirements.hasQuiz}::boolean, ${QUIZ_PASS_SCORE}::float8)`;
  return { id: row.attempt_id, lessonCompleted: row.lesson_completed };
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
