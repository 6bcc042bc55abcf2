import { z } from "zod";
import { getViewer, requireRole } from "@/lib/auth";
import { formatJoinCode, getPrisma, joinCohort, normalizeJoinCode } from "@/lib/db";
import { assertSameOrigin, fail, readJsonBody } from "@/lib/http";
import { PRIVATE } from "../json";

const JoinRequest = z.strictObject({
  code: z.string().refine((code) => normalizeJoinCode(code) !== null, "expected the 8-character join code your instructor gave you, like ABCD-2345"),
});

/**
 * POST { code } — the signed-in caller joins the cohort with that code. Joining again changes
 * nothing. Guests are asked to sign up first: an instructor's table names its learners.
 */
export async function POST(request: Request) {
  const refused = assertSameOrigin(request);
  if (refused) return refused;
  const viewer = await getViewer();
  if (!viewer.account) return fail(401, "create an account or sign in to join a cohort").response;
  const allowed = requireRole(viewer, "learner");
  if (!allowed.ok) return allowed.response;
  const body = await readJsonBody(request, JoinRequest, 256);
  if (!body.ok) return body.response;
  const membership = await joinCohort(await getPrisma(), allowed.learnerId, body.data.code);
  if (!membership) return fail(404, `no cohort has the code ${formatJoinCode(normalizeJoinCode(body.data.code)!)}; check it with your instructor`).response;
  return Response.json(
    { cohort: { id: membership.cohortId, name: membership.name, ownerName: membership.ownerName, joinedAt: membership.joinedAt.toISOString() } },
    { headers: PRIVATE },
  );
}
