import type { PrismaClient } from "./generated/client";
import { Role as DbRole } from "./generated/enums";

/** What an account may do, as the app spells it (the database stores the upper-case enum). */
export const ACCOUNT_ROLES = ["learner", "instructor", "admin"] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

export const roleToDb: Record<AccountRole, DbRole> = { learner: DbRole.LEARNER, instructor: DbRole.INSTRUCTOR, admin: DbRole.ADMIN };
export const roleFromDb: Record<DbRole, AccountRole> = { LEARNER: "learner", INSTRUCTOR: "instructor", ADMIN: "admin" };

/**
 * The signed-in person a query acts for. Queries scope what they read and change by it, so a
 * route handler cannot forget to: pass what `getViewer()` says, never ids from the request.
 */
export interface Actor {
  learnerId: string;
  role: AccountRole;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ids of accounts and cohorts come from URLs: anything that is not a UUID names nothing (and
 * must not reach a uuid column, where PostgreSQL would reject the whole query).
 */
export const isUuid = (id: string): boolean => UUID.test(id);

/** One account as the admin page lists it. Guests (no email) are not accounts. */
export interface AccountRow {
  id: string;
  email: string;
  displayName: string | null;
  role: AccountRole;
  createdAt: Date;
  lastSeenAt: Date;
}

const accountSelect = { id: true, email: true, displayName: true, role: true, createdAt: true, lastSeenAt: true } as const;

function toAccountRow(row: { id: string; email: string | null; displayName: string | null; role: DbRole; createdAt: Date; lastSeenAt: Date }): AccountRow {
  return { ...row, email: row.email ?? "", role: roleFromDb[row.role] };
}

/** The most accounts one listing returns; the page asks for a narrower search beyond it. */
export const ACCOUNT_LIST_LIMIT = 200;

/**
 * Accounts, newest first, optionally those whose email or display name contains `query`
 * (case-insensitive). `total` counts every match, so a page can say how many were left out.
 */
export async function listAccounts(prisma: PrismaClient, options: { query?: string; limit?: number } = {}): Promise<{ accounts: AccountRow[]; total: number }> {
  const query = options.query?.trim();
  const where = {
    email: { not: null },
    ...(query
      ? { OR: [{ email: { contains: query, mode: "insensitive" as const } }, { displayName: { contains: query, mode: "insensitive" as const } }] }
      : {}),
  };
  const [rows, total] = await Promise.all([
    prisma.learner.findMany({ where, select: accountSelect, orderBy: [{ createdAt: "desc" }, { id: "asc" }], take: options.limit ?? ACCOUNT_LIST_LIMIT }),
    prisma.learner.count({ where }),
  ]);
  return { accounts: rows.map(toAccountRow), total };
}

export type RoleChange =
  | { ok: true; account: AccountRow }
  | { ok: false; reason: "not-found" | "last-admin" | "not-admin" };

/**
 * Gives an account a role. Only an admin may (`not-admin` otherwise); the target must be an
 * account (`not-found` for guests and unknown ids); and the last admin keeps their role
 * (`last-admin`), so the site can never lose its last way to manage roles. The admin rows are
 * locked while counting, so two admins demoting each other at once cannot both succeed.
 */
export async function changeRole(prisma: PrismaClient, actor: Actor, targetId: string, role: AccountRole): Promise<RoleChange> {
  if (actor.role !== "admin") return { ok: false, reason: "not-admin" };
  if (!isUuid(targetId)) return { ok: false, reason: "not-found" };
  return prisma.$transaction(async (tx) => {
    const admins = await tx.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM "learner" WHERE role = 'ADMIN' FOR UPDATE`;
    // The actor's role is re-read under the lock: an admin demoted a moment ago acts no more.
    if (!admins.some((a) => a.id === actor.learnerId)) return { ok: false, reason: "not-admin" } as const;
    const target = await tx.learner.findFirst({ where: { id: targetId, email: { not: null } }, select: accountSelect });
    if (!target) return { ok: false, reason: "not-found" } as const;
    if (target.role === DbRole.ADMIN && role !== "admin" && admins.length <= 1) return { ok: false, reason: "last-admin" } as const;
    const updated = await tx.learner.update({ where: { id: targetId }, data: { role: roleToDb[role] }, select: accountSelect });
    return { ok: true, account: toAccountRow(updated) } as const;
  });
}
