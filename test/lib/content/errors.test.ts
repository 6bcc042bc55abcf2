// Every way a lesson can be malformed fails with a LessonContentError naming the file (relative to
// the project root), the line when there is one, and the field.
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createContentLoader, LessonContentError } from "@/lib/content";
import { BASE, frontmatter, lessonMdx, makeProject, type Files, type Project } from "./fixtures";

const A = "content/lessons/01-alpha";
const B = "content/lessons/02-beta";

const VALID_EXERCISE = `- id: one
  title: One
  goal: Do one thing.
  hints: []
  check: { ok: true }
  solution: [echo ok]
`;
const QUESTION = (fields: string) => `questions:
  - id: q1
    prompt: Which?
    explanation: Because.
${fields
  .split("\n")
  .map((l) => `    ${l}`)
  .join("\n")}
`;

type Case = {
  name: string;
  files: Files;
  /** listLessons validates the index only; validateAllLessons also compiles. */
  call?: "list" | "validate";
  message: string;
  field?: string;
  line?: number;
};

const cases: Case[] = [
  // ── folders and files ───────────────────────────────────────────────────────────────────────
  {
    name: "folder name without two digits",
    files: { [`${A}/lesson.mdx`]: null, "content/lessons/1-alpha/lesson.mdx": lessonMdx(1, "Alpha"), [`${B}/lesson.mdx`]: lessonMdx(2, "Beta") },
    message:
      'content/lessons/1-alpha: folder name must be NN-slug (two digits, a dash, then lowercase words joined by dashes), e.g. "01-network-namespaces"',
  },
  {
    name: "folder name with capitals and underscores",
    files: { "content/lessons/04_Delta/lesson.mdx": lessonMdx(4, "Delta") },
    message:
      'content/lessons/04_Delta: folder name must be NN-slug (two digits, a dash, then lowercase words joined by dashes), e.g. "01-network-namespaces"',
  },
  {
    name: "lesson file directly in the lessons folder",
    files: { "content/lessons/intro.mdx": "# hi\n" },
    message: "content/lessons/intro.mdx: lessons are folders: move this file into an NN-slug folder",
  },
  {
    name: "lesson.mdx missing",
    files: { [`${A}/lesson.mdx`]: null, [`${A}/quiz.yaml`]: "questions: []\n" },
    message: `${A}/lesson.mdx: missing: every lesson folder needs a lesson.mdx`,
  },
  {
    name: "unexpected file in a lesson folder",
    files: { [`${A}/quiz.yml`]: "questions: []\n" },
    message: `${A}/quiz.yml: unexpected file (did you mean "quiz.yaml"?): a lesson folder holds lesson.mdx, scenario.yaml, exercises.yaml, quiz.yaml`,
  },
  {
    name: "duplicate order (two folders with one NN)",
    files: { "content/lessons/01-aleph/lesson.mdx": lessonMdx(1, "Aleph") },
    message: "content/lessons/01-alpha: order 1 is already used by content/lessons/01-aleph",
    field: "order",
  },
  {
    name: "duplicate slug",
    files: { "content/lessons/04-alpha/lesson.mdx": lessonMdx(4, "Alpha again") },
    message: 'content/lessons/04-alpha: slug "alpha" is already used by content/lessons/01-alpha',
  },

  // ── frontmatter ─────────────────────────────────────────────────────────────────────────────
  {
    name: "minutes is not a number",
    files: { [`${A}/lesson.mdx`]: lessonMdx(1, "Alpha", { minutes: "ten" }) },
    message: `${A}/lesson.mdx: frontmatter field "minutes": expected a positive integer, got "ten"`,
    field: "minutes",
  },
  {
    name: "minutes is not an integer",
    files: { [`${A}/lesson.mdx`]: lessonMdx(1, "Alpha", { minutes: "7.5" }) },
    message: `${A}/lesson.mdx: frontmatter field "minutes": expected a positive integer, got 7.5`,
    field: "minutes",
  },
  {
    name: "unknown field",
    files: { [`${A}/lesson.mdx`]: lessonMdx(1, "Alpha", { autor: "Ada" }) },
    message: `${A}/lesson.mdx: unknown frontmatter field "autor"`,
    field: "autor",
  },
  {
    name: "misspelt field gets a suggestion (and wins over the missing one)",
    files: { [`${A}/lesson.mdx`]: lessonMdx(1, "Alpha").replace("minutes:", "minuts:") },
    message: `${A}/lesson.mdx: unknown frontmatter field "minuts" (did you mean "minutes"?)`,
    field: "minuts",
  },
  {
    name: "required field missing",
    files: { [`${A}/lesson.mdx`]: lessonMdx(1, "Alpha").replace(/^title: .*\n/m, "") },
    message: `${A}/lesson.mdx: frontmatter field "title": missing (expected a non-empty string)`,
    field: "title",
  },
  {
    name: "summary longer than 200 characters",
    files: { [`${A}/lesson.mdx`]: lessonMdx(1, "Alpha", { summary: "x".repeat(201) }) },
    message: `${A}/lesson.mdx: frontmatter field "summary": expected at most 200 characters, got 201 characters`,
    field: "summary",
  },
  {
    name: "scenario is not a name",
    files: { [`${A}/lesson.mdx`]: lessonMdx(1, "Alpha", { scenario: "Single Node" }) },
    message: `${A}/lesson.mdx: frontmatter field "scenario": expected a scenario name such as "single-node" or "three-node-calico", got "Single Node"`,
    field: "scenario",
  },
  {
    name: "prerequisites is not a list",
    files: { [`${B}/lesson.mdx`]: lessonMdx(2, "Beta", { prerequisites: "alpha" }) },
    message: `${B}/lesson.mdx: frontmatter field "prerequisites": expected a list of lesson slugs, got "alpha"`,
    field: "prerequisites",
  },
  {
    name: "order does not match the folder's NN",
    files: { [`${A}/lesson.mdx`]: lessonMdx(2, "Alpha") },
    message: `${A}/lesson.mdx: frontmatter field "order": expected 1 (the number in the folder name "01-alpha"), got 2`,
    field: "order",
  },
  {
    name: "no frontmatter",
    files: { [`${A}/lesson.mdx`]: "## Start\n" },
    message: `${A}/lesson.mdx:1: missing frontmatter: the file must start with a --- line, then title, summary, order, minutes and scenario, then ---`,
    line: 1,
  },
  {
    name: "frontmatter never closed",
    files: { [`${A}/lesson.mdx`]: "---\ntitle: Alpha\n\n## Start\n" },
    message: `${A}/lesson.mdx:1: frontmatter is never closed: add a --- line after the last field`,
    line: 1,
  },
  {
    name: "frontmatter YAML syntax error, with the line in lesson.mdx",
    files: { [`${A}/lesson.mdx`]: "---\ntitle: Alpha\nsummary: About.\n  order: 1\nminutes: 10\n---\n" },
    message: `${A}/lesson.mdx:3: invalid YAML: Nested mappings are not allowed in compact mappings`,
    line: 3,
  },
  {
    name: "empty frontmatter",
    files: { [`${A}/lesson.mdx`]: "---\n---\n## Start\n" },
    message: `${A}/lesson.mdx: frontmatter: expected a YAML mapping of fields, got null`,
  },
  {
    name: "prerequisite that does not exist",
    files: { [`${B}/lesson.mdx`]: lessonMdx(2, "Beta", { prerequisites: "[ip-basics]" }) },
    message: `${B}/lesson.mdx: frontmatter field "prerequisites": no lesson has the slug "ip-basics"`,
    field: "prerequisites",
  },
  {
    name: "prerequisite misspelt gets a suggestion",
    files: { [`${B}/lesson.mdx`]: lessonMdx(2, "Beta", { prerequisites: "[alhpa]" }) },
    message: `${B}/lesson.mdx: frontmatter field "prerequisites": no lesson has the slug "alhpa" (did you mean "alpha"?)`,
    field: "prerequisites",
  },
  {
    name: "prerequisite that comes later",
    files: { [`${B}/lesson.mdx`]: lessonMdx(2, "Beta", { prerequisites: "[gamma]" }) },
    message: `${B}/lesson.mdx: frontmatter field "prerequisites": "gamma" is lesson 3; a prerequisite must come before this lesson (2)`,
    field: "prerequisites",
  },
  {
    name: "lesson is its own prerequisite",
    files: { [`${B}/lesson.mdx`]: lessonMdx(2, "Beta", { prerequisites: "[beta]" }) },
    message: `${B}/lesson.mdx: frontmatter field "prerequisites": a lesson cannot be its own prerequisite`,
    field: "prerequisites",
  },

  // ── exercises.yaml, quiz.yaml, scenario.yaml ──────────────────────────────────────────────────
  {
    name: "exercises.yaml: hints is not a list",
    files: { [`${A}/exercises.yaml`]: `${VALID_EXERCISE}${VALID_EXERCISE.replace("id: one", "id: two").replace("hints: []", "hints: look at eth0")}` },
    message: `${A}/exercises.yaml: [1].hints: expected a list of strings, got "look at eth0"`,
    field: "[1].hints",
  },
  {
    name: "exercises.yaml: unknown key with a suggestion",
    files: { [`${A}/exercises.yaml`]: VALID_EXERCISE.replace("hints:", "hint:") },
    message: `${A}/exercises.yaml: [0]: unknown field "hint" (did you mean "hints"?)`,
    field: "[0].hint",
  },
  {
    name: "exercises.yaml: check is not a mapping",
    files: { [`${A}/exercises.yaml`]: VALID_EXERCISE.replace("check: { ok: true }", "check: [ok]") },
    message: `${A}/exercises.yaml: [0].check: expected a mapping (the declarative check), got a list (1 item)`,
    field: "[0].check",
  },
  {
    name: "exercises.yaml: duplicate ids",
    files: { [`${A}/exercises.yaml`]: VALID_EXERCISE + VALID_EXERCISE },
    message: `${A}/exercises.yaml: [1].id: duplicate id "one" (also [0].id)`,
    field: "[1].id",
  },
  {
    name: "exercises.yaml: not a list",
    files: { [`${A}/exercises.yaml`]: "id: one\n" },
    message: `${A}/exercises.yaml: expected a list of exercises, got a mapping`,
  },
  {
    name: "quiz.yaml: YAML syntax error, with its line",
    files: {
      [`${A}/quiz.yaml`]: `questions:
  - id: where
    type: single
    prompt: Where?
    choices: [a, b]
    answer: a
    explanation: Because.
  - id: when
    type: single
    prompt: When?
    choices: [a, b]
    prompt: Again?
    answer: a
    explanation: Because.
`,
    },
    message: `${A}/quiz.yaml:12: invalid YAML: Map keys must be unique`,
    line: 12,
  },
  {
    name: "quiz.yaml: unknown question type",
    files: { [`${A}/quiz.yaml`]: QUESTION("type: essay\nanswer: x") },
    message: `${A}/quiz.yaml: questions[0].type: expected one of "single", "multiple", "short", "order", got "essay"`,
    field: "questions[0].type",
  },
  {
    name: "quiz.yaml: single answer not among the choices",
    files: { [`${A}/quiz.yaml`]: QUESTION("type: single\nchoices: [a, b]\nanswer: c") },
    message: `${A}/quiz.yaml: questions[0].answer: expected one of the choices, got "c"`,
    field: "questions[0].answer",
  },
  {
    name: "quiz.yaml: order answer missing a choice",
    files: { [`${A}/quiz.yaml`]: QUESTION("type: order\nchoices: [a, b, c]\nanswer: [a, b]") },
    message: `${A}/quiz.yaml: questions[0].answer: expected every choice exactly once, in the right order, got a list (2 items)`,
    field: "questions[0].answer",
  },
  {
    name: "quiz.yaml: choice question without choices",
    files: { [`${A}/quiz.yaml`]: QUESTION("type: multiple\nanswer: [a]") },
    message: `${A}/quiz.yaml: questions[0].choices: a "multiple" question needs at least two choices`,
    field: "questions[0].choices",
  },
  {
    name: "scenario.yaml: neither name nor base",
    files: { [`${A}/scenario.yaml`]: "nodes: 3\n" },
    message: `${A}/scenario.yaml: needs at least "name" or "base"`,
  },

  // ── MDX (needs a compile) ───────────────────────────────────────────────────────────────────
  {
    name: "MDX syntax error, with the line in lesson.mdx",
    call: "validate",
    files: { [`${A}/lesson.mdx`]: lessonMdx(1, "Alpha", {}, "## Start\n\nsome <b text\n") },
    message: `${A}/lesson.mdx:11: could not compile MDX: Unexpected end of file in attribute name, expected an attribute name character such as letters, digits, \`$\`, or \`_\`; \`=\` to initialize a value; whitespace before attributes; or the end of the tag`,
    line: 11,
  },
  {
    name: "MDX unclosed component, with the line of its opening tag",
    call: "validate",
    files: { [`${A}/lesson.mdx`]: lessonMdx(1, "Alpha", {}, "## Start\n\n<Callout type=\"note\">\nOpen.\n") },
    message: `${A}/lesson.mdx:11: could not compile MDX: Expected a closing tag for \`<Callout>\` (11:1-11:22)`,
    line: 11,
  },
  {
    name: "MDX expression that does not parse",
    call: "validate",
    files: { [`${A}/lesson.mdx`]: lessonMdx(1, "Alpha", {}, "## Start\n\n{1 +}\n") },
    message: `${A}/lesson.mdx:11: could not compile MDX: Could not parse expression with acorn: Unexpected token`,
    line: 11,
  },
  {
    name: "unknown component",
    call: "validate",
    files: { [`${A}/lesson.mdx`]: lessonMdx(1, "Alpha", {}, "## Start\n\nText.\n\n<Foo />\n") },
    message: `${A}/lesson.mdx:13: unknown component <Foo> (allowed: <Callout>, <Exercise>, <Quiz>, <Diagram>)`,
    field: "Foo",
    line: 13,
  },
  {
    name: "unknown component inside an expression",
    call: "validate",
    files: { [`${A}/lesson.mdx`]: lessonMdx(1, "Alpha", {}, "## Start\n\n{true && <Bar.Baz />}\n") },
    message: `${A}/lesson.mdx:11: unknown component <Bar.Baz> (allowed: <Callout>, <Exercise>, <Quiz>, <Diagram>)`,
    field: "Bar.Baz",
    line: 11,
  },
  {
    name: "Callout with an unknown type",
    call: "validate",
    files: { [`${A}/lesson.mdx`]: lessonMdx(1, "Alpha", {}, '## Start\n\n<Callout type="danger">Hot.</Callout>\n') },
    message: `${A}/lesson.mdx:11: <Callout> type must be one of "note", "warning", "tip", got "danger"`,
    field: "Callout",
    line: 11,
  },
  {
    name: "Exercise without exercises.yaml",
    call: "validate",
    files: { [`${A}/lesson.mdx`]: lessonMdx(1, "Alpha", {}, '## Start\n\n<Exercise id="one"/>\n') },
    message: `${A}/lesson.mdx:11: <Exercise id="one"> but this lesson has no exercises.yaml`,
    field: "Exercise",
    line: 11,
  },
  {
    name: "Exercise naming an id exercises.yaml does not have",
    call: "validate",
    files: {
      [`${A}/lesson.mdx`]: lessonMdx(1, "Alpha", {}, '## Start\n\n<Exercise id="two"/>\n'),
      [`${A}/exercises.yaml`]: VALID_EXERCISE,
    },
    message: `${A}/lesson.mdx:11: <Exercise id="two">: no such exercise in exercises.yaml (ids: "one")`,
    field: "Exercise",
    line: 11,
  },
  {
    name: "Quiz without quiz.yaml",
    call: "validate",
    files: { [`${A}/lesson.mdx`]: lessonMdx(1, "Alpha", {}, "## Start\n\n<Quiz/>\n") },
    message: `${A}/lesson.mdx:11: <Quiz/> but this lesson has no quiz.yaml`,
    field: "Quiz",
    line: 11,
  },
  {
    name: "h1 heading in the body",
    call: "validate",
    files: { [`${A}/lesson.mdx`]: lessonMdx(1, "Alpha", {}, "# Alpha\n") },
    message: `${A}/lesson.mdx:9: use ## and ### headings: the page shows the frontmatter title as the only h1`,
    line: 9,
  },
  {
    name: "import statement",
    call: "validate",
    files: { [`${A}/lesson.mdx`]: lessonMdx(1, "Alpha", {}, 'import X from "./x.js"\n\n## Start\n') },
    message: `${A}/lesson.mdx:9: import and export are not allowed in lessons; use the components the site provides (<Callout>, <Exercise>, <Quiz>, <Diagram>)`,
    line: 9,
  },
];

const projects: Project[] = [];
afterAll(() => projects.forEach((p) => p.cleanup()));

describe("malformed lessons", () => {
  for (const c of cases) {
    it(c.name, async () => {
      const p = makeProject({ ...BASE, ...c.files });
      projects.push(p);
      const run = c.call === "validate" ? p.loader.validateAllLessons() : p.loader.listLessons();
      const error = await run.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(LessonContentError);
      const e = error as LessonContentError;
      expect(e.message).toBe(c.message);
      expect({ file: e.file, field: e.field, line: e.line }).toEqual({
        file: c.message.split(/:\d*:? /)[0].replace(/:$/, ""),
        field: c.field,
        line: c.line,
      });
    });
  }

  it("every page-facing call fails, not just validateAllLessons", async () => {
    const p = makeProject({ ...BASE, [`${A}/lesson.mdx`]: lessonMdx(1, "Alpha", { minutes: "ten" }) });
    projects.push(p);
    for (const call of [() => p.loader.listLessons(), () => p.loader.getLesson("beta"), () => p.loader.getAdjacentLessons("beta")]) {
      await expect(call()).rejects.toThrow(`${A}/lesson.mdx: frontmatter field "minutes"`);
    }
  });

  it("a missing lessons folder is an error, named relative to the project", async () => {
    const dir = path.join(process.cwd(), "no-such-dir", "lessons");
    await expect(createContentLoader(dir).listLessons()).rejects.toThrow("no-such-dir/lessons: lessons folder not found");
  });

  it("frontmatter helper produces what the cases assume", () => {
    expect(frontmatter({ a: "1" })).toBe("---\na: 1\n---\n");
  });
});
