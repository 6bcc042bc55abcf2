import { afterEach, describe, expect, it, vi } from "vitest";
import { getViewer, LEARNER_COOKIE, ROTATE_AFTER_MS, ROTATION_GRACE_MS, SESSION_COOKIE, startSession } from "@/lib/auth";
import { createAccount } from "@/lib/db";
import { Visitor, withTestDatabase } from "../../app/harness";

// A server component may read cookies but not set them: Next throws. `render.readOnly` turns the
// harness's cookie jar into that kind.
const render = vi.hoisted(() => ({ readOnly: false }));
vi.mock("next/headers", async () => {
  const { nextHeaders } = await import("../../app/harness");
  return {
    headers: nextHeaders.headers,
    cookies: async () => {
      const jar = await nextHeaders.cookies();
      if (!render.readOnly) return jar;
      const refuse = () => {
        throw new Error("Cookies can only be modified in a Server Action or Route Handler.");
      };
      return { ...jar, set: refuse, delete: refuse };
    },
  };
});

const { db } = withTestDatabase();

/** Asks getViewer() in a route handler (or, with render.readOnly, as a server component would). */
const whoAmI = async () => Response.json(await getViewer());
const view = async (visitor: Visitor) => (await visitor.get(whoAmI, "/")).json();

async function signedUp(email: string, visitor = new Visitor()) {
  const learnerId = await createAccount(db().prisma, { guestId: null, email, displayName: null, passwordHash: "scrypt$x", role: "learner" });
  const { token } = await startSession(db().prisma, learnerId);
  visitor.jar.set(SESSION_COOKIE, token);
  visitor.jar.set(LEARNER_COOKIE, learnerId);
  return { visitor, learnerId, token };
}

afterEach(() => {
  render.readOnly = false;
  vi.useRealTimers();
});

describe("getViewer", () => {
  it("is nobody without cookies, and the guest cookie's learner otherwise", async () => {
    const visitor = new Visitor();
    expect(await view(visitor)).toEqual({ learnerId: null, account: null });
    const guest = crypto.randomUUID();
    visitor.jar.set(LEARNER_COOKIE, guest);
    expect(await view(visitor)).toEqual({ learnerId: guest, account: null });
    visitor.jar.set(LEARNER_COOKIE, "not-a-uuid");
    expect(await view(visitor)).toEqual({ learnerId: null, account: null });
  });

  it("prefers a live session over the guest cookie", async () => {
    const { visitor, learnerId } = await signedUp("session@example.org");
    visitor.jar.set(LEARNER_COOKIE, crypto.randomUUID());
    expect(await view(visitor)).toEqual({ learnerId, account: { email: "session@example.org", displayName: null, role: "learner" } });
  });

  it("does not honour a guest cookie that names an account without a session, and hands out a fresh guest id", async () => {
    const { visitor, learnerId } = await signedUp("cookie@example.org");
    visitor.jar.delete(SESSION_COOKIE);
    render.readOnly = true;
    expect(await view(visitor)).toEqual({ learnerId: null, account: null });
    expect(visitor.jar.get(LEARNER_COOKIE)).toBe(learnerId);
    render.readOnly = false;
    const viewer = await view(visitor);
    expect(viewer.account).toBeNull();
    expect(viewer.learnerId).not.toBe(learnerId);
    expect(visitor.jar.get(LEARNER_COOKIE)).toBe(viewer.learnerId);
  });

  it("drops a dead session cookie and falls back to the guest", async () => {
    const visitor = new Visitor();
    const guest = crypto.randomUUID();
    visitor.jar.set(LEARNER_COOKIE, guest);
    visitor.jar.set(SESSION_COOKIE, "B".repeat(43));
    expect(await view(visitor)).toEqual({ learnerId: guest, account: null });
    expect(visitor.jar.has(SESSION_COOKIE)).toBe(false);
  });

  it("ignores an expired session", async () => {
    const { visitor } = await signedUp("expired@example.org");
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 31 * 24 * 3600 * 1000);
    expect((await view(visitor)).account).toBeNull();
    expect(visitor.jar.has(SESSION_COOKIE)).toBe(false);
  });

  it("rotates a day-old token in a route handler but not while rendering a server component", async () => {
    const { visitor, token, learnerId } = await signedUp("rotate@example.org");
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + ROTATE_AFTER_MS + 1000);

    render.readOnly = true;
    expect((await view(visitor)).learnerId).toBe(learnerId);
    expect(visitor.jar.get(SESSION_COOKIE)).toBe(token);

    render.readOnly = false;
    expect((await view(visitor)).learnerId).toBe(learnerId);
    const rotated = visitor.jar.get(SESSION_COOKIE)!;
    expect(rotated).not.toBe(token);

    // The old token still serves requests that were already on their way, then stops.
    const straggler = new Visitor();
    straggler.jar.set(SESSION_COOKIE, token);
    straggler.jar.set(LEARNER_COOKIE, learnerId);
    expect((await view(straggler)).learnerId).toBe(learnerId);
    expect(straggler.jar.get(SESSION_COOKIE)).toBe(token);
    vi.setSystemTime(Date.now() + ROTATION_GRACE_MS);
    expect((await view(straggler)).account).toBeNull();
    expect(straggler.jar.has(SESSION_COOKIE)).toBe(false);
    expect((await view(visitor)).learnerId).toBe(learnerId);
    expect(visitor.jar.get(SESSION_COOKIE)).toBe(rotated);
  });
});
