import type { TocEntry } from "@/lib/content";
import { ListIcon } from "../icons";
import { TocLinks } from "./TocLinks";
import styles from "./TableOfContents.module.css";

/**
 * "On this page": a sticky list beside the prose on wide screens, a collapsible <details>
 * above it on narrow ones. Only one of the two is displayed at a time.
 */
export function TableOfContents({ toc }: { toc: TocEntry[] }) {
  if (toc.length === 0) return null;
  return (
    <>
      <nav aria-labelledby="toc-title-wide" className={styles.wide}>
        <p id="toc-title-wide" className={styles.heading}>
          On this page
        </p>
        <TocLinks items={toc} />
      </nav>
      <nav aria-labelledby="toc-title-narrow" className={styles.narrow}>
        <details className={styles.details}>
          <summary className={styles.summary}>
            <ListIcon />
            <span id="toc-title-narrow">On this page</span>
            <span className={styles.count}>
              {toc.length} {toc.length === 1 ? "section" : "sections"}
            </span>
          </summary>
          <TocLinks items={toc} />
        </details>
      </nav>
    </>
  );
}
