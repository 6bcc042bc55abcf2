// The whole journey of a new learner through lesson 1, in one browser, as they would do it: sign
// up, do every exercise in the terminal and Check it, pass the quiz, find it all on the dashboard,
// sign out and in again and find it still there.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { getLessonData, listLessons, type Exercise, type QuizQuestion } from "../../lib/content";
import { hasChromium, openBrowser, screenshot } from "./browser";
import { accountButton, header, signIn, signOut, signUp } from "./site-driver";
import { PROMPT, typeCommand, waitForLastLine } from "./terminal-driver";

// What the learner does comes from the lesson's own files: the exercises' reference solutions and
// checks, and the quiz's answers, which the page never receives before a submission.
const lesson = (await listLessons()).find((l) => l.order === 1)!;
const data = (await getLessonData(lesson.slug))!;
const exercises = data.exercises;
const questions = data.quiz?.questions ?? [];

const ACCOUNT = { name: "Grace", email: `journey-${crypto.randomUUID()}@example.test`, password: "one namespace per pod" };

/** The outcomes a Check lists for an exercise: one per check under `all`, in the file's order. */
function checklist(exercise: Exercise): string[] {
  const all = exercise.check.all as { description?: string }[] | undefined;
  const descriptions: unknown[] = all ? all.map((c) => c.description) : [exercise.check.description];
  if (!descriptions.every((d): d is string => typeof d === "string")) throw new Error(`${exercise.id}: a check without a description`);
  return descriptions;
}

/** A choice as the page shows it: its Markdown rendered, which for these choices only drops the backticks. */
const shown = (markdown: string) => markdown.replaceAll("`", "");

const exerciseCard = (page: Page, exercise: Exercise) => page.getByRole("region", { name: exercise.title, exact: true });

/** The Check's verdict and checklist, once the server has answered with `verdict`. */
async function checkAndWait(card: Locator, verdict: string): Promise<{ passed: string | null; text: string | null }[]> {
  await card.getByRole("button", { name: "Check", exact: true }).click();
  await card.getByRole("status").getByText(verdict, { exact: true }).waitFor();
  return card
    .getByRole("status")
    .getByRole("listitem")
    .evaluateAll((items) => items.map((li) => ({ passed: li.getAttribute("data-passed"), text: li.textContent })));
}

/** Answers one question of the quiz with the key from quiz.yaml, the way the form asks for it. */
async function answer(field: Locator, question: QuizQuestion): Promise<void> {
  const key = typeof question.answer === "string" ? [question.answer] : question.answer;
  switch (question.type) {
    case "single":
      return field.getByRole("radio", { name: shown(key[0]), exact: true }).check();
    case "multiple":
      for (const choice of key) await field.getByRole("checkbox", { name: shown(choice), exact: true }).check();
      return;
    case "short":
      return field.getByRole("textbox", { name: "Your answer" }).fill(key[0]);
    case "order":
      return putInOrder(field, key);
  }
}

/** Moves each step up with its ↑ button until the steps read as `order`. */
async function putInOrder(field: Locator, order: string[]): Promise<void> {
  const ups = field.getByRole("button", { name: /^Move up: / });
  const steps = async () => (await ups.evaluateAll((buttons) => buttons.map((b) => b.getAttribute("aria-label")))).map((label) => label!.slice("Move up: ".length));
  for (const [target, step] of order.entries()) {
    for (let at = (await steps()).indexOf(shown(step)); at > target; at--) {
      await field.getByRole("button", { name: `Move up: ${shown(step)}`, exact: true }).click();
      await expect.poll(async () => (await steps()).indexOf(shown(step))).toBe(at - 1);
    }
  }
  expect(await steps()).toEqual(order.map(shown));
}

describe.runIf(hasChromium())("a learner's journey through lesson 1", () => {
  let page: Page;
  let close: () => Promise<void>;
  const baseURL = inject("baseURL");

  beforeAll(async () => {
    ({ page, close } = await openBrowser());
  });
  afterAll(async () => {
    await close?.();
  });

  /** Lesson 1's row in the dashboard's table of lessons. */
  const lessonRow = () => page.locator("main tr", { hasText: lesson.title });

  /** Lesson 1's row on the dashboard reads completed, every exercise passed, the quiz at 100%. */
  async function expectLessonCompletedOnDashboard() {
    const [status, exercisesFigure, quiz] = await lessonRow().getByRole("cell").allTextContents();
    expect(status).toBe("Completed");
    expect(exercisesFigure).toBe(`${exercises.length}/${exercises.length} passed`);
    expect(quiz).toBe("100%");
    await expect(page.locator("main dl > div", { hasText: "Lessons completed" }).locator("dd").textContent()).resolves.toMatch(/^1 of \d+$/);
  }

  it("signs up, passes every exercise and the quiz, and finds the progress again after signing in", { timeout: 90_000 }, async () => {
    expect(exercises.length).toBeGreaterThan(0);
    expect(questions.length).toBeGreaterThan(0);

    // Sign up from the catalog's header; a new account lands on its dashboard, nothing done yet.
    await page.goto(baseURL + "/");
    await header(page).getByRole("link", { name: "Sign in" }).click();
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.waitForURL((url) => url.pathname === "/signup");
    await signUp(page, ACCOUNT);
    await page.waitForURL((url) => url.pathname === "/dashboard");
    await accountButton(page).waitFor();
    await expect(lessonRow().getByRole("cell").first().textContent()).resolves.toBe("Not started");
    await screenshot(page, "journey-01-dashboard-new-account");

    // Lesson 1, with its terminal logged in to the lesson's cluster.
    await lessonRow().getByRole("link").click();
    await page.waitForURL((url) => url.pathname === `/lessons/${lesson.slug}`);
    await waitForLastLine(page, PROMPT);
    await screenshot(page, "journey-02-lesson", { fullPage: false });

    // Check before doing anything: it fails, and the checklist names every check still missing.
    const first = exerciseCard(page, exercises[0]);
    const missing = checklist(exercises[0]);
    const before = await checkAndWait(first, `Not yet: 0 of ${missing.length} checks hold.`);
    expect(before.map((o) => o.passed)).toEqual(missing.map(() => "false"));
    before.forEach((outcome, i) => expect(outcome.text).toContain(`Not yet: ${missing[i]}`));
    expect(await first.getAttribute("data-passed")).toBeNull();
    await screenshot(first, "journey-03-check-before-doing-it");
    await page.emulateMedia({ colorScheme: "dark" });
    await screenshot(first, "journey-03-check-before-doing-it-dark");
    await page.emulateMedia({ colorScheme: "light" });

    // Each exercise: its reference solution typed into the terminal, then Check.
    for (const [n, exercise] of exercises.entries()) {
      await page.locator(".xterm-screen").click();
      for (const line of exercise.solution) {
        const output = await typeCommand(page, line);
        expect(output.join("\n"), line).not.toMatch(/error|not found|no such|invalid|unknown/i);
      }
      // Time for the pods to start and the checker to finish: a learner waits; `sleep` moves the
      // cluster's virtual clock at once (the content test of the solutions waits the same).
      await typeCommand(page, "sleep 30");
      const card = exerciseCard(page, exercise);
      const outcomes = await checkAndWait(card, "Passed: every check holds.");
      expect(outcomes.map((o) => o.passed)).toEqual(checklist(exercise).map(() => "true"));
      await card.locator("header").getByText("Passed").waitFor();
      await screenshot(card, `journey-04-exercise-${n + 1}-passed`);
    }
    // What the first exercise's instructions promise the learner sees once both pods have run.
    await page.locator(".xterm-screen").click();
    const pods = await typeCommand(page, "kubectl get pods");
    expect(pods.find((l) => l.startsWith("pair "))).toMatch(/^pair\s+1\/2\s+NotReady\s/);
    expect(pods.find((l) => l.startsWith("solo "))).toMatch(/^solo\s+0\/1\s+Error\s/);
    await screenshot(page, "journey-05-terminal", { fullPage: false });

    // The quiz, answered from quiz.yaml; the score comes back with the lesson completed.
    const quiz = page.getByRole("region", { name: "Quiz", exact: true });
    const fields = quiz.locator("fieldset");
    await expect(fields.count()).resolves.toBe(questions.length);
    for (const [i, question] of questions.entries()) await answer(fields.nth(i), question);
    await quiz.getByText(`${questions.length} of ${questions.length} answered`).waitFor();
    await screenshot(quiz, "journey-06-quiz-answered");
    await quiz.getByRole("button", { name: "Submit answers" }).click();
    const summary = quiz.getByRole("status");
    await summary.getByText(`${questions.length} of ${questions.length} correct (100%)`).waitFor();
    await expect(summary.textContent()).resolves.toContain("You have completed this lesson.");
    await expect(quiz.locator('fieldset[data-correct="true"]').count()).resolves.toBe(questions.length);
    await screenshot(quiz, "journey-07-quiz-graded");

    // The dashboard, from the account menu.
    await accountButton(page).click();
    await header(page).getByRole("link", { name: "Dashboard" }).click();
    await page.waitForURL((url) => url.pathname === "/dashboard");
    // Coming from far down the lesson, the page scrolls (smoothly) to the dashboard's top.
    await page.waitForFunction(() => window.scrollY === 0);
    await expectLessonCompletedOnDashboard();
    await screenshot(page, "journey-08-dashboard");

    // Signed out, this browser is a new guest with nothing done.
    await signOut(page);
    await expect(lessonRow().getByRole("cell").first().textContent()).resolves.toBe("Not started");

    // Signed in again: the same progress, on the dashboard and on the lesson page.
    await header(page).getByRole("link", { name: "Sign in" }).click();
    await signIn(page, ACCOUNT.email, ACCOUNT.password);
    await page.waitForURL((url) => url.pathname === "/dashboard");
    await accountButton(page).waitFor();
    await expectLessonCompletedOnDashboard();
    await screenshot(page, "journey-09-dashboard-after-sign-in");

    await lessonRow().getByRole("link").click();
    await page.waitForURL((url) => url.pathname === `/lessons/${lesson.slug}`);
    for (const exercise of exercises) {
      const card = exerciseCard(page, exercise);
      await card.locator("header").getByText("Passed").waitFor();
      await card.getByRole("status").getByText("Passed: every check holds.", { exact: true }).waitFor();
      expect(await card.getAttribute("data-passed")).toBe("");
    }
    await quiz.getByRole("status").getByText(`${questions.length} of ${questions.length} correct (100%)`).waitFor();
    await screenshot(exerciseCard(page, exercises[0]), "journey-10-exercise-after-sign-in");
    await screenshot(quiz, "journey-11-quiz-after-sign-in");
    await page.emulateMedia({ colorScheme: "dark" });
    await screenshot(exerciseCard(page, exercises[0]), "journey-12-exercise-dark");
    await screenshot(quiz, "journey-13-quiz-dark");
  });
});
