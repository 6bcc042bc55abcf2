import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createContentLoader, type ContentLoader } from "@/lib/content";

/** Files of a project, relative to its root; `null` leaves a default file out. */
export type Files = Record<string, string | null>;

export function frontmatter(fields: Record<string, string>): string {
  return `---\n${Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n")}\n---\n`;
}

export function lessonMdx(order: number, title: string, extra: Record<string, string> = {}, body = "## Start\n\nText.\n") {
  return `${frontmatter({
    title,
    summary: `About ${title}.`,
    order: String(order),
    minutes: "10",
    scenario: "single-node",
    ...extra,
  })}\n${body}`;
}

/** Three valid lessons; cases override or remove files from here. */
export const BASE: Files = {
  "content/lessons/01-alpha/lesson.mdx": lessonMdx(1, "Alpha"),
  "content/lessons/02-beta/lesson.mdx": lessonMdx(2, "Beta", { prerequisites: "[alpha]" }),
  "content/lessons/03-gamma/lesson.mdx": lessonMdx(3, "Gamma", { prerequisites: "[alpha, beta]", tags: "[x, y]" }),
  "content/lessons/CONTEXT.md": "# notes for authors are ignored\n",
};

export type Project = { dir: string; loader: ContentLoader; write(rel: string, text: string): void; cleanup(): void };

/** Writes `files` (on top of nothing: pass `{ ...BASE, … }` for the valid set) into a temp project. */
export function makeProject(files: Files, options: { cacheIndex?: boolean } = {}): Project {
  const dir = mkdtempSync(path.join(tmpdir(), "netlab-content-"));
  const write = (rel: string, text: string) => {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  };
  for (const [rel, text] of Object.entries(files)) if (text !== null) write(rel, text);
  mkdirSync(path.join(dir, "content/lessons"), { recursive: true });
  const loader = createContentLoader(path.join(dir, "content/lessons"), { projectRoot: dir, ...options });
  return { dir, loader, write, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
