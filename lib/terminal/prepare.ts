/**
 * Starts the engine before the terminal's own code has arrived. This module is a few kilobytes
 * and part of the page's first load: the page starts the worker as its scripts run
 * (`warmEngine`), asks for its cluster once hydrated (`prepareEngine`: the stored session is
 * read and replayed), and xterm downloads meanwhile; the terminal then `claimEngine`s it. One
 * terminal per page.
 *
 * @example
 * warmEngine();                                     // module scope of the page's terminal slot
 * prepareEngine({ key, scenario, seed });           // once the page knows its cluster
 * const engine = claimEngine({ key, scenario, seed }); … releaseEngine(engine); // the terminal
 */
import { EngineClient, type Ready, type WorkerLike } from "./client";
import { createEngineWorker } from "./create-worker";
import { openSessionStore, type SessionStore, type StoredSession } from "./persistence";
import type { ScenarioSpecInput } from "./protocol";

export interface EngineOptions {
  /** Where the session is stored (`lesson:<slug>`, `playground:<scenario>:<seed>`). */
  key: string;
  scenario: string;
  seed: number;
  spec?: ScenarioSpecInput;
}

export interface PreparedEngine {
  readonly options: EngineOptions;
  readonly client: EngineClient;
  readonly store: SessionStore;
  /** The stored session for this key, scenario and seed, if any. */
  readonly saved: Promise<StoredSession | null>;
  /** The cluster, booted and with the stored session replayed. */
  readonly ready: Promise<Ready>;
}

/** A worker started before anyone knew the scenario (warmEngine): it loads the engine meanwhile. */
let spare: EngineClient | null = null;
let waiting: PreparedEngine | null = null;
let active: PreparedEngine | null = null;

const same = (a: EngineOptions, b: EngineOptions) =>
  a.key === b.key && a.scenario === b.scenario && a.seed === b.seed && JSON.stringify(a.spec ?? null) === JSON.stringify(b.spec ?? null);

/** A User Timing mark (visible in the browser's performance panel and to the e2e figures). */
export function mark(name: string, detail?: unknown): void {
  globalThis.performance?.mark?.(`netlab:${name}`, { detail });
}

/**
 * Starts the engine's worker now, before the page knows which cluster it wants: downloading and
 * compiling the engine is most of the time to a prompt. The next prepareEngine takes it.
 */
export function warmEngine(): void {
  if (spare || waiting || active || typeof Worker === "undefined") return;
  mark("engine-warm");
  spare = new EngineClient(createEngineWorker);
}

function create(options: EngineOptions, createWorker: () => WorkerLike, store: SessionStore): PreparedEngine {
  mark("engine-start");
  const client = spare && createWorker === createEngineWorker ? spare : new EngineClient(createWorker);
  if (client === spare) spare = null;
  const saved = store
    .load(options.key)
    .then((s) => (s && s.scenario === options.scenario && s.seed === options.seed ? s : null));
  const ready = saved.then((s) => client.init({ scenario: options.scenario, spec: options.spec, seed: options.seed, transcript: s?.entries ?? [] }));
  ready.then((r) => mark("engine-ready", { bootMs: r.bootMs, replayed: r.replayed })).catch(() => undefined);
  return { options, client, store, saved, ready };
}

/**
 * Boots the engine for these options, once: nothing happens if it is already booting or a
 * terminal already runs on it.
 */
export function prepareEngine(options: EngineOptions, createWorker: () => WorkerLike = createEngineWorker, store: SessionStore = openSessionStore()): PreparedEngine {
  if (active && same(active.options, options)) return active;
  if (waiting && same(waiting.options, options)) return waiting;
  waiting?.client.dispose();
  waiting = create(options, createWorker, store);
  return waiting;
}

/** Takes the engine prepared for these options, or boots one now. */
export function claimEngine(options: EngineOptions, createWorker: () => WorkerLike = createEngineWorker, store: SessionStore = openSessionStore()): PreparedEngine {
  let engine: PreparedEngine;
  if (waiting && same(waiting.options, options)) {
    engine = waiting;
  } else {
    waiting?.client.dispose();
    engine = create(options, createWorker, store);
  }
  waiting = null;
  active = engine;
  return engine;
}

/** The page left before its terminal took the engine: stop the worker. */
export function abandonEngine(options: EngineOptions): void {
  if (waiting && same(waiting.options, options)) {
    waiting.client.dispose();
    waiting = null;
  }
}

/** The terminal is gone: stop its worker. */
export function releaseEngine(engine: PreparedEngine): void {
  engine.client.dispose();
  if (active === engine) active = null;
}
