import type { Metadata } from "next";
import Link from "next/link";
import { listLessons } from "@/lib/content";
import { lessonNumber } from "./_components/format";
import styles from "./status.module.css";

export const metadata: Metadata = { title: "Page not found" };

export default async function NotFound() {
  const lessons = await listLessons().catch(() => []);
  return (
    <div className={`container ${styles.wrap}`}>
      <div className={styles.panel}>
        <div className={styles.terminal} aria-hidden="true">
          <p>
            <span className={styles.prompt}>$</span> curl -sI https://netlab/…
          </p>
          <p className={styles.err}>HTTP/1.1 404 Not Found</p>
        </div>
        <p className={styles.code}>404</p>
        <h1 className={styles.title}>This page isn&apos;t on the network</h1>
        <p className={styles.text}>
          The address may be mistyped, or the page may have moved. Every lesson is listed in the
          catalog.
        </p>
        <div className={styles.actions}>
          <Link href="/#lessons" className={styles.primary}>
            Browse the lessons
          </Link>
          <Link href="/" className={styles.secondary}>
            Home page
          </Link>
        </div>
        {lessons.length > 0 ? (
          <nav aria-labelledby="nf-lessons" className={styles.suggest}>
            <h2 id="nf-lessons" className={styles.suggestTitle}>
              Lessons
            </h2>
            <ul>
              {lessons.slice(0, 6).map((l) => (
                <li key={l.slug}>
                  <Link href={`/lessons/${l.slug}`}>
                    <span className={styles.num}>{lessonNumber(l.order)}</span> {l.title}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
      </div>
    </div>
  );
}
