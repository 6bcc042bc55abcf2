import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getAdjacentLessons, getLesson, getLessonData, listLessons, type LessonMeta } from "@/lib/content";
import { publicExercises, publicQuiz } from "@/lib/content/public";
import { lessonCluster } from "@/lib/grading/lesson-cluster";
import { MdxContent } from "@/app/_components/mdx/MdxContent";
import { LessonPager } from "@/app/_components/lesson/LessonPager";
import { TerminalPane } from "@/app/_components/terminal/TerminalPane";
import { MarkStarted } from "@/app/_components/lesson/MarkStarted";
import { LessonProvider, type LessonContextValue } from "@/app/_components/lesson/LessonContext";
import { ArrowLeftIcon, ClockIcon, ClusterIcon } from "@/app/_components/icons";
import { lessonNumber } from "@/app/_components/format";
import { LessonToc } from "./LessonToc";
import { LessonWorkspace } from "./LessonWorkspace";
import styles from "./lesson.module.css";

type Props = { params: Promise<{ slug: string }> };

// Every lesson is compiled at build time (a malformed lesson fails the build); others are 404.
export const dynamicParams = false;

export async function generateStaticParams(): Promise<{ slug: string }[]> {
  const lessons = await listLessons();
  return lessons.map((lesson) => ({ slug: lesson.slug }));
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  const lesson = (await listLessons()).find((l) => l.slug === slug);
  if (!lesson) return {};
  return {
    title: lesson.title,
    description: lesson.summary,
    openGraph: { type: "article", title: lesson.title, description: lesson.summary },
  };
}

export default async function LessonPage({ params }: Props) {
  const { slug } = await params;
  const [lesson, lessons, adjacent, data] = await Promise.all([
    getLesson(slug),
    listLessons(),
    getAdjacentLessons(slug),
    getLessonData(slug),
  ]);
  if (!lesson) notFound();
  // Only public data goes to the browser: checks, solutions, answers and explanations stay here.
  // The same cluster the grader replays on (lib/grading/lesson-cluster).
  const { scenario, seed, spec } = lessonCluster(lesson, data);
  const context: LessonContextValue = {
    slug: lesson.slug,
    scenario,
    seed,
    ...(spec ? { spec } : {}),
    sessionKey: `lesson:${lesson.slug}`,
    exercises: publicExercises(data),
    quiz: publicQuiz(data),
  };

  const bySlug = new Map(lessons.map((l) => [l.slug, l]));
  const prerequisites = lesson.prerequisites.map((s) => ({ slug: s, meta: bySlug.get(s) }));

  return (
    <LessonProvider value={context}>
      <div className={styles.page}>
        <MarkStarted slug={lesson.slug} />
        <LessonWorkspace
          prose={
            <>
              <header className={styles.header}>
                <Link href="/#lessons" className={styles.back}>
                  <ArrowLeftIcon /> All lessons
                </Link>
                <p className={styles.eyebrow}>
                  Lesson <span className={styles.eyebrowNum}>{lessonNumber(lesson.order)}</span>
                </p>
                <h1 id="lesson-title" className={styles.title}>{lesson.title}</h1>
                <p className={styles.summary}>{lesson.summary}</p>
                <dl className={styles.facts}>
                  <div>
                    <dt>
                      <ClockIcon /> Time
                    </dt>
                    <dd>
                      about {lesson.minutes} min<span className="visually-hidden">utes</span>
                    </dd>
                  </div>
                  <div>
                    <dt>
                      <ClusterIcon /> Cluster
                    </dt>
                    <dd>
                      <code>{lesson.scenario}</code>
                    </dd>
                  </div>
                  <div>
                    <dt>
                      <PrereqIcon /> Before this
                    </dt>
                    <dd>
                      {prerequisites.length === 0 ? (
                        "No prerequisites"
                      ) : (
                        <ul className={styles.prereqs}>
                          {prerequisites.map(({ slug: s, meta }) => (
                            <li key={s}>{meta ? <PrereqLink meta={meta} /> : s}</li>
                          ))}
                        </ul>
                      )}
                    </dd>
                  </div>
                </dl>
              </header>

              <LessonToc toc={lesson.toc} />

              <article className={styles.prose} aria-labelledby="lesson-title">
                <MdxContent code={lesson.code} />
              </article>
            </>
          }
          pager={
            <footer>
              <LessonPager previous={adjacent.previous} next={adjacent.next} />
            </footer>
          }
          terminal={<TerminalPane scenario={scenario} seed={seed} lessonSlug={lesson.slug} spec={spec} />}
        />
      </div>
    </LessonProvider>
  );
}

function PrereqLink({ meta }: { meta: LessonMeta }) {
  return (
    <Link href={`/lessons/${meta.slug}`}>
      <span className={styles.prereqNum}>{lessonNumber(meta.order)}</span> {meta.title}
    </Link>
  );
}

function PrereqIcon() {
  return (
    <svg
      width="16"
      height="16"
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d="M2.75 3.25h4a1.5 1.5 0 0 1 1.25.7 1.5 1.5 0 0 1 1.25-.7h4v9h-4a1.5 1.5 0 0 0-1.25.7 1.5 1.5 0 0 0-1.25-.7h-4z" />
      <path d="M8 3.95v9" />
    </svg>
  );
}
