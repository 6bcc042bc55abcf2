import type { HTMLAttributes, ReactNode, Ref } from "react";
import styles from "./Terminal.module.css";

export type FrameState = "loading" | "booting" | "restoring" | "ready" | "running" | "failed";

const STATE_LABEL: Record<FrameState, string> = {
  loading: "Loading",
  booting: "Starting",
  restoring: "Restoring",
  ready: "Running",
  running: "Running",
  failed: "Stopped",
};

/**
 * The terminal's chrome: a title bar with the cluster's name and the actions, the screen, and a
 * status line with the keyboard hint. Rendered alone (with an empty screen) while the terminal's
 * code loads, so the page does not shift when it arrives.
 */
export function TerminalFrame({
  host = "controlplane",
  scenario,
  seed,
  state,
  message,
  hint,
  actions,
  children,
  statusRef,
  statusProps,
  screenProps,
  className,
}: {
  /** The host the shell is on (the prompt's), shown in the title bar. */
  host?: string;
  scenario: string;
  seed: number;
  state: FrameState;
  /** Shown over the screen while the cluster starts (or failed). */
  message?: string | null;
  hint: ReactNode;
  actions?: ReactNode;
  children?: ReactNode;
  statusRef?: Ref<HTMLDivElement>;
  statusProps?: HTMLAttributes<HTMLDivElement>;
  screenProps?: HTMLAttributes<HTMLDivElement>;
  className?: string;
}) {
  return (
    <section className={[styles.pane, className].filter(Boolean).join(" ")} aria-label={`Terminal on the ${scenario} cluster`} data-state={state}>
      <div className={styles.bar}>
        <span className={styles.light} data-state={state} aria-hidden="true" />
        <p className={styles.title}>
          <span className={styles.hostname}>{host}</span>
          <span className={styles.sep} aria-hidden="true">
            ·
          </span>
          <span className={styles.scenario}>{scenario}</span>
          <span className={styles.seed}>seed {seed}</span>
          <span className="visually-hidden">, {STATE_LABEL[state]}</span>
        </p>
        <div className={styles.actions}>{actions}</div>
      </div>
      <div className={styles.screen} {...screenProps}>
        {children}
        {message ? (
          <div className={styles.overlay} role="status" aria-live="polite">
            {state === "failed" ? null : <span className={styles.spinner} aria-hidden="true" />}
            <span>{message}</span>
          </div>
        ) : null}
      </div>
      <div className={styles.status} ref={statusRef} tabIndex={-1} {...statusProps}>
        {hint}
      </div>
    </section>
  );
}
