import { createElement, type ComponentProps } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { LessonProvider, type LessonContextValue } from "@/app/_components/lesson/LessonContext";
import { Quiz } from "@/app/_components/quiz/Quiz";
import { getLessonData } from "@/lib/content";
import { publicQuiz } from "@/lib/content/public";

/** The quiz as the lesson page first renders it (before the history request returns). */
async function render(slug: string): Promise<string> {
  const value: LessonContextValue = { slug, scenario: "three-node", seed: 1, sessionKey: `lesson:${slug}`, exercises: [], quiz: publicQuiz(await getLessonData(slug)) };
  return renderToStaticMarkup(createElement(LessonProvider, { value } as ComponentProps<typeof LessonProvider>, createElement(Quiz)));
}

const count = (html: string, pattern: RegExp) => html.match(new RegExp(pattern, "g"))?.length ?? 0;

describe("<Quiz/>", () => {
  it("puts every question in a fieldset with a legend, with the right kind of control", async () => {
    const html = await render("cluster-anatomy");
    expect(count(html, /<fieldset/)).toBe(8);
    expect(count(html, /<legend/)).toBe(8);
    // 4 single-choice questions with 4 radios each, sharing a name per question; one multiple with 7 boxes.
    expect(count(html, /type="radio"/)).toBe(16);
    expect(new Set(html.match(/type="radio" name="[^"]+"/g)).size).toBe(4);
    expect(count(html, /type="checkbox"/)).toBe(7);
    expect(count(html, /type="text"/)).toBe(2);
    // The order question: a ↑ and a ↓ per step, the first ↑ and the last ↓ disabled.
    expect(count(html, /aria-label="Move up: /)).toBe(5);
    expect(count(html, /aria-label="Move down: /)).toBe(5);
    expect(count(html, /disabled="" aria-label="Move (up|down): /)).toBe(2);
    expect(html).toContain("<code>kubectl delete pod kube-scheduler-controlplane -n kube-system</code>");
    expect(html).toMatch(/role="status"/);
    expect(html).toMatch(/<button type="submit"[^>]*disabled=""[^>]*>Submit answers<\/button>/);
  });

  it("shows no answer key or verdict before submission", async () => {
    const html = await render("workloads-and-labels");
    expect(html).not.toMatch(/data-mark|data-correct|Right answer|Not right|Correct|Not quite/);
    expect(html).toContain("0 of 8 answered");
    expect(html).not.toContain("DoesNotExist"); // words only the explanations use
  });

  it("renders nothing outside a lesson", () => {
    expect(renderToStaticMarkup(createElement(Quiz))).toBe("");
  });
});
