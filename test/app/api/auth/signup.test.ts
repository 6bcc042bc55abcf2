import { afterEach, describe, expect, it, vi } from "vitest";
import { POST as signUp } from "@/app/api/auth/signup/route";
import { GET as session } from "@/app/api/auth/session/route";
import { POST as startLesson } from "@/app/api/progress/route";
import { hashSessionToken, LEARNER_COOKIE, SESSION_COOKIE } from "@/lib/auth";
import { lessonStatuses } from "@/lib/db";
import { Visitor, withTestDatabase } from "../../harness";

vi.mock("next/headers", () => import("../../harness").then((h) => h.nextHeaders));

const { db } = withTestDatabase();
const PASSWORD = "correct horse battery";
let ips = 0;
/** Each test signs up from its own address, so the per-address limit only bites where tested. */
const visitor = () => new Visitor(`198.51.100.${++ips}`);

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("POST /api/auth/signup", () => {
  it("turns the guest into an account that keeps its progress, and signs it in", async () => {
    const v = visitor();
    const guest = crypto.randomUUID();
    v.jar.set(LEARNER_COOKIE, guest);
    expect((await v.post(startLesson, "/api/progress", { lesson: "cluster-anatomy", status: "started" })).status).toBe(204);

    const res = await v.post(signUp, "/api/auth/signup", { email: " Ada@Example.org ", password: PASSWORD, displayName: "Ada" });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ account: { email: "ada@example.org", displayName: "Ada", role: "learner" } });

    const row = await db().prisma.learner.findUniqueOrThrow({ where: { id: guest } });
    expect(row).toMatchObject({ email: "ada@example.org", displayName: "Ada", role: "LEARNER" });
    expect(row.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await lessonStatuses(db().prisma, guest)).toEqual({ "cluster-anatomy": "started" });
    const token = v.jar.get(SESSION_COOKIE)!;
    expect(await db().prisma.session.count({ where: { learnerId: guest, tokenHash: hashSessionToken(token) } })).toBe(1);
    expect(await (await v.get(session, "/api/auth/session")).json()).toEqual({ account: { email: "ada@example.org", displayName: "Ada", role: "learner" } });
  });

  it("creates the learner when the guest has not written anything yet", async () => {
    const v = visitor();
    const guest = crypto.randomUUID();
    v.jar.set(LEARNER_COOKIE, guest);
    expect((await v.post(signUp, "/api/auth/signup", { email: "new@example.org", password: PASSWORD })).status).toBe(201);
    expect((await db().prisma.learner.findUniqueOrThrow({ where: { id: guest } })).email).toBe("new@example.org");
  });

  it("makes emails in NETLAB_ADMIN_EMAILS admins", async () => {
    vi.stubEnv("NETLAB_ADMIN_EMAILS", "root@example.org, boss@example.org");
    const res = await visitor().post(signUp, "/api/auth/signup", { email: "Boss@example.org", password: PASSWORD });
    expect((await res.json()).account.role).toBe("admin");
  });

  it("refuses an email that already has an account, naming the field", async () => {
    await visitor().post(signUp, "/api/auth/signup", { email: "taken@example.org", password: PASSWORD });
    const res = await visitor().post(signUp, "/api/auth/signup", { email: "TAKEN@example.org", password: "another password" });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: "An account with this email already exists. Sign in instead.", field: "email" });
  });

  it("refuses a second account while signed in", async () => {
    const v = visitor();
    await v.post(signUp, "/api/auth/signup", { email: "once@example.org", password: PASSWORD });
    const res = await v.post(signUp, "/api/auth/signup", { email: "twice@example.org", password: PASSWORD });
    expect(res.status).toBe(409);
    expect((await res.json()).error).toBe("You are signed in as once@example.org. Sign out to create another account.");
  });

  it.each([
    [{ password: PASSWORD }, "email: is required"],
    [{ email: "nope", password: PASSWORD }, "email: must be an email address"],
    [{ email: "short@example.org", password: "too short" }, "password: must be at least 10 characters"],
    [{ email: "long@example.org", password: "x".repeat(201) }, "password: must be at most 200 characters"],
    [{ email: "x@example.org", password: PASSWORD, role: "admin" }, 'body: Unrecognized key: "role"'],
  ])("answers 400 naming the field for %j", async (body, error) => {
    const res = await visitor().post(signUp, "/api/auth/signup", body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error });
  });

  it("answers 400 to a body that is not JSON and 413 to one over 4 KB", async () => {
    const notJson = await visitor().call(signUp, "POST", "/api/auth/signup", { raw: "email=a@b.io" });
    expect(notJson.status).toBe(400);
    const huge = await visitor().post(signUp, "/api/auth/signup", { email: "big@example.org", password: PASSWORD, displayName: "x".repeat(5000) });
    expect(huge.status).toBe(413);
  });

  it("refuses a cross-site request with 403 and creates nothing", async () => {
    const res = await visitor().post(signUp, "/api/auth/signup", { email: "csrf@example.org", password: PASSWORD }, { headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" } });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: "cross-site request refused" });
    expect(await db().prisma.learner.count({ where: { email: "csrf@example.org" } })).toBe(0);
  });

  it("allows 10 sign-ups an hour from one address", async () => {
    const v = new Visitor("192.0.2.200");
    for (let i = 0; i < 10; i++) {
      v.jar.clear();
      expect((await v.post(signUp, "/api/auth/signup", { email: `bulk${i}@example.org`, password: PASSWORD })).status).toBe(201);
    }
    v.jar.clear();
    const res = await v.post(signUp, "/api/auth/signup", { email: "bulk10@example.org", password: PASSWORD });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(59 * 60);
    expect((await res.json()).error).toBe("Too many sign-ups from your network. Try again in 60 minutes.");
    expect((await visitor().post(signUp, "/api/auth/signup", { email: "elsewhere@example.org", password: PASSWORD })).status).toBe(201);
  });
});
