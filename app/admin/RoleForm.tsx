"use client";

import { useId, useState, type FormEvent } from "react";
import type { AccountRole } from "@/lib/db";
import { useJsonAction } from "../dashboard/useJsonAction";
import shared from "../dashboard/dashboard.module.css";
import styles from "./admin.module.css";

const LABEL: Record<AccountRole, string> = { learner: "Learner", instructor: "Instructor", admin: "Admin" };

/** One account's role: pick, save; the server has the last word (the last admin stays admin). */
export function RoleForm({ accountId, email, role }: { accountId: string; email: string; role: AccountRole }) {
  const { send, pending, error } = useJsonAction();
  const [choice, setChoice] = useState<AccountRole>(role);
  const [saved, setSaved] = useState(false);
  const selectId = useId();
  const errorId = useId();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const result = await send("PATCH", `/api/admin/accounts/${accountId}`, { role: choice });
    // A refused change leaves the role as it was: show that, next to the reason.
    if (result.ok) setSaved(true);
    else setChoice(role);
  }

  return (
    <form className={styles.roleForm} onSubmit={submit}>
      <label htmlFor={selectId} className="visually-hidden">
        Role of {email}
      </label>
      <select
        id={selectId}
        className={styles.select}
        value={choice}
        onChange={(e) => {
          setChoice(e.target.value as AccountRole);
          setSaved(false);
        }}
        aria-describedby={error ? errorId : undefined}
      >
        {(Object.keys(LABEL) as AccountRole[]).map((value) => (
          <option key={value} value={value}>
            {LABEL[value]}
          </option>
        ))}
      </select>
      <button type="submit" className={styles.save} disabled={pending || choice === role}>
        Save<span className="visually-hidden"> role of {email}</span>
      </button>
      <span className={styles.roleMessage} aria-live="polite">
        {error ? (
          <span id={errorId} className={shared.formError}>
            {error}
          </span>
        ) : saved ? (
          <span className={shared.formOk}>Saved</span>
        ) : null}
      </span>
    </form>
  );
}
