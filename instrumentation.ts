// Runs once when the server starts, before it takes requests: open the database and apply
// migrations, so a misconfigured database is reported at once, in one line; start the grading
// workers with every lesson's cluster booted, so the first Check pays for neither; and give the
// production server (server.mjs) the routes it answers before Next (lib/http/fast-routes.ts).
export async function register() {
  // Build workers load this file too; only a serving Node.js process owns the database.
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.NEXT_PHASE !== "phase-production-build") {
    const { openDatabaseAtStartup } = await import("./lib/db/startup");
    const { startGradingAtStartup } = await import("./lib/grading/startup");
    const { registerFastRoute } = await import("./lib/http/fast-routes");
    const { CHECK_PATH, serveCheck } = await import("./app/api/lessons/[slug]/exercises/[id]/check/node");
    registerFastRoute({ method: "POST", path: CHECK_PATH, handler: serveCheck });
    await Promise.all([openDatabaseAtStartup(), startGradingAtStartup()]);
  }
}
