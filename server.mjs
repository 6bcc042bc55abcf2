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

// On SIGTERM/SIGINT: stop taking requests, finish those in flight, then close the database (the
// embedded one checkpoints and shuts down cleanly) and exit; at most 10 s in all.
const database = () => globalThis[Symbol.for("netlab.database")];
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, () => {
    setTimeout(() => process.exit(1), 10_000).unref();
    server.close(async () => {
      await database()?.then((db) => db.close()).catch((error) => console.error("netlab: closing the database failed:", error));
      process.exit(0);
    });
    server.closeIdleConnections();
  });
}
