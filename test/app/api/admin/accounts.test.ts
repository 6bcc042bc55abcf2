import { beforeAll, describe, expect, it, vi } from "vitest";
import * as accountRoute from "@/app/api/admin/accounts/[id]/route";
import { GET } from "@/app/api/admin/accounts/route";
import { POST as createCohort } from "@/app/api/cohorts/route";
import { changeRole } from "@/lib/db";
import { withTestDatabase } from "../../harness";
import { byId, CROSS_SITE, guest, signedIn, type Person } from "../cohorts/accounts";

vi.mock("next/headers", () => import("../../harness").then((h) => h.nextHeaders));

const { db } = withTestDatabase();

const PATCH = byId(accountRoute.PATCH);

type AccountJson = { id: string; email: string; displayName: string | null; role: string; createdAt: string; lastSeenAt: string };

describe("admin routes", () => {
  let root: Person;
  let ivy: Person; // instructor
  let lea: Person; // learner

  beforeAll(async () => {
    root = await signedIn(db(), "admin", "Root");
    ivy = await signedIn(db(), "instructor", "Ivy");
    lea = await signedIn(db(), "learner", "Lea");
    await db().prisma.learner.create({ data: {} }); // a guest: not an account
  });

  const setRole = (person: Person, id: string, body: unknown, headers?: Record<string, string>) =>
    person.visitor.call(PATCH, "PATCH", `/api/admin/accounts/${id}`, { body, params: { id }, headers });
  const roleOf = async (id: string) => (await db().prisma.learner.findUniqueOrThrow({ where: { id } })).role;

  it("lists accounts (never guests) to admins, with a search", async () => {
    const res = await root.visitor.get(GET, "/api/admin/accounts");
    expect(res.status).toBe(200);
    const { accounts, total } = (await res.json()) as { accounts: AccountJson[]; total: number };
    expect(total).toBe(3);
    expect(accounts.map((a) => [a.displayName, a.role]).sort()).toEqual([["Ivy", "instructor"], ["Lea", "learner"], ["Root", "admin"]]);
    expect(Object.keys(accounts[0]).sort()).toEqual(["createdAt", "displayName", "email", "id", "lastSeenAt", "role"]);
    const found = (await (await root.visitor.get(GET, "/api/admin/accounts?q=LEA")).json()) as { accounts: AccountJson[] };
    expect(found.accounts.map((a) => a.email)).toEqual([lea.email]);
    expect((await root.visitor.get(GET, `/api/admin/accounts?q=${"x".repeat(101)}`)).status).toBe(400);
  });

  it("hides the accounts from everyone else", async () => {
    for (const [visitor, status] of [[ivy.visitor, 403], [lea.visitor, 403], [guest(), 401]] as const) {
      const res = await visitor.get(GET, "/api/admin/accounts");
      expect(res.status).toBe(status);
      expect(await res.text()).not.toContain(root.email);
    }
  });

  it("lets an admin change a role, which takes effect on the next request", async () => {
    expect((await lea.visitor.post(createCohort, "/api/cohorts", { name: "x" })).status).toBe(403);
    const res = await setRole(root, lea.id, { role: "instructor" });
    expect(res.status).toBe(200);
    expect((await res.json()).account).toMatchObject({ id: lea.id, role: "instructor", email: lea.email });
    expect(await roleOf(lea.id)).toBe("INSTRUCTOR");
    expect((await lea.visitor.post(createCohort, "/api/cohorts", { name: "Lea's group" })).status).toBe(201);
    expect((await setRole(root, lea.id, { role: "learner" })).status).toBe(200);
  });

  it("refuses role changes from non-admins, cross-site, and with a bad body or id", async () => {
    const ivyPromotes = await setRole(ivy, ivy.id, { role: "admin" });
    expect(ivyPromotes.status).toBe(403);
    expect((await setRole(lea, lea.id, { role: "admin" })).status).toBe(403);
    expect((await guest().call(PATCH, "PATCH", `/api/admin/accounts/${lea.id}`, { body: { role: "admin" }, params: { id: lea.id } })).status).toBe(401);
    expect((await setRole(root, lea.id, { role: "admin" }, CROSS_SITE)).status).toBe(403);
    expect(await roleOf(ivy.id)).toBe("INSTRUCTOR");
    expect(await roleOf(lea.id)).toBe("LEARNER");

    const badRole = await setRole(root, lea.id, { role: "root" });
    expect(badRole.status).toBe(400);
    expect((await badRole.json()).error).toMatch(/^role:/);
    expect((await (await setRole(root, lea.id, {})).json()).error).toMatch(/^role:/);
    expect((await setRole(root, "not-a-uuid", { role: "admin" })).status).toBe(404);
    expect((await setRole(root, crypto.randomUUID(), { role: "admin" })).status).toBe(404);
    const guestRow = await db().prisma.learner.findFirstOrThrow({ where: { email: null } });
    expect((await setRole(root, guestRow.id, { role: "admin" })).status).toBe(404);
    expect(await roleOf(guestRow.id)).toBe("LEARNER");
  });

  it("keeps the last admin: self-demotion is refused until another admin exists", async () => {
    const refused = await setRole(root, root.id, { role: "learner" });
    expect(refused.status).toBe(409);
    expect((await refused.json()).error).toMatch(/last admin/);
    expect(await roleOf(root.id)).toBe("ADMIN");

    expect((await setRole(root, ivy.id, { role: "admin" })).status).toBe(200);
    expect((await setRole(root, root.id, { role: "instructor" })).status).toBe(200);
    // Root is an instructor now; their session no longer carries admin rights.
    expect((await setRole(root, ivy.id, { role: "learner" })).status).toBe(403);
    expect((await setRole(ivy, ivy.id, { role: "learner" })).status).toBe(409);
    expect((await setRole(ivy, root.id, { role: "admin" })).status).toBe(200);
  });

  it("never loses the last admin when two admins demote each other at once", async () => {
    const [a, b] = [await signedIn(db(), "admin", "A"), await signedIn(db(), "admin", "B")];
    // Only these two remain admins.
    await db().prisma.learner.updateMany({ where: { role: "ADMIN", id: { notIn: [a.id, b.id] } }, data: { role: "INSTRUCTOR" } });
    const results = await Promise.all([
      changeRole(db().prisma, { learnerId: a.id, role: "admin" }, b.id, "learner"),
      changeRole(db().prisma, { learnerId: b.id, role: "admin" }, a.id, "learner"),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ reason: "not-admin" });
    expect(await db().prisma.learner.count({ where: { role: "ADMIN" } })).toBe(1);
  });
});
