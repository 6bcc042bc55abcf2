import { getLessonData, listLessons, type LessonMeta } from "@/lib/content";
import type { CourseLesson } from "@/lib/db";

/** A lesson with what progress views need from its data files (and nothing that gives answers away). */
export interface CourseEntry {
  meta: LessonMeta;
  /** Exercise titles by id, in the lesson's order. */
  exercises: { id: string; title: string }[];
  hasQuiz: boolean;
}

/** The course in order: the catalog, the dashboard and cohort tables all count against it. */
export async function loadCourse(): Promise<CourseEntry[]> {
  const lessons = await listLessons();
  return Promise.all(
    lessons.map(async (meta) => {
      const data = await getLessonData(meta.slug);
      return {
        meta,
        exercises: (data?.exercises ?? []).map(({ id, title }) => ({ id, title })),
        hasQuiz: Boolean(data?.quiz),
      };
    }),
  );
}

/** What lib/db's progress queries need to know of each lesson. */
export function courseOutline(course: readonly CourseEntry[]): CourseLesson[] {
  return course.map((entry) => ({ slug: entry.meta.slug, exerciseIds: entry.exercises.map((e) => e.id), hasQuiz: entry.hasQuiz }));
}
