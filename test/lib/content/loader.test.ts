// The loader on temporary projects: ordering, neighbours, data files, caching.
import { afterEach, describe, expect, it } from "vitest";
import { BASE, lessonMdx, makeProject, type Project } from "./fixtures";

const projects: Project[] = [];
function project(...args: Parameters<typeof makeProject>): Project {
  const p = makeProject(...args);
  projects.push(p);
  return p;
}
afterEach(() => {
  while (projects.length) projects.pop()?.cleanup();
});

const EXERCISES = `- id: make-red
  title: Make red
  goal: Create the red namespace.
  hints: [ip netns add]
  check: { netns: red }
  solution: [ip netns add red]
`;
const QUIZ = `questions:
  - id: where
    type: single
    prompt: Where does the pod IP live?
    choices: [container, namespace]
    answer: namespace
    explanation: On eth0 in the pod's network namespace.
  - id: hops
    type: order
    prompt: Order the hops.
    choices: [eth0, veth, cni0]
    answer: [eth0, veth, cni0]
    explanation: Out of the pod, then the bridge.
  - id: tool
    type: short
    prompt: Which tool enters a namespace?
    answer: [nsenter, ip netns exec]
    explanation: Either works.
`;

describe("listLessons", () => {
  it("sorts by order, whatever the folder listing order", async () => {
    const { loader } = project({
      ...BASE,
      "content/lessons/10-kappa/lesson.mdx": lessonMdx(10, "Kappa"),
      "content/lessons/04-delta/lesson.mdx": lessonMdx(4, "Delta"),
    });
    expect((await loader.listLessons()).map((l) => [l.order, l.slug])).toEqual([
      [1, "alpha"],
      [2, "beta"],
      [3, "gamma"],
      [4, "delta"],
      [10, "kappa"],
    ]);
  });

  it("returns the metadata with defaults filled in", async () => {
    const { loader } = project(BASE);
    const [alpha, , gamma] = await loader.listLessons();
    expect(alpha).toEqual({
      slug: "alpha",
      title: "Alpha",
      summary: "About Alpha.",
      order: 1,
      minutes: 10,
      scenario: "single-node",
      prerequisites: [],
      tags: [],
    });
    expect(gamma.prerequisites).toEqual(["alpha", "beta"]);
    expect(gamma.tags).toEqual(["x", "y"]);
  });

  it("returns an empty list for an empty lessons folder", async () => {
    const { loader } = project({});
    expect(await loader.listLessons()).toEqual([]);
  });
});

describe("getAdjacentLessons", () => {
  const cases: { name: string; slug: string; previous: string | null; next: string | null }[] = [
    { name: "first lesson", slug: "alpha", previous: null, next: "beta" },
    { name: "middle lesson", slug: "beta", previous: "alpha", next: "gamma" },
    { name: "last lesson", slug: "gamma", previous: "beta", next: null },
    { name: "unknown slug", slug: "omega", previous: null, next: null },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { loader } = project(BASE);
      const { previous, next } = await loader.getAdjacentLessons(c.slug);
      expect([previous?.slug ?? null, next?.slug ?? null]).toEqual([c.previous, c.next]);
    });
  }
});

describe("getLesson and getLessonData", () => {
  it("compiles a lesson that uses every allowed component, with its data files", async () => {
    const body = `## Try it

<Callout type="warning" title="Careful">Root only.</Callout>

<Exercise id="make-red"/>

<Diagram/>

### Check yourself

<Quiz/>
`;
    const { loader } = project({
      ...BASE,
      "content/lessons/01-alpha/lesson.mdx": lessonMdx(1, "Alpha", {}, body),
      "content/lessons/01-alpha/exercises.yaml": EXERCISES,
      "content/lessons/01-alpha/quiz.yaml": QUIZ,
      "content/lessons/01-alpha/scenario.yaml": "base: single-node\nmanifests: []\n",
    });
    const lesson = await loader.getLesson("alpha");
    expect(lesson?.toc).toEqual([
      { depth: 2, id: "try-it", text: "Try it" },
      { depth: 3, id: "check-yourself", text: "Check yourself" },
    ]);
    expect(lesson?.code).toContain("return Component");
    const data = await loader.getLessonData("alpha");
    expect(data?.exercises.map((e) => e.id)).toEqual(["make-red"]);
    expect(data?.quiz?.questions.map((q) => q.type)).toEqual(["single", "order", "short"]);
    expect(data?.scenario).toEqual({ base: "single-node", manifests: [] });
    expect(await loader.getLessonData("beta")).toEqual({ scenario: null, exercises: [], quiz: null });
  });

  it("gives duplicate heading texts distinct ids, as rehype-slug does", async () => {
    const { loader } = project({
      ...BASE,
      "content/lessons/01-alpha/lesson.mdx": lessonMdx(1, "Alpha", {}, "## Setup\n\n### Setup\n\n## The `pause` binary\n"),
    });
    expect((await loader.getLesson("alpha"))?.toc).toEqual([
      { depth: 2, id: "setup", text: "Setup" },
      { depth: 3, id: "setup-1", text: "Setup" },
      { depth: 2, id: "the-pause-binary", text: "The pause binary" },
    ]);
  });

  it("returns null for an unknown slug and for a folder name", async () => {
    const { loader } = project(BASE);
    expect(await loader.getLesson("omega")).toBeNull();
    expect(await loader.getLesson("01-alpha")).toBeNull();
  });

  it("hands out copies, so callers cannot corrupt the cache", async () => {
    const { loader } = project(BASE);
    (await loader.listLessons())[2].prerequisites.push("mutated");
    expect((await loader.listLessons())[2].prerequisites).toEqual(["alpha", "beta"]);
  });
});

describe("caching", () => {
  it("re-reads the folder on each call when cacheIndex is false (development)", async () => {
    const p = project(BASE, { cacheIndex: false });
    expect((await p.loader.getLesson("alpha"))?.toc[0].id).toBe("start");
    p.write("content/lessons/01-alpha/lesson.mdx", lessonMdx(1, "Alpha 2", {}, "## Changed\n"));
    const changed = await p.loader.getLesson("alpha");
    expect([changed?.title, changed?.toc[0].id]).toEqual(["Alpha 2", "changed"]);
  });

  it("keeps the index for the process when cacheIndex is true (production)", async () => {
    const p = project(BASE, { cacheIndex: true });
    const first = await p.loader.getLesson("alpha");
    p.write("content/lessons/01-alpha/lesson.mdx", lessonMdx(1, "Alpha 2", {}, "## Changed\n"));
    expect(await p.loader.getLesson("alpha")).toEqual(first);
  });

  it("in development, fixing a broken lesson fixes the next call", async () => {
    const broken = lessonMdx(1, "Alpha", {}, "## A\n\n<Foo/>\n");
    const p = project({ ...BASE, "content/lessons/01-alpha/lesson.mdx": broken }, { cacheIndex: false });
    await expect(p.loader.getLesson("alpha")).rejects.toThrow("unknown component <Foo>");
    p.write("content/lessons/01-alpha/lesson.mdx", lessonMdx(1, "Alpha"));
    await expect(p.loader.getLesson("alpha")).resolves.toMatchObject({ slug: "alpha" });
  });
});
