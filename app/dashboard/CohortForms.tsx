"use client";

import { useState } from "react";
import { TextFieldForm } from "./TextFieldForm";
import { useJsonAction } from "./useJsonAction";
import styles from "./dashboard.module.css";

/** The join-code form: the server says whether the code names a cohort. */
export function JoinCohortForm() {
  const { send, pending, error } = useJsonAction();
  const [joined, setJoined] = useState<string | null>(null);

  async function join(code: string): Promise<boolean> {
    setJoined(null);
    const result = await send("POST", "/api/cohorts/join", { code });
    if (result.ok) setJoined((result.data as { cohort: { name: string } }).cohort.name);
    return result.ok;
  }

  return (
    <TextFieldForm
      label="Join code"
      name="code"
      className={styles.joinForm}
      inputClassName={styles.codeInput}
      inputProps={{ placeholder: "ABCD-2345", autoComplete: "off", autoCapitalize: "characters", spellCheck: false, maxLength: 20 }}
      submitLabel="Join"
      pendingLabel="Joining…"
      pending={pending}
      error={error}
      onSubmit={join}
    >
      {joined ? (
        <p className={styles.formOk} role="status">
          You joined {joined}.
        </p>
      ) : null}
    </TextFieldForm>
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
