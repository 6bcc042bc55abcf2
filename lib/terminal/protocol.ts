/**
 * The messages between the page and the worker that hosts the engine, and the worker's handler
 * as a plain function (so it runs in Node tests without a Worker).
 *
 * page → worker                                       worker → page
 * init { scenario, spec?, seed, transcript? }    →    ready { prompt, replayed, bootMs, program? }
 * run { id, line, elapsedMs }                    →    result { id, output, exitCode, prompt, program? }
 * keys { id, data, elapsedMs }                   →    step { id, screen, running, wakeMs?, result? }
 * resize { id, rows, columns }                   →    step { id, screen, running, wakeMs? }
 * complete { id, line, cursor }                  →    candidates { id, candidates, replaceFrom, replaceTo }
 * check { id, input }                            →    checked { id, incomplete }   (does the input go on?)
 * reset                                          →    ready { prompt, replayed: 0, bootMs }
 * anything that fails outside a command          →    error { id?, message }
 * (after a ready, result or step)                →    view { view }   (the diagram's data, when it changed)
 *
 * Full-screen programs (vi, nano, watch, kubectl edit): a `run` whose line started one answers
 * with `program: { screen, wakeMs? }` (raw bytes, starting with the switch to the alternate
 * screen); the page then sends the learner's keys as `keys` (and `keys` with empty data after
 * `wakeMs` as a tick, for watch) until a `step` carries the line's `result`. `keys` while no
 * program runs answers `{ running: false }` without a result: the page gives those keys to its
 * line editor. `ready.program` is set when a replayed transcript ends inside a program.
 *
 * Transport (worker.ts, not the handler): `connect { channel }` first asks the worker to answer
 * on a BroadcastChannel of that name. Chrome delivers a worker's postMessage to the page only
 * after the next frame when it follows a key press (about 15 ms); a BroadcastChannel message
 * arrives at once, which keeps a command's round trip within a frame.
 *
 * Views: after answering init, reset, run, keys or resize, the handler reads the cluster's view
 * (`clusterView`, when the factory has it) and posts it if its version differs from the last one
 * posted, so the diagram follows the cluster without polling and unchanged views are not resent.
 * Reading the view changes nothing in the cluster: a replay of the same transcript (the server's
 * grading) stays byte for byte the same.
 *
 * Requests are handled one at a time, in order. A command that throws inside the engine answers
 * `result` with the line `netlab: internal error: …` (exit code 1) and the session goes on.
 */
import type { ClusterView, Completion, CreateClusterOptions, InputResult, RunResult, Shell } from "@/lib/engine";
// The replay module itself, not the engine's index: it is tiny and engine-free, and session.ts
// (in the page's chunk) takes clampElapsed from here, so the engine must not come along.
import { clampElapsed, replayTranscript, type ScreenSize, type TranscriptEntry } from "@/lib/engine/replay";

export { clampElapsed, MAX_ELAPSED_MS, type ScreenSize, type TranscriptEntry } from "@/lib/engine/replay";

/** The alternate screen buffer, which full-screen programs draw on (the engine switches to it too). */
const ALT_SCREEN_ON = "\x1b[?1049h";
const ALT_SCREEN_OFF = "\x1b[?1049l";

/**
 * Whether an input might go on to another line: only then is the engine's parser asked. Bash
 * continues after an open quote, a here-document, `\` at the end, a trailing `|`, `&&` or `||`,
 * an open `(`, `{` or `[[`, and compound commands (if, for, while, until, case, select).
 */
export function mightContinue(input: string): boolean {
  return /['"`(){}\\]|<<|\[\[|[|&]\s*$|(^|[\s;&|])(if|for|while|until|case|select|function)(\s|$)/.test(input);
}

/** A running full-screen program's drawing, and when it wants a tick. */
export interface ProgramScreen {
  screen: string;
  wakeMs?: number;
}

/** A scenario as data (a lesson's scenario.yaml), passed through to `createCluster({ spec })`. */
export type ScenarioSpecInput = NonNullable<CreateClusterOptions["spec"]>;

export type Request =
  | { type: "init"; scenario: string; spec?: ScenarioSpecInput; seed: number; transcript?: TranscriptEntry[] }
  | { type: "run"; id: number; line: string; elapsedMs: number }
  | { type: "keys"; id: number; data: string; elapsedMs: number }
  | { type: "resize"; id: number; rows: number; columns: number }
  | { type: "complete"; id: number; line: string; cursor: number }
  | { type: "check"; id: number; input: string }
  | { type: "reset" };

/** Sent by the client to the worker itself, never to the handler. */
export type TransportRequest = { type: "connect"; channel: string };

export type Response =
  | { type: "ready"; prompt: string; replayed: number; bootMs: number; program?: ProgramScreen }
  | { type: "result"; id: number; output: string; exitCode: number; prompt: string; program?: ProgramScreen }
  | { type: "step"; id: number; screen: string; running: boolean; wakeMs?: number; result?: { output: string; exitCode: number; prompt: string } }
  | ({ type: "candidates"; id: number } & Completion)
  | { type: "checked"; id: number; incomplete: boolean }
  | { type: "error"; id?: number; message: string }
  | { type: "view"; view: ClusterView };

/** The requests whose answer may change the cluster: a view follows them. */
const VIEW_AFTER: ReadonlySet<Request["type"]> = new Set(["init", "reset", "run", "keys", "resize"]);

/** The slice of the engine the worker uses (the public contract). */
export interface EngineFactory<Cluster extends { shell(): Shell } = { shell(): Shell }> {
  createCluster(options: CreateClusterOptions): Cluster;
  isIncomplete(input: string): boolean;
  /** The diagram's data (`clusterView` from the engine); without it no views are posted. */
  clusterView?(cluster: Cluster): ClusterView;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The worker's message handler. `post` sends a response; `now` times the boot (performance.now
 * in the worker). Returns `handle(request)`, which resolves once that request is answered.
 */
export function createHandler<Cluster extends { shell(): Shell }>(
  engine: EngineFactory<Cluster>,
  post: (response: Response) => void,
  now: () => number = () => 0,
): (request: Request) => Promise<void> {
  let cluster: Cluster | null = null;
  let shell: Shell | null = null;
  /** The version of the last view posted (a fresh cluster that looks the same is not resent). */
  let viewVersion: string | null = null;
  let options: CreateClusterOptions | null = null;
  let queue: Promise<void> = Promise.resolve();
  /** Whether the last answer left a full-screen program waiting for keys. */
  let running = false;
  let wakeMs: number | undefined;
  /** The terminal's size as last told (programs start at 24×80 until then). */
  let size: ScreenSize = { rows: 24, columns: 80 };

  const boot = async (transcript: readonly TranscriptEntry[]) => {
    const started = now();
    shell = (cluster = engine.createCluster(options!)).shell();
    // The same replay the server grades with (lib/engine/replay.ts): same inputs, same cluster.
    const replay = await replayTranscript(shell, transcript, { size });
    ({ running, wakeMs, size } = replay);
    let program: ProgramScreen | undefined;
    if (running) {
      // Redraw the program whole, on the alternate screen, for the restored terminal.
      const redraw = await shell.resize(size);
      program = { screen: ALT_SCREEN_ON + redraw.screen, ...(wakeMs !== undefined ? { wakeMs } : {}) };
    }
    post({ type: "ready", prompt: shell.prompt(), replayed: replay.replayed, bootMs: now() - started, ...(program ? { program } : {}) });
  };

  const process = async (request: Request): Promise<void> => {
    switch (request.type) {
      case "init": {
        options = request.spec ? { spec: request.spec, seed: request.seed } : { scenario: request.scenario, seed: request.seed };
        try {
          await boot(request.transcript ?? []);
        } catch (error) {
          shell = null;
          post({ type: "error", message: `netlab: could not start the cluster: ${message(error)}` });
        }
        return;
      }
      case "reset": {
        if (!options) return post({ type: "error", message: "netlab: reset before init" });
        try {
          await boot([]);
        } catch (error) {
          shell = null;
          post({ type: "error", message: `netlab: could not start the cluster: ${message(error)}` });
        }
        return;
      }
      case "run": {
        if (!shell) return post({ type: "error", id: request.id, message: "netlab: the cluster is not running" });
        let result: RunResult;
        try {
          result = await shell.run(request.line, { elapsedMs: clampElapsed(request.elapsedMs) });
        } catch (error) {
          return post({ type: "result", id: request.id, output: `netlab: internal error: ${message(error)}\n`, exitCode: 1, prompt: safePrompt(shell) });
        }
        running = result.program !== undefined;
        const program = result.program ? { program: result.program } : {};
        return post({ type: "result", id: request.id, output: result.output, exitCode: result.exitCode, prompt: safePrompt(shell), ...program });
      }
      case "keys":
      case "resize": {
        if (!shell) return post({ type: "error", id: request.id, message: "netlab: the cluster is not running" });
        let step: InputResult;
        try {
          step =
            request.type === "keys"
              ? await shell.input(request.data, { elapsedMs: clampElapsed(request.elapsedMs) })
              : await shell.resize((size = { rows: Math.max(1, Math.round(request.rows)), columns: Math.max(1, Math.round(request.columns)) }));
        } catch (error) {
          // A program that breaks is left: the line ends with the error, the prompt comes back.
          running = false;
          const output = `netlab: internal error: ${message(error)}\n`;
          return post({ type: "step", id: request.id, screen: ALT_SCREEN_OFF, running: false, result: { output, exitCode: 1, prompt: safePrompt(shell) } });
        }
        running = step.running;
        const result = step.result ? { result: { output: step.result.output, exitCode: step.result.exitCode, prompt: safePrompt(shell) } } : {};
        const wake = step.wakeMs !== undefined ? { wakeMs: step.wakeMs } : {};
        return post({ type: "step", id: request.id, screen: step.screen, running: step.running, ...wake, ...result });
      }
      case "complete": {
        let completion: Completion = { candidates: [], replaceFrom: request.cursor, replaceTo: request.cursor };
        if (shell) {
          try {
            completion = shell.complete(request.line, request.cursor);
          } catch {
            // No candidates, as bash offers none when its completer fails.
          }
        }
        return post({ type: "candidates", id: request.id, ...completion });
      }
      case "check": {
        let incomplete = false;
        try {
          incomplete = engine.isIncomplete(request.input);
        } catch {
          // An input the parser chokes on is complete: running it reports the error.
        }
        return post({ type: "checked", id: request.id, incomplete });
      }
      default: {
        const unknown = request as { type?: unknown; id?: unknown };
        return post({ type: "error", id: typeof unknown.id === "number" ? unknown.id : undefined, message: `netlab: unknown request ${JSON.stringify(unknown.type)}` });
      }
    }
  };

  const postView = () => {
    if (!engine.clusterView || !cluster || !shell) return;
    let view: ClusterView;
    try {
      view = engine.clusterView(cluster);
    } catch {
      // The picture is a convenience: a cluster it cannot read still runs commands.
      return;
    }
    if (view.version === viewVersion) return;
    viewVersion = view.version;
    post({ type: "view", view });
  };

  return (request) => {
    const next = queue.then(async () => {
      await process(request);
      if (VIEW_AFTER.has(request.type)) postView();
    });
    queue = next.catch(() => undefined);
    return next;
  };
}

function safePrompt(shell: Shell): string {
  try {
    return shell.prompt();
  } catch {
    return "$ ";
  }
}
