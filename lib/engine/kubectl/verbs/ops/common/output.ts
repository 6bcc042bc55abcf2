/**
 * How the operations verbs print: kubectl's name printer (`deployment.apps/web rolled back`,
 * `node/node01 cordoned`, with ` (dry run)` / ` (server dry run)` appended the way
 * `PrintFlagsWithDryRunStrategy` does, `--dry-run` read as `GetDryRunStrategy` reads it), the
 * errors a `ContinueOnError` visit collected, and a runner that turns a thrown
 * {@link KubectlError} or API error into kubectl's stderr text after whatever was printed.
 *
 * @example
 * return withOutput(async (out) => {
 *   out.out(nameLine(resourceForKind("Deployment")!, "web", "restarted"));
 *   return 0;
 * }); // { stdout: "deployment.apps/web restarted\n", stderr: "", exitCode: 0, chunks }
 */
import { ApiError, type ResourceInfo, kubectlErrorText } from "../../../../api";
import { Output, type CommandResult } from "../../../../shell";
import { KubectlError, errorExitCode, errorText } from "../../../errors";
import type { KubectlArgs } from "../../../types";

/** `--dry-run` as kubectl reads it (`unchanged` is what a bare `--dry-run` means). */
export type DryRun = "none" | "client" | "server";

/** `cmdutil.GetDryRunStrategy`. */
export function dryRunOf(args: KubectlArgs): DryRun {
  const value = args.string("dry-run") ?? "none";
  if (["true", "1", "t", "T", "TRUE", "True"].includes(value)) return "client";
  if (["false", "0", "f", "F", "FALSE", "False"].includes(value)) return "none";
  if (value === "client" || value === "server" || value === "none") return value;
  if (value === "unchanged") return "client";
  throw new KubectlError(`Invalid dry-run value (${value}). Must be "none", "server", or "client".`);
}

/** `deployment.apps` / `pod` / `node`: the name printer's `kind.group` prefix. */
export function kindPrefix(info: ResourceInfo): string {
  const kind = info.kind.toLowerCase();
  return info.group === "" ? kind : `${kind}.${info.group}`;
}

/** One line of the name printer: `deployment.apps/web rolled back (dry run)`. */
export function nameLine(info: ResourceInfo, name: string, operation = "", dryRun: DryRun = "none"): string {
  let op = operation;
  if (dryRun === "client") op += " (dry run)";
  else if (dryRun === "server") op += " (server dry run)";
  return `${kindPrefix(info)}/${name}${op === "" ? "" : ` ${op}`}\n`;
}

/**
 * Runs a verb body that writes to `out` and returns its exit code. A {@link KubectlError} or
 * ApiError thrown from the body is printed as kubectl's `CheckErr` would, after the output so far.
 */
export async function withOutput(body: (out: Output) => number | Promise<number>): Promise<CommandResult> {
  const out = new Output();
  try {
    return out.result(await body(out));
  } catch (error) {
    const text = errorText(error);
    if (text === undefined) throw error;
    out.err(text);
    return out.result(errorExitCode(error));
  }
}

/**
 * Prints the errors a visit collected, as `CheckErr` prints an aggregate: alone, a plain message
 * gains `error: `; several go one per line as they are.
 */
export function printErrors(out: Output, errors: readonly (ApiError | string)[]): number {
  if (errors.length === 0) return 0;
  for (const e of errors) {
    const text = e instanceof ApiError ? kubectlErrorText(e) : errors.length === 1 && !e.startsWith("error: ") ? `error: ${e}` : e;
    out.err(`${text}\n`);
  }
  return 1;
}
