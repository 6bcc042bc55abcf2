/**
 * How kubectl reports failures (`cmdutil.CheckErr`): API errors as `Error from server (Reason):
 * …` or `The Kind "x" is invalid: …`, usage errors with `See 'kubectl get -h' for help and
 * examples`, everything else prefixed with `error: `. Verbs throw {@link KubectlError} (or let
 * the store's ApiError through); the command turns either into stderr text and an exit code.
 *
 * @example
 * throw new KubectlError(`the server doesn't have a resource type "foo"`);
 * // stderr: error: the server doesn't have a resource type "foo"
 * throw usageError("kubectl create deployment", "exactly one NAME is required, got 0");
 * // stderr: error: exactly one NAME is required, got 0\nSee 'kubectl create deployment -h' for help and examples
 */
import { ApiError, kubectlErrorText } from "../api";

/** A client-side failure; `message` is printed after `error: ` unless `raw` says it stands alone. */
export class KubectlError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    /** Print the message as is (no `error: ` prefix), e.g. cobra's `Error: …` texts. */
    readonly raw = false,
  ) {
    super(message);
    this.name = "KubectlError";
  }
}

/** `cmdutil.UsageErrorf`: the message plus the hint to the verb's `-h`. */
export function usageError(commandPath: string, message: string): KubectlError {
  return new KubectlError(`${message}\nSee '${commandPath} -h' for help and examples`);
}

/** The stderr text (with its newline) kubectl prints for `error`, or undefined if it is a bug. */
export function errorText(error: unknown): string | undefined {
  if (error instanceof ApiError) return `${kubectlErrorText(error)}\n`;
  if (error instanceof KubectlError) {
    const text = error.raw || error.message.startsWith("error: ") ? error.message : `error: ${error.message}`;
    return text.endsWith("\n") ? text : `${text}\n`;
  }
  return undefined;
}

/** `messageForError`: an API error's `Error from server (…)` text, else the message as is. */
function messageForError(error: unknown): string {
  if (error instanceof ApiError) return `Error from server (${error.reason}): ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * What `CheckErr` prints for the errors a verb collected while carrying on: one error alone is
 * printed as {@link errorText} does; several (an aggregate) one per line, without `error: `.
 */
export function errorsText(errors: readonly unknown[]): string {
  if (errors.length === 0) return "";
  if (errors.length === 1) return errorText(errors[0]) ?? `error: ${messageForError(errors[0])}\n`;
  return errors.map((e) => `${messageForError(e)}\n`).join("");
}

/** The exit code for `error` (1 for every API error, as kubectl's `fatal` uses). */
export function errorExitCode(error: unknown): number {
  return error instanceof KubectlError ? error.exitCode : 1;
}
