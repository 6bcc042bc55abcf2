import { createHash } from "node:crypto";
import { micromark } from "micromark";
import type { LessonData } from "./loader";
import type { QuizQuestion } from "./schemas";

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
  /** `value` is what the browser sends back as the answer; `html` is how it is shown. */
  choices?: PublicChoice[];
}

export interface PublicChoice {
  value: string;
  html: string;
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

/**
 * The lesson's quiz without answers and explanations. Choices keep the author's order, except
 * for `order` questions, whose steps would otherwise arrive in the answer's order: they are
 * shuffled deterministically (the same for every learner and every render), never into the
 * right sequence.
 */
export function publicQuiz(data: LessonData | null): PublicQuestion[] {
  return (data?.quiz?.questions ?? []).map((question) => {
    const choices = question.type === "order" ? shuffledSteps(question) : question.choices;
    return {
      id: question.id,
      type: question.type,
      promptHtml: inlineMarkdownToHtml(question.prompt),
      ...(choices ? { choices: choices.map((value) => ({ value, html: inlineMarkdownToHtml(value) })) } : {}),
    };
  });
}

/**
 * The steps of an `order` question sorted by a hash of question id and step, a shuffle seeded by
 * the id. Should that land on the right sequence, it is rotated by one, which always differs.
 */
function shuffledSteps(question: QuizQuestion): string[] {
  const steps = typeof question.answer === "string" ? [question.answer] : question.answer;
  const ranked = steps.map((step) => ({ step, rank: createHash("sha256").update(`${question.id}\n${step}`).digest("hex") }));
  const shuffled = ranked.sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0)).map((r) => r.step);
  return shuffled.every((step, i) => step === steps[i]) ? [...shuffled.slice(1), shuffled[0]] : shuffled;
}
