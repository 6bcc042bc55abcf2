// Runs once when the server starts: open the database and apply migrations before the first
// request, so a misconfigured database is reported at once, in one line.
export async function register() {
  // Build workers load this file too; only a serving Node.js process owns the database.
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.NEXT_PHASE !== "phase-production-build") {
    const { openDatabaseAtStartup } = await import("./lib/db/startup");
    await openDatabaseAtStartup();
  }
}
