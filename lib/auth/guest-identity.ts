/**
 * Which guest ids are known to name no account, so a guest's requests (a Check, every page) do
 * not each ask the database who they are.
 *
 * A guest id turns into an account only through sign-up (lib/db `createAccount` keeps the id), and
 * sign-up says so here before it writes: from then on that id is always looked up again. That
 * holds for this process; another server process on the same database cannot tell this one, so
 * an answer is trusted for at most GUEST_TTL_MS (the one thing it could get wrong is honouring,
 * that long, the guest cookie of a browser that signed up elsewhere and signed out again).
 * Process-wide (a global), as Next may load this module into several module graphs.
 */
const GUEST_TTL_MS = 30_000;
/** Enough for every learner active within the TTL; beyond it, the oldest go first. */
const MAX_GUESTS = 50_000;

type Memory = { guests: Map<string, number>; signedUp: Set<string> };
const KEY = Symbol.for("netlab.guestIdentity");
const memory = ((globalThis as { [KEY]?: Memory })[KEY] ??= { guests: new Map(), signedUp: new Set() });

/** Whether `learnerId` was found to name no account less than GUEST_TTL_MS before `nowMs`. */
export function isKnownGuest(learnerId: string, nowMs: number): boolean {
  const seenAt = memory.guests.get(learnerId);
  if (seenAt === undefined) return false;
  if (nowMs - seenAt < GUEST_TTL_MS) return true;
  memory.guests.delete(learnerId);
  return false;
}

/** Notes that the database found no account for `learnerId` (unless it has signed up since). */
export function rememberGuest(learnerId: string, nowMs: number): void {
  if (memory.signedUp.has(learnerId)) return;
  memory.guests.delete(learnerId); // re-inserted last: the Map's order is the eviction order
  memory.guests.set(learnerId, nowMs);
  if (memory.guests.size > MAX_GUESTS) memory.guests.delete(memory.guests.keys().next().value!);
}

/** Sign-up is about to turn `learnerId` into an account: never answer from memory for it again. */
export function forgetGuest(learnerId: string): void {
  memory.signedUp.add(learnerId);
  memory.guests.delete(learnerId);
  // Only a lookup already in flight at sign-up can try to remember the id again: the oldest
  // sign-ups can go once many newer ones came, so the set stays bounded.
  if (memory.signedUp.size > MAX_GUESTS) memory.signedUp.delete(memory.signedUp.values().next().value!);
}
