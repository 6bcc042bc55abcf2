import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getViewer, hasRole } from "@/lib/auth";
import { cohortTable, formatJoinCode, getPrisma, memberName, type LessonSummary } from "@/lib/db";
import { StatusBadge } from "../../_components/StatusBadge";
import { lessonNumber } from "../../_components/format";
import { courseOutline, loadCourse } from "../../dashboard/course";
import { date, exercisesFigure, progressSentence, quizFigure } from "../../dashboard/format";
import shared from "../../dashboard/dashboard.module.css";
import { DeleteCohortButton } from "../CohortActions";
import { JoinCode } from "../JoinCode";
import styles from "../cohorts.module.css";

export const metadata: Metadata = { title: "Cohort progress" };

type Props = { params: Promise<{ id: string }> };

/**
 * One cohort's learners × lessons. Anyone but its owner (or an admin) gets the 404 page, the
 * same as for an id that does not exist.
 */
export default async function CohortPage({ params }: Props) {
  const viewer = await getViewer();
  if (!hasRole(viewer, "instructor")) notFound();
  const course = await loadCourse();
  const table = await cohortTable(await getPrisma(), { learnerId: viewer.learnerId!, role: viewer.account.role }, (await params).id, courseOutline(course));
  if (!table) notFound();
  const { cohort, members } = table;
  const code = formatJoinCode(cohort.joinCode);
  const completedBy = course.map((_, i) => members.filter((m) => m.lessons[i].status === "completed").length);

  return (
    <div className={`container ${shared.page}`}>
      <nav aria-label="Breadcrumb">
        <Link href="/cohorts" className={styles.back}>
          ← All cohorts
        </Link>
      </nav>
      <header className={shared.head}>
        <div className={shared.headText}>
          <p className={shared.eyebrow}>Cohort</p>
          <h1 className={shared.title}>{cohort.name}</h1>
          <p className={styles.facts}>
            <JoinCode code={code} />
            <span>
              {members.length === 1 ? "1 learner" : `${members.length} learners`} · created {date(cohort.createdAt)}
              {viewer.account.role === "admin" ? ` · instructor ${memberName(cohort.owner)}` : ""}
            </span>
          </p>
        </div>
        <div className={shared.headLinks}>
          {members.length > 0 ? (
            <a href={`/api/cohorts/${cohort.id}/export`} className={shared.secondary} download>
              Download CSV
            </a>
          ) : null}
          <DeleteCohortButton cohortId={cohort.id} name={cohort.name} />
        </div>
      </header>

      <section className={shared.panel} aria-labelledby="table-title">
        <h2 id="table-title" className={shared.panelTitle}>
          Progress
        </h2>
        {members.length === 0 ? (
          <p className={shared.muted}>
            No one has joined yet. Give your learners the code <strong className={styles.inlineCode}>{code}</strong>: they
            enter it under Cohorts on their dashboard, and appear here.
          </p>
        ) : (
          <div className={`${shared.tableScroll} ${styles.matrixScroll}`} tabIndex={0} role="region" aria-labelledby="table-title">
            <table className={`${shared.table} ${styles.matrix}`}>
              <thead>
                <tr>
                  <th scope="col">Learner</th>
                  {course.map(({ meta }) => (
                    <th scope="col" key={meta.slug} title={meta.title}>
                      <span className={styles.colNumber}>{lessonNumber(meta.order)}</span>
                      <span className={styles.colTitle}>{meta.title}</span>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {members.map((member) => (
                  <tr key={member.learnerId}>
                    <th scope="row">
                      <span className={styles.learnerName}>{memberName(member)}</span>
                      {member.email && member.displayName ? <span className={styles.learnerEmail}>{member.email}</span> : null}
                    </th>
                    {member.lessons.map((summary) => (
                      <td key={summary.slug}>
                        <ProgressCell summary={summary} />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">Completed</th>
                  {completedBy.map((count, i) => (
                    <td key={course[i].meta.slug} className={styles.footCell}>
                      {count} of {members.length}
                    </td>
                  ))}
                </tr>
              </tfoot>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

function ProgressCell({ summary }: { summary: LessonSummary }) {
  return (
    <div className={styles.cell}>
      <StatusBadge status={summary.status} />
      <span className={styles.cellFigures}>
        <span aria-hidden="true">
          {summary.exercisesTotal > 0 ? `ex ${exercisesFigure(summary)}` : null}
          {summary.exercisesTotal > 0 && summary.hasQuiz ? " · " : null}
          {summary.hasQuiz ? `quiz ${quizFigure(summary)}` : null}
        </span>
        <span className="visually-hidden">{progressSentence(summary)}</span>
      </span>
    </div>
  );
}
