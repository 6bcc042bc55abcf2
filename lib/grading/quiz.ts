/**
 * Quiz grading on the server. The browser sends one answer per question; the answer key in
 * `quiz.yaml` never leaves the server until the learner has submitted.
 *
 * @example
 * const body = await readJsonBody(request, quizSubmissionSchema(quiz), QUIZ_BODY_LIMIT);
 * const grade = gradeQuiz(quiz, body.data.answers); // { correct, total, score, results }
 */
import { z } from "zod";
import type { Quiz, QuizQuestion } from "@/lib/content";

/** A learner's answer: a choice, a list of choices (multiple, order), free text, or null for none. */
export type QuizAnswer = string | string[] | null;

/** One answer per question id, as the learner sent it. */
export type QuizAnswers = Record<string, QuizAnswer>;

/** A quiz submission is a handful of short strings; anything larger is not one. */
export const QUIZ_BODY_LIMIT = 16 * 1024;

/** A short answer is a word or a phrase; the limit keeps stored attempts small. */
const SHORT_ANSWER_MAX = 300;

export interface QuestionResult {
  id: string;
  correct: boolean;
  /**
   * The answer key: the choice (single), the right choices (multiple), the sequence (order),
   * or every accepted form (short).
   */
  expected: string | string[];
  /** Markdown, as written in quiz.yaml. */
  explanation: string;
  /** multiple only: right choices the learner left out, and wrong ones they picked. */
  missed?: string[];
  extra?: string[];
}

export interface QuizGrade {
  correct: number;
  total: number;
  /** correct / total, 0..1. */
  score: number;
  results: QuestionResult[];
}

/**
 * The request body `{ answers: { <question id>: answer } }` for this quiz. Every question must be
 * named (null leaves it unanswered, which counts as wrong), so a page built from an older quiz is
 * refused instead of graded against questions it never showed. Each issue names its field, e.g.
 * `answers.crictl: expected a string (the answer) or null`.
 */
export function quizSubmissionSchema(quiz: Quiz) {
  const questions = new Map(quiz.questions.map((q) => [q.id, q]));
  return z
    .strictObject(
      {
        // Not z.record: it copies the object and silently drops a "__proto__" key; this keeps
        // JSON.parse's own keys so that every key is checked against the quiz.
        answers: z.custom<Record<string, unknown>>(isPlainObject, { error: "expected a mapping of question id to answer" }),
      },
      { error: "expected { answers: { <question id>: answer } }" },
    )
    .superRefine(({ answers }, ctx) => {
      for (const id of Object.keys(answers)) {
        if (!questions.has(id)) {
          ctx.addIssue({ code: "custom", path: ["answers", id], message: "no such question in this quiz (reload the page)" });
        }
      }
      for (const question of quiz.questions) {
        const problem = Object.hasOwn(answers, question.id)
          ? answerProblem(question, answers[question.id])
          : "missing: send an answer for every question (null leaves it unanswered)";
        if (problem) ctx.addIssue({ code: "custom", path: ["answers", question.id], message: problem });
      }
    })
    .transform(({ answers }) => ({ answers: answers as QuizAnswers }));
}

/**
 * The answers stored with an earlier attempt, read against the quiz as it is now: an answer that
 * no longer fits its question (the quiz was edited since) counts as unanswered.
 */
export function storedAnswers(quiz: Quiz, stored: unknown): QuizAnswers {
  const answers = isPlainObject(stored) ? stored : {};
  return Object.fromEntries(
    quiz.questions.map((q) => {
      const value = Object.hasOwn(answers, q.id) ? answers[q.id] : null;
      return [q.id, answerProblem(q, value) === null ? (value as QuizAnswer) : null];
    }),
  );
}

/** Grades validated answers (see quizSubmissionSchema); a question without an answer is wrong. */
export function gradeQuiz(quiz: Quiz, answers: QuizAnswers): QuizGrade {
  const results = quiz.questions.map((q) => gradeQuestion(q, answers[q.id] ?? null));
  const correct = results.filter((r) => r.correct).length;
  const total = results.length;
  return { correct, total, score: total === 0 ? 0 : correct / total, results };
}

/**
 * What a short answer is compared as: trimmed, case-folded, inner whitespace collapsed, without a
 * trailing period or the backticks a learner may copy from Markdown (`` `crictl`. `` → `crictl`).
 */
export function normalizeShortAnswer(text: string): string {
  let s = text.normalize("NFKC").trim();
  const quoted = /^(`+)([\s\S]*)\1\.?$/.exec(s);
  if (quoted) s = quoted[2].trim();
  return s.replace(/\.$/, "").replace(/\s+/g, " ").trim().toLowerCase();
}

function gradeQuestion(question: QuizQuestion, answer: QuizAnswer): QuestionResult {
  const { id, explanation } = question;
  const key = question.answer;
  switch (question.type) {
    case "single":
      return { id, explanation, expected: key, correct: answer === key };
    case "short": {
      const accepted = typeof key === "string" ? [key] : key;
      const given = typeof answer === "string" ? normalizeShortAnswer(answer) : null;
      return { id, explanation, expected: accepted, correct: given !== null && given !== "" && accepted.some((a) => normalizeShortAnswer(a) === given) };
    }
    case "multiple": {
      const right = asList(key);
      const picked = Array.isArray(answer) ? answer : [];
      const missed = right.filter((c) => !picked.includes(c));
      const extra = picked.filter((c) => !right.includes(c));
      return { id, explanation, expected: right, correct: missed.length === 0 && extra.length === 0, missed, extra };
    }
    case "order": {
      const sequence = asList(key);
      const correct = Array.isArray(answer) && answer.length === sequence.length && answer.every((c, i) => c === sequence[i]);
      return { id, explanation, expected: sequence, correct };
    }
  }
}

/** Why a value cannot be an answer to this question, or null when it can. */
function answerProblem(question: QuizQuestion, value: unknown): string | null {
  if (value === null) return null;
  const choices = question.choices ?? [];
  switch (question.type) {
    case "short":
      if (typeof value !== "string") return "expected a string (the answer) or null";
      return value.length > SHORT_ANSWER_MAX ? `expected at most ${SHORT_ANSWER_MAX} characters` : null;
    case "single":
      if (typeof value !== "string") return "expected one of the question's choices (a string) or null";
      return choices.includes(value) ? null : `${JSON.stringify(value)} is not one of the question's choices`;
    case "multiple":
    case "order": {
      if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
        return `expected a list of the question's choices${question.type === "multiple" ? "" : " in order"} or null`;
      }
      const stray = value.find((v) => !choices.includes(v));
      if (stray !== undefined) return `${JSON.stringify(stray)} is not one of the question's choices`;
      if (new Set(value).size !== value.length) return "lists a choice twice";
      if (question.type === "order" && value.length !== choices.length) return "expected every choice exactly once, in your order";
      return null;
    }
  }
}

function asList(answer: string | string[]): string[] {
  return typeof answer === "string" ? [answer] : answer;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
