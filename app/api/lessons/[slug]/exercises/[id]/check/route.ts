import { getViewer } from "@/lib/auth";
import { assertSameOrigin, parseJsonBody, readBodyText } from "@/lib/http";
import { answerCheck } from "./check";

type Context = { params: Promise<{ slug: string; id: string }> };

/**
 * POST { scenario, seed, entries } — the learner's terminal session. The server replays it on
 * the lesson's own cluster under limits, runs the exercise's check, stores the attempt with the
 * lesson's completion and answers `{ passed, outcomes, lessonCompleted }` (check.ts). The
 * production server answers most Checks before they reach this handler (node.ts).
 */
export async function POST(request: Request, { params }: Context) {
  const refused = assertSameOrigin(request);
  if (refused) return refused;
  const { slug, id } = await params;
  const answer = await answerCheck({
    slug,
    id,
    learner: async () => (await getViewer()).learnerId,
    body: async (schema, maxBytes) => parseJsonBody(await readBodyText(request, maxBytes), schema, maxBytes),
  });
  return Response.json(answer.body, { status: answer.status, headers: answer.headers });
}
