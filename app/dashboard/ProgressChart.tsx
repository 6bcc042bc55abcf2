import type { ProgressDay } from "@/lib/db";
import { shortDay } from "./format";
import styles from "./dashboard.module.css";

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { top: 14, right: 16, bottom: 30, left: 34 };

/** Round gridline steps: 1, 2, 5, 10, 20, 50 … so that at most five lines are drawn. */
function tickStep(max: number): number {
  for (let magnitude = 1; ; magnitude *= 10) {
    for (const step of [1, 2, 5]) if (max / (step * magnitude) <= 5) return step * magnitude;
  }
}

/**
 * Running totals per day as an SVG step chart: exercises passed (solid line, filled) and lessons
 * completed (dashed line), so the two differ by more than colour. The caption sums it up in words
 * (and describes the image to screen readers), and everyone can open the numbers as a table.
 */
export function ProgressChart({ history, exercisesTotal, lessonsTotal }: { history: ProgressDay[]; exercisesTotal: number; lessonsTotal: number }) {
  const first = history[0];
  const last = history[history.length - 1];
  const top = Math.max(1, ...history.map((d) => Math.max(d.exercisesPassed, d.lessonsCompleted)));
  const step = tickStep(top);
  const yMax = Math.ceil(top / step) * step;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (history.length > 1 ? (i / (history.length - 1)) * plotW : plotW / 2);
  const y = (v: number) => PAD.top + plotH - (v / yMax) * plotH;
  const stepPath = (values: number[]) => values.map((v, i) => (i === 0 ? `M${x(0)},${y(v)}` : `H${x(i)}V${y(v)}`)).join("");
  const exercises = history.map((d) => d.exercisesPassed);
  const lessons = history.map((d) => d.lessonsCompleted);
  const ticks = Array.from({ length: yMax / step + 1 }, (_, i) => i * step);
  const labelEvery = Math.max(1, Math.round(history.length / 5));
  const summary =
    `From ${shortDay(first.day)} to ${shortDay(last.day)} (UTC), exercises passed went from ${first.exercisesPassed} to ${last.exercisesPassed} ` +
    `of ${exercisesTotal}, and lessons completed from ${first.lessonsCompleted} to ${last.lessonsCompleted} of ${lessonsTotal}.`;

  return (
    <figure className={styles.chart}>
      <ul className={styles.legend} aria-hidden="true">
        <li data-series="exercises">Exercises passed</li>
        <li data-series="lessons">Lessons completed</li>
      </ul>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby="chart-title" aria-describedby="chart-summary" className={styles.chartSvg}>
        <title id="chart-title">Progress over the last {history.length} days</title>
        <g className={styles.grid}>
          {ticks.map((t) => (
            <g key={t}>
              <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} />
              <text x={PAD.left - 8} y={y(t)} dy="0.32em" textAnchor="end">
                {t}
              </text>
            </g>
          ))}
          {history.map((d, i) =>
            (history.length - 1 - i) % labelEvery === 0 ? (
              <text key={d.day} x={x(i)} y={HEIGHT - 8} textAnchor={i === 0 ? "start" : i === history.length - 1 ? "end" : "middle"}>
                {shortDay(d.day)}
              </text>
            ) : null,
          )}
        </g>
        <path className={styles.area} d={`${stepPath(exercises)}V${y(0)}H${x(0)}Z`} />
        <path className={styles.lineExercises} d={stepPath(exercises)} />
        <path className={styles.lineLessons} d={stepPath(lessons)} />
        <circle className={styles.dotExercises} cx={x(history.length - 1)} cy={y(last.exercisesPassed)} r="3.5" />
        <circle className={styles.dotLessons} cx={x(history.length - 1)} cy={y(last.lessonsCompleted)} r="3.5" />
      </svg>
      <figcaption id="chart-summary" className={styles.chartCaption}>{summary}</figcaption>
      <details className={styles.chartData}>
        <summary>Show the numbers as a table</summary>
        <div className={styles.tableScroll}>
          <table className={styles.table}>
            <caption className="visually-hidden">Running totals at the end of each day (UTC)</caption>
            <thead>
              <tr>
                <th scope="col">Day (UTC)</th>
                <th scope="col">Exercises passed</th>
                <th scope="col">Lessons completed</th>
              </tr>
            </thead>
            <tbody>
              {history.map((d) => (
                <tr key={d.day}>
                  <th scope="row">
                    <time dateTime={d.day}>{shortDay(d.day)}</time>
                  </th>
                  <td>{d.exercisesPassed}</td>
                  <td>{d.lessonsCompleted}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
