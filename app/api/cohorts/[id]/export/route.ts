import { courseOutline, loadCourse } from "@/app/dashboard/course";
import { getViewer, requireRole } from "@/lib/auth";
import { cohortTable, getPrisma } from "@/lib/db";
import { fail } from "@/lib/http";
import { cohortCsv } from "./csv";

type Context = { params: Promise<{ id: string }> };

/** GET — the cohort table as a CSV download, under the same rules as GET /api/cohorts/[id]. */
export async function GET(_request: Request, { params }: Context) {
  const allowed = requireRole(await getViewer(), "instructor");
  if (!allowed.ok) return allowed.response;
  const course = await loadCourse();
  const table = await cohortTable(await getPrisma(), { learnerId: allowed.learnerId, role: allowed.account.role }, (await params).id, courseOutline(course));
  if (!table) return fail(404, "no such cohort").response;
  const file = `${table.cohort.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "cohort"}-progress.csv`;
  return new Response(cohortCsv(table, course), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${file}"`,
      "cache-control": "private, no-store",
    },
  });
}
