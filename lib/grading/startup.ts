import { getLessonData, listLessons } from "@/lib/content";
import { lessonCluster, type LessonCluster } from "./lesson-cluster";
import { gradingPool } from "./pool";

/**
 * Starts the grading workers when the server starts (instrumentation.ts), each with every
 * lesson's cluster booted and warmed up, so that the first learner's Check waits for neither.
 * A pool that cannot start is reported here and refuses Checks one by one (pool.ts); the rest of
 * the site still serves.
 */
export async function startGradingAtStartup(): Promise<void> {
  const started = performance.now();
  try {
    const clusters = await lessonClusters();
    const pool = gradingPool();
    await pool.start(clusters);
    console.log(`netlab: grading ready (${pool.ready} workers, ${clusters.length} lesson clusters booted in ${Math.round(performance.now() - started)} ms)`);
  } catch (error) {
    console.error(`netlab: the grading workers could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Each distinct cluster the lessons start from. */
async function lessonClusters(): Promise<LessonCluster[]> {
  const clusters = new Map<string, LessonCluster>();
  for (const meta of await listLessons()) {
    const cluster = lessonCluster(meta, await getLessonData(meta.slug));
    clusters.set(JSON.stringify(cluster), cluster);
  }
  return [...clusters.values()];
}
