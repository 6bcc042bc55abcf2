import type { ExerciseStatusResponse } from "@/app/_components/exercise/api";
import { getViewer } from "@/lib/auth";
import { listLessons } from "@/lib/content";
import { exerciseStatuses, getPrisma } from "@/lib/db";
import { fail } from "@/lib/http";

type Context = { params: Promise<{ slug: string }> };

/**
 * GET — the caller's own status on each exercise of the lesson they have attempted: attempts,
 * when they first passed, and the last verdict. Only ever the caller's: the learner comes from
 * their cookies, never from the request.
 */
export async function GET(_request: Request, { params }: Context) {
  const { slug } = await params;
  if (!(await listLessons()).some((l) => l.slug === slug)) return fail(404, `no lesson named "${slug}"`).response;
  const { learnerId } = await getViewer();
  const answer: ExerciseStatusResponse = { exercises: learnerId ? await exerciseStatuses(await getPrisma(), learnerId, slug) : {} };
  return Response.json(answer, { headers: { "cache-control": "private, no-store" } });
}
