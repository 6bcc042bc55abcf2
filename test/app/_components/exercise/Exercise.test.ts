import { createElement, type ComponentProps } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Exercise } from "@/app/_components/exercise/Exercise";
import { LessonProvider, type LessonContextValue } from "@/app/_components/lesson/LessonContext";
import { getLessonData } from "@/lib/content";
import { publicExercises } from "@/lib/content/public";

/** The exercise as the lesson page first renders it (before the status request returns). */
async function render(slug: string, id: string): Promise<string> {
  const value: LessonContextValue = { slug, scenario: "three-node-flannel", seed: 1, sessionKey: `lesson:${slug}`, exercises: publicExercises(await getLessonData(slug)), quiz: [] };
  return renderToStaticMarkup(createElement(LessonProvider, { value } as ComponentProps<typeof LessonProvider>, createElement(Exercise, { id })));
}

describe("<Exercise/>", () => {
  it("shows the title, goal and instructions, hides the hints behind a button and offers Check", async () => {
    const html = await render("cluster-anatomy", "map-the-control-plane");
    expect(html).toMatch(/<section[^>]*aria-labelledby="([^"]+)"[^>]*>[\s\S]*<h3 id="\1"[^>]*>Map the control plane<\/h3>/);
    expect(html).toContain("Find the node that runs kube-scheduler");
    expect(html).toContain("<code>/root/scheduler-node.txt</code>");
    expect(html).toContain(">Show a hint (1 of 3)</button>");
    expect(html).not.toContain("staticPodPath"); // the second hint's words stay hidden
    expect(html).toMatch(/<button type="button"[^>]*aria-describedby="[^"]+"[^>]*>Check<\/button>/);
    expect(html).toMatch(/role="status" aria-live="polite"/);
  });

  it("never carries the check or the solution", async () => {
    const html = await render("cluster-anatomy", "map-the-control-plane");
    expect(html).not.toMatch(/jsonpath|awk|equals|\/etc\/kubernetes\/manifests<\/|Passed/);
  });

  it("renders nothing for an id the lesson does not have, or outside a lesson", async () => {
    expect(await render("cluster-anatomy", "no-such-exercise")).toBe("");
    expect(renderToStaticMarkup(createElement(Exercise, { id: "map-the-control-plane" }))).toBe("");
  });
});
