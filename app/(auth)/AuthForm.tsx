"use client";

import { useId, useRef, useState, useSyncExternalStore, type FormEvent } from "react";
import styles from "./auth.module.css";

type Mode = "signin" | "signup";
type Field = "displayName" | "email" | "password";

const LABELS: Record<Field, string> = { displayName: "Name", email: "Email", password: "Password" };

const COPY = {
  signin: { url: "/api/auth/signin", submit: "Sign in", pending: "Signing in…" },
  signup: { url: "/api/auth/signup", submit: "Create account", pending: "Creating your account…" },
} as const;

type Errors = { form?: string } & Partial<Record<Field, string>>;

const noSubscription = () => () => {};
/** False while the server renders and React hydrates, true once the form's script runs. */
const useHydrated = () => useSyncExternalStore(noSubscription, () => true, () => false);

/**
 * Reads the server's answer into messages next to the right field. Validation errors arrive as
 * `"email: must be an email address"` (lib/http), others carry `field` or are about the form.
 */
function errorsFrom(status: number, body: unknown): Errors {
  const { error, field } = (body ?? {}) as { error?: unknown; field?: unknown };
  const message = typeof error === "string" ? error : `The server answered ${status}. Try again.`;
  if (typeof field === "string" && field in LABELS) return { [field]: message };
  const match = /^(displayName|email|password): (.*)$/.exec(message);
  if (match) return { [match[1]]: `${LABELS[match[1] as Field]} ${match[2]}.` };
  return { form: message };
}

/** The sign-in or sign-up form: posts JSON, shows the answer inline, then goes to `next`. */
export function AuthForm({ mode, next }: { mode: Mode; next: string }) {
  const copy = COPY[mode];
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [pending, setPending] = useState(false);
  const [showPassword, setShowPassword] = useState(false);
  const hydrated = useHydrated();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const data = new FormData(event.currentTarget);
    const body: Record<string, string> = { email: String(data.get("email") ?? ""), password: String(data.get("password") ?? "") };
    if (mode === "signup") body.displayName = String(data.get("displayName") ?? "");
    setPending(true);
    setErrors({});
    let found: Errors;
    try {
      const response = await fetch(copy.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      if (response.ok) {
        // A full navigation, so every server-rendered part of the site sees the new session.
        window.location.assign(next);
        return;
      }
      found = errorsFrom(response.status, await response.json().catch(() => null));
    } catch {
      found = { form: "Could not reach netlab. Check your connection and try again." };
    }
    setErrors(found);
    setPending(false);
    const first = (["displayName", "email", "password"] as const).find((f) => found[f]);
    if (first) formRef.current?.querySelector<HTMLInputElement>(`[name="${first}"]`)?.focus();
  }

  const fieldProps = (field: Field) => ({
    id: `${id}-${field}`,
    name: field,
    className: styles.input,
    "aria-invalid": errors[field] ? true : undefined,
    "aria-describedby": [errors[field] ? `${id}-${field}-error` : "", field === "password" && mode === "signup" ? `${id}-password-hint` : ""].filter(Boolean).join(" ") || undefined,
  });
  const fieldError = (field: Field) =>
    errors[field] ? <p id={`${id}-${field}-error`} className={styles.fieldError}>{errors[field]}</p> : null;

  return (
    // method="post": a press before the script runs must never put the password in the URL, and
    // the button waits for the script anyway.
    <form ref={formRef} className={styles.form} method="post" onSubmit={submit} noValidate aria-busy={pending}>
      {errors.form ? <p className={styles.formError} role="alert">{errors.form}</p> : null}
      {mode === "signup" ? (
        <div className={styles.field}>
          <label htmlFor={`${id}-displayName`} className={styles.label}>
            Name <span className={styles.optional}>(optional)</span>
          </label>
          <input {...fieldProps("displayName")} type="text" autoComplete="name" maxLength={60} />
          {fieldError("displayName")}
        </div>
      ) : null}
      <div className={styles.field}>
        <label htmlFor={`${id}-email`} className={styles.label}>Email</label>
        <input
          {...fieldProps("email")}
          type="email"
          inputMode="email"
          autoComplete={mode === "signin" ? "username" : "email"}
          autoCapitalize="none"
          spellCheck={false}
          required
        />
        {fieldError("email")}
      </div>
      <div className={styles.field}>
        <label htmlFor={`${id}-password`} className={styles.label}>Password</label>
        <div className={styles.passwordRow}>
          <input
            {...fieldProps("password")}
            type={showPassword ? "text" : "password"}
            autoComplete={mode === "signin" ? "current-password" : "new-password"}
            minLength={mode === "signup" ? 10 : undefined}
            maxLength={200}
            required
          />
          <button
            type="button"
            className={styles.reveal}
            aria-pressed={showPassword}
            aria-controls={`${id}-password`}
            onClick={() => setShowPassword((v) => !v)}
          >
            {showPassword ? "Hide" : "Show"}
            <span className="visually-hidden"> password</span>
          </button>
        </div>
        {mode === "signup" ? <p id={`${id}-password-hint`} className={styles.hint}>10 to 200 characters. A few unrelated words make a strong one.</p> : null}
        {fieldError("password")}
      </div>
      <button type="submit" className={styles.submit} disabled={pending || !hydrated}>
        {pending ? <span className={styles.spinner} aria-hidden="true" /> : null}
        {pending ? copy.pending : copy.submit}
      </button>
    </form>
  );
}
