/**
 * The database could not be reached or opened. Its message is one line a person can act on;
 * the server prints it instead of a stack trace.
 */
export class DatabaseUnavailableError extends Error {
  readonly code = "DATABASE_UNAVAILABLE";

  constructor(target: string, cause: unknown) {
    super(`netlab: cannot use the database at ${target}: ${describeCause(cause)}. ` +
      (target.startsWith("postgres")
        ? "Check that PostgreSQL is running and DATABASE_URL is right, or unset DATABASE_URL to use the embedded database."
        : "Check that the folder is writable and no other netlab server has it open."));
    this.name = "DatabaseUnavailableError";
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof AggregateError && cause.errors.length > 0) return describeCause(cause.errors[0]);
  if (cause instanceof Error) {
    const code = (cause as { code?: string }).code;
    const first = cause.message.split("\n")[0];
    return code && !first.includes(code) ? `${first} (${code})` : first || (code ?? cause.name);
  }
  return String(cause);
}
