import type { ComponentPropsWithoutRef } from "react";
import styles from "./Prose.module.css";

/** Wide tables scroll sideways inside their own box instead of widening the page. */
export function Table(props: ComponentPropsWithoutRef<"table">) {
  return (
    <div className={styles.tableWrap} role="region" aria-label="Scrollable table" tabIndex={0}>
      <table {...props} />
    </div>
  );
}
