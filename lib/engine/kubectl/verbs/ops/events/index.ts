/**
 * `kubectl events` (1.32): the namespace's core/v1 Events (all of them with `-A`), those of one
 * object with `--for TYPE/NAME` (a field selector on involvedObject.kind and .name), of some
 * types with `--types=Warning`, oldest first (by series' last observation, else lastTimestamp,
 * else eventTime), as kubectl's own table (LAST SEEN TYPE REASON OBJECT MESSAGE; LAST SEEN
 * reads `12s (x3 over 40s)` for repeats, OBJECT is `Kind/name`) or as an EventList with `-o`.
 *
 * @example
 * kubectl events --for pod/web
 * // LAST SEEN   TYPE     REASON      OBJECT    MESSAGE
 * // 40s         Normal   Scheduled   Pod/web   Successfully assigned default/web to node01
 */
import type { Event, Stored } from "../../../../api";
import { humanDuration } from "../../../../util/duration";
import { KubectlError } from "../../../errors";
import { printFlags } from "../../../flags";
import { goTabwrite } from "../../../printers";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../../../types";
import { withOutput } from "../common/output";
import { outputFormat, printObject } from "../common/print";
import { resourceOrThrow } from "../common/targets";

const TYPES = ["Normal", "Warning"];

/** `translateTimestampSince`. */
function since(ts: string | null | undefined, now: number): string {
  const t = ts ? Date.parse(ts) : NaN;
  return Number.isNaN(t) ? "<unknown>" : humanDuration(now - t);
}

/** `getInterval`: when it was last seen, and how often over how long. */
function interval(e: Event, now: number): string {
  const first = e.eventTime ? since(e.eventTime, now) : since(e.firstTimestamp, now);
  if (e.series) return `${since(e.series.lastObservedTime, now)} (x${e.series.count} over ${first})`;
  if ((e.count ?? 0) > 1) return `${since(e.lastTimestamp, now)} (x${e.count} over ${first})`;
  return first;
}

/** `eventTime` of SortableEvents. */
function seenAt(e: Event): number {
  return Date.parse(e.series?.lastObservedTime || e.lastTimestamp || e.eventTime || "") || 0;
}

/** Go struct order of the fields kubectl's typed EventList prints with `-o json`. */
const EVENT_FIELDS = [
  "kind", "apiVersion", "metadata", "involvedObject", "reason", "message", "source", "firstTimestamp", "lastTimestamp", "count", "type",
  "eventTime", "series", "action", "related", "reportingComponent", "reportingInstance",
];
const META_FIELDS = ["name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp", "labels", "annotations", "ownerReferences", "managedFields"];
const REFERENCE_FIELDS = ["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"];

function ordered(object: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of fields) if (object[key] !== undefined) out[key] = object[key];
  return out;
}

/** An Event as the typed corev1.Event marshals (the fields kubectl never omits included). */
function typedEvent(e: Stored<Event>): Record<string, unknown> {
  const withDefaults = { eventTime: null, reportingComponent: "", reportingInstance: "", ...e, kind: "Event", apiVersion: "v1" } as Record<string, unknown>;
  return ordered(
    {
      ...withDefaults,
      metadata: ordered(e.metadata as unknown as Record<string, unknown>, META_FIELDS),
      involvedObject: ordered(e.involvedObject as unknown as Record<string, unknown>, REFERENCE_FIELDS),
    },
    EVENT_FIELDS,
  );
}

function table(events: readonly Stored<Event>[], now: number, allNamespaces: boolean, noHeaders: boolean): string {
  const ns = (text: string) => (allNamespaces ? `${text}\t` : "");
  let text = noHeaders ? "" : `${ns("NAMESPACE")}LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n`;
  for (const e of events) {
    const object = `${e.involvedObject.kind ?? ""}/${e.involvedObject.name ?? ""}`;
    text += `${ns(e.metadata.namespace ?? "")}${interval(e, now)}\t${e.type ?? ""}\t${e.reason ?? ""}\t${object}\t${(e.message ?? "").trim()}\n`;
  }
  return goTabwrite(text, { minWidth: 6, padding: 3 });
}

function run(args: KubectlArgs, ctx: KubectlContext) {
  return withOutput((out) => {
    const types = args.strings("types");
    if (types.some((t) => !TYPES.some((valid) => valid.toLowerCase() === t.toLowerCase()))) throw new KubectlError("valid --types are Normal or Warning");
    const format = outputFormat(args);
    const forObject = args.string("for") ?? "";
    let fieldSelector: string | undefined;
    if (forObject !== "") {
      const parts = forObject.split("/");
      if (parts.length !== 2) throw new KubectlError("--for must be in resource/name form");
      fieldSelector = `involvedObject.kind=${resourceOrThrow(parts[0]).kind},involvedObject.name=${parts[1]}`;
    }
    if (args.bool("watch")) throw new KubectlError("--watch is not supported here: run the command again to see new events");
    const listed = ctx.store.list<Event>("Event", { namespace: ctx.allNamespaces ? undefined : ctx.namespace, fieldSelector });
    const events = listed.filter((e) => types.length === 0 || types.some((t) => t.toLowerCase() === (e.type ?? "").toLowerCase()));
    if (events.length === 0) {
      out.err(ctx.allNamespaces ? "No events found.\n" : `No events found in ${ctx.namespace} namespace.\n`);
      return 0;
    }
    const sorted = [...events].sort((a, b) => seenAt(a) - seenAt(b));
    if (format) {
      const list = { kind: "EventList", apiVersion: "v1", metadata: {}, items: sorted.map(typedEvent) };
      out.out(printObject(list, format, format.type === "json"));
      return 0;
    }
    out.out(table(sorted, ctx.shell.clock.now(), ctx.allNamespaces, args.bool("no-headers")));
    return 0;
  });
}

/** `kubectl events`. */
export const eventsVerb: KubectlVerb = {
  name: "events",
  short: "List events",
  long: [
    "Display events.",
    "",
    " Prints a table of the most important information about events. You can request events for a namespace, for all namespace, or filtered to only those pertaining to a specified resource.",
  ].join("\n"),
  examples: [
    "# List recent events in the default namespace",
    "kubectl events",
    "",
    "# List recent events in all namespaces",
    "kubectl events --all-namespaces",
    "",
    "# List recent events for the specified pod, then wait for more events and list them as they arrive",
    "kubectl events --for pod/web-pod-13je7 --watch",
    "",
    "# List recent events in YAML format",
    "kubectl events -oyaml",
    "",
    "# List recent only events of type 'Warning' or 'Normal'",
    "kubectl events --types=Warning,Normal",
  ]
    .map((l) => `  ${l}`)
    .join("\n"),
  usage:
    "kubectl events [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file] [--for TYPE/NAME] [--watch] [--types=Normal,Warning] [options]",
  flags: [
    {
      name: "all-namespaces",
      short: "A",
      type: "bool",
      usage: "If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.",
    },
    {
      name: "chunk-size",
      type: "int",
      default: "500",
      usage: "Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may change in the future.",
    },
    { name: "for", type: "string", usage: "Filter events to only those pertaining to the specified resource." },
    { name: "no-headers", type: "bool", usage: "When using the default output format, don't print headers." },
    ...printFlags(),
    { name: "types", type: "stringSlice", usage: "Output only events of given types." },
    { name: "watch", short: "w", type: "bool", usage: "After listing the requested events, watch for more events." },
  ],
  run,
  // `--for` asks discovery for the type (it fails twice); a plain listing needs none.
  offline: (args) => ({ discovery: (args.string("for") ?? "") === "" ? 0 : 2 }),
};
