"use client";

import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { useJsonAction } from "../dashboard/useJsonAction";
import shared from "../dashboard/dashboard.module.css";
import styles from "./cohorts.module.css";

/** Name → a new cohort; the list below re-renders with it and its join code. */
export function CreateCohortForm() {
  const { send, pending, error } = useJsonAction();
  const [name, setName] = useState("");
  const inputId = useId();
  const errorId = useId();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if ((await send("POST", "/api/cohorts", { name })).ok) setName("");
  }

  return (
    <form className={styles.createForm} onSubmit={submit} noValidate>
      <label htmlFor={inputId} className={shared.fieldLabel}>
        New cohort
      </label>
      <div className={shared.joinRow}>
        <input
          id={inputId}
          name="name"
          className={shared.input}
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="e.g. Platform team, spring 2027"
          maxLength={80}
          required
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
        />
        <button type="submit" className={shared.button} disabled={pending || name.trim() === ""}>
          {pending ? "Creating…" : "Create cohort"}
        </button>
      </div>
      {error ? (
        <p id={errorId} className={shared.formError} role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}

/** Deletes the cohort after confirmation and returns to the list. Learners keep their progress. */
export function DeleteCohortButton({ cohortId, name }: { cohortId: string; name: string }) {
  // No refresh: this page's cohort is gone; the list it goes to is rendered fresh.
  const { send, pending, error } = useJsonAction({ refresh: false });
  const router = useRouter();

  async function remove() {
    if (!window.confirm(`Delete ${name}? Its learners keep their progress, but you will no longer see it here.`)) return;
    if ((await send("DELETE", `/api/cohorts/${cohortId}`)).ok) router.push("/cohorts");
  }

  return (
    <>
      <button type="button" className={shared.danger} onClick={() => void remove()} disabled={pending}>
        Delete cohort
      </button>
      {error ? (
        <p className={shared.formError} role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}
