import { lockedUntil, type Db, type ThrottlePolicy } from "@/lib/db";

const MINUTE_MS = 60 * 1000;

/** Failed sign-ins per account: 5 in 15 minutes lock it for 15 minutes. */
export const ACCOUNT_POLICY: ThrottlePolicy = { limit: 5, windowMs: 15 * MINUTE_MS, lockMs: 15 * MINUTE_MS };
/** Failed sign-ins per address, whatever the email: 30 in 15 minutes lock it for 15 minutes. */
export const IP_POLICY: ThrottlePolicy = { limit: 30, windowMs: 15 * MINUTE_MS, lockMs: 15 * MINUTE_MS };
/** Sign-ups per address: 10 an hour. */
export const SIGN_UP_POLICY: ThrottlePolicy = { limit: 10, windowMs: 60 * MINUTE_MS, lockMs: 60 * MINUTE_MS };

export const accountKey = (email: string) => `account:${email}`;
export const ipKey = (ip: string) => `ip:${ip}`;
export const signUpKey = (ip: string) => `sign-up:${ip}`;

/**
 * The client's address: the first X-Forwarded-For entry (Next's server fills the header with the
 * socket's address when no proxy did). Behind a reverse proxy, that proxy must overwrite the
 * header, or clients could pick their own address.
 */
export function clientAddress(request: Request): string {
  return request.headers.get("x-forwarded-for")?.split(",")[0].trim() || "unknown";
}

/** A 429 answer saying when to come back, in minutes (rounded up) and in Retry-After seconds. */
export function tooManyAttempts(what: string, until: Date, now = new Date()): Response {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  const minutes = Math.ceil(seconds / 60);
  return Response.json(
    { error: `Too many ${what}. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.` },
    { status: 429, headers: { "Retry-After": String(seconds) } },
  );
}

/** The 429 to answer when any of the keys is locked, or null. */
export async function lockedResponse(db: Db, checks: { key: string; what: string }[], now = new Date()): Promise<Response | null> {
  for (const { key, what } of checks) {
    const until = await lockedUntil(db, key, now);
    if (until) return tooManyAttempts(what, until, now);
  }
  return null;
}

