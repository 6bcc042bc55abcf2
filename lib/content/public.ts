import { micromark } from "micromark";
import type { LessonData } from "./loader";

/** An exercise as the browser may see it: no check and no solution. Markdown is rendered to HTML. */
export interface PublicExercise {
  id: string;
  title: string;
  goalHtml: string;
  instructionsHtml?: string;
  hintsHtml: string[];
}

/** A quiz question as the browser may see it: no answer, no explanation. */
export interface PublicQuestion {
  id: string;
  type: "single" | "multiple" | "short" | "order";
  promptHtml: string;
  choices?: string[];
}

/**
 * Lesson text is ours (the repository's), but micromark still escapes raw HTML in it: only
 * Markdown's own constructs become tags.
 */
export function markdownToHtml(markdown: string): string {
  return micromark(markdown).trim();
}

/** A one-line Markdown string (a goal, a hint) without its wrapping paragraph. */
export function inlineMarkdownToHtml(markdown: string): string {
  return markdownToHtml(markdown).replace(/^<p>([\s\S]*)<\/p>$/, "$1");
}

/** The lesson's exercises without what would give them away. */
export function publicExercises(data: LessonData | null): PublicExercise[] {
  return (data?.exercises ?? []).map((exercise) => ({
    id: exercise.id,
    title: exercise.title,
    goalHtml: inlineMarkdownToHtml(exercise.goal),
    ...(exercise.instructions ? { instructionsHtml: markdownToHtml(exercise.instructions) } : {}),
    hintsHtml: exercise.hints.map(inlineMarkdownToHtml),
  }));
}
