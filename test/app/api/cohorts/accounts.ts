/**
 * Signed-in visitors for route tests: an account row with a role and a live session whose
 * token sits in the visitor's cookie jar, as after a real sign-in.
 */
import { LEARNER_COOKIE, SESSION_COOKIE, startSession } from "@/lib/auth";
import type { AccountRole, Database } from "@/lib/db";
import { Visitor } from "../../harness";

export interface Person {
  id: string;
  email: string;
  visitor: Visitor;
}

export async function signedIn(db: Database, role: AccountRole, name: string): Promise<Person> {
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, ".")}.${crypto.randomUUID().slice(0, 8)}@example.test`;
  const row = await db.prisma.learner.create({ data: { email, displayName: name, passwordHash: "unused", role: role.toUpperCase() as "LEARNER" } });
  const { token } = await startSession(db.prisma, row.id);
  const visitor = new Visitor();
  visitor.jar.set(SESSION_COOKIE, token);
  return { id: row.id, email, visitor };
}

/** A guest: a learner cookie and no account. */
export function guest(): Visitor {
  const visitor = new Visitor();
  visitor.jar.set(LEARNER_COOKIE, crypto.randomUUID());
  return visitor;
}

/** Headers of a request another site's page makes the browser send. */
export const CROSS_SITE = { origin: "https://evil.example", "sec-fetch-site": "cross-site" };

type IdRoute = (request: Request, context: { params: Promise<{ id: string }> }) => Promise<Response>;

/** The harness passes params as Record<string, string>; routes under [id] declare them as { id }. */
export const byId =
  (route: IdRoute) =>
  (request: Request, context: { params: Promise<Record<string, string>> }): Promise<Response> =>
    route(request, context as { params: Promise<{ id: string }> });
