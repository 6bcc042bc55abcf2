import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  endSession, findLiveSession, hashSessionToken, isDueForRotation, rotateSession, ROTATE_AFTER_MS, ROTATION_GRACE_MS,
  SESSION_LIFETIME_MS, sessionCookieOptions, startSession,
} from "@/lib/auth";
import { createAccount, openDatabase, type Database } from "@/lib/db";

const T0 = new Date("2026-04-01T08:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

describe("sessions", () => {
  let db: Database;
  let learnerId: string;
  beforeAll(async () => {
    db = await openDatabase({ dataDir: "memory://" });
    learnerId = await createAccount(db.prisma, { guestId: null, email: "s@example.org", displayName: "S", passwordHash: "scrypt$x", role: "instructor", now: T0 });
  });
  afterAll(async () => {
    await db?.close();
  });

  it("stores only the SHA-256 of a 32-byte random token", async () => {
    const { token, expiresAt } = await startSession(db.prisma, learnerId, T0);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(expiresAt).toEqual(at(SESSION_LIFETIME_MS));
    const rows = await db.prisma.session.findMany({ where: { learnerId } });
    expect(rows.map((r) => r.tokenHash)).toContain(hashSessionToken(token));
    expect(rows.some((r) => r.tokenHash === token)).toBe(false);
    expect(await findLiveSession(db.prisma, token, T0)).toMatchObject({ learnerId, account: { email: "s@example.org", displayName: "S", role: "instructor" } });
  });

  it("ignores malformed and unknown tokens", async () => {
    expect(await findLiveSession(db.prisma, "not a token", T0)).toBeNull();
    expect(await findLiveSession(db.prisma, "A".repeat(43), T0)).toBeNull();
  });

  it("ends 30 days after sign-in and deletes the expired row when it is next presented", async () => {
    const { token } = await startSession(db.prisma, learnerId, T0);
    expect(await findLiveSession(db.prisma, token, at(SESSION_LIFETIME_MS - 1))).not.toBeNull();
    expect(await findLiveSession(db.prisma, token, at(SESSION_LIFETIME_MS))).toBeNull();
    expect(await db.prisma.session.count({ where: { tokenHash: hashSessionToken(token) } })).toBe(0);
  });

  it("sweeps a learner's ended sessions when a new one starts", async () => {
    const { token } = await startSession(db.prisma, learnerId, T0);
    await startSession(db.prisma, learnerId, at(SESSION_LIFETIME_MS + 1));
    expect(await db.prisma.session.count({ where: { tokenHash: hashSessionToken(token) } })).toBe(0);
  });

  it("rotates a day-old token once: the new one works, the old one only for the grace period", async () => {
    const { token } = await startSession(db.prisma, learnerId, T0);
    const session = (await findLiveSession(db.prisma, token, at(ROTATE_AFTER_MS - 1)))!;
    expect(isDueForRotation(session, at(ROTATE_AFTER_MS - 1))).toBe(false);
    const now = at(ROTATE_AFTER_MS);
    expect(isDueForRotation(session, now)).toBe(true);

    const fresh = await rotateSession(db.prisma, session, now);
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await rotateSession(db.prisma, session, now)).toBeNull();

    const rotated = (await findLiveSession(db.prisma, fresh!, now))!;
    expect(rotated).toMatchObject({ learnerId, createdAt: T0, rotatedAt: now, expiresAt: at(SESSION_LIFETIME_MS) });
    expect(isDueForRotation(rotated, now)).toBe(false);
    const superseded = (await findLiveSession(db.prisma, token, at(ROTATE_AFTER_MS + ROTATION_GRACE_MS - 1)))!;
    expect(superseded).not.toBeNull();
    expect(isDueForRotation(superseded, at(ROTATE_AFTER_MS + 1))).toBe(false);
    expect(await findLiveSession(db.prisma, token, at(ROTATE_AFTER_MS + ROTATION_GRACE_MS))).toBeNull();
    expect(await findLiveSession(db.prisma, fresh!, at(ROTATE_AFTER_MS + ROTATION_GRACE_MS))).not.toBeNull();
  });

  it("keeps the token in an httpOnly, SameSite=Lax cookie for the whole site, Secure in production", () => {
    const expires = at(SESSION_LIFETIME_MS);
    expect(sessionCookieOptions(expires)).toEqual({ httpOnly: true, sameSite: "lax", secure: false, path: "/", expires });
    vi.stubEnv("NODE_ENV", "production");
    try {
      expect(sessionCookieOptions(expires).secure).toBe(true);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("signs out by deleting the row", async () => {
    const { token } = await startSession(db.prisma, learnerId, T0);
    await endSession(db.prisma, token);
    expect(await findLiveSession(db.prisma, token, T0)).toBeNull();
  });
});
