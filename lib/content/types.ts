/** What the catalog, navigation and the lesson page header need to know about a lesson. */
export type LessonMeta = {
  /** Folder name without its `NN-` prefix: `01-network-namespaces` → `network-namespaces`. */
  slug: string;
  title: string;
  /** One or two sentences, at most 200 characters. */
  summary: string;
  /** Position in the course; equals the folder's NN prefix. */
  order: number;
  /** Estimated minutes to read and do the lesson. */
  minutes: number;
  /** Name of the cluster scenario the lesson's terminal starts from, e.g. `single-node`. */
  scenario: string;
  /** Slugs of lessons to take first; each exists and comes earlier in the course. */
  prerequisites: string[];
  tags: string[];
};

/** An h2 or h3 of the lesson body; `id` is the one rehype-slug put on the rendered heading. */
export type TocEntry = { depth: 2 | 3; id: string; text: string };

/**
 * A compiled lesson. `code` is mdx-bundler output: render it in a client component with
 * `getMDXComponent(code, { React, ReactDOM, _jsx_runtime })` and pass the components
 * Callout, Terminal, Exercise, Quiz and Diagram.
 */
export type Lesson = LessonMeta & { code: string; toc: TocEntry[] };
