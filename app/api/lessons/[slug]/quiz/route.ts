import { getViewer } from "@/lib/auth";
import { getLessonData, type Quiz } from "@/lib/content";
import { markdownToHtml } from "@/lib/content/public";
import { getPrisma, QUIZ_PASS_SCORE, quizHistory, recordQuizAttempt } from "@/lib/db";
import { gradeQuiz, QUIZ_BODY_LIMIT, quizSubmissionSchema, storedAnswers, type QuestionResult, type QuizGrade } from "@/lib/grading";
import { assertSameOrigin, fail, readJsonBody } from "@/lib/http";
import type { QuizAttemptView, QuizHistoryResponse, QuizOutcome, QuizSubmitResponse } from "@/app/_components/quiz/api";

type Context = { params: Promise<{ slug: string }> };

// Answers are per learner: never let a shared cache keep them.
const PRIVATE = { "cache-control": "private, no-store" };

/**
 * POST { answers: { <question id>: answer | null } } — grades the caller's quiz on the server,
 * stores the attempt and answers with the score and, only now, the answer key and explanations.
 */
export async function POST(request: Request, { params }: Context) {
  const refused = assertSameOrigin(request);
  if (refused) return refused;
  const lesson = await lessonQuiz((await params).slug);
  if (!lesson.ok) return lesson.response;
  const { learnerId } = await getViewer();
  if (!learnerId) return fail(401, "no learner cookie; reload the page").response;
  const submission = await readJsonBody(request, quizSubmissionSchema(lesson.quiz), QUIZ_BODY_LIMIT);
  if (!submission.ok) return submission.response;

  const { answers } = submission.data;
  const grade = gradeQuiz(lesson.quiz, answers);
  const { lessonCompleted } = await recordQuizAttempt(
    await getPrisma(),
    { learnerId, lessonSlug: lesson.slug, answers, correct: grade.correct, total: grade.total, score: grade.score },
    { exerciseIds: lesson.exerciseIds, hasQuiz: true },
  );
  const body: QuizSubmitResponse = { ...outcome(grade, grade.results), lessonCompleted };
  return Response.json(body, { headers: PRIVATE });
}

/**
 * GET — the caller's own record for this quiz: how many attempts, the best score, and the last
 * attempt graded again with its answers, so a reload shows the quiz as it was submitted. A
 * learner who has not submitted gets `last: null` and no answer key.
 */
export async function GET(_request: Request, { params }: Context) {
  const lesson = await lessonQuiz((await params).slug);
  if (!lesson.ok) return lesson.response;
  const { learnerId } = await getViewer();
  if (!learnerId) return Response.json({ passScore: QUIZ_PASS_SCORE, attempts: 0, bestScore: null, last: null } satisfies QuizHistoryResponse, { headers: PRIVATE });
  const history = await quizHistory(await getPrisma(), learnerId, lesson.slug);
  let last: QuizAttemptView | null = null;
  if (history.last) {
    // The figures as recorded; the per-question results are graded again from the stored answers
    // against the quiz as it is now (explanations may have been improved since).
    const answers = storedAnswers(lesson.quiz, history.last.answers);
    const { results } = gradeQuiz(lesson.quiz, answers);
    last = { ...outcome(history.last, results), answers, submittedAt: history.last.createdAt.toISOString() };
  }
  const body: QuizHistoryResponse = { passScore: QUIZ_PASS_SCORE, attempts: history.attempts, bestScore: history.bestScore, last };
  return Response.json(body, { headers: PRIVATE });
}

type LessonQuiz = { ok: true; slug: string; quiz: Quiz; exerciseIds: string[] } | { ok: false; response: Response };

async function lessonQuiz(slug: string): Promise<LessonQuiz> {
  const data = await getLessonData(slug);
  if (!data) return fail(404, `no lesson named "${slug}"`);
  if (!data.quiz) return fail(404, `lesson "${slug}" has no quiz`);
  return { ok: true, slug, quiz: data.quiz, exerciseIds: data.exercises.map((e) => e.id) };
}

/** A graded attempt as the learner sees it after submitting: explanations rendered from Markdown. */
function outcome(figures: Pick<QuizGrade, "score" | "correct" | "total">, results: QuestionResult[]): QuizOutcome {
  return {
    score: figures.score,
    correct: figures.correct,
    total: figures.total,
    passed: figures.score >= QUIZ_PASS_SCORE,
    passScore: QUIZ_PASS_SCORE,
    results: results.map(({ explanation, ...result }) => ({ ...result, explanationHtml: markdownToHtml(explanation) })),
  };
}
