import Link from "next/link";
import type { ReactNode } from "react";
import { LogoMark } from "@/app/_components/Logo";
import styles from "./auth.module.css";

/**
 * The frame of the sign-in and sign-up pages: the form on a card, and beside it (on wide
 * screens) what an account is for.
 */
export function AuthShell({ title, lead, children, footer }: { title: string; lead: string; children: ReactNode; footer: ReactNode }) {
  return (
    <div className={styles.page}>
      <div className={`container ${styles.inner}`}>
        <section className={styles.card} aria-labelledby="auth-title">
          <LogoMark size={36} />
          <h1 id="auth-title" className={styles.title}>{title}</h1>
          <p className={styles.lead}>{lead}</p>
          {children}
          <p className={styles.footer}>{footer}</p>
        </section>
        <aside className={styles.aside} aria-label="What an account keeps">
          <div className={styles.terminal} aria-hidden="true">
            <p><span className={styles.prompt}>$</span> netlab progress</p>
            <p><span className={styles.done}>✓</span> 01  network namespaces   <span className={styles.dim}>completed</span></p>
            <p><span className={styles.done}>✓</span> 02  cluster anatomy      <span className={styles.dim}>completed</span></p>
            <p><span className={styles.now}>●</span> 03  workloads and labels <span className={styles.dim}>quiz 4/5</span></p>
          </div>
          <ul className={styles.points}>
            <li>
              <strong>Your progress follows you.</strong> Lessons, exercises and quiz scores are kept
              on the server, not in one browser.
            </li>
            <li>
              <strong>Nothing done as a guest is lost.</strong> What you did before signing in is
              added to your account.
            </li>
            <li>
              <strong>Learn with a group.</strong> Join an instructor&apos;s cohort with a code from
              your dashboard.
            </li>
          </ul>
        </aside>
      </div>
    </div>
  );
}

/** A link to the other auth page that carries the destination along. */
export function SwitchLink({ to, next, children }: { to: "/signin" | "/signup"; next: string; children: ReactNode }) {
  return <Link href={{ pathname: to, query: { next } }}>{children}</Link>;
}
