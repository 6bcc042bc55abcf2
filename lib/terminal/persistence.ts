/**
 * A terminal session kept in the browser's IndexedDB, one record per lesson (or playground
 * cluster): the scenario, the seed, every input with its elapsed time (to rebuild the same
 * cluster by replay) and the tail of the screen (to restore the scrollback).
 *
 * @example
 * const store = openSessionStore();
 * const saved = await store.load("lesson:network-namespaces");
 * await store.save({ key, scenario, seed, entries, screen, updatedAt: Date.now() });
 */
import type { TranscriptEntry } from "./protocol";

export interface StoredSession {
  key: string;
  scenario: string;
  seed: number;
  entries: TranscriptEntry[];
  /** What the terminal showed (prompts, inputs, outputs), at most SCREEN_LINES lines. */
  screen: string;
  updatedAt: number;
  version: 1;
}

export const SCREEN_LINES = 2000;
const DB_NAME = "netlab-terminal";
const STORE = "sessions";

export interface SessionStore {
  load(key: string): Promise<StoredSession | null>;
  save(session: StoredSession): Promise<void>;
  remove(key: string): Promise<void>;
}

/** The last `max` lines of terminal text. */
export function boundScreen(screen: string, max = SCREEN_LINES): string {
  let index = screen.length;
  for (let lines = 0; lines < max; lines++) {
    index = screen.lastIndexOf("\n", index - 1);
    if (index < 0) return screen;
  }
  return screen.slice(index + 1);
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** IndexedDB-backed sessions; a store that forgets everything where IndexedDB is missing or refused. */
export function openSessionStore(factory: IDBFactory | undefined = globalThis.indexedDB): SessionStore {
  if (!factory) return memoryStore();
  let db: Promise<IDBDatabase> | null = null;
  const open = () => {
    db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = factory.open(DB_NAME, 1);
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE, { keyPath: "key" });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
      req.onblocked = () => reject(new Error("IndexedDB is blocked by another tab"));
    });
    return db;
  };
  const tx = async (mode: IDBTransactionMode) => (await open()).transaction(STORE, mode).objectStore(STORE);
  return {
    async load(key) {
      try {
        const found = (await request((await tx("readonly")).get(key))) as StoredSession | undefined;
        return found && found.version === 1 && Array.isArray(found.entries) ? found : null;
      } catch {
        return null;
      }
    },
    async save(session) {
      try {
        await request((await tx("readwrite")).put({ ...session, screen: boundScreen(session.screen) }));
      } catch {
        // Private mode or a full disk: the session still works, it just will not come back.
      }
    },
    async remove(key) {
      try {
        await request((await tx("readwrite")).delete(key));
      } catch {
        // as above
      }
    },
  };
}

/** A store in memory (tests, and browsers without IndexedDB). */
export function memoryStore(): SessionStore {
  const sessions = new Map<string, StoredSession>();
  return {
    load: async (key) => structuredClone(sessions.get(key) ?? null),
    save: async (session) => void sessions.set(session.key, structuredClone({ ...session, screen: boundScreen(session.screen) })),
    remove: async (key) => void sessions.delete(key),
  };
}
