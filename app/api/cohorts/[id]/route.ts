import { courseOutline, loadCourse } from "@/app/dashboard/course";
import { getViewer, requireRole } from "@/lib/auth";
import { cohortTable, deleteCohort, getPrisma } from "@/lib/db";
import { assertSameOrigin, fail } from "@/lib/http";
import { cohortTableJson, PRIVATE } from "../json";

type Context = { params: Promise<{ id: string }> };

/**
 * GET — the cohort's learners × lessons. 403 for a learner; 404 for a cohort that is not the
 * caller's (an admin sees every cohort), so an id never tells whether it exists.
 */
export async function GET(_request: Request, { params }: Context) {
  const allowed = requireRole(await getViewer(), "instructor");
  if (!allowed.ok) return allowed.response;
  const course = await loadCourse();
  const table = await cohortTable(await getPrisma(), { learnerId: allowed.learnerId, role: allowed.account.role }, (await params).id, courseOutline(course));
  if (!table) return fail(404, "no such cohort").response;
  return Response.json(cohortTableJson(table, course), { headers: PRIVATE });
}

/** DELETE — removes one of the caller's cohorts and its memberships (not the learners' progress). */
export async function DELETE(request: Request, { params }: Context) {
  const refused = assertSameOrigin(request);
  if (refused) return refused;
  const allowed = requireRole(await getViewer(), "instructor");
  if (!allowed.ok) return allowed.response;
  const deleted = await deleteCohort(await getPrisma(), { learnerId: allowed.learnerId, role: allowed.account.role }, (await params).id);
  return deleted ? new Response(null, { status: 204 }) : fail(404, "no such cohort").response;
}
