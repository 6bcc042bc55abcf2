import type { TocEntry } from "@/lib/content";
import { ListIcon } from "@/app/_components/icons";
import { TocLinks } from "@/app/_components/lesson/TocLinks";
import styles from "./lesson.module.css";

/**
 * "On this page" as a collapsible above the prose, at every width: on wide screens the right
 * column belongs to the terminal.
 */
export function LessonToc({ toc }: { toc: TocEntry[] }) {
  if (toc.length === 0) return null;
  return (
    <nav aria-labelledby="toc-title" className={styles.tocNav}>
      <details className={styles.tocDetails}>
        <summary className={styles.tocSummary}>
          <ListIcon />
          <span id="toc-title">On this page</span>
          <span className={styles.tocCount}>
            {toc.length} {toc.length === 1 ? "section" : "sections"}
          </span>
        </summary>
        <div className={styles.tocBody}>
          <TocLinks items={toc} />
        </div>
      </details>
    </nav>
  );
}
