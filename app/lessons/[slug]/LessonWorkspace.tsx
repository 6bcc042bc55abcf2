"use client";

import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from "react";
import { onTerminalRequest } from "@/lib/terminal/bus";
import styles from "./lesson.module.css";

const STORAGE_KEY = "netlab:lesson-split";
const DEFAULT_SPLIT = 52;
const MIN_SPLIT = 30;
const MAX_SPLIT = 72;
const WIDE = "(min-width: 1100px)";

const clamp = (value: number) => Math.min(MAX_SPLIT, Math.max(MIN_SPLIT, Math.round(value * 10) / 10));

/**
 * The lesson page's two panes: the prose (with the pager under it) and the terminal. Side by side
 * on wide screens, with a divider to drag or move with the arrow keys; stacked on narrow ones.
 */
export function LessonWorkspace({ prose, pager, terminal }: { prose: ReactNode; pager: ReactNode; terminal: ReactNode }) {
  const rootRef = useRef<HTMLDivElement>(null);
  const sideRef = useRef<HTMLElement>(null);
  const [split, setSplit] = useState(DEFAULT_SPLIT);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    const stored = Number(localStorage.getItem(STORAGE_KEY));
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the stored width is only known in the browser
    if (stored) setSplit(clamp(stored));
  }, []);

  const commit = useCallback((value: number) => {
    const next = clamp(value);
    setSplit(next);
    try {
      localStorage.setItem(STORAGE_KEY, String(next));
    } catch {
      // storage refused: the width just is not remembered
    }
  }, []);

  // "Run in terminal" on a narrow screen: bring the stacked terminal into view.
  useEffect(
    () =>
      onTerminalRequest(() => {
        if (!window.matchMedia(WIDE).matches) sideRef.current?.scrollIntoView({ block: "center", behavior: "smooth" });
      }),
    [],
  );

  const fromPointer = (clientX: number) => {
    const box = rootRef.current!.getBoundingClientRect();
    return ((clientX - box.left) / box.width) * 100;
  };

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    event.currentTarget.focus();
    setDragging(true);
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (dragging) setSplit(clamp(fromPointer(event.clientX)));
  };
  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    if (!dragging) return;
    setDragging(false);
    event.currentTarget.releasePointerCapture(event.pointerId);
    commit(fromPointer(event.clientX));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? 10 : 2;
    const moves: Record<string, number> = {
      ArrowLeft: split - step,
      ArrowRight: split + step,
      Home: MIN_SPLIT,
      End: MAX_SPLIT,
      Enter: DEFAULT_SPLIT,
    };
    if (!(event.key in moves)) return;
    event.preventDefault();
    commit(moves[event.key]);
  };

  return (
    <div
      ref={rootRef}
      className={styles.workspace}
      style={{ "--split": `${split}%` } as React.CSSProperties}
      data-dragging={dragging || undefined}
    >
      <div className={styles.main} id="lesson-main">
        {prose}
      </div>
      <div
        role="separator"
        aria-orientation="vertical"
        aria-label="Resize the lesson and the terminal"
        aria-controls="lesson-main"
        aria-valuemin={MIN_SPLIT}
        aria-valuemax={MAX_SPLIT}
        aria-valuenow={Math.round(split)}
        aria-valuetext={`Lesson ${Math.round(split)}% of the width, terminal ${100 - Math.round(split)}%`}
        tabIndex={0}
        className={styles.divider}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => setDragging(false)}
        onKeyDown={onKeyDown}
        onDoubleClick={() => commit(DEFAULT_SPLIT)}
      >
        <span className={styles.grip} aria-hidden="true" />
      </div>
      <aside ref={sideRef} className={styles.side} aria-label="Terminal">
        <div className={styles.sticky}>{terminal}</div>
      </aside>
      <div className={styles.pager}>{pager}</div>
    </div>
  );
}
