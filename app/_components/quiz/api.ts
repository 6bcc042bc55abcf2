/**
 * What the quiz route (`/api/lessons/[slug]/quiz`) answers, and the two calls the `Quiz`
 * component makes to it. The route builds these shapes; the browser only ever receives an answer
 * key inside a graded attempt.
 */
import type { QuestionResult, QuizAnswers } from "@/lib/grading";

export type { QuizAnswers };

/** One question after grading: the key, and the explanation rendered from Markdown. */
export type QuestionOutcome = Omit<QuestionResult, "explanation"> & { explanationHtml: string };

export interface QuizOutcome {
  /** correct / total, 0..1. */
  score: number;
  correct: number;
  total: number;
  passed: boolean;
  /** The score that passes (and, with the exercises, completes the lesson), 0..1. */
  passScore: number;
  results: QuestionOutcome[];
}

export interface QuizSubmitResponse extends QuizOutcome {
  /** The lesson is completed now (every exercise passed and a quiz score reached passScore). */
  lessonCompleted: boolean;
}

/** The learner's last attempt, with the answers they gave, for showing the graded quiz again. */
export interface QuizAttemptView extends QuizOutcome {
  answers: QuizAnswers;
  /** ISO 8601. */
  submittedAt: string;
}

export interface QuizHistoryResponse {
  passScore: number;
  attempts: number;
  /** 0..1, or null before the first attempt. */
  bestScore: number | null;
  last: QuizAttemptView | null;
}

function quizUrl(slug: string): string {
  return `/api/lessons/${encodeURIComponent(slug)}/quiz`;
}

/** The caller's own attempts at the lesson's quiz. */
export function loadQuizHistory(slug: string, signal?: AbortSignal): Promise<QuizHistoryResponse> {
  return request(quizUrl(slug), { signal, cache: "no-store" });
}

/** Sends every question's answer (null for none) and returns the graded attempt. */
export function submitQuiz(slug: string, answers: QuizAnswers): Promise<QuizSubmitResponse> {
  return request(quizUrl(slug), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ answers }),
  });
}

/** Fetches JSON; a failed request throws an Error carrying the server's one-line message. */
async function request<T>(url: string, init: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (response.ok) return (await response.json()) as T;
  const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
  const message = typeof body?.error === "string" ? body.error : `the server answered ${response.status}`;
  throw new Error(message);
}
