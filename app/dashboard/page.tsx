import type { Metadata } from "next";
import Link from "next/link";
import { getViewer } from "@/lib/auth";
import { getPrisma, learnerDashboard, listMemberships, QUIZ_PASS_SCORE, type Activity, type LessonSummary } from "@/lib/db";
import { StatusBadge } from "../_components/StatusBadge";
import { lessonNumber } from "../_components/format";
import { JoinCohortForm, LeaveCohortButton } from "./CohortForms";
import { courseOutline, loadCourse, type CourseEntry } from "./course";
import { date, dateTime, exercisesFigure, percent, progressSentence, quizFigure, relativeTime } from "./format";
import { ProgressChart } from "./ProgressChart";
import styles from "./dashboard.module.css";

export const metadata: Metadata = { title: "Your progress" };

export default async function DashboardPage() {
  const [viewer, course, prisma] = await Promise.all([getViewer(), loadCourse(), getPrisma()]);
  const now = new Date();
  const { lessons, recent, history } = await learnerDashboard(prisma, viewer.learnerId, courseOutline(course), { now });
  const memberships = viewer.account && viewer.learnerId ? await listMemberships(prisma, viewer.learnerId) : [];
  const role = viewer.account?.role;

  const completed = lessons.filter((l) => l.status === "completed").length;
  const exercisesPassed = sum(lessons.map((l) => l.exercisesPassed));
  const exercisesTotal = sum(lessons.map((l) => l.exercisesTotal));
  const quizzes = lessons.filter((l) => l.hasQuiz);
  const quizzesPassed = quizzes.filter((l) => (l.quizBest ?? 0) >= QUIZ_PASS_SCORE).length;

  return (
    <div className={`container ${styles.page}`}>
      <header className={styles.head}>
        <div className={styles.headText}>
          <p className={styles.eyebrow}>Dashboard</p>
          <h1 className={styles.title}>Your progress</h1>
          <p className={styles.lead}>
            {viewer.account ? (
              <>
                Signed in as <strong>{viewer.account.displayName || viewer.account.email}</strong>.
              </>
            ) : (
              "Every Check and quiz you submit is graded on the server and counted here."
            )}
          </p>
        </div>
        {role === "instructor" || role === "admin" ? (
          <nav aria-label="Teaching" className={styles.headLinks}>
            <Link href="/cohorts" className={styles.secondary}>
              Your cohorts
            </Link>
            {role === "admin" ? (
              <Link href="/admin" className={styles.secondary}>
                Accounts
              </Link>
            ) : null}
          </nav>
        ) : null}
      </header>

      {viewer.account ? null : (
        <aside className={styles.guest} aria-labelledby="guest-title">
          <div>
            <h2 id="guest-title" className={styles.guestTitle}>
              Create an account to keep it
            </h2>
            <p>
              You are learning as a guest: this progress lives in this browser only. Sign up and it
              moves to your account, so you find it on any device.
            </p>
          </div>
          <div className={styles.guestActions}>
            <Link href="/signup?next=/dashboard" className={styles.primary}>
              Create an account
            </Link>
            <Link href="/signin?next=/dashboard" className={styles.secondary}>
              Sign in
            </Link>
          </div>
        </aside>
      )}

      <section aria-labelledby="totals-title">
        <h2 id="totals-title" className="visually-hidden">
          Totals
        </h2>
        <dl className={styles.stats}>
          <Stat label="Lessons completed" value={completed} total={lessons.length} />
          <Stat label="Exercises passed" value={exercisesPassed} total={exercisesTotal} />
          <Stat label={`Quizzes passed (${percent(QUIZ_PASS_SCORE)} or more)`} value={quizzesPassed} total={quizzes.length} />
        </dl>
      </section>

      <div className={styles.columns}>
        <div className={styles.mainColumn}>
          <section className={styles.panel} aria-labelledby="lessons-title">
            <h2 id="lessons-title" className={styles.panelTitle}>
              Lessons
            </h2>
            <LessonTable course={course} lessons={lessons} />
          </section>

          <section className={styles.panel} aria-labelledby="chart-heading">
            <h2 id="chart-heading" className={styles.panelTitle}>
              Progress over time
            </h2>
            <ProgressChart history={history} exercisesTotal={exercisesTotal} lessonsTotal={lessons.length} />
          </section>
        </div>

        <div className={styles.sideColumn}>
          <section className={styles.panel} aria-labelledby="activity-title">
            <h2 id="activity-title" className={styles.panelTitle}>
              Recent activity
            </h2>
            {recent.length === 0 ? (
              <p className={styles.muted}>Nothing yet. Press Check on an exercise or submit a quiz, and it shows up here.</p>
            ) : (
              <ol className={styles.activity}>
                {recent.map((item) => (
                  <ActivityItem key={item.id} item={item} course={course} now={now} />
                ))}
              </ol>
            )}
          </section>

          <section className={styles.panel} aria-labelledby="cohorts-title">
            <h2 id="cohorts-title" className={styles.panelTitle}>
              Cohorts
            </h2>
            {viewer.account ? (
              <>
                {memberships.length > 0 ? (
                  <ul className={styles.memberships}>
                    {memberships.map((m) => (
                      <li key={m.cohortId}>
                        <div>
                          <p className={styles.membershipName}>{m.name}</p>
                          <p className={styles.muted}>
                            {m.ownerName ? `${m.ownerName} · ` : ""}joined {date(m.joinedAt)}
                          </p>
                        </div>
                        <LeaveCohortButton cohortId={m.cohortId} name={m.name} />
                      </li>
                    ))}
                  </ul>
                ) : (
                  <p className={styles.muted}>Your instructor can follow your progress once you join their cohort.</p>
                )}
                <JoinCohortForm />
              </>
            ) : (
              <p className={styles.muted}>
                Joining an instructor&apos;s cohort needs an account, so they can see who you are.{" "}
                <Link href="/signup?next=/dashboard">Create one</Link>, then enter the join code here.
              </p>
            )}
          </section>
        </div>
      </div>
    </div>
  );
}

function Stat({ label, value, total }: { label: string; value: number; total: number }) {
  return (
    <div className={styles.stat}>
      <dt>{label}</dt>
      <dd>
        <span className={styles.statValue}>{value}</span>
        <span className={styles.statTotal}> of {total}</span>
        <span className={styles.statMeter} aria-hidden="true">
          <span style={{ width: `${total === 0 ? 0 : (value / total) * 100}%` }} />
        </span>
      </dd>
    </div>
  );
}

function LessonTable({ course, lessons }: { course: CourseEntry[]; lessons: LessonSummary[] }) {
  if (lessons.length === 0) return <p className={styles.muted}>The first lessons are being written. Check back soon.</p>;
  return (
    <div className={styles.tableScroll}>
      <table className={`${styles.table} ${styles.stack}`}>
        <thead>
          <tr>
            <th scope="col">Lesson</th>
            <th scope="col">Status</th>
            <th scope="col" className={styles.num}>
              Exercises
            </th>
            <th scope="col" className={styles.num}>
              Best quiz
            </th>
          </tr>
        </thead>
        <tbody>
          {lessons.map((summary, i) => {
            const { meta } = course[i];
            return (
              <tr key={summary.slug}>
                <th scope="row">
                  <Link href={`/lessons/${meta.slug}`} className={styles.lessonLink}>
                    <span className={styles.lessonNumber}>{lessonNumber(meta.order)}</span> {meta.title}
                  </Link>
                </th>
                <td data-label="Status">
                  <StatusBadge status={summary.status} />
                </td>
                <td className={styles.num} data-label="Exercises passed" title={progressSentence(summary)}>
                  {exercisesFigure(summary)}
                  {summary.exercisesTotal > 0 ? <span className="visually-hidden"> passed</span> : null}
                </td>
                <td className={styles.num} data-label="Best quiz">
                  {quizFigure(summary)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function ActivityItem({ item, course, now }: { item: Activity; course: CourseEntry[]; now: Date }) {
  const entry = course.find((c) => c.meta.slug === item.lessonSlug);
  const lesson = entry ? entry.meta.title : item.lessonSlug;
  const what =
    item.kind === "exercise"
      ? (entry?.exercises.find((e) => e.id === item.exerciseId)?.title ?? item.exerciseId)
      : `Quiz: ${item.correct}/${item.total} (${percent(item.score)})`;
  const verdict = item.kind === "exercise" ? (item.passed ? "Passed" : "Not passed yet") : item.passed ? "Passed" : `Below ${percent(QUIZ_PASS_SCORE)}`;
  return (
    <li className={styles.activityItem} data-passed={item.passed}>
      <span className={styles.verdictIcon} aria-hidden="true">
        {item.passed ? "✓" : "✗"}
      </span>
      <div className={styles.activityBody}>
        <p>
          <span className={styles.verdict}>{verdict}</span>
          <span className="visually-hidden">: </span> <span className={styles.activityWhat}>{what}</span>
        </p>
        <p className={styles.muted}>
          {item.kind === "exercise" ? "Exercise" : "Quiz"} in {lesson} ·{" "}
          <time dateTime={item.at.toISOString()} title={dateTime(item.at)}>
            {relativeTime(item.at, now)}
          </time>
        </p>
      </div>
    </li>
  );
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
