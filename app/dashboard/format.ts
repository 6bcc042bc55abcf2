import type { LessonSummary } from "@/lib/db";

/** 0.8 → "80%": quiz scores as people read them (whole percents; 2/3 is "67%"). */
export function percent(score: number): string {
  return `${Math.round(score * 100)}%`;
}

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** "just now", "5 minutes ago", "yesterday", "3 weeks ago": when something happened, from `now`. */
export function relativeTime(at: Date, now: Date): string {
  const seconds = Math.round((at.getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < 45) return "just now";
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(Math.round(seconds / 60), "minute");
}

const dayFormat = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });
const dateTimeFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

/** "2026-11-14" → "Nov 14" (the days are UTC days, so is the label). */
export function shortDay(day: string): string {
  return dayFormat.format(new Date(`${day}T00:00:00Z`));
}

/** "Nov 20, 2026, 3:04 PM UTC": the exact time, for tooltips and tables. */
export function dateTime(at: Date): string {
  return `${dateTimeFormat.format(at)} UTC`;
}

/** "Nov 20, 2026". */
export function date(at: Date): string {
  return dateFormat.format(at);
}

/** "1/2" or "—" (a lesson without exercises): the exercises figure in tables and cards. */
export function exercisesFigure(summary: Pick<LessonSummary, "exercisesPassed" | "exercisesTotal">): string {
  return summary.exercisesTotal === 0 ? "—" : `${summary.exercisesPassed}/${summary.exercisesTotal}`;
}

/** "80%", "not taken" or "—" (a lesson without a quiz): the best quiz score in tables and cards. */
export function quizFigure(summary: Pick<LessonSummary, "hasQuiz" | "quizBest">): string {
  if (!summary.hasQuiz) return "—";
  return summary.quizBest === null ? "not taken" : percent(summary.quizBest);
}

/** The exercises and quiz of a lesson in one sentence, for screen readers and tooltips. */
export function progressSentence(summary: LessonSummary): string {
  const exercises = summary.exercisesTotal === 0 ? "no exercises" : `${summary.exercisesPassed} of ${summary.exercisesTotal} exercises passed`;
  const quiz = !summary.hasQuiz ? "no quiz" : summary.quizBest === null ? "quiz not taken" : `best quiz score ${percent(summary.quizBest)}`;
  return `${exercises}, ${quiz}`;
}
