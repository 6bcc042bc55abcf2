import type { PrismaClient } from "./generated/client";
import { ProgressStatus as DbStatus } from "./generated/enums";
import { QUIZ_PASS_SCORE, type LessonRequirements, type ProgressStatus } from "./progress";

/** A lesson of the course and what it asks of a learner (built by the caller from lib/content). */
export interface CourseLesson extends LessonRequirements {
  slug: string;
}

/** Where one learner stands in one lesson: the catalog, the dashboard and a cohort table show it. */
export interface LessonSummary {
  slug: string;
  status: ProgressStatus;
  /** Exercises of the lesson with at least one passing attempt. */
  exercisesPassed: number;
  exercisesTotal: number;
  hasQuiz: boolean;
  /** The best quiz score (0..1), null before the first attempt. */
  quizBest: number | null;
  quizAttempts: number;
}

/** One line of recent activity: a Check or a quiz submission. */
export type Activity =
  | { kind: "exercise"; id: string; lessonSlug: string; exerciseId: string; passed: boolean; at: Date }
  | { kind: "quiz"; id: string; lessonSlug: string; correct: number; total: number; score: number; passed: boolean; at: Date };

/** Totals at the end of one UTC day: what the progress chart draws. */
export interface ProgressDay {
  /** `YYYY-MM-DD`, in UTC. */
  day: string;
  /** Exercises of the course passed at least once by the end of the day. */
  exercisesPassed: number;
  /** Lessons of the course completed by the end of the day. */
  lessonsCompleted: number;
}

export interface Dashboard {
  lessons: LessonSummary[];
  recent: Activity[];
  history: ProgressDay[];
}

/** What one learner has done, indexed for summing up per lesson and per day. */
interface LearnerRecord {
  lessons: Map<string, { status: DbStatus; completedAt: Date | null }>;
  /** Lessons with at least one exercise or quiz attempt. */
  tried: Set<string>;
  /** First passing attempt per exercise, keyed by exerciseKey(). */
  firstPassed: Map<string, Date>;
  quizzes: Map<string, { best: number; attempts: number }>;
}

const emptyRecord = (): LearnerRecord => ({ lessons: new Map(), tried: new Set(), firstPassed: new Map(), quizzes: new Map() });

const fromDb: Record<DbStatus, ProgressStatus> = { NOT_STARTED: "not-started", STARTED: "started", COMPLETED: "completed" };

const exerciseKey = (lessonSlug: string, exerciseId: string) => `${lessonSlug}\u0000${exerciseId}`;

/** Reads the progress rows of some learners with three grouped queries, whatever their number. */
async function loadRecords(prisma: PrismaClient, learnerIds: readonly string[]): Promise<Map<string, LearnerRecord>> {
  const records = new Map<string, LearnerRecord>(learnerIds.map((id) => [id, emptyRecord()]));
  if (learnerIds.length === 0) return records;
  const where = { learnerId: { in: [...learnerIds] } };
  const [progress, exercises, quizzes] = await Promise.all([
    prisma.lessonProgress.findMany({ where, select: { learnerId: true, lessonSlug: true, status: true, completedAt: true } }),
    prisma.exerciseAttempt.groupBy({ by: ["learnerId", "lessonSlug", "exerciseId", "passed"], where, _min: { createdAt: true } }),
    prisma.quizAttempt.groupBy({ by: ["learnerId", "lessonSlug"], where, _max: { score: true }, _count: { _all: true } }),
  ]);
  for (const row of progress) records.get(row.learnerId)?.lessons.set(row.lessonSlug, { status: row.status, completedAt: row.completedAt });
  for (const row of exercises) {
    const record = records.get(row.learnerId);
    if (!record) continue;
    record.tried.add(row.lessonSlug);
    if (row.passed && row._min.createdAt) record.firstPassed.set(exerciseKey(row.lessonSlug, row.exerciseId), row._min.createdAt);
  }
  for (const row of quizzes) {
    const record = records.get(row.learnerId);
    if (!record) continue;
    record.tried.add(row.lessonSlug);
    record.quizzes.set(row.lessonSlug, { best: row._max.score ?? 0, attempts: row._count._all });
  }
  return records;
}

function summarize(record: LearnerRecord, course: readonly CourseLesson[]): LessonSummary[] {
  return course.map((lesson) => {
    const exerciseIds = [...new Set(lesson.exerciseIds)];
    const quiz = lesson.hasQuiz ? record.quizzes.get(lesson.slug) : undefined;
    const stored = record.lessons.get(lesson.slug);
    let status = stored ? fromDb[stored.status] : "not-started";
    // Grading may store an attempt for a lesson page the learner opened before the start was
    // recorded; an attempt is a start all the same.
    if (status === "not-started" && record.tried.has(lesson.slug)) status = "started";
    return {
      slug: lesson.slug,
      status,
      exercisesPassed: exerciseIds.filter((id) => record.firstPassed.has(exerciseKey(lesson.slug, id))).length,
      exercisesTotal: exerciseIds.length,
      hasQuiz: lesson.hasQuiz,
      quizBest: quiz ? quiz.best : null,
      quizAttempts: quiz ? quiz.attempts : 0,
    };
  });
}

/**
 * Each learner's summary of every course lesson, in course order. Learners with no rows get
 * all-zero summaries, so the result has an entry for every id asked for.
 *
 * @example
 * const byLearner = await progressSummaries(prisma, [id], [{ slug: "network-namespaces", exerciseIds: ["a"], hasQuiz: true }]);
 * byLearner.get(id)![0].exercisesPassed; // 0 or 1
 */
export async function progressSummaries(prisma: PrismaClient, learnerIds: readonly string[], course: readonly CourseLesson[]): Promise<Map<string, LessonSummary[]>> {
  const records = await loadRecords(prisma, learnerIds);
  return new Map([...records].map(([id, record]) => [id, summarize(record, course)]));
}

/** The learner's latest exercise checks and quiz submissions together, newest first. */
export async function recentActivity(prisma: PrismaClient, learnerId: string, limit = 10): Promise<Activity[]> {
  const [exercises, quizzes] = await Promise.all([
    prisma.exerciseAttempt.findMany({
      where: { learnerId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: limit,
      select: { id: true, lessonSlug: true, exerciseId: true, passed: true, createdAt: true },
    }),
    prisma.quizAttempt.findMany({
      where: { learnerId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: limit,
      select: { id: true, lessonSlug: true, correct: true, total: true, score: true, createdAt: true },
    }),
  ]);
  const items: Activity[] = [
    ...exercises.map((e) => ({ kind: "exercise" as const, id: e.id, lessonSlug: e.lessonSlug, exerciseId: e.exerciseId, passed: e.passed, at: e.createdAt })),
    ...quizzes.map((q) => ({ kind: "quiz" as const, id: q.id, lessonSlug: q.lessonSlug, correct: q.correct, total: q.total, score: q.score, passed: q.score >= QUIZ_PASS_SCORE, at: q.createdAt })),
  ];
  return items.sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, limit);
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Running totals at the end of each of the last `days` UTC days (today last). Passes and
 * completions from before the window count from its first day, so the lines start where the
 * learner stood then.
 */
function progressHistory(record: LearnerRecord, course: readonly CourseLesson[], now: Date, days: number): ProgressDay[] {
  const passes: number[] = [];
  const completions: number[] = [];
  for (const lesson of course) {
    for (const id of new Set(lesson.exerciseIds)) {
      const at = record.firstPassed.get(exerciseKey(lesson.slug, id));
      if (at) passes.push(at.getTime());
    }
    const stored = record.lessons.get(lesson.slug);
    if (stored?.status === DbStatus.COMPLETED && stored.completedAt) completions.push(stored.completedAt.getTime());
  }
  const todayStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const countBefore = (times: number[], end: number) => times.filter((t) => t < end).length;
  return Array.from({ length: days }, (_, i) => {
    const start = todayStart - (days - 1 - i) * DAY_MS;
    return {
      day: new Date(start).toISOString().slice(0, 10),
      exercisesPassed: countBefore(passes, start + DAY_MS),
      lessonsCompleted: countBefore(completions, start + DAY_MS),
    };
  });
}

/**
 * Everything the dashboard shows for one learner: the course lessons' summaries, the last
 * `recent` attempts and the running totals over the last `days` days. A visitor with no learner
 * id yet (no cookie) gets the same shape with nothing done.
 */
export async function learnerDashboard(
  prisma: PrismaClient,
  learnerId: string | null,
  course: readonly CourseLesson[],
  options: { now?: Date; days?: number; recent?: number } = {},
): Promise<Dashboard> {
  const now = options.now ?? new Date();
  const ids = learnerId ? [learnerId] : [];
  const [records, recent] = await Promise.all([loadRecords(prisma, ids), learnerId ? recentActivity(prisma, learnerId, options.recent ?? 10) : []]);
  const record = learnerId ? records.get(learnerId)! : emptyRecord();
  return {
    lessons: summarize(record, course),
    recent,
    history: progressHistory(record, course, now, options.days ?? 30),
  };
}
