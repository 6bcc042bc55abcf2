import { z } from "zod";
import { listLessons } from "@/lib/content";
import { assertSameOrigin, readJsonBody } from "@/lib/http";
import { startLesson } from "@/lib/progress";

const StartRequest = z.object({ lesson: z.string().min(1).max(100), status: z.literal("started") }).strict();

/** POST { lesson, status: "started" } — the lesson page reports that the visitor opened it. */
export async function POST(request: Request) {
  const refused = assertSameOrigin(request);
  if (refused) return refused;
  const body = await readJsonBody(request, StartRequest, 1024);
  if (!body.ok) return body.response;
  const lessons = await listLessons();
  if (!lessons.some((l) => l.slug === body.data.lesson)) {
    return Response.json({ error: `lesson: no lesson named "${body.data.lesson}"` }, { status: 404 });
  }
  if (!(await startLesson(body.data.lesson))) {
    return Response.json({ error: "no learner cookie; reload the page" }, { status: 401 });
  }
  return new Response(null, { status: 204 });
}
