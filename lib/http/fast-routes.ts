/**
 * Routes the production server (server.mjs) answers before Next's request handler: the busiest
 * request there is, a Check, costs ~2 ms of Next's routing, request objects and tracing on the
 * event loop before any of ours — most of what one core can give it at 300 Checks/s. The handler
 * is registered at start-up from Next's own module graph (instrumentation.ts), so it shares the
 * database, the grading workers and every other module with the routes Next serves; the route
 * handler stays, so `next dev` and `next start` answer the same.
 *
 * A handler answers `true` when it has answered, or `false` before it has touched the request,
 * to hand it to Next untouched: it does so whenever Next would do more than it does (a cookie
 * to set, a proxy.ts that would act).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "./node";

export type FastHandler = (request: IncomingMessage, response: ServerResponse, params: Record<string, string>) => Promise<boolean>;

interface FastRoute {
  method: string;
  /** Named groups are the handler's params, URL-decoded. */
  path: RegExp;
  handler: FastHandler;
}

/** What server.mjs calls with each request (a global, as it is plain JavaScript outside Next's build). */
type Dispatch = (request: IncomingMessage, response: ServerResponse) => Promise<boolean> | false;
const KEY = Symbol.for("netlab.fastRoutes");
const holder = globalThis as { [KEY]?: Dispatch };
const routes: FastRoute[] = [];

/** Adds a route; the first registration installs the dispatcher server.mjs looks for. */
export function registerFastRoute(route: FastRoute): void {
  routes.push(route);
  holder[KEY] = dispatch;
}

/** Serves a request with the registered routes: what server.mjs calls, exported for tests. */
export function dispatch(request: IncomingMessage, response: ServerResponse): Promise<boolean> | false {
  const url = request.url ?? "/";
  const query = url.indexOf("?");
  const pathname = query < 0 ? url : url.slice(0, query);
  for (const route of routes) {
    if (request.method !== route.method) continue;
    const match = route.path.exec(pathname);
    if (!match) continue;
    const params: Record<string, string> = {};
    for (const [name, value] of Object.entries(match.groups ?? {})) {
      try {
        params[name] = decodeURIComponent(value);
      } catch {
        return false; // Next answers a malformed URL its own way
      }
    }
    return route.handler(request, response, params).catch((error: unknown) => {
      // As Next does for a route handler that throws: the details go to the log, not the client.
      console.error(`${request.method} ${pathname} failed:`, error);
      if (!response.headersSent) sendJson(response, request, 500, { error: "internal server error" });
      else response.destroy();
      return true;
    });
  }
  return false;
}
