/**
 * kubectl's human-readable table output: headers upper-cased, cells separated by tabs and laid
 * out by Go's `text/tabwriter` with kubectl's settings (minwidth 6, padding 3, spaces), the last
 * column never padded. Optional NAMESPACE column (`-A`), `kind/name` prefixes, `-L` label
 * columns and `--show-labels`.
 *
 * @example
 * formatTable(renderTable("Pod", pods, { now }));
 * // "NAME   READY   STATUS    RESTARTS   AGE\nweb    1/1     Running   0          5m\n"
 */
import { formatLabelSet } from "../selectors/labels";
import type { Cell, Table } from "./types";

/** Layout options; all default to off. */
export interface FormatOptions {
  /** Prepend NAMESPACE (`--all-namespaces`). */
  withNamespace?: boolean;
  /** Prefix names with `kind/` (`pod/web`, `deployment.apps/web`). */
  kindPrefix?: string;
  /** `-L key`: one column per label key, headed by the key's last segment upper-cased. */
  labelColumns?: readonly string[];
  /** `--show-labels`. */
  showLabels?: boolean;
  /** `--no-headers`. */
  noHeaders?: boolean;
}

const MIN_WIDTH = 6;
const PADDING = 3;

/** How kubectl prints one cell: strings cut at the first line break (with `...`), nil empty. */
export function cellText(cell: Cell): string {
  if (cell === null) return "";
  if (typeof cell !== "string") return String(cell);
  const cut = cell.search(/[\f\n\r]/);
  return cut >= 0 ? `${cell.slice(0, cut)}...` : cell;
}

/** Go's `text/tabwriter` over rows of cells: every cell but the last in a row is padded. */
export function tabwrite(lines: readonly (readonly string[])[]): string {
  const width = (s: string) => [...s].length;
  const widths: number[] = [];
  for (const line of lines) {
    for (let j = 0; j < line.length - 1; j++) widths[j] = Math.max(widths[j] ?? MIN_WIDTH, width(line[j]) + PADDING);
  }
  return lines
    .map((line) => line.map((c, j) => (j < line.length - 1 ? c + " ".repeat(widths[j] - width(c)) : c)).join("") + "\n")
    .join("");
}

/** Lays a table out exactly as `kubectl get` prints it. */
export function formatTable(table: Table, options: FormatOptions = {}): string {
  const labelKeys = options.labelColumns ?? [];
  const header = [
    ...(options.withNamespace ? ["NAMESPACE"] : []),
    ...table.columns.map((c) => c.name.toUpperCase()),
    ...labelKeys.map((k) => k.split("/").at(-1)!.toUpperCase()),
    ...(options.showLabels ? ["LABELS"] : []),
  ];
  const rows = table.rows.map((row) => {
    const cells = row.cells.map(cellText);
    if (options.kindPrefix && cells.length > 0) cells[0] = `${options.kindPrefix}/${cells[0]}`;
    const labels = row.object.metadata.labels ?? {};
    return [
      ...(options.withNamespace ? [row.object.metadata.namespace ?? ""] : []),
      ...cells,
      ...labelKeys.map((k) => labels[k] ?? ""),
      ...(options.showLabels ? [formatLabelSet(labels) || "<none>"] : []),
    ];
  });
  return tabwrite(options.noHeaders ? rows : [header, ...rows]);
}
