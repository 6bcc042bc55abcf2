"use client";

import { useId, useState, type FormEvent, type InputHTMLAttributes, type ReactNode } from "react";
import styles from "./dashboard.module.css";

export interface TextFieldFormProps {
  /** The visible label of the field. */
  label: string;
  /** The field's `name`. */
  name: string;
  /** The form's layout class (each page places it differently). */
  className: string;
  inputClassName: string;
  /** Further attributes of the input: placeholder, maxLength, autoComplete … */
  inputProps?: Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "name" | "value" | "onChange" | "className">;
  /** The button's words, idle and while the request runs. */
  submitLabel: string;
  pendingLabel: string;
  /** From `useJsonAction`: a request is running; the server's message for the last failure. */
  pending: boolean;
  error: string | null;
  /** Sends the value as typed; resolves to whether it was accepted (then the field empties). */
  onSubmit(value: string): Promise<boolean>;
  /** Shown under the error, e.g. a success note with role="status". */
  children?: ReactNode;
}

/**
 * A form of one text field and its button (create a cohort, join one): the label, the error
 * tied to the field for screen readers, the button disabled while the field is empty or the
 * request runs, and the field emptied once the server accepts the value.
 */
export function TextFieldForm({ label, name, className, inputClassName, inputProps, submitLabel, pendingLabel, pending, error, onSubmit, children }: TextFieldFormProps) {
  const [value, setValue] = useState("");
  const inputId = useId();
  const errorId = useId();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (await onSubmit(value)) setValue("");
  }

  return (
    <form className={className} onSubmit={submit} noValidate>
      <label htmlFor={inputId} className={styles.fieldLabel}>
        {label}
      </label>
      <div className={styles.joinRow}>
        <input
          {...inputProps}
          id={inputId}
          name={name}
          className={inputClassName}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          required
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
        />
        <button type="submit" className={styles.button} disabled={pending || value.trim() === ""}>
          {pending ? pendingLabel : submitLabel}
        </button>
      </div>
      {error ? (
        <p id={errorId} className={styles.formError} role="alert">
          {error}
        </p>
      ) : null}
      {children}
    </form>
  );
}
