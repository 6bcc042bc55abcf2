import { readLiveSession } from "@/lib/terminal/bus";
import { openSessionStore, type SessionStore } from "@/lib/terminal/persistence";
import type { CheckRequest } from "./api";

/**
 * What the learner has run on the lesson's cluster, for a Check: the terminal's live session
 * when it runs on this page and has inputs; otherwise the session it stored in IndexedDB (the
 * terminal is still restoring it, or not loaded at all). Nothing run yet gives an empty session,
 * which the server grades as the untouched cluster.
 */
export async function lessonSession(lesson: { sessionKey: string; scenario: string; seed: number }, store: SessionStore = openSessionStore()): Promise<CheckRequest> {
  const { sessionKey, scenario, seed } = lesson;
  const live = readLiveSession();
  if (live && live.key === sessionKey && live.entries.length > 0) return { scenario: live.scenario, seed: live.seed, entries: [...live.entries] };
  const saved = await store.load(sessionKey);
  if (saved && saved.scenario === scenario && saved.seed === seed) return { scenario, seed, entries: saved.entries };
  return { scenario, seed, entries: [] };
}
