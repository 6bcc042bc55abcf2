/**
 * Runs the app's route handlers in vitest, as Next would: a request, the visitor's cookies (what
 * `cookies()` from next/headers reads and writes) and a fresh in-memory database per test file.
 *
 * @example
 * vi.mock("next/headers", () => import("../harness").then((h) => h.nextHeaders));
 * const visitor = new Visitor();
 * const res = await visitor.post(POST, "/api/progress", { lesson: "x", status: "started" });
 * expect(res.status).toBe(204);
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { afterAll, beforeAll } from "vitest";
import { openDatabase, type Database } from "@/lib/db";

type CookieOptions = { maxAge?: number; expires?: Date; httpOnly?: boolean; sameSite?: string; secure?: boolean; path?: string };
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;

export const ORIGIN = "http://netlab.test";

/**
 * The visitor whose request is being handled: what `cookies()` and `headers()` see. Per request,
 * as in Next, so concurrent requests (two tabs pressing Check) each see their own.
 */
const requests = new AsyncLocalStorage<{ jar: Map<string, string>; headers: Headers }>();

function active() {
  const current = requests.getStore();
  if (!current) throw new Error("next/headers used outside a request (call it through Visitor)");
  return current;
}

/** A stand-in for next/headers with the same surface the app uses. */
export const nextHeaders = {
  cookies: async () => {
    const { jar } = active();
    return {
      get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined),
      getAll: () => [...jar].map(([name, value]) => ({ name, value })),
      has: (name: string) => jar.has(name),
      set: (name: string | { name: string; value: string } & CookieOptions, value?: string, options?: CookieOptions) => {
        const c = typeof name === "string" ? { name, value: value ?? "", ...options } : name;
        if (c.maxAge === 0 || (c.expires && c.expires.getTime() <= Date.now())) jar.delete(c.name);
        else jar.set(c.name, c.value);
      },
      delete: (name: string) => void jar.delete(name),
    };
  },
  headers: async () => active().headers,
};

/**
 * One browser: a cookie jar carried across requests. `post`/`get` call a route handler with a
 * same-origin request unless `headers` say otherwise.
 */
export class Visitor {
  readonly jar = new Map<string, string>();

  constructor(readonly ip = "203.0.113.7") {}

  async call(handler: Handler, method: string, path: string, init: { body?: unknown; raw?: string; headers?: Record<string, string>; params?: Record<string, string> } = {}): Promise<Response> {
    const headers = new Headers({ origin: ORIGIN, host: new URL(ORIGIN).host, "sec-fetch-site": "same-origin", "x-forwarded-for": this.ip, ...init.headers });
    for (const [k, v] of Object.entries(init.headers ?? {})) if (v === "") headers.delete(k);
    const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
    if (body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
    if (this.jar.size) headers.set("cookie", [...this.jar].map(([k, v]) => `${k}=${v}`).join("; "));
    const request = new Request(new URL(path, ORIGIN), { method, headers, body });
    const response = await requests.run({ jar: this.jar, headers }, () => handler(request, { params: Promise.resolve(init.params ?? {}) }));
    for (const line of response.headers.getSetCookie()) this.applySetCookie(line);
    return response;
  }

  post(handler: Handler, path: string, body?: unknown, init: { headers?: Record<string, string>; params?: Record<string, string> } = {}) {
    return this.call(handler, "POST", path, { ...init, body });
  }

  get(handler: Handler, path: string, init: { headers?: Record<string, string>; params?: Record<string, string> } = {}) {
    return this.call(handler, "GET", path, init);
  }

  private applySetCookie(line: string): void {
    const [pair, ...attrs] = line.split(";").map((s) => s.trim());
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq);
    const value = decodeURIComponent(pair.slice(eq + 1));
    const expired = attrs.some((a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && Date.parse(a.slice(8)) <= Date.now()));
    if (expired || value === "") this.jar.delete(name);
    else this.jar.set(name, value);
  }
}

const GLOBAL_KEY = Symbol.for("netlab.database");

/**
 * Gives the test file its own in-memory database as the process database (what getPrisma()
 * returns), and closes it after the file's tests.
 */
export function withTestDatabase(): { db: () => Database } {
  let db: Database | undefined;
  beforeAll(async () => {
    const opened = openDatabase({ dataDir: "memory://" });
    (globalThis as Record<symbol, unknown>)[GLOBAL_KEY] = opened;
    db = await opened;
  });
  afterAll(async () => {
    delete (globalThis as Record<symbol, unknown>)[GLOBAL_KEY];
    await db?.close();
  });
  return {
    db: () => {
      if (!db) throw new Error("the test database is not open yet (use it inside a test)");
      return db;
    },
  };
}
