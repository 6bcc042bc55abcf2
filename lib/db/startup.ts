import { getDatabase } from "./client";
import { DatabaseUnavailableError } from "./errors";

/**
 * Opens and migrates the database when the server starts. A database that cannot be used stops
 * the server with one line saying which database and why, rather than failing each request.
 */
export async function openDatabaseAtStartup(): Promise<void> {
  try {
    const db = await getDatabase();
    console.log(`netlab: database ready (${db.target})`);
  } catch (err) {
    console.error(err instanceof DatabaseUnavailableError
      ? err.message
      : `netlab: database migration failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
