"use client";

import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { useLesson, type PublicQuestion } from "@/app/_components/lesson/LessonContext";
import { loadQuizHistory, submitQuiz, type QuestionOutcome, type QuizOutcome } from "./api";
import { answersFromDraft, draftFromAnswers, emptyDraft, isAnswered, moveStep, toggleChoice, type Draft } from "./draft";
import styles from "./Quiz.module.css";

type Graded = QuizOutcome & { lessonCompleted?: boolean };

/**
 * `<Quiz/>` in a lesson: every question of the lesson's quiz.yaml on one form. The browser holds
 * no answer key; Submit sends the answers to the server, which grades and stores the attempt and
 * only then returns the key and the explanations. A reload shows the last graded attempt.
 */
export function Quiz() {
  const lesson = useLesson();
  if (!lesson || lesson.quiz.length === 0) return null;
  return <QuizForm slug={lesson.slug} questions={lesson.quiz} />;
}

function QuizForm({ slug, questions }: { slug: string; questions: PublicQuestion[] }) {
  const idPrefix = useId();
  const [draft, setDraft] = useState<Draft>(() => emptyDraft(questions));
  const [graded, setGraded] = useState<Graded | null>(null);
  const [bestScore, setBestScore] = useState<number | null>(null);
  const [passScore, setPassScore] = useState<number | null>(null);
  const [loading, setLoading] = useState(true);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [moveNote, setMoveNote] = useState("");
  // Set once the learner changes anything, so a slow history load never overwrites their work.
  const touched = useRef(false);
  // The element to focus after the next render (a step's button after it moved, Try again …).
  const pendingFocus = useRef<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    loadQuizHistory(slug, controller.signal)
      .then((history) => {
        setPassScore(history.passScore);
        setBestScore(history.bestScore);
        if (history.last && !touched.current) {
          setDraft(draftFromAnswers(questions, history.last.answers));
          setGraded(history.last);
        }
      })
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setError(`Your earlier attempts could not be loaded: ${errorMessage(err)}`);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [slug, questions]);

  useEffect(() => {
    if (pendingFocus.current === null) return;
    document.getElementById(pendingFocus.current)?.focus();
    pendingFocus.current = null;
  });

  const ids = {
    title: `${idPrefix}-title`,
    tryAgain: `${idPrefix}-try-again`,
  };

  function update(questionId: string, value: Draft[string]) {
    touched.current = true;
    setDraft((current) => ({ ...current, [questionId]: value }));
  }

  function move(question: PublicQuestion, steps: string[], from: number, delta: -1 | 1) {
    const next = moveStep(steps, from, delta);
    if (!next) return;
    update(question.id, next);
    const to = from + delta;
    const canKeepGoing = delta === -1 ? to > 0 : to < next.length - 1;
    pendingFocus.current = stepButtonId(idPrefix, question, steps[from], canKeepGoing ? delta : delta === -1 ? 1 : -1);
    setMoveNote(`${plainText(steps[from])}: moved to position ${to + 1} of ${next.length}.`);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (graded || submitting) return;
    setSubmitting(true);
    setError(null);
    try {
      const result = await submitQuiz(slug, answersFromDraft(questions, draft));
      touched.current = true;
      setGraded(result);
      setPassScore(result.passScore);
      setBestScore((best) => Math.max(best ?? 0, result.score));
      pendingFocus.current = ids.tryAgain;
    } catch (err) {
      setError(`Your answers could not be graded: ${errorMessage(err)}`);
    } finally {
      setSubmitting(false);
    }
  }

  function tryAgain() {
    touched.current = true;
    setDraft(emptyDraft(questions));
    setGraded(null);
    setError(null);
    setMoveNote("");
    pendingFocus.current = ids.title;
  }

  const results = new Map((graded?.results ?? []).map((r) => [r.id, r]));
  const answered = questions.filter((q) => isAnswered(draft[q.id], q)).length;

  return (
    <section className={styles.quiz} aria-labelledby={ids.title}>
      <header className={styles.header}>
        <h2 id={ids.title} className={styles.title} tabIndex={-1}>
          Quiz
        </h2>
        <p className={styles.intro}>
          {questions.length} question{questions.length === 1 ? "" : "s"}, graded when you submit; the answers and explanations
          appear then.{passScore !== null && ` A score of ${percent(passScore)} or more passes.`}
          {bestScore !== null && (
            <>
              {" "}
              Your best score so far: <strong>{percent(bestScore)}</strong>.
            </>
          )}
        </p>
      </header>

      <form onSubmit={submit} aria-busy={loading || submitting} noValidate>
        <ol className={styles.questions}>
          {questions.map((question, index) => (
            <li key={question.id} className={styles.item}>
              <QuestionField
                question={question}
                number={index + 1}
                count={questions.length}
                value={draft[question.id]}
                result={results.get(question.id)}
                locked={graded !== null || submitting}
                idPrefix={idPrefix}
                onChange={(value) => update(question.id, value)}
                onMove={(steps, from, delta) => move(question, steps, from, delta)}
              />
            </li>
          ))}
        </ol>

        <div className={styles.actions}>
          {/* Keyed: reusing one <button> element would turn the clicked "Try again" into a submit
              button before the click's default action runs, and submit the cleared form. */}
          {graded ? (
            <button key="try-again" type="button" id={ids.tryAgain} className={styles.secondary} onClick={tryAgain}>
              Try again
            </button>
          ) : (
            <>
              <button key="submit" type="submit" className={styles.primary} disabled={loading || submitting}>
                {submitting ? "Grading…" : "Submit answers"}
              </button>
              <p className={styles.count}>
                {answered} of {questions.length} answered
                {answered < questions.length && "; an unanswered question counts as wrong"}
              </p>
            </>
          )}
        </div>

        <div role="status" className={styles.status}>
          {graded && <Summary graded={graded} />}
        </div>
        {error && (
          <p role="alert" className={styles.error}>
            {error}
          </p>
        )}
        <p className="visually-hidden" aria-live="polite">
          {moveNote}
        </p>
      </form>
    </section>
  );
}

function Summary({ graded }: { graded: Graded }) {
  return (
    <div className={styles.summary} data-passed={graded.passed}>
      <p className={styles.score}>
        <VerdictIcon correct={graded.passed} />
        <span>
          <strong>
            {graded.correct} of {graded.total} correct ({percent(graded.score)})
          </strong>
          {" — "}
          {graded.passed ? `passed (≥ ${percent(graded.passScore)})` : `not passed yet: ${percent(graded.passScore)} or more passes`}
        </span>
      </p>
      {graded.lessonCompleted && <p className={styles.completed}>You have completed this lesson.</p>}
    </div>
  );
}

interface FieldProps {
  question: PublicQuestion;
  number: number;
  count: number;
  value: Draft[string] | undefined;
  result: QuestionOutcome | undefined;
  locked: boolean;
  idPrefix: string;
  onChange: (value: Draft[string]) => void;
  onMove: (steps: string[], from: number, delta: -1 | 1) => void;
}

const HINT: Record<PublicQuestion["type"], string> = {
  single: "Choose one.",
  multiple: "Choose every answer that applies.",
  short: "Type a short answer.",
  order: "Put the steps in order with the ↑ and ↓ buttons (or Alt+↑ and Alt+↓).",
};

function QuestionField({ question, number, count, value, result, locked, idPrefix, onChange, onMove }: FieldProps) {
  const fieldId = `${idPrefix}-${question.id}`;
  return (
    <fieldset className={styles.fieldset} disabled={locked} data-correct={result ? String(result.correct) : undefined}>
      <legend className={styles.legend}>
        <span className={styles.number}>
          Question {number}
          <span className="visually-hidden"> of {count}</span>
        </span>
        <span className={styles.prompt} dangerouslySetInnerHTML={{ __html: question.promptHtml }} />
        <span className={styles.hint}>{HINT[question.type]}</span>
      </legend>

      {question.type === "single" || question.type === "multiple" ? (
        <Choices question={question} name={fieldId} value={value} result={result} onChange={onChange} />
      ) : question.type === "short" ? (
        <label className={styles.shortLabel}>
          <span>Your answer</span>
          <input
            type="text"
            className={styles.shortInput}
            value={typeof value === "string" ? value : ""}
            onChange={(event) => onChange(event.target.value)}
            maxLength={300}
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
          />
        </label>
      ) : (
        <Steps question={question} idPrefix={idPrefix} steps={Array.isArray(value) ? value : []} onMove={onMove} />
      )}

      {result && <Feedback question={question} value={value} result={result} />}
    </fieldset>
  );
}

function Choices({ question, name, value, result, onChange }: {
  question: PublicQuestion;
  name: string;
  value: Draft[string] | undefined;
  result: QuestionOutcome | undefined;
  onChange: (value: Draft[string]) => void;
}) {
  const multiple = question.type === "multiple";
  const picked = Array.isArray(value) ? value : typeof value === "string" ? [value] : [];
  const key = result ? asList(result.expected) : [];
  return (
    <ul className={styles.choices}>
      {(question.choices ?? []).map((choice) => {
        const isPicked = picked.includes(choice.value);
        const mark = !result ? undefined : key.includes(choice.value) ? (isPicked ? "right" : "missed") : isPicked ? "wrong" : undefined;
        return (
          <li key={choice.value}>
            <label className={styles.choice} data-mark={mark}>
              <input
                type={multiple ? "checkbox" : "radio"}
                name={name}
                value={choice.value}
                checked={isPicked}
                onChange={(event) => onChange(multiple ? toggleChoice(question, picked, choice.value, event.target.checked) : choice.value)}
              />
              <ChoiceText question={question} value={choice.value} className={styles.choiceText} />
              {mark && <span className={styles.tag}>{CHOICE_MARK[mark]}</span>}
            </label>
          </li>
        );
      })}
    </ul>
  );
}

const CHOICE_MARK = {
  right: "Right answer",
  missed: "Right answer, not chosen",
  wrong: "Not right",
} as const;

function Steps({ question, idPrefix, steps, onMove }: {
  question: PublicQuestion;
  idPrefix: string;
  steps: string[];
  onMove: (steps: string[], from: number, delta: -1 | 1) => void;
}) {
  const onKeyDown = (index: number) => (event: KeyboardEvent<HTMLLIElement>) => {
    if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
    event.preventDefault();
    onMove(steps, index, event.key === "ArrowUp" ? -1 : 1);
  };
  return (
    <ol className={styles.steps}>
      {steps.map((step, index) => (
        <li key={step} className={styles.step} onKeyDown={onKeyDown(index)}>
          <span className={styles.stepNumber} aria-hidden="true">
            {index + 1}
          </span>
          <ChoiceText question={question} value={step} className={styles.stepText} />
          <span className={styles.stepButtons}>
            <button
              type="button"
              id={stepButtonId(idPrefix, question, step, -1)}
              className={styles.moveButton}
              disabled={index === 0}
              aria-label={`Move up: ${plainText(step)}`}
              onClick={() => onMove(steps, index, -1)}
            >
              <span aria-hidden="true">↑</span>
            </button>
            <button
              type="button"
              id={stepButtonId(idPrefix, question, step, 1)}
              className={styles.moveButton}
              disabled={index === steps.length - 1}
              aria-label={`Move down: ${plainText(step)}`}
              onClick={() => onMove(steps, index, 1)}
            >
              <span aria-hidden="true">↓</span>
            </button>
          </span>
        </li>
      ))}
    </ol>
  );
}

function Feedback({ question, value, result }: { question: PublicQuestion; value: Draft[string] | undefined; result: QuestionOutcome }) {
  const unanswered = !isAnswered(value, question);
  return (
    <div className={styles.feedback} data-correct={String(result.correct)}>
      <p className={styles.verdict}>
        <VerdictIcon correct={result.correct} />
        {result.correct ? "Correct" : unanswered ? "Not answered" : "Not quite"}
      </p>
      {!result.correct && question.type === "short" && (
        <p className={styles.expected}>
          {asList(result.expected).length === 1 ? "The answer: " : "Accepted answers: "}
          {asList(result.expected).map((form, i) => (
            <span key={form}>
              {i > 0 && ", "}
              <code>{form}</code>
            </span>
          ))}
        </p>
      )}
      {!result.correct && question.type === "order" && (
        <div className={styles.expected}>
          <p>The right order:</p>
          <ol className={styles.keyList}>
            {asList(result.expected).map((step) => (
              <li key={step}>
                <ChoiceText question={question} value={step} />
              </li>
            ))}
          </ol>
        </div>
      )}
      <div className={styles.explanation} dangerouslySetInnerHTML={{ __html: result.explanationHtml }} />
    </div>
  );
}

function VerdictIcon({ correct }: { correct: boolean }) {
  return (
    <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true" focusable="false" className={styles.icon}>
      <circle cx="9" cy="9" r="8" fill="currentColor" />
      <path
        d={correct ? "m5.3 9.3 2.4 2.4 5-5.2" : "m6 6 6 6M12 6l-6 6"}
        fill="none"
        stroke="var(--surface)"
        strokeWidth="1.9"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

function stepButtonId(idPrefix: string, question: PublicQuestion, step: string, delta: -1 | 1): string {
  const index = (question.choices ?? []).findIndex((c) => c.value === step);
  return `${idPrefix}-${question.id}-step-${index}-${delta === -1 ? "up" : "down"}`;
}

/** A choice as the server rendered it from Markdown (plain text should it not be one of them). */
function ChoiceText({ question, value, className }: { question: PublicQuestion; value: string; className?: string }) {
  const html = question.choices?.find((c) => c.value === value)?.html;
  return html === undefined ? <span className={className}>{value}</span> : <span className={className} dangerouslySetInnerHTML={{ __html: html }} />;
}

/** A choice as a screen reader should say it: the Markdown source without backticks. */
function plainText(markdown: string): string {
  return markdown.replaceAll("`", "");
}

function asList(value: string | string[]): string[] {
  return typeof value === "string" ? [value] : value;
}

function percent(score: number): string {
  return `${Math.round(score * 100)}%`;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
