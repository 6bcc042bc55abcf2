// The real lessons in content/lessons: they load, compile (once), render, and their TOC matches the
// ids on the rendered headings.
import { getMDXComponent } from "mdx-bundler/client";
import * as React from "react";
import * as ReactDOM from "react-dom";
import * as _jsx_runtime from "react/jsx-runtime";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import { getAdjacentLessons, getLesson, listLessons, type Lesson } from "@/lib/content";

function stub(name: string) {
  function Stub({ children, ...props }: { children?: React.ReactNode }) {
    return React.createElement("div", { "data-component": name, "data-props": JSON.stringify(props) }, children);
  }
  Stub.displayName = name;
  return Stub;
}
const components = Object.fromEntries(["Callout", "Exercise", "Quiz", "Diagram"].map((n) => [n, stub(n)]));

describe("content/lessons/01-network-namespaces", () => {
  let lesson: Lesson;
  let html: string;
  beforeAll(async () => {
    const loaded = await getLesson("network-namespaces");
    if (!loaded) throw new Error("lesson network-namespaces not found");
    lesson = loaded;
    const Component = getMDXComponent(lesson.code, { React, ReactDOM, _jsx_runtime });
    html = renderToStaticMarkup(React.createElement(Component, { components }));
  });

  it("has the frontmatter the brief asks for", () => {
    const { slug, title, summary, order, minutes, scenario, prerequisites, tags } = lesson;
    expect({ slug, title, summary, order, minutes, scenario, prerequisites, tags }).toEqual({
      slug: "network-namespaces",
      title: "Network namespaces and the pause container",
      summary:
        "A pod's network is a Linux network namespace. Build namespaces by hand with veth pairs and a bridge, then find the one the CNI built for a pod and the pause container that holds it.",
      order: 1,
      minutes: 45,
      scenario: "single-node",
      prerequisites: [],
      tags: ["linux", "namespaces", "veth", "bridge", "pods", "pause-container"],
    });
  });

  it("has a TOC of its h2/h3 headings with github-slugger ids", () => {
    expect(lesson.toc).toEqual([
      { depth: 2, id: "what-a-network-namespace-is", text: "What a network namespace is" },
      { depth: 2, id: "building-namespaces-by-hand", text: "Building namespaces by hand" },
      { depth: 3, id: "two-empty-namespaces", text: "Two empty namespaces" },
      { depth: 3, id: "a-veth-pair-between-them", text: "A veth pair between them" },
      { depth: 3, id: "look-then-ping", text: "Look, then ping" },
      { depth: 3, id: "three-namespaces-on-a-bridge", text: "Three namespaces on a bridge" },
      { depth: 3, id: "through-the-host-ip_forward", text: "Through the host: ip_forward" },
      { depth: 2, id: "one-network-namespace-per-pod", text: "One network namespace per pod" },
      { depth: 3, id: "containers-in-a-pod-share-localhost", text: "Containers in a pod share localhost" },
      { depth: 2, id: "the-pause-container", text: "The pause container" },
      { depth: 3, id: "finding-it-on-a-node", text: "Finding it on a node" },
      { depth: 3, id: "compare-with-what-you-built", text: "Compare with what you built" },
      { depth: 2, id: "what-this-means-for-the-pod-ip", text: "What this means for the pod IP" },
      { depth: 2, id: "summary", text: "Summary" },
      { depth: 2, id: "whats-next", text: "What's next" },
    ]);
  });

  it("renders headings with exactly the TOC's ids", () => {
    const rendered = [...html.matchAll(/<h([23]) id="([^"]+)"/g)].map((m) => ({ depth: Number(m[1]), id: m[2] }));
    expect(rendered).toEqual(lesson.toc.map(({ depth, id }) => ({ depth, id })));
  });

  it("uses Callouts, places each exercise once and ends with the quiz", () => {
    const used = [...html.matchAll(/data-component="(\w+)" data-props="([^"]*)"/g)].map((m) => ({ name: m[1], props: m[2].replace(/&quot;/g, '"') }));
    expect(used.map((c) => c.name)).toContain("Callout");
    const interactive = used.filter((c) => c.name !== "Callout").map((c) => (c.name === "Exercise" ? `Exercise ${JSON.parse(c.props).id}` : c.name));
    expect(interactive).toEqual([
      "Exercise red-and-blue",
      "Exercise three-on-a-bridge",
      "Exercise neighbour-on-localhost",
      "Exercise find-the-pause",
      "Exercise one-namespace-two-containers",
      "Diagram",
      "Exercise web-veth",
      "Quiz",
    ]);
  });

  it("marks every code block with a language", () => {
    const blocks = [...html.matchAll(/<pre><code(?: class="language-(\w+)")?>/g)].map((m) => m[1] ?? "none");
    expect(blocks.length).toBeGreaterThan(10);
    expect(new Set(blocks)).toEqual(new Set(["console", "bash", "yaml"]));
  });
});

describe("the real lesson index", () => {
  it("lists lessons sorted by order, starting with network-namespaces", async () => {
    const lessons = await listLessons();
    expect(lessons[0].slug).toBe("network-namespaces");
    expect(lessons.map((l) => l.order)).toEqual([...lessons.map((l) => l.order)].sort((a, b) => a - b));
  });

  it("has no lesson before the first one", async () => {
    expect((await getAdjacentLessons("network-namespaces")).previous).toBeNull();
  });

  it("returns null for an unknown slug", async () => {
    expect(await getLesson("no-such-lesson")).toBeNull();
  });
});
