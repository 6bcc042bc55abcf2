"use client";

import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { onTerminalRequest } from "@/lib/terminal/bus";
import { LiveDiagram } from "@/app/_components/diagram/Diagram";
import { summarize } from "@/app/_components/diagram/summary";
import { useClusterView } from "@/app/_components/diagram/live";
import styles from "./Workbench.module.css";

/** What the learner asked to see; remembered across pages. */
export type PanelChoice = "terminal" | "diagram";
/** How the box has room to show it: one at a time, the diagram above the terminal, or beside it. */
export type PanelLayout = "tabs" | "stack" | "side";

const STORAGE_KEY = "netlab:panel";
/** The lesson page's wide layout (LessonWorkspace): below it the panes stack and space is short. */
const WIDE = "(min-width: 1100px)";
/** Wide enough for the diagram beside the terminal rather than above it. */
const SIDE_MIN_WIDTH = 1000;

/** The layout for a box of `width` pixels on a screen that is `wide` or not. */
export function panelLayout(width: number, wide: boolean): PanelLayout {
  if (!wide) return "tabs";
  return width >= SIDE_MIN_WIDTH ? "side" : "stack";
}

/**
 * The terminal with the live cluster diagram: a "Terminal | Diagram" control shows the diagram
 * above or beside the terminal on wide screens (a split), or instead of it on narrow ones (a
 * tab). The terminal stays mounted while hidden, so its session goes on.
 */
export function Workbench({ sessionKey, terminal, className }: { sessionKey: string; terminal: ReactNode; className?: string }) {
  const rootRef = useRef<HTMLDivElement>(null);
  const [choice, setChoice] = useState<PanelChoice>("terminal");
  const [layout, setLayout] = useState<PanelLayout>("tabs");
  const layoutRef = useRef<PanelLayout>("tabs");
  const view = useClusterView(sessionKey);

  useEffect(() => {
    let stored: string | null = null;
    try {
      stored = localStorage.getItem(STORAGE_KEY);
    } catch {
      // storage refused: start with the terminal
    }
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the stored choice is only known in the browser
    if (stored === "diagram") setChoice("diagram");
    const root = rootRef.current!;
    const wide = window.matchMedia(WIDE);
    const measure = () => {
      layoutRef.current = panelLayout(root.clientWidth, wide.matches);
      setLayout(layoutRef.current);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(root);
    wide.addEventListener("change", measure);
    return () => {
      observer.disconnect();
      wide.removeEventListener("change", measure);
    };
  }, []);

  const choose = useCallback((next: PanelChoice) => {
    setChoice(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // not remembered, still shown
    }
  }, []);

  // "Run in terminal" in the prose while the diagram has the narrow screen: show the terminal.
  useEffect(
    () =>
      onTerminalRequest(() => {
        if (layoutRef.current === "tabs") setChoice("terminal");
      }),
    [],
  );

  const split = layout !== "tabs";
  const showDiagram = choice === "diagram";
  const showTerminal = split || choice === "terminal";

  return (
    <div ref={rootRef} className={[styles.workbench, className].filter(Boolean).join(" ")} data-layout={layout} data-with-diagram={showDiagram || undefined}>
      <div className={styles.bar}>
        <div className={styles.switch} role="group" aria-label="Show">
          <button type="button" className={styles.option} aria-pressed={showTerminal} onClick={() => choose("terminal")}>
            <TerminalIcon /> Terminal
          </button>
          <button type="button" className={styles.option} aria-pressed={showDiagram} onClick={() => choose(split && showDiagram ? "terminal" : "diagram")}>
            <DiagramIcon /> Diagram
          </button>
        </div>
        {/* The diagram says it itself when shown. */}
        <p className={styles.summary}>{view && !showDiagram ? summarize(view) : null}</p>
      </div>
      <div className={styles.panes}>
        {showDiagram ? (
          <div className={styles.diagram}>
            <LiveDiagram sessionKey={sessionKey} />
          </div>
        ) : null}
        <div className={styles.terminal} hidden={!showTerminal}>
          {terminal}
        </div>
      </div>
    </div>
  );
}

function TerminalIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <rect x="1.75" y="2.75" width="12.5" height="10.5" rx="2" />
      <path d="M4.5 6.25 6.75 8 4.5 9.75M8.5 10h3" />
    </svg>
  );
}

function DiagramIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <rect x="5.5" y="1.75" width="5" height="3.5" rx="1" />
      <rect x="1.75" y="10.75" width="5" height="3.5" rx="1" />
      <rect x="9.25" y="10.75" width="5" height="3.5" rx="1" />
      <path d="M8 5.25v2.5M4.25 10.75V7.75h7.5v3" />
    </svg>
  );
}
