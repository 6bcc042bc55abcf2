/**
 * Server-side tables (`metav1.Table`): column definitions with their priority (1 = only with
 * `-o wide`) and rows of cells. The apiserver always computes every cell; clients drop the
 * priority columns unless asked for wide output, and so does {@link renderTable}.
 *
 * @example
 * const col: ColumnDefinition = { name: "Restarts", type: "string", priority: 0 };
 */
import type { KubeObject } from "../types/meta";

/** `metav1.TableColumnDefinition` (descriptions omitted: nothing prints them). */
export interface ColumnDefinition {
  /** As upstream spells it (`Nominated Node`); kubectl upper-cases it for the header. */
  readonly name: string;
  readonly type: "string" | "integer" | "boolean" | "date";
  readonly format?: "name";
  readonly priority: 0 | 1;
}

/** A cell: strings print as-is, numbers and booleans with Go's `%v`, null prints nothing. */
export type Cell = string | number | boolean | null;

/** One row, with the object it describes (kubectl needs its namespace and labels). */
export interface TableRow {
  readonly cells: readonly Cell[];
  readonly object: KubeObject;
}

/** A rendered table. */
export interface Table {
  readonly columns: readonly ColumnDefinition[];
  readonly rows: readonly TableRow[];
}

/** How a kind turns objects into rows: every column, wide ones included. */
export interface TableDef<T extends KubeObject = KubeObject> {
  readonly columns: readonly ColumnDefinition[];
  /** `now` is virtual epoch milliseconds, for AGE-like cells. */
  cells(obj: T, now: number): Cell[];
}

/** Shorthand for a column definition. */
export function col(name: string, type: ColumnDefinition["type"] = "string", priority: 0 | 1 = 0): ColumnDefinition {
  return name === "Name" ? { name, type, format: "name", priority } : { name, type, priority };
}
