import { randomUUID } from "node:crypto";
import { runsOneAtATime } from "./client";
import { Prisma, type PrismaClient } from "./generated/client";
import { QUIZ_PASS_SCORE, touchLearner, type LessonRequirements } from "./progress";

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
 * One statement does it all (a Check is the busiest write there is): it notes the learner, inserts
 * the attempt and, for a passing one, completes the lesson when this pass was the last thing
 * missing. A failed attempt cannot complete a lesson, so it only reads the status. On PostgreSQL
 * a passing one first locks the learner's row in a transaction: two passes from two tabs then
 * complete the lesson in turn, the second seeing the first, instead of each missing the other
 * (embedded PGlite never runs two at once, so there it needs no transaction around it).
 */
export async function recordExerciseAttempt(prisma: PrismaClient, attempt: NewExerciseAttempt, requirements: LessonRequirements, now = new Date()): Promise<{ id: string; lessonCompleted: boolean }> {
  const store = storeAttempt(attempt, requirements, now);
  if (!attempt.passed || runsOneAtATime(prisma)) return (await prisma.$queryRaw<StoredAttempt[]>(store))[0];
  // Under a burst of Checks, waiting for the database is normal, and a verdict already earned
  // must not be lost to Prisma's 2 s default.
  const [row] = await prisma.$transaction(
    async (tx) => {
      await touchLearner(tx, attempt.learnerId, now);
      return tx.$queryRaw<StoredAttempt[]>(store);
    },
    { maxWait: 10_000, timeout: 10_000 },
  );
  return row;
}

type StoredAttempt = { id: string; lessonCompleted: boolean };

/** The statement that stores an attempt and answers `{ id, lessonCompleted }` (see above). */
function storeAttempt(attempt: NewExerciseAttempt, requirements: LessonRequirements, now: Date): Prisma.Sql {
  const { learnerId, lessonSlug, exerciseId, passed } = attempt;
  const outcomes = JSON.stringify(attempt.outcomes.map((o) => ({ description: o.description, passed: o.passed, ...(o.detail ? { detail: o.detail } : {}) })));
  const required = [...new Set(requirements.exerciseIds)];
  const store = Prisma.sql`
    WITH seen AS (
      INSERT INTO learner (id, created_at, last_seen_at) VALUES (${learnerId}::uuid, ${now}::timestamptz, ${now}::timestamptz)
      ON CONFLICT (id) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at
      RETURNING id
    ), attempt AS (
      INSERT INTO exercise_attempt (id, learner_id, lesson_slug, exercise_id, passed, outcomes, failed_checks, scenario, seed, transcript_hash, transcript_size, replay_ms, created_at)
      SELECT ${randomUUID()}::uuid, seen.id, ${lessonSlug}, ${exerciseId}, ${passed}::boolean, ${outcomes}::jsonb, ${attempt.failedChecks}::text[], ${attempt.scenario},
             ${attempt.seed}::int, ${attempt.transcriptHash}, ${attempt.transcriptSize}::int, ${attempt.replayMs}::int, ${now}::timestamptz
      FROM seen
      RETURNING id
    ), progress AS (
      SELECT status FROM lesson_progress WHERE learner_id = ${learnerId}::uuid AND lesson_slug = ${lessonSlug}
    )`;
  const answer = (completed: Prisma.Sql) => Prisma.sql`
    SELECT (SELECT id::text FROM attempt) AS id, EXISTS (SELECT 1 FROM progress WHERE status = 'COMPLETED') OR ${completed} AS "lessonCompleted"`;
  // A failed attempt, or a lesson that asks for nothing: the status as it is.
  if (!passed || (required.length === 0 && !requirements.hasQuiz)) return Prisma.sql`${store} ${answer(Prisma.sql`false`)}`;
  // Sub-statements of one statement share its snapshot: the attempt inserted here is not among
  // the passes it reads, so it is counted in explicitly.
  return Prisma.sql`${store}, passes AS (
      SELECT exercise_id FROM exercise_attempt
      WHERE learner_id = ${learnerId}::uuid AND lesson_slug = ${lessonSlug} AND passed AND exercise_id = ANY(${required}::text[])
      UNION SELECT ${exerciseId}::text WHERE ${exerciseId}::text = ANY(${required}::text[])
    ), completes AS (
      SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM progress WHERE status = 'COMPLETED')
        AND (SELECT count(*) FROM passes) = ${required.length}::int
        AND (NOT ${requirements.hasQuiz}::boolean
             OR (SELECT max(score) FROM quiz_attempt WHERE learner_id = ${learnerId}::uuid AND lesson_slug = ${lessonSlug}) >= ${QUIZ_PASS_SCORE}::float8)
    ), completed AS (
      INSERT INTO lesson_progress (learner_id, lesson_slug, status, started_at, completed_at, updated_at)
      SELECT ${learnerId}::uuid, ${lessonSlug}, 'COMPLETED', ${now}::timestamptz, ${now}::timestamptz, ${now}::timestamptz FROM completes
      ON CONFLICT (learner_id, lesson_slug) DO UPDATE SET status = 'COMPLETED', completed_at = EXCLUDED.completed_at, updated_at = EXCLUDED.updated_at
      RETURNING 1
    ) ${answer(Prisma.sql`EXISTS (SELECT 1 FROM completed)`)}`;
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
