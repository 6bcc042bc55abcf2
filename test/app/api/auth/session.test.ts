import { describe, expect, it, vi } from "vitest";
import { GET as session } from "@/app/api/auth/session/route";
import { POST as signUp } from "@/app/api/auth/signup/route";
import { LEARNER_COOKIE } from "@/lib/auth";
import { Visitor, withTestDatabase } from "../../harness";

vi.mock("next/headers", () => import("../../harness").then((h) => h.nextHeaders));

withTestDatabase();

describe("GET /api/auth/session", () => {
  it("says who is signed in, never cached, and nothing about guests", async () => {
    const v = new Visitor("198.51.100.77");
    v.jar.set(LEARNER_COOKIE, crypto.randomUUID());
    const guest = await v.get(session, "/api/auth/session");
    expect(guest.headers.get("cache-control")).toBe("no-store");
    expect(await guest.json()).toEqual({ account: null });

    await v.post(signUp, "/api/auth/signup", { email: "who@example.org", password: "correct horse battery", displayName: "Who" });
    expect(await (await v.get(session, "/api/auth/session")).json()).toEqual({ account: { email: "who@example.org", displayName: "Who", role: "learner" } });
  });
});
