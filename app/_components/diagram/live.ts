/**
 * The page's live cluster views, by terminal session: the terminal publishes each view its
 * engine sends (EngineClient.onView), and every diagram on the page (the panel beside the
 * terminal, a lesson's inline `<Diagram/>`) reads it here. Small and free of the engine and
 * the terminal, so a diagram can subscribe before either has loaded.
 *
 * @example
 * const stop = client.onView((view) => publishClusterView("lesson:pods", view)); // the terminal
 * const view = useClusterView("lesson:pods");                                    // a diagram
 */
import { useSyncExternalStore } from "react";
import type { ClusterView } from "@/lib/engine";

const views = new Map<string, ClusterView>();
/** The session that published last: what a diagram that names none shows. */
let latest: string | null = null;
const listeners = new Set<() => void>();

/** The terminal of session `key` has a new view (or, with null, is gone). */
export function publishClusterView(key: string, view: ClusterView | null): void {
  if (view) {
    views.set(key, view);
    latest = key;
  } else {
    views.delete(key);
    if (latest === key) latest = views.size > 0 ? [...views.keys()].at(-1)! : null;
  }
  for (const listener of [...listeners]) listener();
}

/** The view of session `key`, or of the session that published last; null until one arrives. */
export function readClusterView(key?: string): ClusterView | null {
  const from = key ?? latest;
  return from === null ? null : (views.get(from) ?? null);
}

/** Calls `listener` after every publish; returns the function that stops it. */
export function subscribeClusterViews(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** The live view of session `key` (see readClusterView), re-rendering as it changes. */
export function useClusterView(key?: string): ClusterView | null {
  return useSyncExternalStore(
    subscribeClusterViews,
    () => readClusterView(key),
    () => null,
  );
}
