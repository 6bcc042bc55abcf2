/**
 * The messages between the page and the worker that hosts the engine, and the worker's handler
 * as a plain function (so it runs in Node tests without a Worker).
 *
 * page → worker                                       worker → page
 * init { scenario, spec?, seed, transcript? }    →    ready { prompt, replayed, bootMs }
 * run { id, line, elapsedMs }                    →    result { id, output, exitCode, prompt }
 * complete { id, line, cursor }                  →    candidates { id, candidates, replaceFrom, replaceTo }
 * check { id, input }                            →    checked { id, incomplete }   (does the input go on?)
 * reset                                          →    ready { prompt, replayed: 0, bootMs }
 * anything that fails outside a command          →    error { id?, message }
 *
 * Transport (worker.ts, not the handler): `connect { channel }` first asks the worker to answer
 * on a BroadcastChannel of that name. Chrome delivers a worker's postMessage to the page only
 * after the next frame when it follows a key press (about 15 ms); a BroadcastChannel message
 * arrives at once, which keeps a command's round trip within a frame.
 *
 * Requests are handled one at a time, in order. A command that throws inside the engine answers
 * `result` with the line `netlab: internal error: …` (exit code 1) and the session goes on.
 */
import type { Completion, CreateClusterOptions, RunResult, Shell } from "@/lib/engine";

/**
 * Whether an input might go on to another line: only then is the engine's parser asked. Bash
 * continues after an open quote, a here-document, `\` at the end, a trailing `|`, `&&` or `||`,
 * an open `(`, `{` or `[[`, and compound commands (if, for, while, until, case, select).
 */
export function mightContinue(input: string): boolean {
  return /['"`(){}\\]|<<|\[\[|[|&]\s*$|(^|[\s;&|])(if|for|while|until|case|select|function)(\s|$)/.test(input);
}

/** One input the learner ran, and the real milliseconds since the one before. */
export interface TranscriptEntry {
  line: string;
  elapsedMs: number;
}

/** A scenario as data (a lesson's scenario.yaml), passed through to `createCluster({ spec })`. */
export type ScenarioSpecInput = NonNullable<CreateClusterOptions["spec"]>;

export type Request =
  | { type: "init"; scenario: string; spec?: ScenarioSpecInput; seed: number; transcript?: TranscriptEntry[] }
  | { type: "run"; id: number; line: string; elapsedMs: number }
  | { type: "complete"; id: number; line: string; cursor: number }
  | { type: "check"; id: number; input: string }
  | { type: "reset" };

/** Sent by the client to the worker itself, never to the handler. */
export type TransportRequest = { type: "connect"; channel: string };

export type Response =
  | { type: "ready"; prompt: string; replayed: number; bootMs: number }
  | { type: "result"; id: number; output: string; exitCode: number; prompt: string }
  | ({ type: "candidates"; id: number } & Completion)
  | { type: "checked"; id: number; incomplete: boolean }
  | { type: "error"; id?: number; message: string };

/** The longest pause one input may advance the virtual clock by. */
export const MAX_ELAPSED_MS = 10 * 60 * 1000;

/** The slice of the engine the worker uses (the public contract). */
export interface EngineFactory {
  createCluster(options: CreateClusterOptions): { shell(): Shell };
  isIncomplete(input: string): boolean;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Milliseconds as the clock may take them: whole, non-negative, at most MAX_ELAPSED_MS. */
export function clampElapsed(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) return 0;
  return Math.min(Math.round(ms), MAX_ELAPSED_MS);
}

/**
 * The worker's message handler. `post` sends a response; `now` times the boot (performance.now
 * in the worker). Returns `handle(request)`, which resolves once that request is answered.
 */
export function createHandler(
  engine: EngineFactory,
  post: (response: Response) => void,
  now: () => number = () => 0,
): (request: Request) => Promise<void> {
  let shell: Shell | null = null;
  let options: CreateClusterOptions | null = null;
  let queue: Promise<void> = Promise.resolve();

  const boot = async (transcript: readonly TranscriptEntry[]) => {
    const started = now();
    shell = engine.createCluster(options!).shell();
    let replayed = 0;
    for (const entry of transcript) {
      try {
        await shell.run(entry.line, { elapsedMs: clampElapsed(entry.elapsedMs) });
      } catch {
        // It failed the same way the first time; its output is not shown again.
      }
      replayed += 1;
    }
    post({ type: "ready", prompt: shell.prompt(), replayed, bootMs: now() - started });
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
        return post({ type: "result", id: request.id, output: result.output, exitCode: result.exitCode, prompt: safePrompt(shell) });
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

  return (request) => {
    const next = queue.then(() => process(request));
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
