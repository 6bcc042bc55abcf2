import YAML from "yaml";
import { LessonContentError } from "./errors";

/**
 * Parses YAML, turning the parser's first error into `file:LINE: invalid YAML: …`.
 * `lineOffset` shifts reported lines (frontmatter starts on line 2 of lesson.mdx).
 *
 * @example
 * parseYaml("a: 1\na: 2\n", "content/lessons/01-x/quiz.yaml"); // throws …/quiz.yaml:2: invalid YAML: Map keys must be unique
 */
export function parseYaml(text: string, file: string, lineOffset = 0): unknown {
  const doc = YAML.parseDocument(text, { prettyErrors: true });
  const first = doc.errors[0];
  if (first) {
    const line = (first.linePos?.[0]?.line ?? 1) + lineOffset;
    const reason = first.message.split("\n")[0].replace(/ at line \d+, column \d+:?\s*$/, "");
    throw new LessonContentError(file, `invalid YAML: ${reason}`, { line });
  }
  try {
    return doc.toJS();
  } catch (err) {
    throw new LessonContentError(file, `invalid YAML: ${(err as Error).message}`);
  }
}

export type SplitSource = {
  /** The YAML between the `---` fences. */
  frontmatter: string;
  /** The MDX with the frontmatter block blanked out, so line numbers still match the file. */
  body: string;
};

/**
 * Separates `lesson.mdx` into frontmatter and body. The body keeps one empty line per
 * frontmatter line so that MDX compile errors report the line a reader sees in the editor.
 */
export function splitFrontmatter(source: string, file: string): SplitSource {
  const lines = source.replace(/^\uFEFF/, "").split(/\r?\n/);
  if (lines[0]?.trimEnd() !== "---") {
    throw new LessonContentError(
      file,
      "missing frontmatter: the file must start with a --- line, then title, summary, order, minutes and scenario, then ---",
      { line: 1 },
    );
  }
  const close = lines.findIndex((line, i) => i > 0 && line.trimEnd() === "---");
  if (close < 0) {
    throw new LessonContentError(file, "frontmatter is never closed: add a --- line after the last field", {
      line: 1,
    });
  }
  return {
    frontmatter: lines.slice(1, close).join("\n"),
    body: lines.map((line, i) => (i <= close ? "" : line)).join("\n"),
  };
}
