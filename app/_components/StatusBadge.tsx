import type { ProgressStatus } from "@/lib/progress";
import styles from "./StatusBadge.module.css";

export const STATUS_LABEL: Record<ProgressStatus, string> = {
  "not-started": "Not started",
  started: "In progress",
  completed: "Completed",
};

/** A lesson's progress as an icon and words, so it never relies on colour alone. */
export function StatusBadge({ status }: { status: ProgressStatus }) {
  return (
    <span className={styles.badge} data-status={status}>
      <StatusIcon status={status} />
      <span>{STATUS_LABEL[status]}</span>
    </span>
  );
}

function StatusIcon({ status }: { status: ProgressStatus }) {
  const common = {
    width: 16,
    height: 16,
    viewBox: "0 0 16 16",
    "aria-hidden": true,
    focusable: false,
    className: styles.icon,
  } as const;
  switch (status) {
    case "completed":
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="7" fill="currentColor" />
          <path
            d="m4.8 8.2 2.1 2.1 4.3-4.5"
            fill="none"
            stroke="var(--surface)"
            strokeWidth="1.8"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </svg>
      );
    case "started":
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="6.25" fill="none" stroke="currentColor" strokeWidth="1.5" />
          <path d="M8 3.5a4.5 4.5 0 0 1 0 9z" fill="currentColor" />
        </svg>
      );
    default:
      return (
        <svg {...common}>
          <circle
            cx="8"
            cy="8"
            r="6.25"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.5"
            strokeDasharray="2.6 2.3"
          />
        </svg>
      );
  }
}
