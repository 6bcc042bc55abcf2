// The production server (`npm start`, `npm run serve`): Next's request handler behind Node's HTTP
// server, with the few routes the app registered at start-up (lib/http/fast-routes.ts, from
// instrumentation.ts) answered first. Listens on PORT (3000) and HOST (all interfaces).
import { createServer } from "node:http";

// As `next start` does: the production build of React and Next, and the app's production settings.
process.env.NODE_ENV ??= "production";
const { default: next } = await import("next");

const port = Number(process.env.PORT) || 3000;
const host = process.env.HOST || undefined;
const app = next({ dev: false, port, hostname: host ?? "localhost" });
const handle = app.getRequestHandler();
await app.prepare();

/** The registered routes' dispatcher: true when it answered, false to leave the request to Next. */
const fastRoutes = () => globalThis[Symbol.for("netlab.fastRoutes")];

const server = createServer(async (request, response) => {
  const fast = fastRoutes();
  if (fast && (await fast(request, response))) return;
  await handle(request, response);
});
server.listen(port, host, () => console.log(`netlab ready on http://${host ?? "localhost"}:${port}`));

// As `next start`: finish what is in flight on SIGTERM/SIGINT, then exit.
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  });
}
