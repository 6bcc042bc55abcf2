import { bundleMDX } from "mdx-bundler";
import rehypeSlug from "rehype-slug";
import remarkGfm from "remark-gfm";
import { LessonContentError } from "./errors";
import { rehypeCollectToc, remarkLessonCheck, type CheckContext } from "./mdx-plugins";
import type { TocEntry } from "./types";

export type CompileInput = {
  /** lesson.mdx with its frontmatter blanked out (see splitFrontmatter). */
  body: string;
  /** Path for messages, relative to the project root. */
  file: string;
  /** The lesson folder (absolute), used as esbuild's working directory. */
  dir: string;
  exerciseIds: ReadonlySet<string> | null;
  hasQuiz: boolean;
};

export type Compiled = { code: string; toc: TocEntry[] };

type EsbuildMessage = {
  text?: string;
  location?: { file?: string; line?: number } | null;
  detail?: unknown;
};
type VFileMessageLike = {
  reason?: string;
  message?: string;
  line?: number;
  place?: { line?: number; start?: { line?: number } };
  cause?: unknown;
};

const WRAPPER = "Cannot process MDX file with esbuild";

/**
 * Reads the chain of causes @mdx-js/esbuild attaches to an esbuild error: the reasons, outermost
 * first ("Could not parse expression with acorn: Unexpected token"), and the first line number.
 */
function mdxCauses(detail: unknown): { reason?: string; line?: number } {
  const reasons: string[] = [];
  let line: number | undefined;
  for (let cur = detail as VFileMessageLike | undefined, depth = 0; cur && typeof cur === "object" && depth < 10; depth++) {
    const reason = cur.reason ?? cur.message;
    if (reason && reason !== WRAPPER && !reasons.includes(reason)) reasons.push(reason);
    line ??= cur.line ?? cur.place?.start?.line ?? cur.place?.line;
    cur = cur.cause as VFileMessageLike | undefined;
  }
  return { reason: reasons.length ? reasons.join(": ") : undefined, line };
}

function compileError(err: unknown, file: string): LessonContentError {
  const first = (err as { errors?: EsbuildMessage[] }).errors?.[0];
  if (!first) return new LessonContentError(file, `could not compile MDX: ${(err as Error).message}`);
  const cause = mdxCauses(first.detail);
  const reason = cause.reason ?? first.text ?? "unknown error";
  // Some MDX messages carry the position only in their text: "Expected a closing tag for `<Callout>` (3:1-3:22)".
  const inText = /\((\d+):\d+(?:-\d+:\d+)?\)/.exec(reason);
  const line =
    cause.line ??
    (inText ? Number(inText[1]) : undefined) ??
    (first.location?.file?.endsWith(".mdx") && first.location.line ? first.location.line : undefined);
  return new LessonContentError(file, `could not compile MDX: ${reason}`, { line });
}

/**
 * Compiles one lesson body with mdx-bundler: GFM, heading ids from rehype-slug, the lesson check
 * (allowed components, no h1, no import/export) and the table of contents.
 *
 * @example
 * const { code, toc } = await compileLesson({ body, file: "content/lessons/01-x/lesson.mdx", dir, exerciseIds: null, hasQuiz: false });
 */
export async function compileLesson(input: CompileInput): Promise<Compiled> {
  const check: CheckContext = { exerciseIds: input.exerciseIds, hasQuiz: input.hasQuiz };
  const toc: TocEntry[] = [];
  try {
    const result = await bundleMDX({
      source: input.body,
      cwd: input.dir,
      mdxOptions(options) {
        options.remarkPlugins = [...(options.remarkPlugins ?? []), remarkGfm, [remarkLessonCheck, check]];
        options.rehypePlugins = [...(options.rehypePlugins ?? []), rehypeSlug, [rehypeCollectToc, toc]];
        return options;
      },
      esbuildOptions(options) {
        options.logLevel = "silent";
        return options;
      },
    });
    return { code: result.code, toc: [...toc] };
  } catch (err) {
    if (check.issue) {
      throw new LessonContentError(input.file, check.issue.message, {
        line: check.issue.line,
        field: check.issue.component,
      });
    }
    throw compileError(err, input.file);
  }
}
