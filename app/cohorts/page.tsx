import type { Metadata } from "next";
import Link from "next/link";
import { getViewer, hasRole } from "@/lib/auth";
import { formatJoinCode, getPrisma, listCohorts, memberName } from "@/lib/db";
import { date } from "../dashboard/format";
import shared from "../dashboard/dashboard.module.css";
import { CreateCohortForm } from "./CohortActions";
import { JoinCode } from "./JoinCode";
import styles from "./cohorts.module.css";

export const metadata: Metadata = { title: "Cohorts" };

export default async function CohortsPage() {
  const viewer = await getViewer();
  if (!hasRole(viewer, "instructor")) return <NotAnInstructor signedIn={viewer.account !== null} />;
  const isAdmin = viewer.account.role === "admin";
  const cohorts = await listCohorts(await getPrisma(), { learnerId: viewer.learnerId!, role: viewer.account.role });

  return (
    <div className={`container ${shared.page}`}>
      <header className={shared.head}>
        <div className={shared.headText}>
          <p className={shared.eyebrow}>Teaching</p>
          <h1 className={shared.title}>{isAdmin ? "All cohorts" : "Your cohorts"}</h1>
          <p className={shared.lead}>
            A cohort is a group of learners you follow. Create one, give its join code to your learners, and
            they enter it on their dashboard.
          </p>
        </div>
      </header>

      <section className={shared.panel} aria-labelledby="create-title">
        <h2 id="create-title" className="visually-hidden">
          Create a cohort
        </h2>
        <CreateCohortForm />
      </section>

      <section className={shared.panel} aria-labelledby="list-title">
        <h2 id="list-title" className={shared.panelTitle}>
          {cohorts.length === 1 ? "1 cohort" : `${cohorts.length} cohorts`}
        </h2>
        {cohorts.length === 0 ? (
          <p className={shared.muted}>No cohorts yet. The first one takes a name and a click.</p>
        ) : (
          <div className={shared.tableScroll}>
            <table className={`${shared.table} ${shared.stack}`}>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Join code</th>
                  <th scope="col" className={shared.num}>
                    Learners
                  </th>
                  {isAdmin ? <th scope="col">Instructor</th> : null}
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {cohorts.map((cohort) => (
                  <tr key={cohort.id}>
                    <th scope="row">
                      <Link href={`/cohorts/${cohort.id}`} className={styles.cohortLink}>
                        {cohort.name}
                      </Link>
                    </th>
                    <td data-label="Join code">
                      <JoinCode code={formatJoinCode(cohort.joinCode)} />
                    </td>
                    <td className={shared.num} data-label="Learners">
                      {cohort.memberCount}
                    </td>
                    {isAdmin ? <td data-label="Instructor">{memberName(cohort.owner)}</td> : null}
                    <td className={styles.nowrap} data-label="Created">
                      {date(cohort.createdAt)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

/** What a learner or a guest finds here: how cohorts work for them, and where to go instead. */
function NotAnInstructor({ signedIn }: { signedIn: boolean }) {
  return (
    <div className={`container ${shared.page}`}>
      <header className={shared.headText}>
        <p className={shared.eyebrow}>Teaching</p>
        <h1 className={shared.title}>Cohorts</h1>
        <p className={shared.lead}>
          Cohorts are created by instructors. To join one, enter the code your instructor gave you on your
          dashboard{signedIn ? "." : " after you create an account."}
        </p>
      </header>
      <div className={shared.headLinks}>
        <Link href="/dashboard" className={shared.primary}>
          Go to your dashboard
        </Link>
        {signedIn ? null : (
          <Link href="/signin?next=/cohorts" className={shared.secondary}>
            Sign in as an instructor
          </Link>
        )}
      </div>
    </div>
  );
}
