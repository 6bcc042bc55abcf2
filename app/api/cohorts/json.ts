import { formatJoinCode, memberName, type CohortListItem, type CohortTable } from "@/lib/db";
import type { CourseEntry } from "@/app/dashboard/course";

/** Cohort data is about people: never let a shared cache keep it. */
export const PRIVATE = { "cache-control": "private, no-store" };

/** A cohort as the API shows it: the join code in its readable `ABCD-2345` form. */
export function cohortJson(cohort: CohortListItem) {
  return {
    id: cohort.id,
    name: cohort.name,
    joinCode: formatJoinCode(cohort.joinCode),
    createdAt: cohort.createdAt.toISOString(),
    memberCount: cohort.memberCount,
    owner: { email: cohort.owner.email, displayName: cohort.owner.displayName },
  };
}

/** The cohort table: the course's lessons as columns and one row per member, in name order. */
export function cohortTableJson(table: CohortTable, course: readonly CourseEntry[]) {
  return {
    cohort: cohortJson(table.cohort),
    lessons: course.map(({ meta }) => ({ slug: meta.slug, order: meta.order, title: meta.title })),
    members: table.members.map((m) => ({
      name: memberName(m),
      email: m.email,
      joinedAt: m.joinedAt.toISOString(),
      lessons: m.lessons,
    })),
  };
}
