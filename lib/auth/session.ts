import { createHash, randomBytes } from "node:crypto";
import { deleteExpiredSessions, deleteSession, findSession, insertSession, supersedeSession, type PrismaClient, type SessionRecord } from "@/lib/db";

/** The cookie that carries a signed-in browser's session token. */
export const SESSION_COOKIE = "netlab_session";

const DAY_MS = 24 * 60 * 60 * 1000;
/** A session ends 30 days after sign-in, however often it is used. */
export const SESSION_LIFETIME_MS = 30 * DAY_MS;
/** A token older than this is replaced the next time a route handler sees it. */
export const ROTATE_AFTER_MS = DAY_MS;
/**
 * How long a replaced token keeps working: requests the browser sent before it received the new
 * cookie still find their session, and only then does the old token die.
 */
export const ROTATION_GRACE_MS = 60 * 1000;

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** 32 random bytes, base64url: what the cookie holds. */
export function newSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

/** What the database keeps instead of the token: a leaked table cannot be replayed as cookies. */
export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

export function isSessionToken(value: string | undefined | null): value is string {
  return typeof value === "string" && TOKEN.test(value);
}

/** The cookie ends with the session, so a browser forgets a session the server no longer honours. */
export function sessionCookieOptions(expiresAt: Date) {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: process.env.NODE_ENV === "production" && process.env.NETLAB_INSECURE_COOKIES !== "1",
    path: "/",
    expires: expiresAt,
  };
}

/** Options that make the browser drop the session cookie. */
export function clearedSessionCookieOptions() {
  return { ...sessionCookieOptions(new Date(0)), maxAge: 0 };
}

/** Starts a session for a learner (sweeping their ended ones) and returns its token. */
export async function startSession(prisma: PrismaClient, learnerId: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  await deleteExpiredSessions(prisma, learnerId, now);
  const token = newSessionToken();
  const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
  await insertSession(prisma, { tokenHash: hashSessionToken(token), learnerId, createdAt: now, rotatedAt: now, expiresAt });
  return { token, expiresAt };
}

/**
 * The live session a token names, or null. An ended session found this way is deleted: expired
 * sessions are never honoured and are cleaned up lazily, when they are next presented.
 */
export async function findLiveSession(prisma: PrismaClient, token: string, now = new Date()): Promise<SessionRecord | null> {
  if (!isSessionToken(token)) return null;
  const tokenHash = hashSessionToken(token);
  const session = await findSession(prisma, tokenHash);
  if (!session) return null;
  if (session.expiresAt <= now) {
    await deleteSession(prisma, tokenHash);
    return null;
  }
  return session;
}

/**
 * True when a session's token is due for replacement. A token already replaced (its row now
 * ends within the grace period) is not rotated again: it only lives out its grace.
 */
export function isDueForRotation(session: SessionRecord, now = new Date()): boolean {
  return now.getTime() - session.rotatedAt.getTime() >= ROTATE_AFTER_MS
    && session.expiresAt.getTime() > now.getTime() + ROTATION_GRACE_MS;
}

/** Replaces a session's token; returns the new token, or null when another request already did. */
export async function rotateSession(prisma: PrismaClient, session: SessionRecord, now = new Date()): Promise<string | null> {
  const token = newSessionToken();
  const graceUntil = new Date(now.getTime() + ROTATION_GRACE_MS);
  return (await supersedeSession(prisma, session, { tokenHash: hashSessionToken(token), rotatedAt: now, graceUntil })) ? token : null;
}

/** Signs a token out: its session row goes (the caller clears the cookie). */
export async function endSession(prisma: PrismaClient, token: string): Promise<void> {
  if (isSessionToken(token)) await deleteSession(prisma, hashSessionToken(token));
}
