"use client";

import { useEffect, useId, useRef, useState } from "react";
import { useLesson, type LessonContextValue, type PublicExercise } from "@/app/_components/lesson/LessonContext";
import { checkExercise, loadExerciseStatus, type CheckResponse } from "./api";
import { lessonSession } from "./session";
import styles from "./Exercise.module.css";

/**
 * `<Exercise id="…"/>` in a lesson: the exercise's goal, instructions and hints (one at a time),
 * and a Check button. Check sends what the learner ran in the lesson's terminal to the server,
 * which replays it on the lesson's cluster and answers with every check, passed or not. The
 * browser never decides a verdict; it shows the server's.
 */
export function Exercise({ id }: { id: string }) {
  const lesson = useLesson();
  const exercise = lesson?.exercises.find((e) => e.id === id);
  if (!lesson || !exercise) return null;
  return <ExerciseCard lesson={lesson} exercise={exercise} />;
}

type Result = CheckResponse & { checkedAt: Date };

function ExerciseCard({ lesson, exercise }: { lesson: LessonContextValue; exercise: PublicExercise }) {
  const idPrefix = useId();
  const titleId = `${idPrefix}-title`;
  const [hintsShown, setHintsShown] = useState(0);
  const [passedAt, setPassedAt] = useState<Date | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const lastHint = useRef<HTMLLIElement>(null);

  function showHint() {
    const shown = hintsShown + 1;
    setHintsShown(shown);
    // The button goes with the last hint: keep the keyboard where the learner is reading.
    if (shown === exercise.hintsHtml.length) requestAnimationFrame(() => lastHint.current?.focus());
  }

  useEffect(() => {
    let live = true;
    loadExerciseStatus(lesson.slug)
      .then(({ exercises }) => {
        const status = exercises[exercise.id];
        if (!live || !status) return;
        if (status.passedAt) setPassedAt(new Date(status.passedAt));
        // The last verdict as the learner saw it, unless they have checked again since.
        setResult((current) => current ?? { passed: status.last.passed, outcomes: status.last.outcomes, lessonCompleted: false, checkedAt: new Date(status.last.at) });
      })
      .catch(() => {
        // The card works without its history; a Check still reports and stores.
      });
    return () => {
      live = false;
    };
  }, [lesson.slug, exercise.id]);

  async function check() {
    if (pending) return;
    setPending(true);
    setError(null);
    try {
      const verdict = await checkExercise(lesson.slug, exercise.id, await lessonSession(lesson));
      const checkedAt = new Date();
      setResult({ ...verdict, checkedAt });
      if (verdict.passed) setPassedAt((first) => first ?? checkedAt);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setPending(false);
    }
  }

  const hints = exercise.hintsHtml;
  const passedCount = result?.outcomes.filter((o) => o.passed).length ?? 0;

  return (
    <section className={styles.exercise} aria-labelledby={titleId} data-passed={passedAt ? "" : undefined}>
      <header className={styles.header}>
        <p className={styles.eyebrow}>
          <TargetIcon /> Exercise
        </p>
        <h3 id={titleId} className={styles.title}>
          {exercise.title}
        </h3>
        {passedAt && (
          <p className={styles.badge}>
            <CheckIcon /> Passed <time dateTime={passedAt.toISOString()}>{formatDate(passedAt)}</time>
          </p>
        )}
      </header>

      <p className={styles.goal}>
        <span className={styles.label}>Goal: </span>
        <span dangerouslySetInnerHTML={{ __html: exercise.goalHtml }} />
      </p>
      {exercise.instructionsHtml && <div className={styles.instructions} dangerouslySetInnerHTML={{ __html: exercise.instructionsHtml }} />}

      {hints.length > 0 && (
        <div className={styles.hints}>
          {/* Announced as each hint appears; focus stays on the button that showed it. */}
          <div aria-live="polite">
            {hintsShown > 0 && (
              <ol className={styles.hintList} aria-label="Hints">
                {hints.slice(0, hintsShown).map((hint, index) => (
                  <li key={index} className={styles.hint} ref={index === hints.length - 1 ? lastHint : undefined} tabIndex={index === hints.length - 1 ? -1 : undefined}>
                    <span className={styles.hintNumber}>Hint {index + 1}</span>
                    <span dangerouslySetInnerHTML={{ __html: hint }} />
                  </li>
                ))}
              </ol>
            )}
          </div>
          {hintsShown < hints.length && (
            <button type="button" className={styles.secondary} onClick={showHint}>
              {hintsShown === 0 ? "Show a hint" : "Show another hint"} ({hintsShown + 1} of {hints.length})
            </button>
          )}
        </div>
      )}

      <div className={styles.actions}>
        {/* aria-disabled, not disabled: the button keeps the keyboard focus while the server checks. */}
        <button type="button" className={styles.primary} onClick={check} aria-disabled={pending} aria-describedby={`${idPrefix}-how`}>
          {pending ? (
            <>
              <span className={styles.spinner} aria-hidden /> Checking…
            </>
          ) : (
            "Check"
          )}
        </button>
        <p id={`${idPrefix}-how`} className={styles.how}>
          Checks what you ran in the terminal, replayed on the lesson&apos;s cluster.
        </p>
      </div>

      <div className={styles.status} role="status" aria-live="polite" aria-atomic="true">
        {error ? (
          <p className={styles.error}>
            <CrossIcon /> {error}
          </p>
        ) : result && !pending ? (
          <div className={styles.result} data-passed={String(result.passed)}>
            <p className={styles.verdict}>
              {result.passed ? <CheckIcon /> : <CrossIcon />}
              {result.passed
                ? "Passed: every check holds."
                : `Not yet: ${passedCount} of ${result.outcomes.length} ${result.outcomes.length === 1 ? "check holds" : "checks hold"}.`}
              {result.lessonCompleted && " You have completed this lesson."}
            </p>
            <ul className={styles.checklist}>
              {result.outcomes.map((outcome, index) => (
                <li key={index} className={styles.outcome} data-passed={String(outcome.passed)}>
                  {outcome.passed ? <CheckIcon /> : <CrossIcon />}
                  <span>
                    <span className="visually-hidden">{outcome.passed ? "Passed: " : "Not yet: "}</span>
                    {outcome.description}
                    {outcome.detail && <span className={styles.detail}>{outcome.detail}</span>}
                  </span>
                </li>
              ))}
            </ul>
            <p className={styles.when}>
              Checked <time dateTime={result.checkedAt.toISOString()}>{formatTime(result.checkedAt)}</time>
            </p>
          </div>
        ) : null}
      </div>
    </section>
  );
}

function formatDate(date: Date): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium" }).format(date);
}

function formatTime(date: Date): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(date);
}

const iconProps = {
  width: 16,
  height: 16,
  viewBox: "0 0 16 16",
  fill: "none",
  stroke: "currentColor",
  strokeWidth: 1.8,
  strokeLinecap: "round",
  strokeLinejoin: "round",
  "aria-hidden": true,
  focusable: false,
} as const;

function CheckIcon() {
  return (
    <svg {...iconProps} className={styles.icon}>
      <path d="M3.25 8.5 6.5 11.75l6.25-7.5" />
    </svg>
  );
}

function CrossIcon() {
  return (
    <svg {...iconProps} className={styles.icon}>
      <path d="M4.25 4.25l7.5 7.5M11.75 4.25l-7.5 7.5" />
    </svg>
  );
}

function TargetIcon() {
  return (
    <svg {...iconProps} strokeWidth={1.5} className={styles.icon}>
      <circle cx="8" cy="8" r="6.25" />
      <circle cx="8" cy="8" r="3" />
      <path d="M8 8h.01" />
    </svg>
  );
}
