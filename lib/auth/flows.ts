import { cookies } from "next/headers";
import { clearThrottle, countThrottled, createAccount, EmailTakenError, findCredentials, getPrisma, mergeGuestInto, type PrismaClient } from "@/lib/db";
import { assertSameOrigin, readJsonBody } from "@/lib/http";
import { SignInRequest, SignUpRequest } from "./credentials";
import { LEARNER_COOKIE, learnerCookieOptions, newLearnerId } from "./guest";
import { hashPassword, UNKNOWN_ACCOUNT_HASH, verifyPassword } from "./password";
import { roleForNewAccount } from "./roles";
import { clearedSessionCookieOptions, endSession, SESSION_COOKIE, sessionCookieOptions, startSession } from "./session";
import { ACCOUNT_POLICY, accountKey, clientAddress, IP_POLICY, ipKey, lockedResponse, SIGN_UP_POLICY, signUpKey } from "./throttle";
import { forgetGuest } from "./guest-identity";
import { getViewer } from "./viewer";

// The route handlers of app/api/auth/*: each answers JSON ({ account } or { error, field? }).

/** Credentials are small; anything bigger is not a sign-in. */
const BODY_LIMIT = 4096;

const WRONG_CREDENTIALS = "Email or password is incorrect.";

/** POST /api/auth/signup { email, password, displayName? } — the guest becomes an account. */
export async function signUp(request: Request): Promise<Response> {
  const refused = assertSameOrigin(request);
  if (refused) return refused;
  const body = await readJsonBody(request, SignUpRequest, BODY_LIMIT);
  if (!body.ok) return body.response;
  const { email, password, displayName = null } = body.data;
  const prisma = await getPrisma();
  const now = new Date();
  const key = signUpKey(clientAddress(request));
  const locked = await lockedResponse(prisma, [{ key, what: "sign-ups from your network" }], now);
  if (locked) return locked;
  await countThrottled(prisma, key, now, SIGN_UP_POLICY);

  const viewer = await getViewer();
  if (viewer.account) {
    return Response.json({ error: `You are signed in as ${viewer.account.email}. Sign out to create another account.` }, { status: 409 });
  }
  const role = roleForNewAccount(email);
  let learnerId: string;
  // Before the write: a request that reads the guest's identity meanwhile must not remember it.
  if (viewer.learnerId) forgetGuest(viewer.learnerId);
  try {
    learnerId = await createAccount(prisma, { guestId: viewer.learnerId, email, displayName, passwordHash: await hashPassword(password), role, now });
  } catch (err) {
    if (err instanceof EmailTakenError) {
      return Response.json({ error: "An account with this email already exists. Sign in instead.", field: "email" }, { status: 409 });
    }
    throw err;
  }
  await beginSession(prisma, learnerId, now);
  return Response.json({ account: { email, displayName, role } }, { status: 201 });
}

/**
 * POST /api/auth/signin { email, password } — starts a session; a guest's progress and attempts
 * move to the account. Locked accounts and addresses answer 429 before any password is checked;
 * an unknown email costs the same scrypt as a known one and gets the same answer.
 */
export async function signIn(request: Request): Promise<Response> {
  const refused = assertSameOrigin(request);
  if (refused) return refused;
  const body = await readJsonBody(request, SignInRequest, BODY_LIMIT);
  if (!body.ok) return body.response;
  const { email, password } = body.data;
  const prisma = await getPrisma();
  const now = new Date();
  const ip = clientAddress(request);
  const locked = await lockedResponse(prisma, [
    { key: accountKey(email), what: "sign-in attempts for this account" },
    { key: ipKey(ip), what: "sign-in attempts from your network" },
  ], now);
  if (locked) return locked;

  const found = await findCredentials(prisma, email);
  const matches = await verifyPassword(password, found?.passwordHash ?? UNKNOWN_ACCOUNT_HASH);
  if (!found || !matches) {
    await countThrottled(prisma, accountKey(email), now, ACCOUNT_POLICY);
    await countThrottled(prisma, ipKey(ip), now, IP_POLICY);
    return Response.json({ error: WRONG_CREDENTIALS }, { status: 401 });
  }
  // The address keeps its count: one good password must not buy more guesses at other accounts.
  await clearThrottle(prisma, accountKey(email));

  const viewer = await getViewer();
  if (viewer.learnerId && !viewer.account) await mergeGuestInto(prisma, viewer.learnerId, found.learnerId);
  await beginSession(prisma, found.learnerId, now);
  return Response.json({ account: found.account });
}

/** POST /api/auth/signout — ends the session; the browser continues as a fresh guest. */
export async function signOut(request: Request): Promise<Response> {
  const refused = assertSameOrigin(request);
  if (refused) return refused;
  const jar = await cookies();
  const token = jar.get(SESSION_COOKIE)?.value;
  if (token) {
    await endSession(await getPrisma(), token);
    jar.set(SESSION_COOKIE, "", clearedSessionCookieOptions());
    // The guest cookie names the account now; keeping it would keep nothing (it is not honoured
    // without a session), so the browser starts over as a new guest.
    jar.set(LEARNER_COOKIE, newLearnerId(), learnerCookieOptions());
  }
  return new Response(null, { status: 204 });
}

/** GET /api/auth/session — who is signed in, for the site header. */
export async function describeSession(): Promise<Response> {
  const { account } = await getViewer();
  return Response.json({ account }, { headers: { "Cache-Control": "no-store" } });
}

/**
 * Starts a session for the learner (replacing this browser's previous one) and points both
 * cookies at it; the guest cookie follows the account so it never names a deleted guest.
 */
async function beginSession(prisma: PrismaClient, learnerId: string, now: Date): Promise<void> {
  const jar = await cookies();
  const previous = jar.get(SESSION_COOKIE)?.value;
  if (previous) await endSession(prisma, previous);
  const { token, expiresAt } = await startSession(prisma, learnerId, now);
  jar.set(SESSION_COOKIE, token, sessionCookieOptions(expiresAt));
  jar.set(LEARNER_COOKIE, learnerId, learnerCookieOptions());
}
