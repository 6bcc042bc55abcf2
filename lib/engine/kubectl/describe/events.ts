/**
 * The `Events:` section every describer ends with: `searchEvents` (the involved object's
 * name, namespace, uid and — except for pods — kind) and `DescribeEvents` (sorted by last
 * timestamp, `2m3s (x4 over 5m)` for repeats, the reporting controller when there is no source).
 *
 * @example
 * describeEvents(w, findEvents(store, pod, { kind: false }), now);
 */
import type { Event, KubeObject, ObjectStore, Stored } from "../../api";
import { type DescribeWriter, since } from "./writer";

/** Which fields of the object reference the search matches on. */
export interface EventQuery {
  /** Pods are searched without their kind (describe.go clears it). */
  kind?: boolean;
  /** Also accept events whose involvedObject.uid is the object's name (kubelet events on nodes). */
  uidIsName?: boolean;
}

/** Events about `obj`, in the store's list order. */
export function findEvents(store: ObjectStore, obj: Stored<KubeObject>, query: EventQuery = {}): Stored<Event>[] {
  const ns = obj.metadata.namespace ?? "";
  const events = store.list<Event>("Event", ns ? { namespace: ns } : {});
  const uids = new Set([obj.metadata.uid, ...(query.uidIsName ? [obj.metadata.name] : [])]);
  return events.filter((e) => {
    const ref = e.involvedObject ?? {};
    if (ref.name !== obj.metadata.name || (ref.namespace ?? "") !== ns) return false;
    if (query.kind !== false && ref.kind !== obj.kind) return false;
    return uids.has(ref.uid ?? "");
  });
}

const zeroTime = (ts: string | null | undefined) => (ts ? Date.parse(ts) : -Infinity);

/** `DescribeEvents`: flushes the layout above, then writes the events table (or `<none>`). */
export function describeEvents(w: DescribeWriter, events: readonly Event[], now: number): void {
  if (events.length === 0) return w.write(0, "Events:\t<none>\n");
  w.flush();
  const sorted = [...events].sort((a, b) => zeroTime(a.lastTimestamp) - zeroTime(b.lastTimestamp));
  w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
  w.write(1, "----\t------\t----\t----\t-------\n");
  for (const e of sorted) {
    const first = e.eventTime ? since(e.eventTime, now) : since(e.firstTimestamp, now);
    let interval = first;
    if (e.series) interval = `${since(e.series.lastObservedTime, now)} (x${e.series.count} over ${first})`;
    else if ((e.count ?? 0) > 1) interval = `${since(e.lastTimestamp, now)} (x${e.count} over ${first})`;
    const source = e.source?.component || e.reportingComponent || "";
    w.write(1, `${e.type ?? ""}\t${e.reason ?? ""}\t${interval}\t${source}\t${(e.message ?? "").trim()}\n`);
  }
}
