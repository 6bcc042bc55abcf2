import Link from "next/link";
import type { LessonMeta } from "@/lib/content";
import { getViewer } from "@/lib/auth";
import { getPrisma, progressSummaries, type LessonSummary, type ProgressStatus } from "@/lib/db";
import { NetworkArt } from "./_components/NetworkArt";
import { StatusBadge } from "./_components/StatusBadge";
import { ClockIcon, ClusterIcon, ArrowIcon } from "./_components/icons";
import { lessonNumber } from "./_components/format";
import { courseOutline, loadCourse } from "./dashboard/course";
import { exercisesFigure, quizFigure } from "./dashboard/format";
import styles from "./page.module.css";

export default async function HomePage() {
  const [course, viewer, prisma] = await Promise.all([loadCourse(), getViewer(), getPrisma()]);
  const lessons = course.map((c) => c.meta);
  const outline = courseOutline(course);
  // The same figures as the dashboard: one query set for the visitor, all-zero for a new one.
  const summaries = viewer.learnerId ? (await progressSummaries(prisma, [viewer.learnerId], outline)).get(viewer.learnerId)! : null;
  const summaryOf = (slug: string): LessonSummary | undefined => summaries?.find((s) => s.slug === slug);
  const statusOf = (slug: string): ProgressStatus => summaryOf(slug)?.status ?? "not-started";

  const started = lessons.filter((l) => statusOf(l.slug) !== "not-started").length;
  const completed = lessons.filter((l) => statusOf(l.slug) === "completed").length;
  const next = pickNext(lessons, statusOf);

  return (
    <>
      <section className={styles.hero} aria-labelledby="hero-title">
        <div className={`container ${styles.heroInner}`}>
          <div className={styles.heroText}>
            <p className={styles.eyebrow}>Kubernetes networking, hands-on</p>
            <h1 id="hero-title" className={styles.title}>
              Learn how packets really move through a cluster.
            </h1>
            <p className={styles.lead}>
              netlab pairs short lessons with a real multi-node Kubernetes cluster that runs
              entirely in your browser tab. Type <code>kubectl</code>, <code>ip route</code>,{" "}
              <code>iptables-save</code> or <code>curl</code> and watch Services, DNS and the CNI
              answer as they would on real machines.
            </p>
            <ul className={styles.points}>
              <li>
                <CheckIcon /> No VM, no install, no cloud account
              </li>
              <li>
                <CheckIcon /> No login wall — your progress is kept as a guest
              </li>
              <li>
                <CheckIcon /> Exercises checked against the cluster&apos;s real state
              </li>
            </ul>
            {next ? (
              <div className={styles.actions}>
                <Link href={`/lessons/${next.lesson.slug}`} className={styles.primary}>
                  {next.label}
                  <ArrowIcon />
                </Link>
                <a href="#lessons" className={styles.secondary}>
                  Browse all lessons
                </a>
              </div>
            ) : null}
          </div>
          <div className={styles.heroArt}>
            <NetworkArt />
          </div>
        </div>
      </section>

      <section id="lessons" className={`container ${styles.catalog}`} aria-labelledby="lessons-title">
        <div className={styles.catalogHead}>
          <div>
            <h2 id="lessons-title" className={styles.sectionTitle}>
              Lessons
            </h2>
            <p className={styles.sectionLead}>
              Each lesson starts from its own cluster scenario. Take them in order, or jump to the one
              you need.
            </p>
          </div>
          {lessons.length > 0 ? (
            <div className={styles.overall}>
              <p>
                <strong>
                  {started} of {lessons.length}
                </strong>{" "}
                lessons started
                <span className={styles.overallSep} aria-hidden="true">
                  ·
                </span>
                <span className={styles.overallDone}>{completed} completed</span>
              </p>
              <div className={styles.meter} aria-hidden="true">
                <span
                  className={styles.meterStarted}
                  style={{ width: `${(started / lessons.length) * 100}%` }}
                />
                <span
                  className={styles.meterDone}
                  style={{ width: `${(completed / lessons.length) * 100}%` }}
                />
              </div>
              <Link href="/dashboard" className={styles.dashboardLink}>
                Your progress in detail
                <ArrowIcon />
              </Link>
            </div>
          ) : null}
        </div>

        {lessons.length === 0 ? (
          <p className={styles.empty}>The first lessons are being written. Check back soon.</p>
        ) : (
          <ol className={styles.list}>
            {lessons.map((lesson) => (
              <li key={lesson.slug}>
                <LessonCard lesson={lesson} status={statusOf(lesson.slug)} summary={summaryOf(lesson.slug)} />
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}

function LessonCard({ lesson, status, summary }: { lesson: LessonMeta; status: ProgressStatus; summary?: LessonSummary }) {
  const number = lessonNumber(lesson.order);
  return (
    <article className={styles.card} data-status={status}>
      <p className={styles.number} aria-hidden="true">
        {number}
      </p>
      <div className={styles.cardBody}>
        <h3 className={styles.cardTitle}>
          <Link href={`/lessons/${lesson.slug}`} className={styles.cardLink}>
            <span className="visually-hidden">Lesson {lesson.order}: </span>
            {lesson.title}
          </Link>
        </h3>
        <p className={styles.summary}>{lesson.summary}</p>
        <ul className={styles.meta}>
          <li>
            <ClockIcon />
            <span>
              {lesson.minutes} min<span className="visually-hidden">utes</span>
            </span>
          </li>
          <li>
            <ClusterIcon />
            <span className="visually-hidden">Cluster scenario: </span>
            <code className={styles.scenario}>{lesson.scenario}</code>
          </li>
          {lesson.tags.slice(0, 4).map((tag) => (
            <li key={tag} className={styles.tag}>
              {tag}
            </li>
          ))}
        </ul>
      </div>
      <div className={styles.cardStatus}>
        <StatusBadge status={status} />
        {summary ? <LessonFigures summary={summary} /> : null}
      </div>
    </article>
  );
}

/** Exercises passed and the best quiz score: the dashboard's figures, on the card. */
function LessonFigures({ summary }: { summary: LessonSummary }) {
  if (summary.exercisesTotal === 0 && !summary.hasQuiz) return null;
  return (
    <dl className={styles.figures}>
      {summary.exercisesTotal > 0 ? (
        <div>
          <dt>Exercises passed</dt>
          <dd>{exercisesFigure(summary)}</dd>
        </div>
      ) : null}
      {summary.hasQuiz ? (
        <div>
          <dt>Best quiz</dt>
          <dd>{quizFigure(summary)}</dd>
        </div>
      ) : null}
    </dl>
  );
}

function pickNext(
  lessons: LessonMeta[],
  statusOf: (slug: string) => ProgressStatus,
): { lesson: LessonMeta; label: string } | null {
  if (lessons.length === 0) return null;
  const inProgress = lessons.find((l) => statusOf(l.slug) === "started");
  if (inProgress) return { lesson: inProgress, label: `Continue lesson ${inProgress.order}` };
  const fresh = lessons.find((l) => statusOf(l.slug) === "not-started");
  if (fresh) {
    const first = fresh === lessons[0];
    return { lesson: fresh, label: first ? "Start the first lesson" : `Start lesson ${fresh.order}` };
  }
  return { lesson: lessons[0], label: "Review from lesson 1" };
}

function CheckIcon() {
  return (
    <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false" className={styles.pointIcon}>
      <path
        d="m3.5 8.5 3 3 6-7"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
