/**
 * Server-side grading of an exercise: find the lesson's exercise and cluster, refuse a session
 * that ran on another cluster, replay the transcript on a worker under the time limit, and
 * report every check in words a learner understands. The browser never decides a verdict.
 *
 * @example
 * const target = await findExercise("cluster-anatomy", "map-the-control-plane");
 * if (!("error" in target)) {
 *   const graded = await gradeSubmission(target, { scenario, seed, entries });
 *   if (graded.ok) graded.passed;
 * }
 */
import { getLessonData, listLessons } from "@/lib/content";
import type { CheckOutcome } from "./evaluate";
import type { GradingJob, GradingResult } from "./job";
import { lessonCluster, type LessonCluster } from "./lesson-cluster";
import { GraderBusyError, gradingPool } from "./pool";
import { CheckSchema, type Check } from "./schema";
import { GRADING_LIMITS, transcriptDigest, type Submission } from "./submission";

/** An exercise of a lesson, with what grading it needs. */
export interface ExerciseTarget {
  lessonSlug: string;
  exerciseId: string;
  cluster: LessonCluster;
  check: Check;
  /** What completes the lesson (every exercise, and the quiz if it has one). */
  requirements: { exerciseIds: string[]; hasQuiz: boolean };
}

export type Graded = {
  ok: true;
  passed: boolean;
  outcomes: CheckOutcome[];
  /** The descriptions of the checks that failed. */
  failedChecks: string[];
  scenario: string;
  seed: number;
  transcriptHash: string;
  transcriptSize: number;
  replayMs: number;
};

/** A submission the server will not (or could not) grade, and why, as an HTTP status and a sentence. */
export type Refused = { ok: false; status: 409 | 422 | 500 | 503; error: string };

export const TIME_LIMIT_MESSAGE = `Your session took too long to replay (over ${GRADING_LIMITS.replayMs / 1000} s). Reset the lesson's cluster and try again.`;

/** The exercise `exerciseId` of lesson `lessonSlug`, or an error naming what does not exist. */
export async function findExercise(lessonSlug: string, exerciseId: string): Promise<ExerciseTarget | { error: string }> {
  const meta = (await listLessons()).find((l) => l.slug === lessonSlug);
  if (!meta) return { error: `no lesson named "${lessonSlug}"` };
  const data = await getLessonData(lessonSlug);
  const exercises = data?.exercises ?? [];
  const exercise = exercises.find((e) => e.id === exerciseId);
  if (!exercise) return { error: `lesson "${lessonSlug}" has no exercise "${exerciseId}"` };
  return {
    lessonSlug,
    exerciseId,
    cluster: lessonCluster(meta, data),
    // lib/content only knows a check is a mapping; the lesson tests hold every one to the schema.
    check: CheckSchema.parse(exercise.check),
    requirements: { exerciseIds: exercises.map((e) => e.id), hasQuiz: data?.quiz != null },
  };
}

/** Replays the submission on the lesson's cluster and runs the exercise's check. */
export async function gradeSubmission(target: ExerciseTarget, submission: Submission, run: (job: GradingJob) => Promise<GradingResult> = (job) => gradingPool().run(job)): Promise<Graded | Refused> {
  const { cluster } = target;
  if (submission.scenario !== cluster.scenario || submission.seed !== cluster.seed) {
    return {
      ok: false,
      status: 409,
      error: `This exercise is checked on the lesson's cluster (${cluster.scenario}, seed ${cluster.seed}), but your terminal ran ${submission.scenario} with seed ${submission.seed}. Reset the lesson's cluster and do the exercise again.`,
    };
  }
  let result: GradingResult;
  try {
    result = await run({ cluster, entries: submission.entries, check: target.check, limitMs: GRADING_LIMITS.replayMs });
  } catch (error) {
    if (error instanceof GraderBusyError) return { ok: false, status: 503, error: error.message };
    // A worker that died or an engine error: the details go to the server's log, not the learner.
    console.error(`grading ${target.lessonSlug}/${target.exerciseId} failed:`, error);
    return { ok: false, status: 500, error: "The grader could not check this session. Try again in a moment; if it keeps failing, reset the lesson's cluster." };
  }
  if (!result.ok) return { ok: false, status: 422, error: TIME_LIMIT_MESSAGE };
  const { hash, size } = transcriptDigest(submission.entries);
  const { passed, outcomes } = result.verdict;
  return {
    ok: true,
    passed,
    outcomes,
    failedChecks: outcomes.filter((o) => !o.passed).map((o) => o.description),
    scenario: cluster.scenario,
    seed: cluster.seed,
    transcriptHash: hash,
    transcriptSize: size,
    replayMs: result.replayMs,
  };
}
