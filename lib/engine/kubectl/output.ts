/**
 * What the core verbs share when they report: the name printer (`deployment.apps/web created`,
 * with ` (dry run)` / ` (server dry run)`), `-o` for objects a verb wrote (delegated to the
 * printers module), `--dry-run` as `GetDryRunStrategy` reads it (with its deprecation warnings),
 * and a runner that prints a thrown error the way `CheckErr` does after the output so far.
 *
 * @example
 * return runVerb((out) => {
 *   const dryRun = dryRunStrategy(ctx, args, out);
 *   out.out(printWritten(ctx, args, [created], "created", dryRun));
 *   return 0;
 * });
 */
import type { KubeObject, ResourceInfo } from "../api";
import { resourceForKind } from "../api";
import { Output, type CommandResult } from "../shell";
import { ServerUnreachableError } from "./connection";
import { errorExitCode, errorText, KubectlError } from "./errors";
import { goQuote, klogLine, kubectlPid } from "./klog";
import { type OutputFormat, parseOutputFormat, printObjects, type PrintOptions } from "./printers";
import type { KubectlArgs, KubectlContext } from "./types";

/** `--dry-run` after reading. */
export type DryRun = "none" | "client" | "server";

/** A klog warning line on stderr (`W0112 09:00:00.001000    4242 helpers.go:702] …`). */
export function warn(ctx: KubectlContext, out: Output, source: string, message: string): void {
  const now = ctx.shell.clock.now();
  out.err(klogLine("W", now, kubectlPid(now), source, message, 1_000));
}

/** cobra's check for flags marked required, logged by kubectl's `run.go` before it exits. */
export function requiredFlagsError(ctx: KubectlContext, args: KubectlArgs, required: readonly string[]): KubectlError | undefined {
  const missing = required.filter((f) => !args.has(f));
  if (missing.length === 0) return undefined;
  const now = ctx.shell.clock.now();
  const err = `required flag(s) ${missing.map((m) => `"${m}"`).join(", ")} not set`;
  return new KubectlError(klogLine("E", now, kubectlPid(now), "run.go:72", `"command failed" err=${goQuote(err)}`, 1_000), 1, true);
}

/** `cmdutil.GetDryRunStrategy`, including the warnings for the deprecated boolean forms. */
export function dryRunStrategy(ctx: KubectlContext, args: KubectlArgs, out: Output): DryRun {
  const value = args.string("dry-run") ?? "none";
  switch (value) {
    case "client":
    case "server":
    case "none":
      return value;
    case "unchanged":
      warn(ctx, out, "helpers.go:702", "--dry-run is deprecated and can be replaced with --dry-run=client.");
      return "client";
    case "true":
      warn(ctx, out, "helpers.go:716", "--dry-run=true is deprecated (boolean value) and can be replaced with --dry-run=client.");
      return "client";
    case "false":
      warn(ctx, out, "helpers.go:716", "--dry-run=false is deprecated (boolean value) and can be replaced with --dry-run=none.");
      return "none";
    default:
      throw new KubectlError(`Invalid dry-run value (${value}). Must be "none", "server", or "client".`);
  }
}

/** The discovery row of an object (every object a verb holds is of a served kind). */
export function infoOf(obj: KubeObject): ResourceInfo {
  return resourceForKind(obj.kind)!;
}

/** The name printer's `kind.group` for an object, from its own apiVersion and kind (any kind). */
export function objectKind(obj: KubeObject): string {
  const group = obj.apiVersion?.includes("/") ? obj.apiVersion.slice(0, obj.apiVersion.indexOf("/")) : "";
  const kind = (obj.kind ?? "").toLowerCase();
  return group ? `${kind}.${group}` : kind;
}

/** One name-printer line: `deployment.apps/web created (dry run)`. */
export function nameLine(obj: KubeObject, operation: string, dryRun: DryRun = "none"): string {
  const suffix = dryRun === "client" ? " (dry run)" : dryRun === "server" ? " (server dry run)" : "";
  return `${objectKind(obj)}/${obj.metadata.name ?? ""}${operation ? ` ${operation}` : ""}${suffix}\n`;
}

/**
 * `-o` resolved for this verb (`get` knows tables and custom columns; the others do not), or
 * the printers' error as kubectl words it.
 */
export function outputFormat(ctx: KubectlContext, args: KubectlArgs, command: "get" | "generic"): OutputFormat {
  const readFile = (path: string) => {
    const full = ctx.shell.resolve(path);
    return ctx.shell.fs.isFile(full) ? ctx.shell.fs.readFile(full) : undefined;
  };
  const format = parseOutputFormat(args.string("output") ?? "", { command, readFile });
  if ("error" in format) throw new KubectlError(format.error, 1, true);
  return format;
}

/** Prints objects in a non-table format, throwing the printers' run-time error (jsonpath) as kubectl's. */
export function printFormatted(objects: readonly KubeObject[], format: OutputFormat, options: PrintOptions): string {
  const printed = printObjects(objects, format, options);
  if (!printed.ok) throw new KubectlError(printed.message, 1, true);
  return printed.text;
}

/**
 * What a writing verb prints for the objects it wrote: with `-o`, the objects in that format
 * (`-o name` is the name printer without the operation); otherwise `kind/name operation`.
 * `typed` says kubectl built the objects itself (generators, client dry runs): Go struct order.
 */
export function printWritten(ctx: KubectlContext, args: KubectlArgs, objects: readonly KubeObject[], operation: string, dryRun: DryRun, typed = false): string {
  const format = outputFormat(ctx, args, "generic");
  if (format.type === "human") return objects.map((o) => nameLine(o, operation, dryRun)).join("");
  return printFormatted(objects, format, { list: objects.length > 1, typedOrder: typed, allowMissingKeys: args.bool("allow-missing-template-keys") });
}

/**
 * Runs a verb body that writes to `out` and returns its exit code; a thrown KubectlError or
 * ApiError is printed after the output so far, as kubectl's `CheckErr` does.
 */
export async function runVerb(body: (out: Output) => number | Promise<number>): Promise<CommandResult> {
  const out = new Output();
  try {
    return out.result(await body(out));
  } catch (error) {
    if (error instanceof ServerUnreachableError) error.partial = out.result(1);
    const text = errorText(error);
    if (text === undefined) throw error;
    out.err(text);
    return out.result(errorExitCode(error));
  }
}
