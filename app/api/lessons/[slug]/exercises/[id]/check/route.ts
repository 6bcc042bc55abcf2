import type { CheckResponse } from "@/app/_components/exercise/api";
import { getViewer } from "@/lib/auth";
import { getPrisma, recordExerciseAttempt } from "@/lib/db";
import { findExercise, gradeSubmission, GRADING_LIMITS, SubmissionSchema } from "@/lib/grading";
import { assertSameOrigin, fail, readJsonBody } from "@/lib/http";

type Context = { params: Promise<{ slug: string; id: string }> };

// Verdicts are per learner: never let a shared cache keep them.
const PRIVATE = { "cache-control": "private, no-store" };

/**
 * POST { scenario, seed, entries } — the learner's terminal session. The server replays it on
 * the lesson's own cluster under limits, runs the exercise's check, stores the attempt with the
 * lesson's completion and answers `{ passed, outcomes, lessonCompleted }`.
 */
export async function POST(request: Request, { params }: Context) {
  const refused = assertSameOrigin(request);
  if (refused) return refused;
  const { slug, id } = await params;
  const target = await findExercise(slug, id);
  if ("error" in target) return fail(404, target.error).response;
  const { learnerId } = await getViewer();
  if (!learnerId) return fail(401, "no learner cookie; reload the page").response;
  const body = await readJsonBody(request, SubmissionSchema, GRADING_LIMITS.bodyBytes);
  if (!body.ok) return body.response;

  const graded = await gradeSubmission(target, body.data);
  if (!graded.ok) {
    const headers: Record<string, string> = graded.status === 503 ? { ...PRIVATE, "retry-after": "5" } : PRIVATE;
    return Response.json({ error: graded.error }, { status: graded.status, headers });
  }
  const { passed, outcomes, failedChecks, scenario, seed, transcriptHash, transcriptSize, replayMs } = graded;
  const { lessonCompleted } = await recordExerciseAttempt(
    await getPrisma(),
    { learnerId, lessonSlug: slug, exerciseId: id, passed, outcomes, failedChecks, scenario, seed, transcriptHash, transcriptSize, replayMs },
    target.requirements,
  );
  const answer: CheckResponse = { passed, outcomes, lessonCompleted };
  return Response.json(answer, { headers: PRIVATE });
}
