// Runs once when the server starts: open the database and apply migrations before the first
// request, so a misconfigured database is reported at once, in one line.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Build workers load this file too; only a serving process owns the database.
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { getDatabase, DatabaseUnavailableError } = await import("@/lib/db");
  try {
    const db = await getDatabase();
    console.log(`netlab: database ready (${db.target})`);
  } catch (err) {
    if (err instanceof DatabaseUnavailableError) {
      console.error(err.message);
      process.exit(1);
    }
    console.error(`netlab: database migration failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
