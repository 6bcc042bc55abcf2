// The database: opening it (embedded PGlite or PostgreSQL), migrating it, and the queries the
// app needs. Server-only: never import this from a client component or from lib/engine.
export { openDatabase, getDatabase, getPrisma, type Database, type OpenOptions } from "./client";
export { applyMigrations, type SqlConnection, type MigrationResult } from "./migrate";
export { DatabaseUnavailableError } from "./errors";
export { lessonStatuses, markLessonStarted, refreshLessonCompletion, QUIZ_PASS_SCORE, type ProgressStatus, type Db, type LessonRequirements } from "./progress";
export type { PrismaClient } from "./generated/client";
