"use client";

import { useId, useState, type FormEvent } from "react";
import { useJsonAction } from "./useJsonAction";
import styles from "./dashboard.module.css";

/** The join-code form: the server says whether the code names a cohort. */
export function JoinCohortForm() {
  const { send, pending, error } = useJsonAction();
  const [code, setCode] = useState("");
  const [joined, setJoined] = useState<string | null>(null);
  const inputId = useId();
  const errorId = useId();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setJoined(null);
    const result = await send("POST", "/api/cohorts/join", { code });
    if (result.ok) {
      setJoined((result.data as { cohort: { name: string } }).cohort.name);
      setCode("");
    }
  }

  return (
    <form className={styles.joinForm} onSubmit={submit} noValidate>
      <label htmlFor={inputId} className={styles.fieldLabel}>
        Join code
      </label>
      <div className={styles.joinRow}>
        <input
          id={inputId}
          name="code"
          className={styles.codeInput}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          placeholder="ABCD-2345"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={20}
          required
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
        />
        <button type="submit" className={styles.button} disabled={pending || code.trim() === ""}>
          {pending ? "Joining…" : "Join"}
        </button>
      </div>
      {error ? (
        <p id={errorId} className={styles.formError} role="alert">
          {error}
        </p>
      ) : null}
      {joined ? (
        <p className={styles.formOk} role="status">
          You joined {joined}.
        </p>
      ) : null}
    </form>
  );
}

/** Leaves a cohort after the learner confirms (the instructor no longer sees their progress). */
export function LeaveCohortButton({ cohortId, name }: { cohortId: string; name: string }) {
  const { send, pending, error } = useJsonAction();

  async function leave() {
    if (!window.confirm(`Leave ${name}? Its instructor will no longer see your progress.`)) return;
    await send("DELETE", `/api/cohorts/${cohortId}/membership`);
  }

  return (
    <>
      <button type="button" className={styles.linkButton} onClick={() => void leave()} disabled={pending}>
        Leave<span className="visually-hidden"> {name}</span>
      </button>
      {error ? (
        <span className={styles.formError} role="alert">
          {error}
        </span>
      ) : null}
    </>
  );
}
