/**
 * The shapes of a lesson folder's files. Messages are worded "expected …"; `reportIssue` in
 * `errors.ts` adds the path and what was found, e.g. `[1].hints: expected a list of strings, got "…"`.
 *
 * @example
 * const parsed = exercisesFileSchema.safeParse(YAML.parse(text));
 */
import { z } from "zod";

/** Lesson slugs, exercise ids and question ids: lowercase words joined by single dashes. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const expected = (what: string) => ({ error: `expected ${what}` });

const text = (what = "a non-empty string") =>
  z
    .string(expected(what))
    .refine((s) => s.trim() !== "", expected(what));

const slug = (what: string) => z.string(expected(what)).regex(SLUG_PATTERN, expected(what));

const positiveInt = () => {
  const e = expected("a positive integer");
  return z.number(e).int(e).positive(e);
};

const stringList = (what: string) => z.array(text("a non-empty string"), expected(what));

/** Frontmatter of `lesson.mdx`. Unknown fields are errors, so typos never pass silently. */
export const frontmatterSchema = z.strictObject(
  {
    title: text(),
    summary: text().max(200, expected("at most 200 characters")),
    order: positiveInt(),
    minutes: positiveInt(),
    scenario: slug('a scenario name such as "single-node" or "three-node-calico"'),
    prerequisites: z
      .array(slug("a lesson slug such as \"network-namespaces\""), expected("a list of lesson slugs"))
      .default([]),
    tags: stringList("a list of tags").default([]),
  },
  expected("a YAML mapping of fields"),
);
export type Frontmatter = z.output<typeof frontmatterSchema>;
export const FRONTMATTER_FIELDS = Object.keys(frontmatterSchema.shape);

/** One exercise in `exercises.yaml`. `check` belongs to lib/grading; here it is any mapping. */
export const exerciseSchema = z.strictObject(
  {
    id: slug("an id of lowercase letters, digits and dashes"),
    title: text(),
    goal: text(),
    instructions: text().optional(),
    hints: stringList("a list of strings"),
    check: z.record(z.string(), z.unknown(), expected("a mapping (the declarative check)")),
    solution: stringList("a list of command lines").refine(
      (lines) => lines.length > 0,
      expected("at least one command line"),
    ),
  },
  expected("a mapping with id, title, goal, hints, check and solution"),
);
export type Exercise = z.output<typeof exerciseSchema>;

/** `exercises.yaml`: a list of exercises with distinct ids. */
export const exercisesFileSchema = z
  .array(exerciseSchema, expected("a list of exercises"))
  .min(1, expected("at least one exercise"))
  .superRefine((list, ctx) => {
    const seen = new Map<string, number>();
    list.forEach((ex, i) => {
      const first = seen.get(ex.id);
      if (first !== undefined) {
        ctx.addIssue({ code: "custom", path: [i, "id"], message: `duplicate id "${ex.id}" (also [${first}].id)` });
      } else seen.set(ex.id, i);
    });
  });

export const QUESTION_TYPES = ["single", "multiple", "short", "order"] as const;

/** One quiz question. What `answer` must be depends on `type` (see the refinement). */
export const questionSchema = z
  .strictObject(
    {
      id: slug("an id of lowercase letters, digits and dashes"),
      type: z.enum(QUESTION_TYPES, expected(`one of ${QUESTION_TYPES.map((t) => `"${t}"`).join(", ")}`)),
      prompt: text(),
      choices: z.array(text(), expected("a list of strings")).optional(),
      answer: z.union([text(), z.array(text())], expected("a string or a list of strings")),
      explanation: text(),
    },
    expected("a mapping with id, type, prompt, answer and explanation"),
  )
  .superRefine((q, ctx) => {
    const fail = (path: PropertyKey[], message: string) => ctx.addIssue({ code: "custom", path, message });
    if (q.type === "short") {
      if (q.choices !== undefined) fail(["choices"], `a "short" question has no choices`);
      if (Array.isArray(q.answer) && q.answer.length === 0) fail(["answer"], "expected at least one accepted answer");
      return;
    }
    const choices = q.choices;
    if (choices === undefined || choices.length < 2) {
      fail(["choices"], `a "${q.type}" question needs at least two choices`);
      return;
    }
    if (new Set(choices).size !== choices.length) fail(["choices"], "choices must be distinct");
    if (q.type === "single") {
      if (typeof q.answer !== "string") fail(["answer"], "expected one of the choices (a string)");
      else if (!choices.includes(q.answer)) fail(["answer"], "expected one of the choices");
      return;
    }
    if (!Array.isArray(q.answer)) {
      fail(["answer"], "expected a list of choices");
      return;
    }
    const stray = q.answer.find((a) => !choices.includes(a));
    if (stray !== undefined) fail(["answer"], `${JSON.stringify(stray)} is not one of the choices`);
    else if (new Set(q.answer).size !== q.answer.length) fail(["answer"], "lists a choice twice");
    else if (q.type === "multiple" && q.answer.length === 0) fail(["answer"], "expected at least one choice");
    else if (q.type === "order" && q.answer.length !== choices.length) {
      fail(["answer"], "expected every choice exactly once, in the right order");
    }
  });
export type QuizQuestion = z.output<typeof questionSchema>;

/** `quiz.yaml`: `{ questions: [...] }` with distinct ids. Answers must never reach the browser. */
export const quizFileSchema = z
  .strictObject(
    { questions: z.array(questionSchema, expected("a list of questions")).min(1, expected("at least one question")) },
    expected("a mapping with a questions list"),
  )
  .superRefine((quiz, ctx) => {
    const seen = new Map<string, number>();
    quiz.questions.forEach((q, i) => {
      const first = seen.get(q.id);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["questions", i, "id"],
          message: `duplicate id "${q.id}" (also questions[${first}].id)`,
        });
      } else seen.set(q.id, i);
    });
  });
export type Quiz = z.output<typeof quizFileSchema>;

/**
 * `scenario.yaml`. The engine owns its full schema (lib/engine/scenarios); here it only has to be
 * a mapping naming a scenario or a base to extend. Other keys pass through untouched.
 */
export const scenarioFileSchema = z
  .looseObject(
    { name: slug("a scenario name").optional(), base: slug("a scenario name").optional() },
    expected("a mapping"),
  )
  .refine((s) => s.name !== undefined || s.base !== undefined, {
    error: 'needs at least "name" or "base"',
  });
export type ScenarioFile = z.output<typeof scenarioFileSchema>;

/** Keys allowed at a path, for "did you mean" hints on unknown keys. */
export function knownKeysAt(file: "lesson.mdx" | "exercises.yaml" | "quiz.yaml", path: string): readonly string[] {
  if (file === "lesson.mdx") return path === "" ? FRONTMATTER_FIELDS : [];
  if (file === "exercises.yaml") return /^\[\d+\]$/.test(path) ? Object.keys(exerciseSchema.shape) : [];
  if (path === "") return ["questions"];
  return /^questions\[\d+\]$/.test(path) ? Object.keys(questionSchema.shape) : [];
}
