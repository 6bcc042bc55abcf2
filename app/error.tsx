"use client";

import Link from "next/link";
import { useEffect } from "react";
import styles from "./status.module.css";

export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  const digest =
    error instanceof Error && "digest" in error && typeof error.digest === "string"
      ? error.digest
      : null;

  return (
    <div className={`container ${styles.wrap}`}>
      <div className={styles.panel} role="alert">
        <div className={styles.terminal} aria-hidden="true">
          <p>
            <span className={styles.prompt}>$</span> kubectl get page
          </p>
          <p className={styles.err}>Error from server (InternalError): the page failed to render</p>
        </div>
        <h1 className={styles.title}>Something went wrong</h1>
        <p className={styles.text}>
          This page hit an unexpected error. Trying again often helps; your progress is safe.
        </p>
        {digest ? (
          <p className={styles.digest}>
            Reference: <code>{digest}</code>
          </p>
        ) : null}
        <div className={styles.actions}>
          <button type="button" className={styles.primary} onClick={() => retry()}>
            Try again
          </button>
          <Link href="/" className={styles.secondary}>
            Back to the lessons
          </Link>
        </div>
      </div>
    </div>
  );
}
