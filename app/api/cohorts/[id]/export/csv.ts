import { memberName, type CohortTable } from "@/lib/db";
import type { CourseEntry } from "@/app/dashboard/course";
import { STATUS_LABEL } from "@/app/_components/StatusBadge";
import { lessonNumber } from "@/app/_components/format";
import { percent } from "@/app/dashboard/format";

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. A field that a
 * spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe:
 * display names are typed by learners, and the file is opened by their instructor.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The cohort table as CSV: a row per learner; per lesson, its status, the number of exercises
 * passed (the total is in the header: a cell like `1/2` would become a date in a spreadsheet)
 * and the best quiz score (`80%`, empty when not taken). Starts with a byte-order mark so
 * spreadsheets read UTF-8 names correctly.
 */
export function cohortCsv(table: CohortTable, course: readonly CourseEntry[]): string {
  const header = ["Learner", "Email", "Joined (UTC)"];
  for (const { meta, hasQuiz, exercises } of course) {
    const name = `${lessonNumber(meta.order)} ${meta.title}`;
    header.push(`${name}: status`);
    if (exercises.length > 0) header.push(`${name}: exercises passed (of ${exercises.length})`);
    if (hasQuiz) header.push(`${name}: best quiz`);
  }
  const rows = table.members.map((member) => {
    const cells = [memberName(member), member.email ?? "", member.joinedAt.toISOString().slice(0, 10)];
    member.lessons.forEach((summary, i) => {
      cells.push(STATUS_LABEL[summary.status]);
      if (course[i].exercises.length > 0) cells.push(String(summary.exercisesPassed));
      if (course[i].hasQuiz) cells.push(summary.quizBest === null ? "" : percent(summary.quizBest));
    });
    return cells;
  });
  return "\uFEFF" + [header, ...rows].map((cells) => cells.map(csvField).join(",")).join("\r\n") + "\r\n";
}
