import { getViewer, requireRole } from "@/lib/auth";
import { getPrisma, leaveCohort } from "@/lib/db";
import { assertSameOrigin, fail } from "@/lib/http";

type Context = { params: Promise<{ id: string }> };

/** DELETE — the caller leaves the cohort. Only ever their own membership: the id is the cohort's. */
export async function DELETE(request: Request, { params }: Context) {
  const refused = assertSameOrigin(request);
  if (refused) return refused;
  const allowed = requireRole(await getViewer(), "learner");
  if (!allowed.ok) return allowed.response;
  const left = await leaveCohort(await getPrisma(), allowed.learnerId, (await params).id);
  return left ? new Response(null, { status: 204 }) : fail(404, "you are not a member of this cohort").response;
}
