/**
 * lib/content — lessons from `content/lessons/NN-slug/`, validated and compiled with
 * mdx-bundler. Server-only (node:fs, esbuild): import it from Server Components, route handlers
 * and scripts, never from a client component.
 *
 * @example
 * import { listLessons, getLesson } from "@/lib/content";
 * export async function generateStaticParams() {
 *   return (await listLessons()).map(({ slug }) => ({ slug }));
 * }
 * const lesson = await getLesson("network-namespaces"); // { ...meta, code, toc } or null
 */
import { createContentLoader, type ContentLoader } from "./loader";
import type { Lesson, LessonMeta } from "./types";

export { LessonContentError } from "./errors";
export { createContentLoader, FOLDER_PATTERN, LESSON_FILES } from "./loader";
export type { ContentLoader, ContentLoaderOptions, LessonData } from "./loader";
export { ALLOWED_COMPONENTS, CALLOUT_TYPES } from "./mdx-plugins";
export type { Exercise, Frontmatter, Quiz, QuizQuestion, ScenarioFile } from "./schemas";
export type { Lesson, LessonMeta, TocEntry } from "./types";

let defaultLoader: ContentLoader | undefined;

/** The loader for `<process.cwd()>/content/lessons`, created on first use. */
function loader(): ContentLoader {
  defaultLoader ??= createContentLoader();
  return defaultLoader;
}

/** Every lesson's metadata, sorted by order. Throws LessonContentError on malformed content. */
export function listLessons(): Promise<LessonMeta[]> {
  return loader().listLessons();
}

/** The compiled lesson (`code` for getMDXComponent, `toc` of h2/h3), or null for an unknown slug. */
export function getLesson(slug: string): Promise<Lesson | null> {
  return loader().getLesson(slug);
}

/** The lessons before and after `slug` in course order (null at either end or for an unknown slug). */
export function getAdjacentLessons(slug: string): Promise<{ previous: LessonMeta | null; next: LessonMeta | null }> {
  return loader().getAdjacentLessons(slug);
}

/** Scenario, exercises and quiz (with answers) of a lesson, for the engine and the grader. */
export function getLessonData(slug: string): ReturnType<ContentLoader["getLessonData"]> {
  return loader().getLessonData(slug);
}

/**
 * Loads and compiles every lesson and throws the first error — the prebuild check.
 *
 * @example
 * // scripts/check-content.mjs (run with tsx)
 * const lessons = await validateAllLessons();
 * console.log(`content: ${lessons.length} lessons OK`);
 */
export function validateAllLessons(): Promise<LessonMeta[]> {
  return loader().validateAllLessons();
}
