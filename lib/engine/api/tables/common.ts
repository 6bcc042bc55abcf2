/**
 * Cell helpers shared by the kinds' printers, ported from `pkg/printers/internalversion`:
 * AGE from a timestamp, label and selector formatting, container name/image lists, and the
 * `a,b,c + 2 more...` truncation.
 *
 * @example
 * age("2026-01-12T09:00:00Z", Date.UTC(2026, 0, 12, 9, 2, 3)); // "2m3s"
 * formatLabels({ b: "2", a: "1" });                          // "a=1,b=2"
 * formatLabels({});                                          // "<none>"
 */
import { humanDuration } from "../../util/duration";
import type { Container } from "../types/pod";
import { formatLabelSet } from "../selectors/labels";
import type { KubeObject } from "../types/meta";
import { type Cell, type ColumnDefinition, col } from "./types";

/** Milliseconds since the epoch for an RFC 3339 timestamp, or undefined if unset/invalid. */
export function parseTime(ts: string | null | undefined): number | undefined {
  if (!ts) return undefined;
  const ms = Date.parse(ts);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `translateTimestampSince`: HumanDuration since `ts`, `<unknown>` when unset. */
export function age(ts: string | null | undefined, now: number): string {
  const t = parseTime(ts);
  return t === undefined ? "<unknown>" : humanDuration(now - t);
}

/** `labels.FormatLabels`: sorted `k=v` pairs, `<none>` when empty. */
export function formatLabels(labels: Readonly<Record<string, string>> | undefined): string {
  const s = formatLabelSet(labels);
  return s === "" ? "<none>" : s;
}

/** `layoutContainerCells`: comma-joined names and images. */
export function layoutContainers(containers: readonly Container[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name).join(","), list.map((c) => c.image ?? "").join(",")];
}

/** `listWithMoreString`: at most `max` items, then ` + N more...`; `<unset>` when empty. */
export function listWithMore(items: readonly string[], max = 3): string {
  const shown = items.slice(0, max).join(",");
  if (items.length > max) return `${shown} + ${items.length - max} more...`;
  return shown === "" ? "<unset>" : shown;
}

/**
 * `loadBalancerStatusStringer`: sorted unique IPs/hostnames. Upstream clips to 16 bytes unless
 * wide, but the apiserver always renders tables wide, so kubectl never shows the clipped form.
 */
export function loadBalancerText(ingress: readonly { ip?: string; hostname?: string }[] | undefined): string {
  const set = new Set<string>();
  for (const i of ingress ?? []) {
    if (i.ip) set.add(i.ip);
    else if (i.hostname) set.add(i.hostname);
  }
  return [...set].sort().join(",");
}

/**
 * The apiserver's default table for kinds without a printer (Roles, ClusterRoles):
 * NAME and CREATED AT, the creation time in RFC 3339.
 */
export const createdAtColumns: readonly ColumnDefinition[] = [col("Name"), col("Created At", "date")];

/** Cells for {@link createdAtColumns}. */
export function createdAtCells(obj: KubeObject): Cell[] {
  return [obj.metadata.name ?? "", obj.metadata.creationTimestamp ?? ""];
}
