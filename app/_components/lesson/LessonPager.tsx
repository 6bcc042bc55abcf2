import Link from "next/link";
import type { LessonMeta } from "@/lib/content";
import { ArrowIcon, ArrowLeftIcon } from "../icons";
import { lessonNumber } from "../format";
import styles from "./LessonPager.module.css";

export function LessonPager({
  previous,
  next,
}: {
  previous: LessonMeta | null;
  next: LessonMeta | null;
}) {
  return (
    <nav aria-label="Previous and next lesson" className={styles.pager}>
      {previous ? (
        <Link href={`/lessons/${previous.slug}`} className={styles.link} rel="prev">
          <span className={styles.dir}>
            <ArrowLeftIcon /> Previous
          </span>
          <span className={styles.title}>
            <span className={styles.num}>{lessonNumber(previous.order)}</span> {previous.title}
          </span>
        </Link>
      ) : (
        <span aria-hidden="true" />
      )}
      {next ? (
        <Link href={`/lessons/${next.slug}`} className={`${styles.link} ${styles.next}`} rel="next">
          <span className={styles.dir}>
            Next <ArrowIcon />
          </span>
          <span className={styles.title}>
            <span className={styles.num}>{lessonNumber(next.order)}</span> {next.title}
          </span>
        </Link>
      ) : (
        <Link href="/#lessons" className={`${styles.link} ${styles.next}`}>
          <span className={styles.dir}>
            All lessons <ArrowIcon />
          </span>
          <span className={styles.title}>That&apos;s the last lesson so far. Back to the catalog</span>
        </Link>
      )}
    </nav>
  );
}
