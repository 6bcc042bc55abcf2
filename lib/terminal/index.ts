/**
 * lib/terminal — the in-browser terminal's logic: the line editor, the worker protocol and the
 * worker that hosts the engine, the page-side client, session persistence in IndexedDB and the
 * bus from lesson prose to the terminal. No React and no xterm here (app/_components/terminal
 * owns those).
 *
 * Two modules are also entry points of their own, because they must stay out of the terminal's
 * chunk: `bus.ts` (imported by the lesson prose, in the page's first load) and `prepare.ts`
 * (imported lazily by the page to boot the engine while the terminal's code downloads).
 *
 * @example
 * const engine = claimEngine({ key: "lesson:network-namespaces", scenario: "single-node", seed: 1 });
 * const session = new TerminalSession({ terminal: xterm, engine });
 * xterm.onData((data) => session.input(data));
 * await session.start();
 */
export { LineEditor, tokenize, formatColumns, commonPrefix, toTerminal, type Completion, type LineEditorHost, type LineEditorOptions, type EditorMode } from "./line-editor";
export { createHandler, clampElapsed, mightContinue, MAX_ELAPSED_MS, type Request, type Response, type TranscriptEntry, type EngineFactory, type ScenarioSpecInput, type ScreenSize, type ProgramScreen } from "./protocol";
export { EngineClient, EngineError, type Ready, type Result, type Step, type WorkerLike } from "./client";
export { openSessionStore, memoryStore, boundScreen, SCREEN_LINES, type SessionStore, type StoredSession } from "./persistence";
export { TerminalSession, type SessionStatus, type TerminalLike, type TerminalSessionOptions } from "./session";
export { typeInTerminal, connectTerminal, onTerminalRequest, provideLiveSession, readLiveSession, type LiveSession } from "./bus";
export { createEngineWorker } from "./create-worker";
export { prepareEngine, claimEngine, releaseEngine, abandonEngine, warmEngine, type EngineOptions, type PreparedEngine } from "./prepare";
