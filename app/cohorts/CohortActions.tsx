"use client";

import { useRouter } from "next/navigation";
import { TextFieldForm } from "../dashboard/TextFieldForm";
import { useJsonAction } from "../dashboard/useJsonAction";
import shared from "../dashboard/dashboard.module.css";
import styles from "./cohorts.module.css";

/** Name → a new cohort; the list below re-renders with it and its join code. */
export function CreateCohortForm() {
  const { send, pending, error } = useJsonAction();
  return (
    <TextFieldForm
      label="New cohort"
      name="name"
      className={styles.createForm}
      inputClassName={shared.input}
      inputProps={{ placeholder: "e.g. Platform team, spring 2027", maxLength: 80 }}
      submitLabel="Create cohort"
      pendingLabel="Creating…"
      pending={pending}
      error={error}
      onSubmit={async (name) => (await send("POST", "/api/cohorts", { name })).ok}
    />
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
