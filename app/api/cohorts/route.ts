import { z } from "zod";
import { getViewer, requireRole } from "@/lib/auth";
import { createCohort, getPrisma, listCohorts } from "@/lib/db";
import { assertSameOrigin, readJsonBody } from "@/lib/http";
import { cohortJson, PRIVATE } from "./json";

const CreateCohort = z.strictObject({ name: z.string().trim().min(1, "give the cohort a name").max(80, "at most 80 characters") });

/** GET — the caller's cohorts (an admin's: all of them) with member counts. Instructors and admins only. */
export async function GET() {
  const allowed = requireRole(await getViewer(), "instructor");
  if (!allowed.ok) return allowed.response;
  const cohorts = await listCohorts(await getPrisma(), { learnerId: allowed.learnerId, role: allowed.account.role });
  return Response.json({ cohorts: cohorts.map(cohortJson) }, { headers: PRIVATE });
}

/** POST { name } — creates a cohort owned by the caller, with a fresh join code. 201 with the cohort. */
export async function POST(request: Request) {
  const refused = assertSameOrigin(request);
  if (refused) return refused;
  const allowed = requireRole(await getViewer(), "instructor");
  if (!allowed.ok) return allowed.response;
  const body = await readJsonBody(request, CreateCohort, 1024);
  if (!body.ok) return body.response;
  const cohort = await createCohort(await getPrisma(), { learnerId: allowed.learnerId, role: allowed.account.role }, body.data.name);
  return Response.json({ cohort: cohortJson(cohort) }, { status: 201, headers: PRIVATE });
}
