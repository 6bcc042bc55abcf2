/**
 * A tiny page-wide channel between the lesson prose and the terminal: "Run in terminal" on a
 * code block types the command into the terminal's line, and an exercise's Check reads what the
 * learner ran. Client-only and dependency-free, so the prose can use it without pulling the
 * terminal's code into the page's first load.
 *
 * @example
 * typeInTerminal("ip netns add red");           // a code block's button
 * const off = connectTerminal((text) => editor.type(text)); // the terminal, once it runs
 * const live = readLiveSession();               // an exercise's Check: { key, scenario, seed, entries }
 */
import type { TranscriptEntry } from "./protocol";

type Listener = (text: string) => void;

let listener: Listener | null = null;
let waiting: string | null = null;
const watchers = new Set<(text: string) => void>();

/**
 * Types `text` into the terminal (without running it). If the terminal is still loading, it is
 * typed as soon as the terminal connects.
 */
export function typeInTerminal(text: string): void {
  for (const watch of watchers) watch(text);
  if (listener) listener(text);
  else waiting = text;
}

/** The terminal registers here; returns the function that disconnects it. */
export function connectTerminal(next: Listener): () => void {
  listener = next;
  if (waiting !== null) {
    const text = waiting;
    waiting = null;
    next(text);
  }
  return () => {
    if (listener === next) listener = null;
  };
}

/** Called on every request (the lesson layout uses it to bring a stacked terminal into view). */
export function onTerminalRequest(watch: (text: string) => void): () => void {
  watchers.add(watch);
  return () => void watchers.delete(watch);
}

/** What the terminal on the page has run so far, on which cluster. */
export interface LiveSession {
  /** The session's IndexedDB key (`lesson:<slug>`). */
  key: string;
  scenario: string;
  seed: number;
  entries: readonly TranscriptEntry[];
}

let liveSession: (() => LiveSession) | null = null;

/** The running terminal offers its transcript here; returns the function that withdraws it. */
export function provideLiveSession(read: () => LiveSession): () => void {
  liveSession = read;
  return () => {
    if (liveSession === read) liveSession = null;
  };
}

/** The running terminal's session as it is now, or null when no terminal runs on the page. */
export function readLiveSession(): LiveSession | null {
  return liveSession ? liveSession() : null;
}
