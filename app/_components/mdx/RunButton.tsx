"use client";

import { typeInTerminal } from "@/lib/terminal/bus";
import styles from "./Prose.module.css";

/**
 * "Run in terminal": types the block's commands into the lesson's terminal line (it does not
 * press Enter — the learner reads the line and runs it).
 */
export function RunButton({ text }: { text: string }) {
  return (
    <button
      type="button"
      className={styles.copy}
      onClick={() => typeInTerminal(text)}
      title="Types the command into the terminal; press Enter there to run it"
    >
      <span aria-hidden="true" className={styles.copyIcon}>
        <svg viewBox="0 0 16 16" width="14" height="14" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round">
          <path d="m3 4.5 3.5 3.5L3 11.5M8.5 12h4.5" />
        </svg>
      </span>
      <span>Run in terminal</span>
    </button>
  );
}
