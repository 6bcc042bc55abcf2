/**
 * Server-side table rendering: the kind's printer computes every cell (as the apiserver always
 * does), then priority-1 columns are dropped unless `wide`, as kubectl does with `-o wide`.
 *
 * @example
 * const t = renderTable("Service", store.list("Service", { namespace: "default" }), { now: clock.now() });
 * t.columns.map((c) => c.name);   // ["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age"]
 */
import { strategyFor } from "../kinds/index";
import type { KubeObject } from "../types/meta";
import type { Table } from "./types";

/** Options for {@link renderTable}. */
export interface RenderOptions {
  /** Include priority-1 columns (`-o wide`). */
  wide?: boolean;
  /** Virtual epoch milliseconds AGE is measured against. */
  now: number;
}

/** Renders `objects` of `kind` as `kubectl get` would show them (wide columns only with `wide`). */
export function renderTable(kind: string, objects: readonly KubeObject[], options: RenderOptions): Table {
  const strategy = strategyFor(kind);
  if (!strategy) throw new Error(`no table for kind ${kind}`);
  const keep = strategy.table.columns.map((c) => options.wide === true || c.priority === 0);
  return {
    columns: strategy.table.columns.filter((_, i) => keep[i]),
    rows: objects.map((object) => ({
      cells: strategy.table.cells(object, options.now).filter((_, i) => keep[i]),
      object,
    })),
  };
}
