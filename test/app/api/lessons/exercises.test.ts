// The exercise routes end to end in-process: Check replays the learner's transcript on a worker
// thread, grades it, stores the attempt; GET shows the caller their own status. Plus the
// security section of issue 5: hostile transcripts, other learners, cross-site requests.
import { afterAll, describe, expect, it, vi } from "vitest";
import * as statusRoute from "@/app/api/lessons/[slug]/exercises/route";
import * as checkRoute from "@/app/api/lessons/[slug]/exercises/[id]/check/route";
import type { CheckResponse, ExerciseStatusResponse } from "@/app/_components/exercise/api";
import { LEARNER_COOKIE } from "@/lib/auth";
import { getLessonData, listLessons, type Exercise } from "@/lib/content";
import { lessonStatuses } from "@/lib/db";
import { GRADING_LIMITS, gradingPool, LESSON_SEED, TIME_LIMIT_MESSAGE } from "@/lib/grading";
import type { TranscriptEntry } from "@/lib/engine";
import { withTestDatabase, Visitor } from "../../harness";

vi.mock("next/headers", () => import("../../harness").then((h) => h.nextHeaders));

// The harness passes params as a plain record; the routes declare their own.
type Params = { params: Promise<Record<string, string>> };
const POST = (request: Request, context: Params) => checkRoute.POST(request, context as { params: Promise<{ slug: string; id: string }> });
const GET = (request: Request, context: Params) => statusRoute.GET(request, context as { params: Promise<{ slug: string }> });

const { db } = withTestDatabase();
afterAll(() => gradingPool().close());

const lessons = await listLessons();
const cases: { slug: string; scenario: string; exercise: Exercise }[] = [];
for (const lesson of lessons) {
  for (const exercise of (await getLessonData(lesson.slug))?.exercises ?? []) cases.push({ slug: lesson.slug, scenario: lesson.scenario, exercise });
}
const anatomy = lessons.find((l) => l.slug === "cluster-anatomy")!;

function learner(ip?: string): Visitor {
  const visitor = new Visitor(ip);
  visitor.jar.set(LEARNER_COOKIE, crypto.randomUUID());
  return visitor;
}

/** The transcript of a learner who typed `lines`, two seconds apart, then waited half a minute. */
function transcript(lines: readonly string[]): TranscriptEntry[] {
  return [...lines.map((line) => ({ line, elapsedMs: 2000 })), { line: "sleep 30", elapsedMs: 2000 }];
}

function check(visitor: Visitor, slug: string, id: string, body: unknown, headers?: Record<string, string>) {
  return visitor.post(POST, `/api/lessons/${slug}/exercises/${id}/check`, body, { params: { slug, id }, headers });
}

function checkRaw(visitor: Visitor, slug: string, id: string, raw: string) {
  return visitor.call(POST, "POST", `/api/lessons/${slug}/exercises/${id}/check`, { raw, params: { slug, id } });
}

async function statuses(visitor: Visitor, slug: string): Promise<ExerciseStatusResponse> {
  const res = await visitor.get(GET, `/api/lessons/${slug}/exercises`, { params: { slug } });
  expect(res.status).toBe(200);
  return res.json();
}

const MAP = { slug: "cluster-anatomy", id: "map-the-control-plane" };
const mapSolution = () => cases.find((c) => c.exercise.id === MAP.id)!.exercise.solution;
const session = (entries: TranscriptEntry[]) => ({ scenario: anatomy.scenario, seed: LESSON_SEED, entries });

/** A normal Check still works: the server kept serving after whatever came before. */
async function stillServes(): Promise<void> {
  const res = await check(learner(), MAP.slug, MAP.id, session(transcript(mapSolution())));
  expect(res.status).toBe(200);
  expect(((await res.json()) as CheckResponse).passed).toBe(true);
}

describe.runIf(cases.length > 0)("POST …/exercises/[id]/check with each reference solution", () => {
  it.each(cases.map((c) => [`${c.slug}/${c.exercise.id}`, c] as const))("%s: the solution passes, an empty session and a wrong first step fail", async (_name, c) => {
    const visitor = learner();
    const post = (entries: TranscriptEntry[]) => check(visitor, c.slug, c.exercise.id, { scenario: c.scenario, seed: LESSON_SEED, entries });

    const solved = await post(transcript(c.exercise.solution));
    const verdict = (await solved.json()) as CheckResponse;
    expect(solved.status, JSON.stringify(verdict)).toBe(200);
    expect(verdict.passed, JSON.stringify(verdict.outcomes, null, 2)).toBe(true);
    expect(verdict.outcomes.length).toBeGreaterThan(0);
    expect(verdict.outcomes.every((o) => o.passed && o.description)).toBe(true);

    const empty = (await (await post([])).json()) as CheckResponse;
    expect(empty.passed).toBe(false);
    expect(empty.outcomes.some((o) => !o.passed && o.detail)).toBe(true);

    // The first step mistyped (as a learner would): the command is not found, the rest runs.
    const wrong = [`${c.exercise.solution[0].replace(/^\s*(\S+)/, "$1x")}`, ...c.exercise.solution.slice(1)];
    const wrongVerdict = (await (await post(transcript(wrong))).json()) as CheckResponse;
    expect(wrongVerdict.passed, `a wrong first step still passes: ${wrong[0]}`).toBe(false);

    const rows = await db().prisma.exerciseAttempt.findMany({ where: { exerciseId: c.exercise.id, lessonSlug: c.slug, learnerId: visitor.jar.get(LEARNER_COOKIE) }, orderBy: { createdAt: "asc" } });
    expect(rows.map((r) => r.passed)).toEqual([true, false, false]);
    expect(rows[0]).toMatchObject({ scenario: c.scenario, seed: LESSON_SEED, failedChecks: [] });
    expect(rows[0].transcriptHash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[1].failedChecks.length).toBeGreaterThan(0);
  });
});

describe("POST …/check", () => {
  it("stores the attempt with its verdict, and GET shows it to its learner only", async () => {
    const alice = learner();
    const bob = learner();
    const res = await check(alice, MAP.slug, MAP.id, session(transcript(mapSolution())));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toContain("no-store");
    expect(await res.json()).toMatchObject({ passed: true, lessonCompleted: false });

    const mine = await statuses(alice, MAP.slug);
    expect(Object.keys(mine.exercises)).toEqual([MAP.id]);
    expect(mine.exercises[MAP.id]).toMatchObject({ attempts: 1, last: { passed: true } });
    expect(Date.parse(mine.exercises[MAP.id].passedAt!)).not.toBeNaN();

    expect(await statuses(bob, MAP.slug)).toEqual({ exercises: {} });
    // Query strings and bodies cannot name another learner: only the cookie says who asks.
    const sneaky = await bob.get(GET, `/api/lessons/${MAP.slug}/exercises?learner=${alice.jar.get(LEARNER_COOKIE)}`, { params: { slug: MAP.slug } });
    expect(await sneaky.json()).toEqual({ exercises: {} });
    expect(await statuses(new Visitor(), MAP.slug)).toEqual({ exercises: {} });
  });

  it("completes the lesson once every exercise has passed and the quiz is done", async () => {
    const visitor = learner();
    const learnerId = visitor.jar.get(LEARNER_COOKIE)!;
    await db().prisma.learner.create({ data: { id: learnerId } });
    await db().prisma.quizAttempt.create({ data: { learnerId, lessonSlug: MAP.slug, answers: {}, correct: 1, total: 1, score: 1 } });
    const exercises = cases.filter((c) => c.slug === MAP.slug);
    let last: CheckResponse | undefined;
    for (const c of exercises) {
      const res = await check(visitor, c.slug, c.exercise.id, session(transcript(c.exercise.solution)));
      last = await res.json();
    }
    expect(last).toMatchObject({ passed: true, lessonCompleted: true });
    expect(await lessonStatuses(db().prisma, learnerId)).toEqual({ [MAP.slug]: "completed" });
  });

  it("stores two attempts for two Checks at once, each whole", async () => {
    const visitor = learner();
    const body = session(transcript(mapSolution()));
    const [a, b] = await Promise.all([check(visitor, MAP.slug, MAP.id, body), check(visitor, MAP.slug, MAP.id, session([]))]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([(await a.json()).passed, (await b.json()).passed]).toEqual([true, false]);
    const rows = await db().prisma.exerciseAttempt.findMany({ where: { learnerId: visitor.jar.get(LEARNER_COOKIE) }, orderBy: { passed: "asc" } });
    expect(rows.map((r) => r.passed)).toEqual([false, true]);
    // Each row is one whole attempt: its verdict, outcomes, failed checks and transcript agree.
    for (const row of rows) {
      const outcomes = row.outcomes as { description: string; passed: boolean }[];
      expect(outcomes).toHaveLength(2);
      expect(row.passed).toBe(outcomes.every((o) => o.passed));
      expect(row.failedChecks).toEqual(outcomes.filter((o) => !o.passed).map((o) => o.description));
    }
    expect(rows[0].transcriptSize).toBe(2); // "[]"
    expect(rows[1].transcriptSize).toBeGreaterThan(100);
    expect((await statuses(visitor, MAP.slug)).exercises[MAP.id].attempts).toBe(2);
  });

  it("refuses a cross-site request and stores nothing", async () => {
    const visitor = learner();
    const res = await check(visitor, MAP.slug, MAP.id, session(transcript(mapSolution())), { origin: "https://evil.example", "sec-fetch-site": "cross-site" });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: "cross-site request refused" });
    expect(await db().prisma.exerciseAttempt.count({ where: { learnerId: visitor.jar.get(LEARNER_COOKIE) } })).toBe(0);
  });

  it("answers 404 for an unknown lesson or exercise, 401 without a learner", async () => {
    const visitor = learner();
    const missingLesson = await check(visitor, "no-such-lesson", "x", session([]));
    expect(missingLesson.status).toBe(404);
    expect((await missingLesson.json()).error).toBe('no lesson named "no-such-lesson"');
    const missingExercise = await check(visitor, MAP.slug, "no-such-exercise", session([]));
    expect(missingExercise.status).toBe(404);
    expect((await missingExercise.json()).error).toBe(`lesson "${MAP.slug}" has no exercise "no-such-exercise"`);
    expect((await check(new Visitor(), MAP.slug, MAP.id, session([]))).status).toBe(401);
    expect((await new Visitor().get(GET, "/api/lessons/nope/exercises", { params: { slug: "nope" } })).status).toBe(404);
  });

  it("refuses a session from another cluster than the lesson's", async () => {
    const visitor = learner();
    const res = await check(visitor, MAP.slug, MAP.id, { scenario: "single-node", seed: LESSON_SEED, entries: transcript(mapSolution()) });
    expect(res.status).toBe(409);
    expect((await res.json()).error).toMatch(/^This exercise is checked on the lesson's cluster \(three-node-flannel, seed 1\), but your terminal ran single-node with seed 1\. Reset/);
    expect((await check(visitor, MAP.slug, MAP.id, { ...session([]), seed: 2 })).status).toBe(409);
  });

  it.each<[string, unknown, RegExp]>([
    ["a missing seed", { scenario: "three-node-flannel", entries: [] }, /^seed: expected the seed/],
    ["an entry with both line and keys", session([{ line: "ls", keys: "x", elapsedMs: 1 } as never]), /^entries\.0: expected either line or keys$/],
    ["an entry with neither", session([{ elapsedMs: 1 } as never]), /^entries\.0: expected either line or keys$/],
    ["a line over 16 KB", session([{ line: "echo " + "x".repeat(16 * 1024), elapsedMs: 1 }]), /^entries\.0\.line: is longer than 16 KB$/],
    ["an unknown field", { ...session([]), verdict: "passed" }, /^body: Unrecognized key: "verdict"|verdict/],
    ["10,000 entries", session(Array.from({ length: 10_000 }, () => ({ line: ":", elapsedMs: 1 }))), /^entries: a session can be checked with at most 1000 commands/],
  ])("answers 400 for %s, naming the field", async (_name, body, message) => {
    const res = await check(learner(), MAP.slug, MAP.id, body);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(message);
  });

  it("answers 413 for a body over 512 KB and 400 for one that is not JSON", async () => {
    const huge = JSON.stringify(session([{ line: "x".repeat(GRADING_LIMITS.bodyBytes), elapsedMs: 1 }]));
    const res = await checkRaw(learner(), MAP.slug, MAP.id, huge);
    expect(res.status).toBe(413);
    expect((await res.json()).error).toBe("request body is larger than 524288 bytes");
    expect((await checkRaw(learner(), MAP.slug, MAP.id, "{ not json")).status).toBe(400);
    await stillServes();
  });
});

describe("hostile transcripts end within the limit, and the server keeps serving", () => {
  /** ~3 × 10^9 "lol"s if a parser expanded every alias. */
  const billionLaughs = [
    "kubectl apply -f - <<EOF",
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata:",
    "  name: lol",
    "data:",
    '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ..."bcdefghij".split("").map((n, i) => `  ${n}: &${n} [${Array(9).fill(`*${"abcdefghij"[i]}`).join(",")}]`),
    "EOF",
  ].join("\n");
  const nested = "echo " + "$(echo ".repeat(500) + "x" + ")".repeat(500);
  // The limit is the worker thread's CPU time. The whole process may spend that, what V8's own
  // threads (garbage collector, compiler) spend beside it, and the request itself: well under
  // twice the limit. On a shared machine that can take longer on the wall clock, but never
  // longer than the pool's hard limit (4 × 2 s), past which a worker is terminated.
  const CPU_WITHIN_MS = 2 * GRADING_LIMITS.replayMs;
  const WALL_WITHIN_MS = 4 * GRADING_LIMITS.replayMs + 1500;

  it.each<[string, string[]]>([
    ["a billion-laughs YAML through a here-document", [billionLaughs]],
    ["while true; do :; done", ["while true; do :; done"]],
    ["while true; do kubectl get pods -A; done", ["while true; do kubectl get pods -A; done"]],
    ["sleep 100000, again and again", Array(20).fill("sleep 100000")],
    ["$( $( … ) ) nested 500 deep", [nested]],
  ])("%s", async (_name, lines) => {
    const visitor = learner();
    await gradingPool().start(); // a worker an earlier test stopped has its replacement ready
    const started = performance.now();
    const cpu0 = process.cpuUsage();
    const res = await check(visitor, MAP.slug, MAP.id, session(lines.map((line) => ({ line, elapsedMs: 1000 }))));
    const { user, system } = process.cpuUsage(cpu0);
    const cpuMs = (user + system) / 1000;
    const took = performance.now() - started;
    const body = await res.json();
    expect(cpuMs, `spent ${Math.round(cpuMs)} ms of CPU`).toBeLessThan(CPU_WITHIN_MS);
    expect(took, `answered after ${Math.round(took)} ms`).toBeLessThan(WALL_WITHIN_MS);
    if (res.status === 200) {
      // The engine refused the input quickly (a parser limit, the shell's loop limit): graded, and failed.
      expect((body as CheckResponse).passed).toBe(false);
    } else {
      expect(res.status).toBe(422);
      expect(body).toEqual({ error: TIME_LIMIT_MESSAGE });
      expect(await db().prisma.exerciseAttempt.count({ where: { learnerId: visitor.jar.get(LEARNER_COOKIE) } })).toBe(0);
    }
    await stillServes();
  });

  it("answers a learner while another's replay runs out its time", async () => {
    await gradingPool().start();
    const finished: string[] = [];
    // Each line stops at the shell's 10,000-iteration loop limit; together they outlast the CPU limit.
    // The comment makes the session this test's own, so no replay another test left behind is reused.
    const loops = Array.from({ length: 4 }, (_, i) => ({ line: `while true; do kubectl get pods -A; done # outlast ${i}`, elapsedMs: 1000 }));
    const slow = check(learner(), MAP.slug, MAP.id, session(loops)).then((res) => {
      finished.push("hostile");
      return res;
    });
    await stillServes();
    finished.push("normal");
    expect((await slow).status).toBe(422);
    expect(finished).toEqual(["normal", "hostile"]);
  });
});
