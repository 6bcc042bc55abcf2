import type { ObjectStore, Stored } from "../api";
import type { VirtualClock } from "../util/clock";

/** Who reports an event: `kubectl describe` prints it in the From column. */
export interface EventSource {
  component: string;
  host?: string;
}

/**
 * Records core/v1 Events as client-go's recorder does: one Event per (object, type, reason,
 * message, source), its `count` and `lastTimestamp` bumped when it repeats; names are
 * `<object>.<hex nanoseconds>` like upstream's.
 *
 * @example
 * events.record(pod, "Normal", "Scheduled", "Successfully assigned default/web to node01", { component: "default-scheduler" });
 */
export class EventRecorder {
  private seq = 0;
  private readonly seen = new Map<string, { namespace: string; name: string }>();

  constructor(private readonly store: ObjectStore, private readonly clock: VirtualClock) {}

  record(obj: Stored, type: "Normal" | "Warning", reason: string, message: string, source: EventSource): void {
    const namespace = obj.metadata.namespace || "default";
    const aggregateKey = [obj.metadata.uid, type, reason, message, source.component, source.host ?? ""].join("\u0000");
    const now = this.clock.rfc3339();
    const previous = this.seen.get(aggregateKey);
    const existing = previous && this.store.find("Event", previous.namespace, previous.name);
    if (existing) {
      this.store.update({ ...existing, count: ((existing.count as number | undefined) ?? 1) + 1, lastTimestamp: now });
      return;
    }
    const nanos = BigInt(this.clock.now()) * 1_000_000n + BigInt(this.seq++);
    const name = `${obj.metadata.name}.${nanos.toString(16)}`;
    this.store.create({
      apiVersion: "v1",
      kind: "Event",
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        name: obj.metadata.name,
        namespace: obj.metadata.namespace,
        uid: obj.metadata.uid,
        resourceVersion: obj.metadata.resourceVersion,
      },
      reason,
      message,
      source,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? "",
    });
    this.seen.set(aggregateKey, { namespace, name });
  }
}
