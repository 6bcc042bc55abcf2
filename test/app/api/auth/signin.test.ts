import { afterEach, describe, expect, it, vi } from "vitest";
import { POST as signIn } from "@/app/api/auth/signin/route";
import { POST as signOut } from "@/app/api/auth/signout/route";
import { POST as signUp } from "@/app/api/auth/signup/route";
import { POST as startLesson } from "@/app/api/progress/route";
import { LEARNER_COOKIE, SESSION_COOKIE } from "@/lib/auth";
import { countThrottled, lessonStatuses } from "@/lib/db";
import { Visitor, withTestDatabase } from "../../harness";

vi.mock("next/headers", () => import("../../harness").then((h) => h.nextHeaders));

const { db } = withTestDatabase();
const PASSWORD = "correct horse battery";
let ips = 0;
const visitor = () => new Visitor(`198.51.100.${++ips}`);

/** An account with one started lesson, signed out again: its browser is gone. */
async function account(email: string): Promise<string> {
  const v = visitor();
  const res = await v.post(signUp, "/api/auth/signup", { email, password: PASSWORD });
  expect(res.status).toBe(201);
  const learnerId = v.jar.get(LEARNER_COOKIE)!;
  await v.post(startLesson, "/api/progress", { lesson: "network-namespaces", status: "started" });
  return learnerId;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("POST /api/auth/signin", () => {
  it("signs in and moves the guest's progress and attempts to the account, deleting the guest", async () => {
    const accountId = await account("merge@example.org");
    const v = visitor();
    const guest = crypto.randomUUID();
    v.jar.set(LEARNER_COOKIE, guest);
    await v.post(startLesson, "/api/progress", { lesson: "cluster-anatomy", status: "started" });
    await db().prisma.quizAttempt.create({ data: { learnerId: guest, lessonSlug: "cluster-anatomy", answers: {}, correct: 4, total: 5, score: 0.8 } });
    await db().prisma.exerciseAttempt.create({ data: {
      learnerId: guest, lessonSlug: "cluster-anatomy", exerciseId: "e", passed: true, outcomes: [], failedChecks: [], scenario: "s", seed: 1,
      transcriptHash: "h", transcriptSize: 1, replayMs: 1,
    } });

    const res = await v.post(signIn, "/api/auth/signin", { email: "Merge@Example.org", password: PASSWORD });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ account: { email: "merge@example.org", displayName: null, role: "learner" } });
    expect(v.jar.get(LEARNER_COOKIE)).toBe(accountId);
    expect(v.jar.get(SESSION_COOKIE)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await db().prisma.learner.findUnique({ where: { id: guest } })).toBeNull();
    expect(await lessonStatuses(db().prisma, accountId)).toEqual({ "network-namespaces": "started", "cluster-anatomy": "started" });
    expect(await db().prisma.quizAttempt.count({ where: { learnerId: accountId } })).toBe(1);
    expect(await db().prisma.exerciseAttempt.count({ where: { learnerId: accountId } })).toBe(1);
  });

  it("gives the same answer for a wrong password and an unknown email", async () => {
    await account("known@example.org");
    const wrong = await visitor().post(signIn, "/api/auth/signin", { email: "known@example.org", password: "not the password" });
    const unknown = await visitor().post(signIn, "/api/auth/signin", { email: "nobody@example.org", password: PASSWORD });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(await wrong.json()).toEqual({ error: "Email or password is incorrect." });
    expect(await unknown.json()).toEqual({ error: "Email or password is incorrect." });
  });

  it("locks an account for 15 minutes after 5 failures, and a success before that resets the count", async () => {
    await account("locked@example.org");
    const attempt = (password: string, v = visitor()) => v.post(signIn, "/api/auth/signin", { email: "locked@example.org", password });
    for (let i = 0; i < 4; i++) expect((await attempt("wrong password")).status).toBe(401);
    expect((await attempt(PASSWORD)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await attempt("wrong password")).status).toBe(401);

    const locked = await attempt(PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(14 * 60);
    expect(Number(locked.headers.get("retry-after"))).toBeLessThanOrEqual(15 * 60);
    expect(await locked.json()).toEqual({ error: "Too many sign-in attempts for this account. Try again in 15 minutes." });

    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 60_000 + 1);
    expect((await (await attempt(PASSWORD)).json()).error).toBe("Too many sign-in attempts for this account. Try again in 14 minutes.");
    vi.setSystemTime(Date.now() + 14 * 60_000);
    expect((await attempt(PASSWORD)).status).toBe(200);
  });

  it("limits failures per address across accounts: 30 in 15 minutes", async () => {
    await account("victim@example.org");
    const ip = "203.0.113.99";
    const now = new Date();
    for (let i = 0; i < 29; i++) await countThrottled(db().prisma, `ip:${ip}`, now, { limit: 30, windowMs: 15 * 60_000, lockMs: 15 * 60_000 });
    const attacker = new Visitor(ip);
    expect((await attacker.post(signIn, "/api/auth/signin", { email: "someone-else@example.org", password: "guess number 30" })).status).toBe(401);
    const locked = await attacker.post(signIn, "/api/auth/signin", { email: "victim@example.org", password: PASSWORD });
    expect(locked.status).toBe(429);
    expect(locked.headers.get("retry-after")).not.toBeNull();
    expect((await locked.json()).error).toBe("Too many sign-in attempts from your network. Try again in 15 minutes.");
    // The account itself is not locked: the owner elsewhere signs in.
    expect((await visitor().post(signIn, "/api/auth/signin", { email: "victim@example.org", password: PASSWORD })).status).toBe(200);
  });

  it.each([
    [{ password: PASSWORD }, "email: is required"],
    [{ email: "a@example.org" }, "password: is required"],
    [{ email: "a@example.org", password: PASSWORD, remember: true }, 'body: Unrecognized key: "remember"'],
  ])("answers 400 naming the field for %j", async (body, error) => {
    const res = await visitor().post(signIn, "/api/auth/signin", body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error });
  });

  it("answers 413 to a body over 4 KB", async () => {
    const res = await visitor().call(signIn, "POST", "/api/auth/signin", { raw: JSON.stringify({ email: "a@example.org", password: "x".repeat(5000) }) });
    expect(res.status).toBe(413);
  });

  it("refuses a cross-site request with 403 before looking at the password", async () => {
    await account("csrf@example.org");
    const res = await visitor().post(signIn, "/api/auth/signin", { email: "csrf@example.org", password: PASSWORD }, { headers: { origin: "https://evil.example" } });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: "cross-site request refused" });
  });
});

describe("POST /api/auth/signout", () => {
  it("deletes the session and its cookie, gives the browser a fresh guest id, and the progress waits for the next sign-in", async () => {
    const v = visitor();
    await v.post(signUp, "/api/auth/signup", { email: "out@example.org", password: PASSWORD });
    const accountId = v.jar.get(LEARNER_COOKIE)!;
    await v.post(startLesson, "/api/progress", { lesson: "network-namespaces", status: "started" });
    const token = v.jar.get(SESSION_COOKIE)!;

    expect((await v.post(signOut, "/api/auth/signout")).status).toBe(204);
    expect(v.jar.has(SESSION_COOKIE)).toBe(false);
    const guest = v.jar.get(LEARNER_COOKIE)!;
    expect(guest).not.toBe(accountId);
    expect(await db().prisma.session.count({ where: { learnerId: accountId } })).toBe(0);

    // A copy of the old cookie is worthless now.
    const thief = visitor();
    thief.jar.set(SESSION_COOKIE, token);
    thief.jar.set(LEARNER_COOKIE, accountId);
    expect((await thief.post(startLesson, "/api/progress", { lesson: "cluster-anatomy", status: "started" })).status).toBe(204);
    expect(await lessonStatuses(db().prisma, accountId)).toEqual({ "network-namespaces": "started" });

    expect((await v.post(signIn, "/api/auth/signin", { email: "out@example.org", password: PASSWORD })).status).toBe(200);
    expect(v.jar.get(LEARNER_COOKIE)).toBe(accountId);
    expect(await lessonStatuses(db().prisma, accountId)).toEqual({ "network-namespaces": "started" });
  });

  it("leaves a guest's cookie alone", async () => {
    const v = visitor();
    const guest = crypto.randomUUID();
    v.jar.set(LEARNER_COOKIE, guest);
    expect((await v.post(signOut, "/api/auth/signout")).status).toBe(204);
    expect(v.jar.get(LEARNER_COOKIE)).toBe(guest);
  });

  it("refuses a cross-site request with 403 and keeps the session", async () => {
    const v = visitor();
    await v.post(signUp, "/api/auth/signup", { email: "stay@example.org", password: PASSWORD });
    const res = await v.post(signOut, "/api/auth/signout", undefined, { headers: { origin: "https://evil.example" } });
    expect(res.status).toBe(403);
    expect(v.jar.has(SESSION_COOKIE)).toBe(true);
  });
});
