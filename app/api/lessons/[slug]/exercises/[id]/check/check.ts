/**
 * A Check, whichever server front answers it: the route handler (route.ts, under `next dev` and
 * `next start`) or the production server's Node handler (node.ts). The learner's terminal session
 * is replayed on the lesson's own cluster under limits, the exercise's check is run, and the
 * attempt is stored with the lesson's completion.
 */
import type { CheckResponse } from "@/app/_components/exercise/api";
import { getPrisma, recordExerciseAttempt } from "@/lib/db";
import { findExercise, gradeSubmission, GRADING_LIMITS, SubmissionSchema, type Submission } from "@/lib/grading";
import type { ParsedBody } from "@/lib/http";

/** The answer to send: a status, its JSON body and headers. */
export interface CheckAnswer {
  status: number;
  body: CheckResponse | { error: string };
  headers: Record<string, string>;
}

// Verdicts are per learner: never let a shared cache keep them.
const PRIVATE = { "cache-control": "private, no-store" };

export interface CheckRequest {
  slug: string;
  id: string;
  /** Whose attempt this is: null refuses the Check (no learner cookie). */
  learner: () => Promise<string | null>;
  /** The request body, read under `maxBytes` and judged against `schema`. */
  body: (schema: typeof SubmissionSchema, maxBytes: number) => Promise<ParsedBody<Submission>>;
}

/** Answers a Check (the request's origin has been checked). */
export async function answerCheck({ slug, id, learner, body }: CheckRequest): Promise<CheckAnswer> {
  const refuse = (status: number, error: string, headers: Record<string, string> = {}): CheckAnswer => ({ status, body: { error }, headers });
  const target = await findExercise(slug, id);
  if ("error" in target) return refuse(404, target.error);
  const learnerId = await learner();
  if (!learnerId) return refuse(401, "no learner cookie; reload the page");
  const submission = await body(SubmissionSchema, GRADING_LIMITS.bodyBytes);
  if (!submission.ok) return refuse(submission.status, submission.error);

  const graded = await gradeSubmission(target, submission.data);
  if (!graded.ok) return refuse(graded.status, graded.error, graded.status === 503 ? { ...PRIVATE, "retry-after": "5" } : PRIVATE);
  const { passed, outcomes, failedChecks, scenario, seed, transcriptHash, transcriptSize, replayMs } = graded;
  const { lessonCompleted } = await recordExerciseAttempt(
    await getPrisma(),
    { learnerId, lessonSlug: slug, exerciseId: id, passed, outcomes, failedChecks, scenario, seed, transcriptHash, transcriptSize, replayMs },
    target.requirements,
  );
  return { status: 200, body: { passed, outcomes, lessonCompleted }, headers: PRIVATE };
}
