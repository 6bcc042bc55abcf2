import type { ReactNode } from "react";
import styles from "./Callout.module.css";

export type CalloutType = "note" | "warning" | "tip";

const DEFAULT_TITLE: Record<CalloutType, string> = {
  note: "Note",
  warning: "Warning",
  tip: "Tip",
};

/** An aside in a lesson: <Callout type="note|warning|tip" title="…">…</Callout>. */
export function Callout({
  type = "note",
  title,
  children,
}: {
  type?: CalloutType;
  title?: string;
  children?: ReactNode;
}) {
  const kind: CalloutType = type in DEFAULT_TITLE ? type : "note";
  const label = DEFAULT_TITLE[kind];
  return (
    <div className={styles.callout} data-type={kind} role="note">
      <p className={styles.title}>
        <CalloutIcon type={kind} />
        {title ? (
          <>
            <span className="visually-hidden">{label}: </span>
            {title}
          </>
        ) : (
          label
        )}
      </p>
      <div className={styles.body}>{children}</div>
    </div>
  );
}

function CalloutIcon({ type }: { type: CalloutType }) {
  const props = {
    width: 18,
    height: 18,
    viewBox: "0 0 18 18",
    fill: "none",
    stroke: "currentColor",
    strokeWidth: 1.6,
    strokeLinecap: "round",
    strokeLinejoin: "round",
    "aria-hidden": true,
    focusable: false,
    className: styles.icon,
  } as const;
  if (type === "warning") {
    return (
      <svg {...props}>
        <path d="M9 2.5 16.25 15H1.75z" />
        <path d="M9 7.25v3.5M9 13h.01" />
      </svg>
    );
  }
  if (type === "tip") {
    return (
      <svg {...props}>
        <path d="M6.75 13.5h4.5M7.25 16h3.5" />
        <path d="M9 2a5 5 0 0 0-3 9c.5.4.75.9.75 1.5h4.5c0-.6.25-1.1.75-1.5a5 5 0 0 0-3-9z" />
      </svg>
    );
  }
  return (
    <svg {...props}>
      <circle cx="9" cy="9" r="7.25" />
      <path d="M9 8.25V12.5M9 5.5h.01" />
    </svg>
  );
}
