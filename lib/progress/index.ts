// The visitor's progress through the lessons, for pages and route handlers.
import { getViewer } from "@/lib/auth";
import { getPrisma, markLessonStarted, type ProgressStatus } from "@/lib/db";

export type { ProgressStatus };

/** Marks a lesson started for the current visitor; false when they have no learner cookie. */
export async function startLesson(lessonSlug: string): Promise<boolean> {
  const { learnerId } = await getViewer();
  if (!learnerId) return false;
  await markLessonStarted(await getPrisma(), learnerId, lessonSlug);
  return true;
}
