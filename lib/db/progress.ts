import type { PrismaClient } from "./generated/client";
import { ProgressStatus as DbStatus } from "./generated/enums";

export type ProgressStatus = "not-started" | "started" | "completed";

const fromDb: Record<DbStatus, ProgressStatus> = {
  NOT_STARTED: "not-started",
  STARTED: "started",
  COMPLETED: "completed",
};

/** Every lesson the learner has touched, by slug. Lessons not in the record are not started. */
export async function lessonStatuses(prisma: PrismaClient, learnerId: string): Promise<Record<string, ProgressStatus>> {
  const rows = await prisma.lessonProgress.findMany({ where: { learnerId }, select: { lessonSlug: true, status: true } });
  return Object.fromEntries(rows.map((r) => [r.lessonSlug, fromDb[r.status]]));
}

/**
 * Marks a lesson started for a learner, creating the (guest) learner on first write. A lesson
 * already started or completed keeps its status and its first start time.
 */
export async function markLessonStarted(prisma: PrismaClient, learnerId: string, lessonSlug: string, now = new Date()): Promise<void> {
  await prisma.learner.upsert({
    where: { id: learnerId },
    create: { id: learnerId, createdAt: now, lastSeenAt: now },
    update: { lastSeenAt: now },
  });
  await prisma.lessonProgress.upsert({
    where: { learnerId_lessonSlug: { learnerId, lessonSlug } },
    create: { learnerId, lessonSlug, status: DbStatus.STARTED, startedAt: now },
    update: {},
  });
  await prisma.lessonProgress.updateMany({
    where: { learnerId, lessonSlug, status: DbStatus.NOT_STARTED },
    data: { status: DbStatus.STARTED, startedAt: now },
  });
}
