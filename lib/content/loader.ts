import { createHash } from "node:crypto";
import type { Dirent } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { z } from "zod";
import { compileLesson, type Compiled } from "./compile";
import { LessonContentError, reportIssue, suggestion } from "./errors";
import {
  exercisesFileSchema,
  frontmatterSchema,
  knownKeysAt,
  quizFileSchema,
  scenarioFileSchema,
  type Exercise,
  type Quiz,
  type ScenarioFile,
} from "./schemas";
import { parseYaml, splitFrontmatter } from "./source";
import type { Lesson, LessonMeta } from "./types";

/** `NN-slug`: two digits, a dash, lowercase words joined by single dashes. */
export const FOLDER_PATTERN = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)$/;
/** The files a lesson folder may hold; only lesson.mdx is required. */
export const LESSON_FILES = ["lesson.mdx", "scenario.yaml", "exercises.yaml", "quiz.yaml"] as const;

/** A lesson's data files, parsed and validated. Server-only: the quiz holds the answers. */
export type LessonData = { scenario: ScenarioFile | null; exercises: Exercise[]; quiz: Quiz | null };

export type ContentLoaderOptions = {
  /** Paths in error messages are relative to this. Default: `process.cwd()`. */
  projectRoot?: string;
  /**
   * Keep the lesson index after the first successful read instead of re-reading the folder on
   * every call. Default: true when NODE_ENV is "production" (edits show up without a restart in
   * development). Compiled MDX is cached either way, keyed by the content it was compiled from.
   */
  cacheIndex?: boolean;
};

export type ContentLoader = {
  /** Absolute path of the lessons folder. */
  readonly root: string;
  /** Every lesson, sorted by order. Validates all frontmatter and data files; compiles nothing. */
  listLessons(): Promise<LessonMeta[]>;
  /** The compiled lesson, or null when no lesson has that slug. */
  getLesson(slug: string): Promise<Lesson | null>;
  /** Neighbours in course order; both null for an unknown slug. */
  getAdjacentLessons(slug: string): Promise<{ previous: LessonMeta | null; next: LessonMeta | null }>;
  /** Scenario, exercises and quiz of a lesson (null for an unknown slug). Never send to the browser. */
  getLessonData(slug: string): Promise<LessonData | null>;
  /** Loads and compiles every lesson in order; throws the first LessonContentError. */
  validateAllLessons(): Promise<LessonMeta[]>;
};

type LessonRecord = {
  meta: LessonMeta;
  dir: string;
  mdxFile: string;
  body: string;
  data: LessonData;
  /** Hash of everything compileLesson reads, the key of the compile cache. */
  compileKey: string;
};

type Index = { lessons: LessonRecord[]; bySlug: Map<string, LessonRecord> };

function copyMeta(meta: LessonMeta): LessonMeta {
  return { ...meta, prerequisites: [...meta.prerequisites], tags: [...meta.tags] };
}

/**
 * Reads lessons from one folder. Tests point it at a temporary folder; the app uses the default
 * loader behind `listLessons()` and friends in `index.ts`.
 *
 * @example
 * const loader = createContentLoader(path.join(tmp, "content/lessons"), { projectRoot: tmp });
 * await loader.listLessons(); // throws LessonContentError on the first malformed lesson
 */
export function createContentLoader(
  root: string = path.join(process.cwd(), "content", "lessons"),
  options: ContentLoaderOptions = {},
): ContentLoader {
  const absRoot = path.resolve(/*turbopackIgnore: true*/ root);
  const projectRoot = path.resolve(/*turbopackIgnore: true*/ options.projectRoot ?? process.cwd());
  const cacheIndex = options.cacheIndex ?? process.env.NODE_ENV === "production";
  const rel = (abs: string) => path.relative(projectRoot, abs).split(path.sep).join("/") || ".";

  let cachedIndex: Promise<Index> | undefined;
  // One entry per lesson file: the latest compile, with the hash of the inputs it was made from.
  const compiled = new Map<string, { key: string; result: Promise<Compiled> }>();

  function index(): Promise<Index> {
    if (!cacheIndex) return readIndex(absRoot, rel);
    if (!cachedIndex) {
      cachedIndex = readIndex(absRoot, rel);
      cachedIndex.catch(() => (cachedIndex = undefined));
    }
    return cachedIndex;
  }

  function compile(record: LessonRecord): Promise<Compiled> {
    const cached = compiled.get(record.mdxFile);
    let pending = cached?.key === record.compileKey ? cached.result : undefined;
    if (!pending) {
      pending = compileLesson({
        body: record.body,
        file: record.mdxFile,
        dir: record.dir,
        // exercises.yaml, when present, lists at least one exercise (see exercisesFileSchema).
        exerciseIds: record.data.exercises.length > 0 ? new Set(record.data.exercises.map((e) => e.id)) : null,
        hasQuiz: record.data.quiz !== null,
      });
      const entry = { key: record.compileKey, result: pending };
      compiled.set(record.mdxFile, entry);
      pending.catch(() => {
        if (compiled.get(record.mdxFile) === entry) compiled.delete(record.mdxFile);
      });
    }
    return pending;
  }

  async function toLesson(record: LessonRecord): Promise<Lesson> {
    const { code, toc } = await compile(record);
    return { ...copyMeta(record.meta), code, toc: toc.map((t) => ({ ...t })) };
  }

  return {
    root: absRoot,
    async listLessons() {
      return (await index()).lessons.map((l) => copyMeta(l.meta));
    },
    async getLesson(slug) {
      const record = (await index()).bySlug.get(slug);
      return record ? toLesson(record) : null;
    },
    async getAdjacentLessons(slug) {
      const { lessons } = await index();
      const i = lessons.findIndex((l) => l.meta.slug === slug);
      if (i < 0) return { previous: null, next: null };
      return {
        previous: i > 0 ? copyMeta(lessons[i - 1].meta) : null,
        next: i < lessons.length - 1 ? copyMeta(lessons[i + 1].meta) : null,
      };
    },
    async getLessonData(slug) {
      const record = (await index()).bySlug.get(slug);
      return record ? structuredClone(record.data) : null;
    },
    async validateAllLessons() {
      const { lessons } = await index();
      for (const record of lessons) await compile(record);
      return lessons.map((l) => copyMeta(l.meta));
    },
  };
}

async function readIndex(root: string, rel: (abs: string) => string): Promise<Index> {
  let entries: Dirent[];
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      throw new LessonContentError(rel(root), "lessons folder not found");
    }
    throw err;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const lessons: LessonRecord[] = [];
  const byOrder = new Map<number, LessonRecord>();
  const bySlug = new Map<string, LessonRecord>();
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const abs = path.join(root, entry.name);
    if (!entry.isDirectory()) {
      if (/\.(mdx|ya?ml)$/.test(entry.name)) {
        throw new LessonContentError(rel(abs), "lessons are folders: move this file into an NN-slug folder");
      }
      continue; // CONTEXT.md and other notes for authors
    }
    const match = FOLDER_PATTERN.exec(entry.name);
    if (!match) {
      throw new LessonContentError(
        rel(abs),
        'folder name must be NN-slug (two digits, a dash, then lowercase words joined by dashes), e.g. "01-network-namespaces"',
      );
    }
    const record = await readLesson(abs, Number(match[1]), match[2], rel);
    const sameOrder = byOrder.get(record.meta.order);
    if (sameOrder) {
      throw new LessonContentError(rel(abs), `order ${record.meta.order} is already used by ${rel(sameOrder.dir)}`, {
        field: "order",
      });
    }
    const sameSlug = bySlug.get(record.meta.slug);
    if (sameSlug) {
      throw new LessonContentError(rel(abs), `slug "${record.meta.slug}" is already used by ${rel(sameSlug.dir)}`);
    }
    byOrder.set(record.meta.order, record);
    bySlug.set(record.meta.slug, record);
    lessons.push(record);
  }
  lessons.sort((a, b) => a.meta.order - b.meta.order);

  for (const lesson of lessons) {
    const seen = new Set<string>();
    for (const slug of lesson.meta.prerequisites) {
      const fail = (detail: string) =>
        new LessonContentError(lesson.mdxFile, `frontmatter field "prerequisites": ${detail}`, {
          field: "prerequisites",
        });
      if (seen.has(slug)) throw fail(`"${slug}" is listed twice`);
      seen.add(slug);
      const target = bySlug.get(slug);
      if (!target) throw fail(`no lesson has the slug "${slug}"${suggestion(slug, [...bySlug.keys()])}`);
      if (target === lesson) throw fail("a lesson cannot be its own prerequisite");
      if (target.meta.order > lesson.meta.order) {
        throw fail(`"${slug}" is lesson ${target.meta.order}; a prerequisite must come before this lesson (${lesson.meta.order})`);
      }
    }
  }
  return { lessons, bySlug };
}

/** Validates `data` against `schema`, or throws naming the file and the YAML path. */
function validateYaml<S extends z.ZodType>(
  schema: S,
  data: unknown,
  file: string,
  name: "exercises.yaml" | "quiz.yaml" | "scenario.yaml",
): z.output<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const report = reportIssue(parsed.error, data, (p) => (name === "scenario.yaml" ? [] : knownKeysAt(name, p)));
  const field = report.unknownKey ? (report.path ? `${report.path}.${report.unknownKey}` : report.unknownKey) : report.path;
  throw new LessonContentError(file, report.path ? `${report.path}: ${report.detail}` : report.detail, {
    field: field || undefined,
  });
}

async function readLesson(dir: string, prefix: number, slug: string, rel: (abs: string) => string): Promise<LessonRecord> {
  const present = new Set<string>();
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    if (!entry.isFile() || !(LESSON_FILES as readonly string[]).includes(entry.name)) {
      throw new LessonContentError(
        rel(path.join(dir, entry.name)),
        `unexpected ${entry.isFile() ? "file" : "entry"}${suggestion(entry.name, LESSON_FILES)}: a lesson folder holds ${LESSON_FILES.join(", ")}`,
      );
    }
    present.add(entry.name);
  }
  const mdxPath = path.join(dir, "lesson.mdx");
  const mdxFile = rel(mdxPath);
  if (!present.has("lesson.mdx")) {
    throw new LessonContentError(mdxFile, "missing: every lesson folder needs a lesson.mdx");
  }

  const source = await readFile(mdxPath, "utf8");
  const { frontmatter, body } = splitFrontmatter(source, mdxFile);
  const raw = parseYaml(frontmatter, mdxFile, 1);
  const parsed = frontmatterSchema.safeParse(raw);
  if (!parsed.success) {
    const report = reportIssue(parsed.error, raw, (p) => knownKeysAt("lesson.mdx", p));
    if (report.unknownKey) {
      throw new LessonContentError(mdxFile, `unknown frontmatter ${report.detail.replace(/^unknown /, "")}`, {
        field: report.unknownKey,
      });
    }
    if (report.path === "") throw new LessonContentError(mdxFile, `frontmatter: ${report.detail}`);
    throw new LessonContentError(mdxFile, `frontmatter field "${report.path}": ${report.detail}`, {
      field: report.path.replace(/\[\d+\]$/, ""),
    });
  }
  const fm = parsed.data;
  if (fm.order !== prefix) {
    throw new LessonContentError(
      mdxFile,
      `frontmatter field "order": expected ${prefix} (the number in the folder name "${path.basename(dir)}"), got ${fm.order}`,
      { field: "order" },
    );
  }

  const readData = async <S extends z.ZodType>(name: "exercises.yaml" | "quiz.yaml" | "scenario.yaml", schema: S) => {
    if (!present.has(name)) return null;
    const file = rel(path.join(dir, name));
    const text = await readFile(path.join(dir, name), "utf8");
    return validateYaml(schema, parseYaml(text, file), file, name);
  };
  const scenario = await readData("scenario.yaml", scenarioFileSchema);
  const exercises = (await readData("exercises.yaml", exercisesFileSchema)) ?? [];
  const quiz = await readData("quiz.yaml", quizFileSchema);

  const meta: LessonMeta = {
    slug,
    title: fm.title,
    summary: fm.summary,
    order: fm.order,
    minutes: fm.minutes,
    scenario: fm.scenario,
    prerequisites: fm.prerequisites,
    tags: fm.tags,
  };
  const compileKey = createHash("sha256")
    .update(JSON.stringify([mdxFile, body, exercises.map((e) => e.id), quiz !== null]))
    .digest("hex");
  return { meta, dir, mdxFile, body, data: { scenario, exercises, quiz }, compileKey };
}
