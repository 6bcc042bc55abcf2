"use client";

import Form from "next/form";
import { useEffect, useRef, useState } from "react";
import styles from "./playground.module.css";

/** Scenario and seed (a GET form, so it works before scripts load), and "Share" for the URL. */
export function PlaygroundControls({ scenarios, scenario, seed }: { scenarios: string[]; scenario: string; seed: number }) {
  const [shared, setShared] = useState<"idle" | "copied" | "failed">("idle");
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const share = async () => {
    const url = new URL("/playground", window.location.origin);
    url.searchParams.set("scenario", scenario);
    url.searchParams.set("seed", String(seed));
    try {
      await navigator.clipboard.writeText(url.toString());
      setShared("copied");
    } catch {
      setShared("failed");
    }
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setShared("idle"), 2000);
  };

  return (
    <div className={styles.controls}>
      <Form action="/playground" className={styles.form} key={`${scenario}:${seed}`}>
        <label className={styles.field}>
          <span className={styles.label}>Scenario</span>
          <select name="scenario" defaultValue={scenario} className={styles.input}>
            {scenarios.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label className={styles.field}>
          <span className={styles.label}>Seed</span>
          <input
            name="seed"
            type="number"
            inputMode="numeric"
            min={0}
            max={2147483647}
            step={1}
            defaultValue={seed}
            className={`${styles.input} ${styles.seed}`}
          />
        </label>
        <button type="submit" className={styles.primary}>
          Start cluster
        </button>
      </Form>
      <button type="button" className={styles.share} onClick={() => void share()} data-state={shared}>
        <ShareIcon />
        <span aria-live="polite">{shared === "copied" ? "Link copied" : shared === "failed" ? "Copy failed" : "Share"}</span>
      </button>
    </div>
  );
}

function ShareIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d="M6.5 9.5a3 3 0 0 0 4.24 0l2.12-2.12a3 3 0 0 0-4.24-4.24l-.7.7" />
      <path d="M9.5 6.5a3 3 0 0 0-4.24 0L3.14 8.62a3 3 0 0 0 4.24 4.24l.7-.7" />
    </svg>
  );
}
