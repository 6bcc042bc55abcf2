/**
 * describe.go's `PrefixWriter` over `tabbedString`: text written at two-space indentation
 * levels into a Go tabwriter (min width 0, padding 2) that is flushed only where describe.go
 * flushes it (before the events table, and at the end). Plus the shared line helpers:
 * multi-line labels/annotations/taints/tolerations, RFC 1123 times and AGE-style durations.
 *
 * @example
 * const w = new DescribeWriter();
 * w.write(0, "Name:\tweb\n");
 * printLabels(w, "Labels", { app: "web" });
 * w.toString();   // "Name:    web\nLabels:  app=web\n"
 */
import { humanDuration } from "../../util/duration";
import { goTabwrite } from "../printers/tabwriter";

/** Accumulates describe output; see the module comment. */
export class DescribeWriter {
  private done = "";
  private pending = "";

  /** `w.Write(level, …)`: the text after `level` two-space indents (terminal escapes made harmless). */
  write(level: number, text: string): void {
    this.pending += "  ".repeat(level) + text.replace(/\x1b/g, "^[").replace(/\r/g, "\\r");
  }

  /** `w.WriteLine(text)`: the text and a newline, at no indentation. */
  line(text: string): void {
    this.write(0, `${text}\n`);
  }

  /** `w.Flush()`: lays out what was written so far as one tabwriter run. */
  flush(): void {
    this.done += goTabwrite(this.pending, { minWidth: 0, padding: 2 });
    this.pending = "";
  }

  toString(): string {
    this.flush();
    return this.done;
  }
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number) => String(n).padStart(2, "0");

/** Go's `time.RFC1123Z` of an RFC 3339 timestamp, in UTC: `Mon, 12 Jan 2026 09:00:00 +0000`. */
export function rfc1123z(ts: string | null | undefined): string {
  // Go's zero time, which describe prints for an unset timestamp.
  if (!ts) return "Mon, 01 Jan 0001 00:00:00 +0000";
  const d = new Date(Date.parse(ts));
  return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCFullYear()).padStart(4, "0")} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** `translateTimestampSince`: the age of `ts` at `now`, `<unknown>` when unset. */
export function since(ts: string | null | undefined, now: number): string {
  return ts ? humanDuration(now - Date.parse(ts)) : "<unknown>";
}

/** Go's `metav1.Time.String()` (`2026-01-12 09:00:00 +0000 UTC`). */
export function goTimeString(ts: string | null | undefined): string {
  const [date, time] = rfc3339Parts(ts);
  return `${date} ${time} +0000 UTC`;
}

function rfc3339Parts(ts: string | null | undefined): [string, string] {
  if (!ts) return ["0001-01-01", "00:00:00"];
  const iso = new Date(Date.parse(ts)).toISOString();
  return [iso.slice(0, 10), iso.slice(11, 19)];
}

/** `printLabelsMultilineWithIndent`: `title:<inner>k=v`, one per line, sorted, `<none>` when empty. */
export function printLabels(
  w: DescribeWriter,
  title: string,
  labels: Readonly<Record<string, string>> | undefined,
  initialIndent = "",
  innerIndent = "\t",
): void {
  w.write(0, `${initialIndent}${title}:${innerIndent}`);
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return w.line("<none>");
  keys.forEach((key, i) => {
    if (i !== 0) w.write(0, initialIndent + innerIndent);
    w.write(0, `${key}=${labels![key]}\n`);
  });
}

const MAX_ANNOTATION = 140;

/** `printAnnotationsMultiline`: long or multi-line values on their own indented lines, cut at 140. */
export function printAnnotations(w: DescribeWriter, title: string, annotations: Readonly<Record<string, string>> | undefined): void {
  w.write(0, `${title}:\t`);
  const keys = Object.keys(annotations ?? {}).filter((k) => k !== "kubectl.kubernetes.io/last-applied-configuration").sort();
  if (keys.length === 0) return w.line("<none>");
  keys.forEach((key, i) => {
    if (i !== 0) w.write(0, "\t");
    const value = annotations![key].replace(/\n$/, "");
    if (value.length + key.length + 2 > MAX_ANNOTATION || value.includes("\n")) {
      w.write(0, `${key}:\n`);
      for (const s of value.split("\n")) w.write(0, `\t  ${s.length > MAX_ANNOTATION - 2 ? `${s.slice(0, MAX_ANNOTATION - 2)}...` : s}\n`);
    } else w.write(0, `${key}: ${value}\n`);
  });
}

/** A multi-line list in the labels layout: first item after the title, the rest under it. */
export function printList(w: DescribeWriter, title: string, items: readonly string[], initialIndent = "", innerIndent = "\t"): void {
  w.write(0, `${initialIndent}${title}:${innerIndent}`);
  if (items.length === 0) return w.line("<none>");
  items.forEach((item, i) => {
    if (i !== 0) w.write(0, initialIndent + innerIndent);
    w.write(0, `${item}\n`);
  });
}

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** `printTolerationsMultilineWithIndent`: `key=value:Effect op=Exists for 300s`, sorted by key. */
export function printTolerations(w: DescribeWriter, title: string, tolerations: readonly Toleration[] | undefined, initialIndent = ""): void {
  const items = [...(tolerations ?? [])].sort((a, b) => ((a.key ?? "") < (b.key ?? "") ? -1 : (a.key ?? "") > (b.key ?? "") ? 1 : 0)).map((t) => {
    let s = t.key ?? "";
    if (t.value) s += `=${t.value}`;
    if (t.effect) s += `:${t.effect}`;
    if (t.operator === "Exists" && !t.value) s += t.key || t.effect ? " op=Exists" : "op=Exists";
    if (t.tolerationSeconds !== undefined) s += ` for ${t.tolerationSeconds}s`;
    return s;
  });
  printList(w, title, items, initialIndent);
}

/** `labels.FormatLabels`: `k=v,k2=v2`, or `<none>`. */
export function formatLabels(labels: Readonly<Record<string, string>> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length === 0 ? "<none>" : keys.map((k) => `${k}=${labels![k]}`).join(",");
}

/** Go's `%v` of a string slice: `[a b]`. */
export const goSlice = (items: readonly string[] | undefined) => `[${(items ?? []).join(" ")}]`;

/** `printBool`. */
export const goBool = (b: boolean | undefined) => (b ? "True" : "False");
