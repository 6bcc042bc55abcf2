import { describe, expect, it, vi } from "vitest";
import { POST } from "@/app/api/progress/route";
import { LEARNER_COOKIE } from "@/lib/auth";
import { lessonStatuses } from "@/lib/db";
import { withTestDatabase, Visitor } from "../harness";

vi.mock("next/headers", () => import("../harness").then((h) => h.nextHeaders));

const { db } = withTestDatabase();

describe("POST /api/progress", () => {
  it("marks a lesson started for the visitor's learner", async () => {
    const visitor = new Visitor();
    const id = crypto.randomUUID();
    visitor.jar.set(LEARNER_COOKIE, id);
    const res = await visitor.post(POST, "/api/progress", { lesson: "cluster-anatomy", status: "started" });
    expect(res.status).toBe(204);
    expect(await lessonStatuses(db().prisma, id)).toEqual({ "cluster-anatomy": "started" });
  });

  it("answers 404 for a lesson that does not exist and 400 for a bad body", async () => {
    const visitor = new Visitor();
    visitor.jar.set(LEARNER_COOKIE, crypto.randomUUID());
    expect((await visitor.post(POST, "/api/progress", { lesson: "nope", status: "started" })).status).toBe(404);
    const bad = await visitor.post(POST, "/api/progress", { lesson: "x", status: "done" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/^status:/);
  });

  it("refuses a cross-site request with 403", async () => {
    const visitor = new Visitor();
    const id = crypto.randomUUID();
    visitor.jar.set(LEARNER_COOKIE, id);
    const res = await visitor.post(POST, "/api/progress", { lesson: "cluster-anatomy", status: "started" }, { headers: { origin: "https://evil.example" } });
    expect(res.status).toBe(403);
    expect(await lessonStatuses(db().prisma, id)).toEqual({});
  });
});
