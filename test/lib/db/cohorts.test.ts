import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cohortTable,
  createCohort,
  deleteCohort,
  formatJoinCode,
  joinCohort,
  JOIN_CODE_ALPHABET,
  leaveCohort,
  listCohorts,
  listMemberships,
  normalizeJoinCode,
  openDatabase,
  type AccountRole,
  type Actor,
  type CourseLesson,
  type Database,
} from "@/lib/db";
import { newJoinCode } from "@/lib/db/cohorts";

const COURSE: CourseLesson[] = [{ slug: "one", exerciseIds: ["a"], hasQuiz: true }];

describe("join codes", () => {
  it("are 8 symbols from the unambiguous alphabet, and differ", () => {
    const codes = new Set(Array.from({ length: 200 }, newJoinCode));
    expect(codes.size).toBe(200);
    for (const code of codes) expect(code).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
    expect(JOIN_CODE_ALPHABET).not.toMatch(/[01OIL]/);
  });

  it("accept what a person types: any case, spaces and dashes", () => {
    expect(normalizeJoinCode(" k7qx-2mpa ")).toBe("K7QX2MPA");
    expect(normalizeJoinCode("K7QX 2MPA")).toBe("K7QX2MPA");
    expect(formatJoinCode("K7QX2MPA")).toBe("K7QX-2MPA");
    expect(normalizeJoinCode("K7QX2MP")).toBeNull();
    expect(normalizeJoinCode("K7QX2MP0")).toBeNull(); // 0 is never in a code
  });
});

describe("cohort queries", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ dataDir: "memory://" });
  });
  afterAll(() => db.close());

  const account = async (role: AccountRole, name: string): Promise<Actor> => {
    const row = await db.prisma.learner.create({ data: { email: `${name}@example.test`, displayName: name, role: role.toUpperCase() as "LEARNER" } });
    return { learnerId: row.id, role };
  };

  it("lets instructors create cohorts and see only their own; admins see all; learners none", async () => {
    const [ana, bo, root, lea] = [await account("instructor", "ana"), await account("instructor", "bo"), await account("admin", "root"), await account("learner", "lea")];
    const a = await createCohort(db.prisma, ana, "Ana's Tuesday group");
    const b = await createCohort(db.prisma, bo, "Bo's group");
    expect(a).toMatchObject({ name: "Ana's Tuesday group", memberCount: 0, owner: { displayName: "ana" } });
    await expect(createCohort(db.prisma, lea, "mine")).rejects.toThrow(/instructors and admins/);

    expect((await listCohorts(db.prisma, ana)).map((c) => c.id)).toEqual([a.id]);
    expect((await listCohorts(db.prisma, root)).map((c) => c.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(await listCohorts(db.prisma, lea)).toEqual([]);

    expect(await cohortTable(db.prisma, bo, a.id, COURSE)).toBeNull();
    expect(await cohortTable(db.prisma, lea, a.id, COURSE)).toBeNull();
    expect(await cohortTable(db.prisma, ana, "not-a-uuid", COURSE)).toBeNull();
    expect((await cohortTable(db.prisma, root, a.id, COURSE))?.cohort.id).toBe(a.id);
    expect(await deleteCohort(db.prisma, bo, a.id)).toBe(false);
    expect(await deleteCohort(db.prisma, lea, a.id)).toBe(false);
    expect(await deleteCohort(db.prisma, ana, a.id)).toBe(true);
    expect(await listCohorts(db.prisma, ana)).toEqual([]);
  });

  it("joins by code idempotently, shows members × lessons, and leaves", async () => {
    const teacher = await account("instructor", "teach");
    const [zed, amy] = [await account("learner", "zed"), await account("learner", "amy")];
    const cohort = await createCohort(db.prisma, teacher, "Group");
    const first = await joinCohort(db.prisma, zed.learnerId, formatJoinCode(cohort.joinCode).toLowerCase());
    expect(first).toMatchObject({ cohortId: cohort.id, name: "Group", ownerName: "teach" });
    const again = await joinCohort(db.prisma, zed.learnerId, cohort.joinCode);
    expect(again?.joinedAt).toEqual(first?.joinedAt);
    await joinCohort(db.prisma, amy.learnerId, cohort.joinCode);
    expect(await joinCohort(db.prisma, amy.learnerId, "22222222")).toBeNull();
    expect(await joinCohort(db.prisma, amy.learnerId, "nope")).toBeNull();

    await db.prisma.exerciseAttempt.create({
      data: { learnerId: zed.learnerId, lessonSlug: "one", exerciseId: "a", passed: true, outcomes: [], failedChecks: [], scenario: "s", seed: 1, transcriptHash: "h", transcriptSize: 0, replayMs: 1 },
    });
    const table = await cohortTable(db.prisma, teacher, cohort.id, COURSE);
    expect(table?.cohort.memberCount).toBe(2);
    expect(table?.members.map((m) => [m.displayName, m.lessons[0].exercisesPassed])).toEqual([
      ["amy", 0],
      ["zed", 1],
    ]);

    expect((await listMemberships(db.prisma, zed.learnerId)).map((m) => m.cohortId)).toEqual([cohort.id]);
    expect(await leaveCohort(db.prisma, zed.learnerId, cohort.id)).toBe(true);
    expect(await leaveCohort(db.prisma, zed.learnerId, cohort.id)).toBe(false);
    expect(await leaveCohort(db.prisma, zed.learnerId, "garbage")).toBe(false);
    expect(await listMemberships(db.prisma, zed.learnerId)).toEqual([]);
    expect((await cohortTable(db.prisma, teacher, cohort.id, COURSE))?.members.map((m) => m.displayName)).toEqual(["amy"]);
  });
});
