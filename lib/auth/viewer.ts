import { cookies } from "next/headers";
import { cache } from "react";
import { findLearnerIdentity, getPrisma, type AccountRecord, type AccountRole } from "@/lib/db";
import { isKnownGuest, rememberGuest } from "./guest-identity";
import { isLearnerId, LEARNER_COOKIE, learnerCookieOptions, newLearnerId } from "./guest";
import { clearedSessionCookieOptions, findLiveSession, isDueForRotation, rotateSession, SESSION_COOKIE, sessionCookieOptions } from "./session";

export type Role = AccountRole;
export type Account = AccountRecord;

/**
 * Who is asking. `learnerId` is whose progress and attempts the request reads and writes (an
 * account's, or a guest's whose row may not exist yet); `account` is set only when signed in.
 */
export interface Viewer {
  learnerId: string | null;
  account: { email: string; displayName: string | null; role: "learner" | "instructor" | "admin" } | null;
}

/**
 * The visitor of the current request, from their cookies. A live session wins; otherwise the
 * guest cookie, unless it names a learner who has an account (that needs a session: after a
 * session ends the browser must not keep the account's progress through the guest cookie).
 *
 * Cookies change only where Next lets a response set them (route handlers, server actions); in
 * a server component the answer is the same but nothing is written:
 * - a session token older than ROTATE_AFTER_MS is replaced (rotation happens in route handlers,
 *   e.g. GET /api/auth/session, which the site header calls on every page load);
 * - a dead session cookie is removed;
 * - a guest cookie naming an account is replaced by a fresh guest id.
 * Server-only (it reads request cookies and the database). Cached per request in server
 * components, so a page and its header ask the database once.
 */
export const getViewer = cache(async (): Promise<Viewer> => resolveViewer(await cookies()));

/**
 * The viewer from a request's cookies alone (`cookies` by name), for a handler that runs before
 * Next (lib/http/fast-routes.ts), or null when the request must go to Next instead: it has no
 * guest cookie (proxy.ts would issue one) or getViewer would change a cookie (a rotation, a dead
 * session, a guest cookie naming an account). Otherwise the answer is getViewer's.
 */
export async function viewerWithoutCookieChanges(cookies: Readonly<Record<string, string | undefined>>): Promise<Viewer | null> {
  if (!isLearnerId(cookies[LEARNER_COOKIE])) return null;
  let wantsChange = false;
  const viewer = await resolveViewer({
    get: (name) => (cookies[name] === undefined ? undefined : { value: cookies[name] }),
    set: () => {
      wantsChange = true;
      throw new Error("read-only cookies"); // as a server component's: nothing is written
    },
  });
  return wantsChange || !viewer.learnerId ? null : viewer;
}

/** What resolveViewer needs of a cookie jar: next/headers' `cookies()` has it. */
interface CookieJar {
  get(name: string): { value: string } | undefined;
  set(name: string, value: string, options: CookieOptions): unknown;
}
type CookieOptions = { httpOnly: boolean; sameSite: "lax"; secure: boolean; path: string; expires?: Date; maxAge?: number };

async function resolveViewer(jar: CookieJar): Promise<Viewer> {
  const prisma = await getPrisma();
  const now = new Date();

  const token = jar.get(SESSION_COOKIE)?.value;
  if (token) {
    const session = await findLiveSession(prisma, token, now);
    if (session?.account) {
      if (isDueForRotation(session, now) && canSetCookies(jar)) {
        const rotated = await rotateSession(prisma, session, now);
        if (rotated) jar.set(SESSION_COOKIE, rotated, sessionCookieOptions(session.expiresAt));
      }
      return { learnerId: session.learnerId, account: session.account };
    }
    trySet(jar, SESSION_COOKIE, "", clearedSessionCookieOptions());
  }

  const guestId = jar.get(LEARNER_COOKIE)?.value;
  if (!isLearnerId(guestId)) return { learnerId: null, account: null };
  if (isKnownGuest(guestId, now.getTime())) return { learnerId: guestId, account: null };
  const identity = await findLearnerIdentity(prisma, guestId);
  if (!identity?.account) {
    rememberGuest(guestId, now.getTime());
    return { learnerId: guestId, account: null };
  }
  const fresh = newLearnerId();
  return trySet(jar, LEARNER_COOKIE, fresh, learnerCookieOptions()) ? { learnerId: fresh, account: null } : { learnerId: null, account: null };
}

function trySet(jar: CookieJar, name: string, value: string, options: CookieOptions): boolean {
  try {
    jar.set(name, value, options);
    return true;
  } catch {
    // Next refuses cookie writes while rendering a server component; this request only reads.
    return false;
  }
}

/**
 * Whether this response can carry cookies, learnt without changing anything the browser keeps:
 * the guest cookie is written back with its own value (which a server component refuses). The
 * session cookie is not used for the test, so a request that loses a rotation race to another
 * tab sends no stale token back.
 */
function canSetCookies(jar: CookieJar): boolean {
  const guest = jar.get(LEARNER_COOKIE)?.value;
  return isLearnerId(guest) && trySet(jar, LEARNER_COOKIE, guest, learnerCookieOptions());
}
