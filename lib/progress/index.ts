// The visitor's progress through the lessons, for pages and route handlers.
import { currentLearnerId } from "@/lib/auth";
import { getPrisma, lessonStatuses, markLessonStarted, type ProgressStatus } from "@/lib/db";

export type { ProgressStatus };

/** The current visitor's status per lesson slug; lessons missing from the record are not started. */
export async function getLessonStatuses(): Promise<Record<string, ProgressStatus>> {
  const learnerId = await currentLearnerId();
  if (!learnerId) return {};
  return lessonStatuses(await getPrisma(), learnerId);
}

/** Marks a lesson started for the current visitor; false when they have no learner cookie. */
export async function startLesson(lessonSlug: string): Promise<boolean> {
  const learnerId = await currentLearnerId();
  if (!learnerId) return false;
  await markLessonStarted(await getPrisma(), learnerId, lessonSlug);
  return true;
}
