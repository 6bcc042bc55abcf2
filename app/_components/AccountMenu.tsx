"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import styles from "./SiteHeader.module.css";

interface Account {
  email: string;
  displayName: string | null;
  role: "learner" | "instructor" | "admin";
}

type State = { status: "loading" } | { status: "ready"; account: Account | null };

const ROLE_NAMES = { learner: null, instructor: "Instructor", admin: "Admin" } as const;

/**
 * The header's account corner: "Sign in" for guests, a menu for accounts. It asks
 * GET /api/auth/session after the page loads, so pages stay static and the session endpoint is
 * where day-old session tokens get rotated. Signing in or out reloads the page, which mounts it
 * again with the new answer.
 */
export function AccountMenu() {
  const [state, setState] = useState<State>({ status: "loading" });

  useEffect(() => {
    const controller = new AbortController();
    fetch("/api/auth/session", { signal: controller.signal, cache: "no-store" })
      .then((response) => (response.ok ? response.json() : { account: null }))
      .then((body: { account: Account | null }) => setState({ status: "ready", account: body.account ?? null }))
      .catch(() => {
        if (!controller.signal.aborted) setState({ status: "ready", account: null });
      });
    return () => controller.abort();
  }, []);

  if (state.status === "loading") return <span className={styles.accountPlaceholder} aria-hidden="true" />;
  return state.account ? <SignedIn account={state.account} /> : <SignInLink />;
}

function SignInLink() {
  const pathname = usePathname();
  const onAuthPage = pathname === "/signin" || pathname === "/signup";
  const href = onAuthPage || pathname === "/" ? "/signin" : `/signin?next=${encodeURIComponent(pathname)}`;
  return (
    <Link href={href} className={styles.signIn} aria-current={pathname === "/signin" ? "page" : undefined}>
      Sign in
    </Link>
  );
}

function SignedIn({ account }: { account: Account }) {
  const menuId = useId();
  const pathname = usePathname();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const [open, setOpen] = useState(false);
  const [openedAt, setOpenedAt] = useState(pathname);
  const [signingOut, setSigningOut] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const name = account.displayName ?? account.email.split("@")[0];
  const role = ROLE_NAMES[account.role];

  // A client-side navigation (e.g. the Dashboard link) closes the menu.
  if (open && openedAt !== pathname) {
    setOpen(false);
    setOpenedAt(pathname);
  }

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      buttonRef.current?.focus();
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  async function signOut() {
    setSigningOut(true);
    setError(null);
    try {
      const response = await fetch("/api/auth/signout", { method: "POST" });
      if (response.ok) {
        window.location.reload();
        return;
      }
      setError("Sign-out failed. Try again.");
    } catch {
      setError("Could not reach netlab. Try again.");
    }
    setSigningOut(false);
  }

  return (
    <div className={styles.account} ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className={styles.accountButton}
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => {
          setOpen((v) => !v);
          setOpenedAt(pathname);
        }}
      >
        <span className={styles.avatar} aria-hidden="true">{name.slice(0, 1).toUpperCase()}</span>
        <span className="visually-hidden">Account menu for </span>
        <span className={styles.accountName}>{name}</span>
        <svg className={styles.chevron} width="12" height="12" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
          <path d="m4 6 4 4 4-4" />
        </svg>
      </button>
      <div id={menuId} className={styles.menu} hidden={!open}>
        <div className={styles.menuHead}>
          <p className={styles.menuName}>
            {name}
            {role ? <span className={styles.roleBadge}>{role}</span> : null}
          </p>
          <p className={styles.menuEmail}>{account.email}</p>
        </div>
        <ul className={styles.menuList}>
          <li>
            <Link href="/dashboard" className={styles.menuItem} aria-current={pathname === "/dashboard" ? "page" : undefined}>
              Dashboard
            </Link>
          </li>
          <li>
            <button type="button" className={styles.menuItem} onClick={signOut} disabled={signingOut}>
              {signingOut ? "Signing out…" : "Sign out"}
            </button>
          </li>
        </ul>
        {error ? <p className={styles.menuError} role="alert">{error}</p> : null}
      </div>
    </div>
  );
}
