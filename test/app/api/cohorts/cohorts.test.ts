import { beforeAll, describe, expect, it, vi } from "vitest";
import * as cohortRoute from "@/app/api/cohorts/[id]/route";
import * as exportRoute from "@/app/api/cohorts/[id]/export/route";
import * as membershipRoute from "@/app/api/cohorts/[id]/membership/route";
import { POST as join } from "@/app/api/cohorts/join/route";
import { GET as listCohorts, POST as createCohort } from "@/app/api/cohorts/route";
import { loadCourse } from "@/app/dashboard/course";
import { withTestDatabase } from "../../harness";
import { byId, CROSS_SITE, guest, signedIn, type Person } from "./accounts";

vi.mock("next/headers", () => import("../../harness").then((h) => h.nextHeaders));

const { db } = withTestDatabase();

const getCohort = byId(cohortRoute.GET);
const deleteCohort = byId(cohortRoute.DELETE);
const exportCohort = byId(exportRoute.GET);
const leave = byId(membershipRoute.DELETE);

type CohortJson = { id: string; name: string; joinCode: string; memberCount: number };

describe("cohort routes", () => {
  let ana: Person; // instructor
  let bo: Person; // another instructor
  let root: Person; // admin
  let lea: Person; // learner
  let max: Person; // another learner
  let anas: CohortJson;

  beforeAll(async () => {
    [ana, bo, root, lea, max] = await Promise.all([
      signedIn(db(), "instructor", "Ana"),
      signedIn(db(), "instructor", "Bo"),
      signedIn(db(), "admin", "Root"),
      signedIn(db(), "learner", "Lea"),
      signedIn(db(), "learner", "=HYPERLINK(\"http://evil.example\",\"Max\")"),
    ]);
  });

  const create = (person: Person, name: string) => person.visitor.post(createCohort, "/api/cohorts", { name });
  const table = (person: Person, id: string) => person.visitor.get(getCohort, `/api/cohorts/${id}`, { params: { id } });

  it("lets an instructor create a cohort with a readable join code", async () => {
    const res = await create(ana, "  Tuesday group  ");
    expect(res.status).toBe(201);
    anas = (await res.json()).cohort;
    expect(anas).toMatchObject({ name: "Tuesday group", memberCount: 0 });
    expect(anas.joinCode).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    expect((await create(bo, "Bo's group")).status).toBe(201);
  });

  it("refuses to create for learners (403), guests (401), cross-site requests (403) and bad bodies (400)", async () => {
    expect((await create(lea, "mine")).status).toBe(403);
    expect((await guest().post(createCohort, "/api/cohorts", { name: "mine" })).status).toBe(401);
    const crossSite = await ana.visitor.post(createCohort, "/api/cohorts", { name: "forged" }, { headers: CROSS_SITE });
    expect(crossSite.status).toBe(403);
    const empty = await create(ana, "   ");
    expect(empty.status).toBe(400);
    expect((await empty.json()).error).toMatch(/^name: give the cohort a name/);
    const long = await create(ana, "x".repeat(81));
    expect((await long.json()).error).toMatch(/^name: at most 80/);
    const wrongType = await ana.visitor.post(createCohort, "/api/cohorts", { name: 7 });
    expect((await wrongType.json()).error).toMatch(/^name:/);
    const notJson = await ana.visitor.call(createCohort, "POST", "/api/cohorts", { raw: "{name" });
    expect(notJson.status).toBe(400);
    const huge = await ana.visitor.post(createCohort, "/api/cohorts", { name: "x", pad: "y".repeat(5000) });
    expect(huge.status).toBe(413);
    const names = (await db().prisma.cohort.findMany({ select: { name: true } })).map((c) => c.name);
    expect(names).not.toContain("forged");
    expect(names).not.toContain("mine");
  });

  it("lists only the caller's cohorts; an admin sees all; a learner none", async () => {
    const names = async (person: Person) => ((await (await person.visitor.get(listCohorts, "/api/cohorts")).json()).cohorts as CohortJson[]).map((c) => c.name);
    expect(await names(ana)).toEqual(["Tuesday group"]);
    expect(await names(bo)).toEqual(["Bo's group"]);
    expect((await names(root)).sort()).toEqual(["Bo's group", "Tuesday group"]);
    const learner = await lea.visitor.get(listCohorts, "/api/cohorts");
    expect(learner.status).toBe(403);
    expect(await learner.text()).not.toContain("Tuesday");
  });

  it("lets learners join with the code in any case, idempotently, and says when a code is wrong", async () => {
    const first = await lea.visitor.post(join, "/api/cohorts/join", { code: anas.joinCode.toLowerCase() });
    expect(first.status).toBe(200);
    expect((await first.json()).cohort).toMatchObject({ id: anas.id, name: "Tuesday group", ownerName: "Ana" });
    expect((await lea.visitor.post(join, "/api/cohorts/join", { code: anas.joinCode.replace("-", "") })).status).toBe(200);
    expect((await max.visitor.post(join, "/api/cohorts/join", { code: anas.joinCode })).status).toBe(200);
    expect(await db().prisma.cohortMember.count({ where: { cohortId: anas.id } })).toBe(2);

    const wrong = await lea.visitor.post(join, "/api/cohorts/join", { code: "2222-2222" });
    expect(wrong.status).toBe(404);
    expect((await wrong.json()).error).toMatch(/no cohort has the code 2222-2222/);
    const malformed = await lea.visitor.post(join, "/api/cohorts/join", { code: "HELLO" });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error).toMatch(/^code: expected the 8-character join code/);
    const missing = await lea.visitor.post(join, "/api/cohorts/join", {});
    expect((await missing.json()).error).toMatch(/^code:/);
    const anonymous = await guest().post(join, "/api/cohorts/join", { code: anas.joinCode });
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error).toMatch(/create an account or sign in/);
    expect((await lea.visitor.post(join, "/api/cohorts/join", { code: anas.joinCode }, { headers: CROSS_SITE })).status).toBe(403);
  });

  it("shows the owner the learners × lessons table with each learner's progress", async () => {
    const course = await loadCourse();
    const lesson = course.find((c) => c.exercises.length > 0 && c.hasQuiz)!;
    await db().prisma.exerciseAttempt.create({
      data: { learnerId: lea.id, lessonSlug: lesson.meta.slug, exerciseId: lesson.exercises[0].id, passed: true, outcomes: [], failedChecks: [], scenario: "s", seed: 1, transcriptHash: "h", transcriptSize: 0, replayMs: 1 },
    });
    await db().prisma.quizAttempt.create({ data: { learnerId: lea.id, lessonSlug: lesson.meta.slug, answers: {}, correct: 3, total: 4, score: 0.75 } });

    const res = await table(ana, anas.id);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.lessons.map((l: { slug: string }) => l.slug)).toEqual(course.map((c) => c.meta.slug));
    const row = body.members.find((m: { name: string }) => m.name === "Lea");
    const cell = row.lessons.find((l: { slug: string }) => l.slug === lesson.meta.slug);
    expect(cell).toMatchObject({ status: "started", exercisesPassed: 1, exercisesTotal: lesson.exercises.length, quizBest: 0.75 });
    expect(row.email).toBe(lea.email);
    expect((await table(root, anas.id)).status).toBe(200);
  });

  it("answers 404 for another instructor's cohort and 403 for learners, leaking nothing", async () => {
    for (const [person, status] of [[bo, 404], [lea, 403], [max, 403]] as const) {
      const res = await table(person, anas.id);
      expect(res.status).toBe(status);
      const text = await res.text();
      expect(text).not.toContain("Tuesday");
      expect(text).not.toContain(lea.email);
      const csv = await person.visitor.get(exportCohort, `/api/cohorts/${anas.id}/export`, { params: { id: anas.id } });
      expect(csv.status).toBe(status);
      expect(await csv.text()).not.toContain(lea.email);
    }
    expect((await table(ana, "not-a-uuid")).status).toBe(404);
    expect((await table(ana, crypto.randomUUID())).status).toBe(404);
    expect((await guest().get(getCohort, `/api/cohorts/${anas.id}`, { params: { id: anas.id } })).status).toBe(401);
  });

  it("exports the table as CSV that a spreadsheet cannot run as a formula", async () => {
    const res = await ana.visitor.get(exportCohort, `/api/cohorts/${anas.id}/export`, { params: { id: anas.id } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="tuesday-group-progress.csv"');
    const lines = (await res.text()).replace(/^\uFEFF/, "").trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/^Learner,Email,Joined \(UTC\),01 /);
    expect(lines).toHaveLength(3);
    const course = await loadCourse();
    const lesson = course.findIndex((c) => c.exercises.length > 0 && c.hasQuiz);
    const header = csvCells(lines[0]);
    const column = header.findIndex((h) => h.startsWith(`${String(course[lesson].meta.order).padStart(2, "0")} `) && h.includes(": exercises passed (of "));
    const leaRow = csvCells(lines.find((l) => l.includes(lea.email))!);
    expect(leaRow[0]).toBe("Lea");
    expect([leaRow[column - 1], leaRow[column], leaRow[column + 1]]).toEqual(["In progress", "1", "75%"]);
    // The display name `=HYPERLINK("http://evil.example","Max")`: quoted, and defused with an apostrophe.
    expect(lines.find((l) => l.includes(max.email))).toMatch(/^"'=HYPERLINK\(""http:\/\/evil\.example"",""Max""\)",/);
  });

  it("lets a learner leave only their own membership", async () => {
    const leaveAs = (person: Person, id: string, headers?: Record<string, string>) =>
      person.visitor.call(leave, "DELETE", `/api/cohorts/${id}/membership`, { params: { id }, headers });
    expect((await leaveAs(lea, anas.id, CROSS_SITE)).status).toBe(403);
    expect((await leaveAs(root, anas.id)).status).toBe(404); // not a member: nothing to leave, nobody else removed
    expect(await db().prisma.cohortMember.count({ where: { cohortId: anas.id } })).toBe(2);
    expect((await leaveAs(lea, anas.id)).status).toBe(204);
    expect((await leaveAs(lea, anas.id)).status).toBe(404);
    expect((await leaveAs(lea, "junk")).status).toBe(404);
    const members = await db().prisma.cohortMember.findMany({ where: { cohortId: anas.id }, select: { learnerId: true } });
    expect(members).toEqual([{ learnerId: max.id }]);
  });

  it("lets only the owner (or an admin) delete a cohort", async () => {
    const remove = (person: Person, headers?: Record<string, string>) =>
      person.visitor.call(deleteCohort, "DELETE", `/api/cohorts/${anas.id}`, { params: { id: anas.id }, headers });
    expect((await remove(bo)).status).toBe(404);
    expect((await remove(max)).status).toBe(403);
    expect((await remove(ana, CROSS_SITE)).status).toBe(403);
    expect(await db().prisma.cohort.count({ where: { id: anas.id } })).toBe(1);
    expect((await remove(ana)).status).toBe(204);
    expect(await db().prisma.cohort.count({ where: { id: anas.id } })).toBe(0);
    expect(await db().prisma.cohortMember.count({ where: { cohortId: anas.id } })).toBe(0);
  });
});

/** The fields of one CSV line (RFC 4180 quoting), to read the export back. */
function csvCells(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (c === "," && !quoted) {
      cells.push(cell);
      cell = "";
    } else {
      cell += c;
    }
  }
  return [...cells, cell];
}
