/**
 * Watch delivery: typed change events handed to subscribers synchronously and in commit order.
 * A handler that writes to the store (a controller reacting) queues its events behind the one
 * being delivered, so every subscriber sees the same order.
 *
 * @example
 * const hub = new WatchHub();
 * const stop = hub.subscribe((ev) => queue.push(key(ev.object)), { kind: "Pod", namespace: "default" });
 * stop();
 */
import type { Stored } from "../types/meta";

/** One change: the object after it and, for MODIFIED/DELETED, the object before. */
export type WatchEvent =
  | { type: "ADDED"; object: Stored; old?: undefined }
  | { type: "MODIFIED"; object: Stored; old: Stored }
  | { type: "DELETED"; object: Stored; old: Stored };

/** A watch subscriber. */
export type WatchHandler = (event: WatchEvent) => void;

/**
 * A subscriber that is an object (the cluster): what long-lived state subscribes with, since
 * state holds no closures (see ../../CONTEXT.md).
 */
export interface WatchListener {
  onWatchEvent(event: WatchEvent): void;
}

/** Restricts a subscription to one kind and/or namespace. */
export interface WatchFilter {
  kind?: string;
  namespace?: string;
}

interface Subscription {
  handler: WatchHandler | WatchListener;
  filter: WatchFilter;
}

/** Ordered, re-entrancy-safe fan-out of watch events. */
export class WatchHub {
  private readonly subs = new Set<Subscription>();
  private readonly queue: WatchEvent[] = [];
  private delivering = false;

  subscribe(handler: WatchHandler | WatchListener, filter: WatchFilter): () => void {
    const sub = { handler, filter };
    this.subs.add(sub);
    return () => this.subs.delete(sub);
  }

  /** Queues `event`; delivers the queue unless a delivery is already under way. */
  emit(event: WatchEvent): void {
    this.queue.push(event);
    if (this.delivering) return;
    this.delivering = true;
    let failure: unknown;
    try {
      for (let ev = this.queue.shift(); ev; ev = this.queue.shift()) {
        for (const sub of [...this.subs]) {
          if (!matches(sub.filter, ev.object)) continue;
          try {
            if (typeof sub.handler === "function") sub.handler(ev);
            else sub.handler.onWatchEvent(ev);
          } catch (e) {
            // One failing subscriber must not starve the others; report it once all are served.
            failure ??= e;
          }
        }
      }
    } finally {
      this.delivering = false;
    }
    if (failure !== undefined) throw failure;
  }
}

function matches(filter: WatchFilter, obj: Stored): boolean {
  if (filter.kind !== undefined && filter.kind !== obj.kind) return false;
  return filter.namespace === undefined || filter.namespace === (obj.metadata.namespace ?? "");
}
