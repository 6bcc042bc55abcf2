import { describe, expect, it, vi } from "vitest";
import * as route from "@/app/api/lessons/[slug]/quiz/route";
import type { QuizHistoryResponse, QuizSubmitResponse } from "@/app/_components/quiz/api";
import { LEARNER_COOKIE } from "@/lib/auth";
import { getLessonData, listLessons, type Quiz } from "@/lib/content";
import { publicQuiz } from "@/lib/content/public";
import { lessonStatuses } from "@/lib/db";
import type { QuizAnswers } from "@/lib/grading";
import { ORIGIN, withTestDatabase, Visitor } from "../../harness";

vi.mock("next/headers", () => import("../../harness").then((h) => h.nextHeaders));

// Every real lesson has a quiz; this one stands in for a lesson without one.
vi.mock("@/lib/content", async (importOriginal) => {
  const content = await importOriginal<typeof import("@/lib/content")>();
  return {
    ...content,
    getLessonData: (slug: string) => (slug === "no-quiz" ? Promise.resolve({ scenario: null, exercises: [], quiz: null }) : content.getLessonData(slug)),
  };
});

const { db } = withTestDatabase();

// The harness passes params as Record<string, string>; the route declares them as { slug }.
type Params = { params: Promise<Record<string, string>> };
const GET = (request: Request, context: Params) => route.GET(request, context as { params: Promise<{ slug: string }> });
const POST = (request: Request, context: Params) => route.POST(request, context as { params: Promise<{ slug: string }> });

const SLUG = "cluster-anatomy";
const PATH = `/api/lessons/${SLUG}/quiz`;
const params = { slug: SLUG };

async function lessonQuiz(slug = SLUG): Promise<Quiz> {
  const quiz = (await getLessonData(slug))?.quiz;
  if (!quiz) throw new Error(`lesson ${slug} has no quiz`);
  return quiz;
}

/** Every question answered right (short answers in a form a learner might type). */
function rightAnswers(quiz: Quiz): QuizAnswers {
  return Object.fromEntries(
    quiz.questions.map((q) => [q.id, q.type === "short" ? ` \`${[q.answer].flat()[0].toUpperCase()}\`. ` : q.answer]),
  );
}

/** Only the first `right` questions answered right, the rest left unanswered. */
function partlyRight(quiz: Quiz, right: number): QuizAnswers {
  const answers = rightAnswers(quiz);
  quiz.questions.slice(right).forEach((q) => (answers[q.id] = null));
  return answers;
}

function learner(): { visitor: Visitor; id: string } {
  const visitor = new Visitor();
  const id = crypto.randomUUID();
  visitor.jar.set(LEARNER_COOKIE, id);
  return { visitor, id };
}

/** Every key of every object inside a JSON value. */
function keysDeep(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysDeep);
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => [k, ...keysDeep(v)]);
  return [];
}

describe("publicQuiz", () => {
  it("sends no answer and no explanation for any lesson's quiz", async () => {
    const lessons = await listLessons();
    let questions = 0;
    for (const { slug } of lessons) {
      const data = await getLessonData(slug);
      const json = JSON.stringify(publicQuiz(data));
      const keys = new Set(keysDeep(JSON.parse(json)));
      expect(keys.has("answer"), slug).toBe(false);
      expect(keys.has("explanation"), slug).toBe(false);
      for (const q of data?.quiz?.questions ?? []) {
        questions++;
        // Not even the words: an explanation's text appears nowhere in what the page receives.
        expect(json).not.toContain(JSON.stringify(q.explanation).slice(1, 41));
      }
    }
    expect(questions).toBeGreaterThan(10);
  });

  it("renders prompts and choices from Markdown and keeps single/multiple choices in the author's order", async () => {
    const quiz = await lessonQuiz();
    const shown = publicQuiz({ scenario: null, exercises: [], quiz });
    const deletePod = shown.find((q) => q.id === "delete-mirror-pod")!;
    expect(deletePod.promptHtml).toBe("You run <code>kubectl delete pod kube-scheduler-controlplane -n kube-system</code>. What happens?");
    const source = quiz.questions.find((q) => q.id === "delete-mirror-pod")!;
    expect(deletePod.choices?.map((c) => c.value)).toEqual(source.choices);
    expect(shown.find((q) => q.type === "short")).not.toHaveProperty("choices");
  });

  it("shuffles order questions the same way every time, never into the right sequence", async () => {
    const quizzes = await Promise.all(["cluster-anatomy", "workloads-and-labels"].map((slug) => lessonQuiz(slug)));
    // A two-step question whose hash order would be the answer order is rotated.
    const tiny: Quiz = { questions: ["a", "b", "c", "d", "e", "f"].map((id) => ({ id, type: "order", prompt: "?", choices: ["2", "1"], answer: ["1", "2"], explanation: "." })) };
    let orderQuestions = 0;
    for (const quiz of [...quizzes, tiny]) {
      const first = publicQuiz({ scenario: null, exercises: [], quiz });
      expect(publicQuiz({ scenario: null, exercises: [], quiz })).toEqual(first);
      for (const q of quiz.questions.filter((q) => q.type === "order")) {
        orderQuestions++;
        const shown = first.find((p) => p.id === q.id)!.choices!.map((c) => c.value);
        expect(shown, q.id).not.toEqual(q.answer);
        expect(shown.toSorted()).toEqual([q.answer].flat().toSorted());
      }
    }
    expect(orderQuestions).toBe(8);
  });
});

describe("GET /api/lessons/[slug]/quiz", () => {
  it("gives a learner who has not submitted no answer key at all", async () => {
    const { visitor } = learner();
    const res = await visitor.get(GET, PATH, { params });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const body = (await res.json()) as QuizHistoryResponse;
    expect(body).toEqual({ passScore: 0.7, attempts: 0, bestScore: null, last: null });
  });

  it("answers 404 for an unknown lesson and for a lesson without a quiz", async () => {
    const { visitor } = learner();
    const unknown = await visitor.get(GET, "/api/lessons/nope/quiz", { params: { slug: "nope" } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: 'no lesson named "nope"' });
    const noQuiz = await visitor.get(GET, "/api/lessons/no-quiz/quiz", { params: { slug: "no-quiz" } });
    expect(noQuiz.status).toBe(404);
    expect(await noQuiz.json()).toEqual({ error: 'lesson "no-quiz" has no quiz' });
    expect((await visitor.post(POST, "/api/lessons/no-quiz/quiz", { answers: {} }, { params: { slug: "no-quiz" } })).status).toBe(404);
  });
});

describe("POST /api/lessons/[slug]/quiz", () => {
  it("grades on the server, stores the answers as given and only now reveals key and explanations", async () => {
    const quiz = await lessonQuiz();
    const { visitor, id } = learner();
    const answers = rightAnswers(quiz);
    const res = await visitor.post(POST, PATH, { answers }, { params });
    expect(res.status).toBe(200);
    const body = (await res.json()) as QuizSubmitResponse;
    expect(body).toMatchObject({ score: 1, correct: 8, total: 8, passed: true, passScore: 0.7, lessonCompleted: false });
    const crictl = body.results.find((r) => r.id === "crictl")!;
    expect(crictl).toMatchObject({ correct: true, expected: ["crictl", "crictl pods", "crictl ps"] });
    expect(crictl.explanationHtml).toContain("<code>crictl pods</code>");

    const rows = await db().prisma.quizAttempt.findMany({ where: { learnerId: id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ lessonSlug: SLUG, answers, correct: 8, total: 8, score: 1 });
  });

  it("marks wrong and missing answers, passes at 70% and completes the lesson once its exercises passed", async () => {
    const data = await getLessonData(SLUG);
    const quiz = data!.quiz!;
    const { visitor, id } = learner();
    for (const exerciseId of data!.exercises.map((e) => e.id)) {
      await db().prisma.learner.upsert({ where: { id }, create: { id }, update: {} });
      await db().prisma.exerciseAttempt.create({
        data: { learnerId: id, lessonSlug: SLUG, exerciseId, passed: true, outcomes: [], failedChecks: [], scenario: "s", seed: 1, transcriptHash: "h", transcriptSize: 0, replayMs: 1 },
      });
    }
    const wrong = { ...partlyRight(quiz, 5), "what-is-a-static-pod": ["etcd", "kubelet"] };
    const low = (await (await visitor.post(POST, PATH, { answers: wrong }, { params })).json()) as QuizSubmitResponse;
    expect(low).toMatchObject({ correct: 4, total: 8, score: 0.5, passed: false, lessonCompleted: false });
    expect(low.results.find((r) => r.id === "what-is-a-static-pod")).toMatchObject({
      correct: false,
      missed: ["kube-apiserver", "kube-scheduler", "kube-controller-manager"],
      extra: ["kubelet"],
    });
    expect(low.results.find((r) => r.id === "kubelet-stopped")).toMatchObject({ correct: false, expected: quiz.questions[6].answer });
    expect(await lessonStatuses(db().prisma, id)).toEqual({});

    const pass = (await (await visitor.post(POST, PATH, { answers: partlyRight(quiz, 6) }, { params })).json()) as QuizSubmitResponse;
    expect(pass).toMatchObject({ correct: 6, total: 8, score: 0.75, passed: true, lessonCompleted: true });
    expect(await lessonStatuses(db().prisma, id)).toEqual({ [SLUG]: "completed" });
  });

  it("shows each learner their own best score and last attempt, graded, and nobody else's", async () => {
    const quiz = await lessonQuiz();
    const alice = learner();
    const bob = learner();
    await alice.visitor.post(POST, PATH, { answers: rightAnswers(quiz) }, { params });
    await new Promise((resolve) => setTimeout(resolve, 5)); // distinct created_at for "last"
    const lastAnswers = partlyRight(quiz, 3);
    await alice.visitor.post(POST, PATH, { answers: lastAnswers }, { params });

    const mine = (await (await alice.visitor.get(GET, PATH, { params })).json()) as QuizHistoryResponse;
    expect(mine).toMatchObject({ attempts: 2, bestScore: 1 });
    expect(mine.last).toMatchObject({ score: 3 / 8, correct: 3, total: 8, passed: false, answers: lastAnswers });
    expect(mine.last!.results.map((r) => r.correct)).toEqual([true, true, true, false, false, false, false, false]);
    expect(mine.last!.results[7].explanationHtml).toContain("FailedScheduling");

    const theirs = await bob.visitor.get(GET, PATH, { params });
    expect(await theirs.json()).toEqual({ passScore: 0.7, attempts: 0, bestScore: null, last: null });
    // The learner id comes from the cookie only: a query string naming Alice changes nothing.
    const sneaky = await bob.visitor.get(GET, `${PATH}?learner=${alice.id}&learnerId=${alice.id}`, { params });
    expect((await sneaky.json()).attempts).toBe(0);
  });

  it("refuses a cross-site submission and stores nothing", async () => {
    const quiz = await lessonQuiz();
    const { visitor, id } = learner();
    const res = await visitor.post(POST, PATH, { answers: rightAnswers(quiz) }, { params, headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" } });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: "cross-site request refused" });
    expect(await db().prisma.quizAttempt.count({ where: { learnerId: id } })).toBe(0);
  });

  it("refuses a visitor without a learner cookie", async () => {
    const quiz = await lessonQuiz();
    const before = await db().prisma.quizAttempt.count();
    const res = await new Visitor().post(POST, PATH, { answers: rightAnswers(quiz) }, { params });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "no learner cookie; reload the page" });
    expect(await db().prisma.quizAttempt.count()).toBe(before);
  });

  it("refuses malformed, incomplete, mistyped and oversized bodies with a clear message and stores nothing", async () => {
    const quiz = await lessonQuiz();
    const { visitor, id } = learner();
    const expectError = async (res: Response, status: number, error: string | RegExp) => {
      expect(res.status).toBe(status);
      const body = await res.json();
      expect(Object.keys(body)).toEqual(["error"]);
      expect(body.error).toMatch(error);
    };
    await expectError(await visitor.call(POST, "POST", PATH, { raw: "{answers:", params }), 400, "request body is not valid JSON");
    await expectError(await visitor.post(POST, PATH, { answers: { ...rightAnswers(quiz), crictl: 7 } }, { params }), 400, "answers.crictl: expected a string (the answer) or null");
    const incomplete = rightAnswers(quiz);
    delete incomplete.crictl;
    await expectError(await visitor.post(POST, PATH, { answers: incomplete }, { params }), 400, /^answers\.crictl: missing/);
    await expectError(await visitor.post(POST, PATH, { answers: { ...rightAnswers(quiz), "from-another-lesson": "x" } }, { params }), 400, /^answers\.from-another-lesson: no such question/);
    await expectError(await visitor.post(POST, PATH, { answers: rightAnswers(quiz), padding: "x".repeat(17 * 1024) }, { params }), 413, "request body is larger than 16384 bytes");
    // Without a content-length header the stream itself is cut off at the limit.
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode(" ".repeat(1024)));
        controller.close();
      },
    });
    const request = new Request(`${ORIGIN}${PATH}`, { method: "POST", headers: { origin: ORIGIN, host: new URL(ORIGIN).host }, body: streamed, duplex: "half" } as RequestInit);
    // (Visitor.call only sets up the visitor's cookies here; the handler gets the streamed request.)
    await expectError(await visitor.call(() => POST(request, { params: Promise.resolve(params) }), "POST", PATH), 413, "request body is larger than 16384 bytes");
    expect(await db().prisma.quizAttempt.count({ where: { learnerId: id } })).toBe(0);
  });
});
