// Every lesson's exercises, replayed on the engine: the reference solution passes its check,
// and the untouched starting cluster does not (a check that cannot fail is a defect).
import { describe, expect, it } from "vitest";
import { getLessonData, listLessons, type Exercise, type LessonMeta, type ScenarioFile } from "@/lib/content";
import { createCluster, type ClusterHandle } from "@/lib/engine";
import { CheckSchema, evaluateCheck } from "@/lib/grading";

const lessons = await listLessons();
const cases: { lesson: LessonMeta; scenario: ScenarioFile | null | undefined; exercise: Exercise }[] = [];
for (const lesson of lessons) {
  const data = await getLessonData(lesson.slug);
  for (const exercise of data?.exercises ?? []) cases.push({ lesson, scenario: data?.scenario, exercise });
}

/** The lesson's own scenario.yaml if it has one, else the built-in scenario its frontmatter names. */
function startCluster(c: (typeof cases)[number]): ClusterHandle {
  return c.scenario ? createCluster({ spec: c.scenario as never, seed: 1 }) : createCluster({ scenario: c.lesson.scenario, seed: 1 });
}

describe.runIf(cases.length > 0)("lesson exercises", () => {
  it.each(cases.map((c) => [`${c.lesson.slug}/${c.exercise.id}`, c] as const))("%s: the solution passes, the start does not", async (_name, c) => {
    const check = CheckSchema.parse(c.exercise.check);
    const untouched = await evaluateCheck(startCluster(c), check);
    expect(untouched.passed, "the check passes before the learner did anything").toBe(false);

    const cluster = startCluster(c);
    const sh = cluster.shell();
    for (const line of c.exercise.solution) {
      const result = await sh.run(line, { elapsedMs: 2_000 });
      expect(result.exitCode, `solution line failed: ${line}\n${result.output}`).toBe(0);
    }
    await sh.run("sleep 30");
    const verdict = await evaluateCheck(cluster, check);
    expect(verdict.passed, JSON.stringify(verdict.outcomes, null, 2)).toBe(true);
  });
});

describe.runIf(cases.length === 0)("lesson exercises", () => {
  it.skip("no lesson has exercises yet", () => {});
});
