import { randomInt } from "node:crypto";
import { isUuid, type Actor } from "./admin";
import { progressSummaries, type CourseLesson, type LessonSummary } from "./dashboard";
import { Prisma, type PrismaClient } from "./generated/client";

/**
 * Join-code symbols: digits and capitals without the ones people confuse when reading a code
 * off a projector (0/O, 1/I/L). Eight of them give 31^8 ≈ 8.5 × 10^11 codes, so guessing one
 * is hopeless while it stays easy to read aloud.
 */
export const JOIN_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const JOIN_CODE_LENGTH = 8;

/** A fresh random join code, e.g. `K7QX2MPA`, from the CSPRNG. */
export function newJoinCode(): string {
  let code = "";
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return code;
}

/** `K7QX2MPA` → `K7QX-2MPA`: how codes are shown, in two halves that are easier to copy. */
export function formatJoinCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * What a learner typed → the stored code, or null if it cannot be one. Case, spaces and dashes
 * do not matter (`k7qx-2mpa` works).
 */
export function normalizeJoinCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]+/g, "");
  if (code.length !== JOIN_CODE_LENGTH) return null;
  return [...code].every((c) => JOIN_CODE_ALPHABET.includes(c)) ? code : null;
}

const canTeach = (actor: Actor) => actor.role === "instructor" || actor.role === "admin";

/** Instructors see their own cohorts, admins every cohort, learners none. */
function visibleTo(actor: Actor): Prisma.CohortWhereInput {
  if (actor.role === "admin") return {};
  if (actor.role === "instructor") return { ownerId: actor.learnerId };
  return { id: { in: [] } };
}

export interface CohortListItem {
  id: string;
  name: string;
  joinCode: string;
  createdAt: Date;
  memberCount: number;
  owner: { email: string | null; displayName: string | null };
}

/**
 * Creates a cohort owned by the actor, who must be an instructor or an admin (a route checks
 * the role first; this throws so no other caller can skip it). Retries the rare code collision.
 */
export async function createCohort(prisma: PrismaClient, actor: Actor, name: string): Promise<CohortListItem> {
  if (!canTeach(actor)) throw new Error("only instructors and admins create cohorts");
  for (let attempt = 0; ; attempt++) {
    try {
      const cohort = await prisma.cohort.create({
        data: { name, joinCode: newJoinCode(), ownerId: actor.learnerId },
        select: { id: true, name: true, joinCode: true, createdAt: true, owner: { select: { email: true, displayName: true } } },
      });
      return { ...cohort, memberCount: 0 };
    } catch (err) {
      const collision = err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";
      if (!collision || attempt >= 4) throw err;
    }
  }
}

/** The cohorts the actor may open, newest first, with their member counts. */
export async function listCohorts(prisma: PrismaClient, actor: Actor): Promise<CohortListItem[]> {
  const rows = await prisma.cohort.findMany({
    where: visibleTo(actor),
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    select: { id: true, name: true, joinCode: true, createdAt: true, owner: { select: { email: true, displayName: true } }, _count: { select: { members: true } } },
  });
  return rows.map(({ _count, ...cohort }) => ({ ...cohort, memberCount: _count.members }));
}

export interface CohortMemberRow {
  learnerId: string;
  email: string | null;
  displayName: string | null;
  joinedAt: Date;
  lessons: LessonSummary[];
}

export interface CohortTable {
  cohort: CohortListItem;
  members: CohortMemberRow[];
}

/**
 * A cohort's learners × the course's lessons, or null when the actor may not see the cohort
 * (another instructor's, any for a learner, or no such id): callers answer 404 either way, so
 * an id never reveals whether someone else's cohort exists.
 */
export async function cohortTable(prisma: PrismaClient, actor: Actor, cohortId: string, course: readonly CourseLesson[]): Promise<CohortTable | null> {
  if (!isUuid(cohortId)) return null;
  const row = await prisma.cohort.findFirst({
    where: { AND: [{ id: cohortId }, visibleTo(actor)] },
    select: {
      id: true,
      name: true,
      joinCode: true,
      createdAt: true,
      owner: { select: { email: true, displayName: true } },
      members: { select: { joinedAt: true, learner: { select: { id: true, email: true, displayName: true } } } },
    },
  });
  if (!row) return null;
  const { members, ...cohort } = row;
  const summaries = await progressSummaries(prisma, members.map((m) => m.learner.id), course);
  const rows = members
    .map((m) => ({ learnerId: m.learner.id, email: m.learner.email, displayName: m.learner.displayName, joinedAt: m.joinedAt, lessons: summaries.get(m.learner.id)! }))
    .sort((a, b) => memberName(a).localeCompare(memberName(b)) || a.learnerId.localeCompare(b.learnerId));
  return { cohort: { ...cohort, memberCount: members.length }, members: rows };
}

/** How a member is named in a table: display name, else email, else "Guest". */
export function memberName(member: { displayName: string | null; email: string | null }): string {
  return member.displayName?.trim() || member.email || "Guest";
}

/** Deletes a cohort the actor may see (memberships go with it); false when there is none. */
export async function deleteCohort(prisma: PrismaClient, actor: Actor, cohortId: string): Promise<boolean> {
  if (!isUuid(cohortId) || !canTeach(actor)) return false;
  const { count } = await prisma.cohort.deleteMany({ where: { AND: [{ id: cohortId }, visibleTo(actor)] } });
  return count > 0;
}

export interface Membership {
  cohortId: string;
  name: string;
  joinedAt: Date;
  /** The instructor's display name (never their email: members only know the code). */
  ownerName: string | null;
}

const membershipSelect = { joinedAt: true, cohort: { select: { id: true, name: true, owner: { select: { displayName: true } } } } } as const;

function toMembership(row: { joinedAt: Date; cohort: { id: string; name: string; owner: { displayName: string | null } } }): Membership {
  return { cohortId: row.cohort.id, name: row.cohort.name, joinedAt: row.joinedAt, ownerName: row.cohort.owner.displayName };
}

/**
 * Adds the learner to the cohort with this code. Joining twice is fine (the first join time
 * stays). Null when the code is malformed or no cohort has it.
 */
export async function joinCohort(prisma: PrismaClient, learnerId: string, code: string): Promise<Membership | null> {
  const joinCode = normalizeJoinCode(code);
  if (!joinCode) return null;
  const cohort = await prisma.cohort.findUnique({ where: { joinCode }, select: { id: true } });
  if (!cohort) return null;
  const member = await prisma.cohortMember.upsert({
    where: { cohortId_learnerId: { cohortId: cohort.id, learnerId } },
    create: { cohortId: cohort.id, learnerId },
    update: {},
    select: membershipSelect,
  });
  return toMembership(member);
}

/** Removes the learner from a cohort; false when they were not in it. */
export async function leaveCohort(prisma: PrismaClient, learnerId: string, cohortId: string): Promise<boolean> {
  if (!isUuid(cohortId)) return false;
  const { count } = await prisma.cohortMember.deleteMany({ where: { cohortId, learnerId } });
  return count > 0;
}

/** The cohorts a learner belongs to, most recently joined first. */
export async function listMemberships(prisma: PrismaClient, learnerId: string): Promise<Membership[]> {
  const rows = await prisma.cohortMember.findMany({
    where: { learnerId },
    orderBy: { joinedAt: "desc" },
    select: membershipSelect,
  });
  return rows.map(toMembership);
}
