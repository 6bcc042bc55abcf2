/**
 * The answers a learner is filling in, before they are sent. Kept apart from the component so
 * the rules (what an empty answer is, how a step moves) are plain functions.
 */
import type { PublicQuestion } from "@/lib/content/public";
import type { QuizAnswers } from "./api";

/** Per question id: the picked choice (or null), the picked choices, the typed text, or the steps in the learner's order. */
export type Draft = Record<string, string | string[] | null>;

/** Nothing picked or typed; `order` questions start from the shuffled order the server sent. */
export function emptyDraft(questions: readonly PublicQuestion[]): Draft {
  return Object.fromEntries(questions.map((q) => [q.id, initialAnswer(q)]));
}

/** The draft showing a stored attempt's answers (a question left unanswered starts empty). */
export function draftFromAnswers(questions: readonly PublicQuestion[], answers: QuizAnswers): Draft {
  return Object.fromEntries(questions.map((q) => [q.id, answers[q.id] ?? initialAnswer(q)]));
}

/**
 * The body's `answers`: every question named, null where the learner gave no answer (no choice
 * picked, blank text), so the server counts it as unanswered rather than refusing the body.
 */
export function answersFromDraft(questions: readonly PublicQuestion[], draft: Draft): QuizAnswers {
  return Object.fromEntries(
    questions.map((q) => {
      const value = draft[q.id] ?? null;
      if (typeof value === "string" && value.trim() === "") return [q.id, null];
      if (Array.isArray(value) && value.length === 0) return [q.id, null];
      return [q.id, value];
    }),
  );
}

/**
 * Whether the learner has answered the question (for the "n of m answered" count). Steps still
 * in the order they arrived in were not put in order (and that order is never the right one).
 */
export function isAnswered(value: Draft[string] | undefined, question: PublicQuestion): boolean {
  if (question.type === "order") {
    const initial = initialAnswer(question) as string[];
    return Array.isArray(value) && value.some((step, i) => step !== initial[i]);
  }
  if (typeof value === "string") return value.trim() !== "";
  return Array.isArray(value) && value.length > 0;
}

/** Adds or removes a choice of a multiple-choice question, keeping the choices' own order. */
export function toggleChoice(question: PublicQuestion, picked: readonly string[], value: string, on: boolean): string[] {
  const next = new Set(picked);
  if (on) next.add(value);
  else next.delete(value);
  return (question.choices ?? []).map((c) => c.value).filter((c) => next.has(c));
}

/** The list with the item at `from` moved by `delta` places, or null when it cannot move that way. */
export function moveStep(steps: readonly string[], from: number, delta: -1 | 1): string[] | null {
  const to = from + delta;
  if (from < 0 || from >= steps.length || to < 0 || to >= steps.length) return null;
  const next = [...steps];
  [next[from], next[to]] = [next[to], next[from]];
  return next;
}

function initialAnswer(question: PublicQuestion): Draft[string] {
  switch (question.type) {
    case "single":
      return null;
    case "multiple":
      return [];
    case "short":
      return "";
    case "order":
      return (question.choices ?? []).map((c) => c.value);
  }
}
