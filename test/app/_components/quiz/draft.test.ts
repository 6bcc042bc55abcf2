import { describe, expect, it } from "vitest";
import type { PublicQuestion } from "@/lib/content/public";
import { answersFromDraft, draftFromAnswers, emptyDraft, isAnswered, moveStep, toggleChoice } from "@/app/_components/quiz/draft";

const choices = (...values: string[]) => values.map((value) => ({ value, html: value }));
const questions: PublicQuestion[] = [
  { id: "one", type: "single", promptHtml: "?", choices: choices("a", "b") },
  { id: "some", type: "multiple", promptHtml: "?", choices: choices("a", "b", "c") },
  { id: "text", type: "short", promptHtml: "?" },
  { id: "steps", type: "order", promptHtml: "?", choices: choices("y", "x", "z") },
];

describe("quiz draft", () => {
  it("starts empty, with order questions in the order the server sent", () => {
    expect(emptyDraft(questions)).toEqual({ one: null, some: [], text: "", steps: ["y", "x", "z"] });
  });

  it("sends every question, null where nothing was picked or typed", () => {
    expect(answersFromDraft(questions, emptyDraft(questions))).toEqual({ one: null, some: null, text: null, steps: ["y", "x", "z"] });
    expect(answersFromDraft(questions, { one: "b", some: ["a"], text: "  crictl ", steps: ["x", "y", "z"] })).toEqual({
      one: "b",
      some: ["a"],
      text: "  crictl ",
      steps: ["x", "y", "z"],
    });
  });

  it("restores a stored attempt, keeping unanswered questions empty", () => {
    expect(draftFromAnswers(questions, { one: "a", some: null, text: "x", steps: null })).toEqual({ one: "a", some: [], text: "x", steps: ["y", "x", "z"] });
  });

  it("counts what the learner answered", () => {
    expect(questions.map((q) => isAnswered(emptyDraft(questions)[q.id], q))).toEqual([false, false, false, false]);
    expect(isAnswered(["x", "y", "z"], questions[3])).toBe(true);
    expect(isAnswered("   ", questions[2])).toBe(false);
    expect(isAnswered(["c"], questions[1])).toBe(true);
  });

  it("toggles a choice and keeps the choices' own order", () => {
    expect(toggleChoice(questions[1], ["c"], "a", true)).toEqual(["a", "c"]);
    expect(toggleChoice(questions[1], ["a", "c"], "a", false)).toEqual(["c"]);
  });

  it("moves a step one place and refuses to move past either end", () => {
    expect(moveStep(["y", "x", "z"], 1, -1)).toEqual(["x", "y", "z"]);
    expect(moveStep(["y", "x", "z"], 1, 1)).toEqual(["y", "z", "x"]);
    expect(moveStep(["y", "x", "z"], 0, -1)).toBeNull();
    expect(moveStep(["y", "x", "z"], 2, 1)).toBeNull();
  });
});
