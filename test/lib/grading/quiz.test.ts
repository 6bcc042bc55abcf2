import { describe, expect, it } from "vitest";
import type { Quiz } from "@/lib/content";
import { gradeQuiz, normalizeShortAnswer, quizSubmissionSchema, storedAnswers, type QuizAnswers } from "@/lib/grading";

const quiz: Quiz = {
  questions: [
    { id: "pick-one", type: "single", prompt: "?", choices: ["a", "b", "c"], answer: "b", explanation: "b it is" },
    { id: "pick-some", type: "multiple", prompt: "?", choices: ["a", "b", "c", "d"], answer: ["a", "c"], explanation: "a and c" },
    { id: "name-it", type: "short", prompt: "?", answer: ["crictl", "crictl ps"], explanation: "the CRI client" },
    { id: "one-form", type: "short", prompt: "?", answer: "env in (prod,staging)", explanation: "set-based" },
    { id: "sequence", type: "order", prompt: "?", choices: ["z", "x", "y"], answer: ["x", "y", "z"], explanation: "x, y, z" },
  ],
};

const allRight: QuizAnswers = {
  "pick-one": "b",
  "pick-some": ["c", "a"],
  "name-it": "crictl",
  "one-form": "env in (prod,staging)",
  sequence: ["x", "y", "z"],
};

function parse(body: unknown) {
  return quizSubmissionSchema(quiz).safeParse(body);
}

/** The first issue as readJsonBody reports it: `path: message`. */
function firstIssue(body: unknown): string {
  const result = parse(body);
  if (result.success) throw new Error("expected the body to be refused");
  const issue = result.error.issues[0];
  return `${issue.path.join(".")}: ${issue.message}`;
}

describe("gradeQuiz", () => {
  it("scores every right answer as correct, in question order, with key and explanation", () => {
    const grade = gradeQuiz(quiz, allRight);
    expect(grade).toMatchObject({ correct: 5, total: 5, score: 1 });
    expect(grade.results.map((r) => r.id)).toEqual(quiz.questions.map((q) => q.id));
    expect(grade.results[0]).toEqual({ id: "pick-one", correct: true, expected: "b", explanation: "b it is" });
    expect(grade.results[2].expected).toEqual(["crictl", "crictl ps"]);
    expect(grade.results[3].expected).toEqual(["env in (prod,staging)"]);
  });

  it("single choice: only the exact choice is right", () => {
    expect(gradeQuiz(quiz, { ...allRight, "pick-one": "a" }).results[0].correct).toBe(false);
    expect(gradeQuiz(quiz, { ...allRight, "pick-one": "B" }).results[0].correct).toBe(false);
  });

  it("multiple choice: needs exactly the right set, and reports what was missed and what was extra", () => {
    const right = gradeQuiz(quiz, allRight).results[1];
    expect(right).toMatchObject({ correct: true, missed: [], extra: [] });
    const subset = gradeQuiz(quiz, { ...allRight, "pick-some": ["a"] }).results[1];
    expect(subset).toMatchObject({ correct: false, missed: ["c"], extra: [] });
    const superset = gradeQuiz(quiz, { ...allRight, "pick-some": ["a", "b", "c"] }).results[1];
    expect(superset).toMatchObject({ correct: false, missed: [], extra: ["b"] });
    const none = gradeQuiz(quiz, { ...allRight, "pick-some": [] }).results[1];
    expect(none).toMatchObject({ correct: false, missed: ["a", "c"], extra: [] });
  });

  it("short answer: any accepted form, after normalising case, spaces, a trailing period and backticks", () => {
    const short = (text: string) => gradeQuiz(quiz, { ...allRight, "name-it": text }).results[2].correct;
    for (const text of ["crictl", "  CRICTL ", "crictl.", "`crictl`", "`crictl`.", "``crictl``", "crictl   ps", "Crictl PS."]) {
      expect(short(text), text).toBe(true);
    }
    for (const text of ["docker", "crictl pods", "crict", "crictl,", "", "   ", "'crictl'"]) {
      expect(short(text), JSON.stringify(text)).toBe(false);
    }
    const single = (text: string) => gradeQuiz(quiz, { ...allRight, "one-form": text }).results[3].correct;
    expect(single("ENV  IN (prod,staging)")).toBe(true);
    expect(single("env in (prod, staging)")).toBe(false);
  });

  it("order: only the exact sequence is right", () => {
    expect(gradeQuiz(quiz, { ...allRight, sequence: ["x", "z", "y"] }).results[4]).toMatchObject({ correct: false, expected: ["x", "y", "z"] });
    expect(gradeQuiz(quiz, { ...allRight, sequence: ["z", "x", "y"] }).results[4].correct).toBe(false);
  });

  it("counts an unanswered question as wrong and scores correct / total", () => {
    const grade = gradeQuiz(quiz, { ...allRight, "pick-one": null, sequence: null });
    expect(grade).toMatchObject({ correct: 3, total: 5, score: 0.6 });
    expect(grade.results[0]).toMatchObject({ correct: false, expected: "b" });
  });
});

describe("normalizeShortAnswer", () => {
  it("trims, case-folds, collapses whitespace and drops a trailing period and surrounding backticks", () => {
    expect(normalizeShortAnswer("  Node-Role.Kubernetes.io/Control-Plane:NoSchedule. ")).toBe("node-role.kubernetes.io/control-plane:noschedule");
    expect(normalizeShortAnswer("`spec.nodeSelector`.")).toBe("spec.nodeselector");
    expect(normalizeShortAnswer("`spec.nodeSelector.`")).toBe("spec.nodeselector");
    expect(normalizeShortAnswer("env\tin\n(prod,staging)")).toBe("env in (prod,staging)");
    // Only one trailing period and only matching backticks go.
    expect(normalizeShortAnswer("etc..")).toBe("etc.");
    expect(normalizeShortAnswer("`crictl")).toBe("`crictl");
  });
});

describe("quizSubmissionSchema", () => {
  it("accepts an answer (or null) for every question and keeps the answers as given", () => {
    const body = { answers: { ...allRight, "name-it": null } };
    const parsed = parse(body);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual(body);
  });

  it("refuses a body that does not name every question", () => {
    const rest = { ...allRight };
    delete rest.sequence;
    expect(firstIssue({ answers: rest })).toBe("answers.sequence: missing: send an answer for every question (null leaves it unanswered)");
  });

  it("refuses unknown question ids, including inherited property names", () => {
    expect(firstIssue({ answers: { ...allRight, "not-a-question": "a" } })).toBe("answers.not-a-question: no such question in this quiz (reload the page)");
    expect(firstIssue(JSON.parse(`{"answers":{"__proto__":{"pick-one":"b"},"pick-some":["a"],"name-it":"x","one-form":"y","sequence":["x","y","z"]}}`))).toBe(
      "answers.__proto__: no such question in this quiz (reload the page)",
    );
    const bare = quizSubmissionSchema({ questions: [{ id: "constructor", type: "short", prompt: "?", answer: "x", explanation: "." }] });
    expect(bare.safeParse({ answers: {} }).success).toBe(false);
  });

  it("refuses values of the wrong type, naming the field", () => {
    expect(firstIssue({ answers: { ...allRight, "pick-one": ["b"] } })).toBe("answers.pick-one: expected one of the question's choices (a string) or null");
    expect(firstIssue({ answers: { ...allRight, "pick-one": "e" } })).toBe(`answers.pick-one: "e" is not one of the question's choices`);
    expect(firstIssue({ answers: { ...allRight, "pick-some": "a" } })).toBe("answers.pick-some: expected a list of the question's choices or null");
    expect(firstIssue({ answers: { ...allRight, "pick-some": ["a", "a"] } })).toBe("answers.pick-some: lists a choice twice");
    expect(firstIssue({ answers: { ...allRight, "pick-some": ["a", 1] } })).toBe("answers.pick-some: expected a list of the question's choices or null");
    expect(firstIssue({ answers: { ...allRight, "name-it": 42 } })).toBe("answers.name-it: expected a string (the answer) or null");
    expect(firstIssue({ answers: { ...allRight, "name-it": "x".repeat(301) } })).toBe("answers.name-it: expected at most 300 characters");
    expect(firstIssue({ answers: { ...allRight, sequence: ["x", "y"] } })).toBe("answers.sequence: expected every choice exactly once, in your order");
    expect(firstIssue({ answers: { ...allRight, sequence: ["x", "y", "w"] } })).toBe(`answers.sequence: "w" is not one of the question's choices`);
  });

  it("refuses bodies of the wrong shape", () => {
    expect(firstIssue([])).toBe(": expected { answers: { <question id>: answer } }");
    expect(firstIssue({ answers: [] })).toBe("answers: expected a mapping of question id to answer");
    expect(firstIssue({ answers: allRight, extra: 1 })).toMatch(/^: /);
  });
});

describe("storedAnswers", () => {
  it("reads a stored attempt against the current quiz: unfit or missing answers become null", () => {
    const stored = { ...allRight, "pick-one": "gone", sequence: ["x", "y"], removed: "a" };
    expect(storedAnswers(quiz, stored)).toEqual({ ...allRight, "pick-one": null, sequence: null });
    expect(storedAnswers(quiz, "not an object")).toEqual(Object.fromEntries(quiz.questions.map((q) => [q.id, null])));
  });
});
