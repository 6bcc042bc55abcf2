/**
 * The page's side of the worker protocol: requests as promises.
 *
 * @example
 * const client = new EngineClient(() => new Worker(new URL("./worker.ts", import.meta.url), { type: "module" }));
 * const { prompt } = await client.init({ scenario: "single-node", seed: 1 });
 * const { output } = await client.run("hostname", 1200);
 * const { program } = await client.run("vi /tmp/x", 800);   // program.screen: vi's first drawing
 * const step = await client.keys("ihello\x1b:wq\r", 2000); // step.result: the line's end
 * const stop = client.onView((view) => draw(view));      // the cluster's picture, as it changes
 */
import type { ClusterView } from "@/lib/engine";
import type { Completion } from "./line-editor";
import type { Request, Response, ScenarioSpecInput, TranscriptEntry, TransportRequest } from "./protocol";

export type Ready = Extract<Response, { type: "ready" }>;
export type Result = Extract<Response, { type: "result" }>;
export type Step = Extract<Response, { type: "step" }>;

/** Anything that posts requests and delivers responses (a Worker, or a fake in tests). */
export interface WorkerLike {
  postMessage(message: Request | TransportRequest): void;
  onmessage: ((event: MessageEvent<Response>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

export class EngineError extends Error {}

export class EngineClient {
  private readonly worker: WorkerLike;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: Response) => void; reject: (e: Error) => void }>();
  private ready: { resolve: (r: Ready) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;
  /** The answers' fast path (see TransportRequest in protocol.ts). */
  private readonly channel: BroadcastChannel | null = null;
  private latestView: ClusterView | null = null;
  private readonly viewListeners = new Set<(view: ClusterView) => void>();
  /** Called when the worker dies (its script failed to load or threw at top level). */
  onfatal: ((error: Error) => void) | null = null;

  constructor(createWorker: () => WorkerLike) {
    this.worker = createWorker();
    this.worker.onmessage = (event) => this.receive(event.data);
    if (typeof BroadcastChannel !== "undefined" && typeof crypto !== "undefined" && "randomUUID" in crypto) {
      const name = `netlab-engine-${crypto.randomUUID()}`;
      this.channel = new BroadcastChannel(name);
      this.channel.onmessage = (event: MessageEvent<Response>) => this.receive(event.data);
      this.worker.postMessage({ type: "connect", channel: name });
    }
    this.worker.onerror = (event) => {
      event.preventDefault?.();
      this.fail(new EngineError(event.message || "the engine worker failed to start"));
    };
  }

  init(options: { scenario: string; spec?: ScenarioSpecInput; seed: number; transcript?: TranscriptEntry[] }): Promise<Ready> {
    return this.boot({ type: "init", ...options });
  }

  reset(): Promise<Ready> {
    return this.boot({ type: "reset" });
  }

  run(line: string, elapsedMs: number): Promise<Result> {
    return this.request<Result>({ type: "run", id: 0, line, elapsedMs });
  }

  /** Keys for the running full-screen program; empty `data` is a tick (time passing). */
  keys(data: string, elapsedMs: number): Promise<Step> {
    return this.request<Step>({ type: "keys", id: 0, data, elapsedMs });
  }

  /** The terminal's size (a running program redraws in the answer). */
  resize(rows: number, columns: number): Promise<Step> {
    return this.request<Step>({ type: "resize", id: 0, rows, columns });
  }

  async complete(line: string, cursor: number): Promise<Completion> {
    const { candidates, replaceFrom, replaceTo } = await this.request<Extract<Response, { type: "candidates" }>>({ type: "complete", id: 0, line, cursor });
    return { candidates, replaceFrom, replaceTo };
  }

  async isIncomplete(input: string): Promise<boolean> {
    const { incomplete } = await this.request<Extract<Response, { type: "checked" }>>({ type: "check", id: 0, input });
    return incomplete;
  }

  /** The cluster's latest view (the worker sends one when it changed), or null before the first. */
  get view(): ClusterView | null {
    return this.latestView;
  }

  /**
   * Calls `listener` with the latest view now (if there is one) and with every new one after;
   * returns the function that stops it.
   */
  onView(listener: (view: ClusterView) => void): () => void {
    this.viewListeners.add(listener);
    if (this.latestView) listener(this.latestView);
    return () => void this.viewListeners.delete(listener);
  }

  dispose(): void {
    this.fail(new EngineError("the terminal was closed"));
    this.channel?.close();
    this.worker.terminate();
  }

  private boot(request: Request): Promise<Ready> {
    if (this.failure) return Promise.reject(this.failure);
    this.ready?.reject(new EngineError("superseded"));
    return new Promise<Ready>((resolve, reject) => {
      this.ready = { resolve, reject };
      this.worker.postMessage(request);
    });
  }

  private request<T extends Response>(request: Extract<Request, { id: number }>): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: Response) => void, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  private receive(response: Response): void {
    if (response.type === "view") {
      this.latestView = response.view;
      for (const listener of [...this.viewListeners]) listener(response.view);
      return;
    }
    if (response.type === "ready") {
      this.ready?.resolve(response);
      this.ready = null;
      return;
    }
    if (response.type === "error" && response.id === undefined) {
      this.ready?.reject(new EngineError(response.message));
      this.ready = null;
      return;
    }
    const waiting = this.pending.get(response.id!);
    if (!waiting) return;
    this.pending.delete(response.id!);
    if (response.type === "error") waiting.reject(new EngineError(response.message));
    else waiting.resolve(response);
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.ready?.reject(error);
    this.ready = null;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
    this.onfatal?.(error);
  }
}
