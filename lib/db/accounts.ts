import { Prisma, type PrismaClient } from "./generated/client";
import { ProgressStatus as DbStatus, Role as DbRole } from "./generated/enums";
import { roleFromDb, roleToDb, type AccountRole } from "./admin";
import type { Db } from "./progress";

/** What the site shows and checks about a signed-up learner. */
export interface AccountRecord {
  email: string;
  displayName: string | null;
  role: AccountRole;
}


const accountFields = { email: true, displayName: true, role: true } as const;

function toAccount(row: { email: string | null; displayName: string | null; role: DbRole }): AccountRecord | null {
  return row.email === null ? null : { email: row.email, displayName: row.displayName, role: roleFromDb[row.role] };
}

/** A learner row's identity: null when there is no such row, `account: null` for a guest. */
export async function findLearnerIdentity(db: Db, learnerId: string): Promise<{ account: AccountRecord | null } | null> {
  const row = await db.learner.findUnique({ where: { id: learnerId }, select: accountFields });
  return row && { account: toAccount(row) };
}

/** The account a sign-in names, with what is needed to check its password. */
export async function findCredentials(db: Db, email: string): Promise<{ learnerId: string; passwordHash: string; account: AccountRecord } | null> {
  const row = await db.learner.findUnique({ where: { email }, select: { id: true, passwordHash: true, ...accountFields } });
  const account = row && toAccount(row);
  if (!row?.passwordHash || !account) return null;
  return { learnerId: row.id, passwordHash: row.passwordHash, account };
}

/** Sign-up named an email that already belongs to an account. */
export class EmailTakenError extends Error {
  constructor(readonly email: string) {
    super(`an account with the email ${email} already exists`);
    this.name = "EmailTakenError";
  }
}

export interface NewAccount {
  /** The visitor's guest learner, whose row (and progress) becomes the account; null for none. */
  guestId: string | null;
  email: string;
  displayName: string | null;
  passwordHash: string;
  role: AccountRole;
  now?: Date;
}

/**
 * Turns the guest learner into an account, keeping its id and so its progress. A guest without
 * a row yet gets one with that id; a guest id that already belongs to an account (or none) gets
 * a fresh learner. Returns the account's learner id.
 */
export async function createAccount(db: Db, input: NewAccount): Promise<string> {
  const now = input.now ?? new Date();
  const fields = { email: input.email, displayName: input.displayName, passwordHash: input.passwordHash, role: roleToDb[input.role], lastSeenAt: now };
  try {
    if (input.guestId) {
      // `email: null` in the filter: two sign-ups racing on one guest cannot both claim it.
      const claimed = await db.learner.updateMany({ where: { id: input.guestId, email: null }, data: fields });
      if (claimed.count === 1) return input.guestId;
      const exists = await db.learner.findUnique({ where: { id: input.guestId }, select: { id: true } });
      if (!exists) return (await db.learner.create({ data: { id: input.guestId, createdAt: now, ...fields }, select: { id: true } })).id;
    }
    return (await db.learner.create({ data: { createdAt: now, ...fields }, select: { id: true } })).id;
  } catch (err) {
    if (isUniqueViolation(err)) throw new EmailTakenError(input.email);
    throw err;
  }
}

function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";
}

const statusRank: Record<DbStatus, number> = { NOT_STARTED: 0, STARTED: 1, COMPLETED: 2 };

function earliest(a: Date | null, b: Date | null): Date | null {
  if (!a || !b) return a ?? b;
  return a <= b ? a : b;
}

/**
 * Moves everything a guest learner did onto an account and deletes the guest, in one
 * transaction: lesson progress (merged per lesson: the furthest status, the earliest start and
 * completion), exercise and quiz attempts, cohort memberships (without duplicates). Does nothing
 * when the guest has no row or is itself an account. Returns whether a guest was merged.
 */
export async function mergeGuestInto(prisma: PrismaClient, guestId: string, accountId: string): Promise<boolean> {
  if (guestId === accountId) return false;
  return prisma.$transaction(async (tx) => {
    // Lock both rows (in a fixed order, so two merges cannot deadlock): concurrent sign-ins of
    // one guest, or of two guests into one account, take turns instead of colliding.
    const [first, second] = [guestId, accountId].sort();
    await tx.$queryRaw`SELECT id FROM learner WHERE id IN (${first}::uuid, ${second}::uuid) ORDER BY id FOR UPDATE`;
    const guest = await tx.learner.findUnique({ where: { id: guestId }, select: { email: true } });
    if (!guest || guest.email !== null) return false;

    const guestRows = await tx.lessonProgress.findMany({ where: { learnerId: guestId } });
    const accountRows = new Map(
      (await tx.lessonProgress.findMany({ where: { learnerId: accountId, lessonSlug: { in: guestRows.map((r) => r.lessonSlug) } } }))
        .map((r) => [r.lessonSlug, r]),
    );
    for (const row of guestRows) {
      const mine = accountRows.get(row.lessonSlug);
      if (!mine) {
        await tx.lessonProgress.update({ where: { learnerId_lessonSlug: { learnerId: guestId, lessonSlug: row.lessonSlug } }, data: { learnerId: accountId } });
        continue;
      }
      const status = statusRank[row.status] > statusRank[mine.status] ? row.status : mine.status;
      await tx.lessonProgress.update({
        where: { learnerId_lessonSlug: { learnerId: accountId, lessonSlug: row.lessonSlug } },
        data: {
          status,
          startedAt: earliest(row.startedAt, mine.startedAt),
          completedAt: status === DbStatus.COMPLETED ? earliest(row.completedAt, mine.completedAt) : null,
        },
      });
    }
    await tx.exerciseAttempt.updateMany({ where: { learnerId: guestId }, data: { learnerId: accountId } });
    await tx.quizAttempt.updateMany({ where: { learnerId: guestId }, data: { learnerId: accountId } });
    const joined = await tx.cohortMember.findMany({ where: { learnerId: accountId }, select: { cohortId: true } });
    await tx.cohortMember.updateMany({
      where: { learnerId: guestId, cohortId: { notIn: joined.map((m) => m.cohortId) } },
      data: { learnerId: accountId },
    });
    // What is left (lessons merged above, memberships the account already had) goes with the guest.
    await tx.learner.delete({ where: { id: guestId } });
    return true;
  });
}

// ---- sessions -------------------------------------------------------------------------------

export interface SessionRecord {
  id: string;
  learnerId: string;
  createdAt: Date;
  rotatedAt: Date;
  expiresAt: Date;
  account: AccountRecord | null;
}

/** Stores a session (by its token's hash) and marks its learner as seen now. */
export async function insertSession(db: Db, row: { tokenHash: string; learnerId: string; createdAt: Date; rotatedAt: Date; expiresAt: Date }): Promise<void> {
  await db.session.create({ data: row, select: { id: true } });
  await db.learner.update({ where: { id: row.learnerId }, data: { lastSeenAt: row.rotatedAt }, select: { id: true } });
}

export async function findSession(db: Db, tokenHash: string): Promise<SessionRecord | null> {
  const row = await db.session.findUnique({
    where: { tokenHash },
    select: { id: true, learnerId: true, createdAt: true, rotatedAt: true, expiresAt: true, learner: { select: accountFields } },
  });
  if (!row) return null;
  const { learner, ...session } = row;
  return { ...session, account: toAccount(learner) };
}

/**
 * Replaces a session's token: the old row now ends at `graceUntil` and a new row with the new
 * token carries on (same learner, creation time and expiry). Only one caller can supersede a
 * row (the expiry check is the compare-and-set), so two requests rotating at once yield one new
 * token; returns whether this caller did it.
 */
export async function supersedeSession(prisma: PrismaClient, session: SessionRecord, next: { tokenHash: string; rotatedAt: Date; graceUntil: Date }): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const won = await tx.session.updateMany({ where: { id: session.id, expiresAt: { gt: next.graceUntil } }, data: { expiresAt: next.graceUntil } });
    if (won.count === 0) return false;
    await insertSession(tx, { tokenHash: next.tokenHash, learnerId: session.learnerId, createdAt: session.createdAt, rotatedAt: next.rotatedAt, expiresAt: session.expiresAt });
    return true;
  });
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.session.deleteMany({ where: { tokenHash } });
}

/** Removes a learner's sessions that have ended (they are never honoured, only swept). */
export async function deleteExpiredSessions(db: Db, learnerId: string, now: Date): Promise<void> {
  await db.session.deleteMany({ where: { learnerId, expiresAt: { lte: now } } });
}

// ---- sign-in throttling -------------------------------------------------------------------

/** At most `limit` counted events per `windowMs`; reaching it locks the key for `lockMs`. */
export interface ThrottlePolicy {
  limit: number;
  windowMs: number;
  lockMs: number;
}

/** When the key is locked until, or null when it is not locked at `now`. */
export async function lockedUntil(db: Db, key: string, now: Date): Promise<Date | null> {
  const row = await db.signInThrottle.findUnique({ where: { key }, select: { lockedUntil: true } });
  return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null;
}

/**
 * Counts one event (a failed sign-in, a sign-up) against a key in a single statement, so
 * concurrent requests from several server processes all count. A window older than
 * `policy.windowMs` starts over. Returns the lock time when this event reached the limit.
 */
export async function countThrottled(db: Db, key: string, now: Date, policy: ThrottlePolicy): Promise<Date | null> {
  const windowOpen = new Date(now.getTime() - policy.windowMs);
  const lockUntil = new Date(now.getTime() + policy.lockMs);
  const rows = await db.$queryRaw<{ locked_until: Date | null }[]>`
    INSERT INTO sign_in_throttle (key, failures, window_start, locked_until)
    VALUES (${key}, 1, ${now}, CASE WHEN 1 >= ${policy.limit} THEN ${lockUntil}::timestamptz END)
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN sign_in_throttle.window_start <= ${windowOpen} THEN 1 ELSE sign_in_throttle.failures + 1 END,
      window_start = CASE WHEN sign_in_throttle.window_start <= ${windowOpen} THEN ${now} ELSE sign_in_throttle.window_start END,
      locked_until = CASE
        WHEN (CASE WHEN sign_in_throttle.window_start <= ${windowOpen} THEN 1 ELSE sign_in_throttle.failures + 1 END) >= ${policy.limit}
        THEN ${lockUntil}::timestamptz
        ELSE sign_in_throttle.locked_until END
    RETURNING locked_until`;
  const until = rows[0]?.locked_until;
  return until && new Date(until) > now ? new Date(until) : null;
}

export async function clearThrottle(db: Db, key: string): Promise<void> {
  await db.signInThrottle.deleteMany({ where: { key } });
}
