import type { z } from "zod";

/**
 * Everything wrong with lesson content is reported as one of these, and the message always
 * starts with the offending file (relative to the project root), then the line when one is
 * known, then what is wrong:
 *
 * @example
 * // content/lessons/01-network-namespaces/lesson.mdx: frontmatter field "minutes": expected a positive integer, got "ten"
 * // content/lessons/01-network-namespaces/quiz.yaml:12: Map keys must be unique
 * try { await getLesson("network-namespaces"); }
 * catch (e) { if (e instanceof LessonContentError) console.error(e.file, e.field, e.line); }
 */
export class LessonContentError extends Error {
  /** The file (or lesson folder) at fault, relative to the project root, with `/` separators. */
  readonly file: string;
  /** The frontmatter field or YAML path at fault (`minutes`, `[1].hints`), when there is one. */
  readonly field?: string;
  /** 1-based line in `file`, when the fault has a position. */
  readonly line?: number;

  constructor(file: string, detail: string, options: { field?: string; line?: number } = {}) {
    super(`${file}${options.line ? `:${options.line}` : ""}: ${detail}`);
    this.name = "LessonContentError";
    this.file = file;
    this.field = options.field;
    this.line = options.line;
  }
}

/** `[1].hints`, `questions[0].answer`, `title` — the way a reader finds the spot in YAML. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** A short, unambiguous rendering of a value for "got …" in messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") {
    const json = JSON.stringify(value);
    return json.length > 60 ? `${json.slice(0, 57)}…"` : json;
  }
  if (Array.isArray(value)) return `a list (${value.length} item${value.length === 1 ? "" : "s"})`;
  if (value !== null && typeof value === "object") return "a mapping";
  return String(value);
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = data;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length];
}

/** ` (did you mean "minutes"?)` when a known key is within two edits, else "". */
export function suggestion(unknown: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(unknown.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best === undefined ? "" : ` (did you mean "${best}"?)`;
}

/**
 * The most useful zod issue, ready to word. `unknownKey` is set for a key the schema does not
 * allow (then `path` is the mapping holding it); otherwise `detail` says what was expected and
 * what was found.
 */
export type IssueReport = { path: string; detail: string; unknownKey?: string };

/**
 * Picks one zod issue and words it. Unknown keys come first (a typo'd key usually also makes a
 * required one "missing", and the typo is the real fault). Schemas in `schemas.ts` word their
 * messages "expected …"; this adds what was found instead. Messages worded otherwise
 * ("duplicate id …") are complete and kept as they are.
 *
 * @param knownKeys the keys allowed in the mapping at a path, for "did you mean" hints.
 */
export function reportIssue(
  error: z.ZodError,
  data: unknown,
  knownKeys: (path: string) => readonly string[] = () => [],
): IssueReport {
  const issues = error.issues;
  const issue = issues.find((i) => i.code === "unrecognized_keys") ?? issues[0];
  const path = formatPath(issue.path);
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0];
    return { path, unknownKey: key, detail: `unknown field "${key}"${suggestion(key, knownKeys(path))}` };
  }
  const value = valueAt(data, issue.path);
  let detail: string;
  if (!issue.message.startsWith("expected ")) {
    detail = issue.message;
  } else if (value === undefined) {
    detail = `missing (${issue.message})`;
  } else if ((issue.code === "too_big" || issue.code === "too_small") && typeof value === "string") {
    detail = `${issue.message}, got ${value.length} characters`;
  } else {
    detail = `${issue.message}, got ${describeValue(value)}`;
  }
  return { path, detail };
}
