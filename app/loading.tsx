import styles from "./status.module.css";

export default function Loading() {
  return (
    <div className={`container ${styles.loading}`} role="status">
      <span className={styles.loadingDots} aria-hidden="true">
        <span />
        <span />
        <span />
      </span>
      <span className="visually-hidden">Loading…</span>
    </div>
  );
}
