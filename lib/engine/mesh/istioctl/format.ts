/**
 * istioctl's table layout: Go's text/tabwriter with minwidth 0, tabwidth 8, padding 5 and
 * blank padding, as its proxy-status and proxy-config writers set it up (the last column is
 * not padded).
 *
 * @example
 * table([["NAME", "CLUSTER"], ["web-1.default", "Kubernetes"]]); // "NAME              CLUSTER\nweb-1.default     Kubernetes\n"
 */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) for (let i = 0; i < row.length - 1; i++) widths[i] = Math.max(widths[i] ?? 0, row[i].length + 5);
  return rows.map((row) => row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i]) : cell)).join("") + "\n").join("");
}

/** Go's `time.Time.Format(time.RFC3339)` in UTC. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}
