/**
 * What every `kubectl create <generator>` shares, in upstream's order: cobra's required flags,
 * exactly one NAME, `--dry-run`, `-o`, `--validate`, then the generator builds the object (in
 * Go struct field order, so `-o json` prints fields as kubectl does), `--save-config` records
 * it, and unless `--dry-run=client` the apiserver creates it. Generators only build objects.
 *
 * @example
 * export const createNamespace = generatorVerb({
 *   name: "namespace", aliases: ["ns"], short: "…", usage: "…", flags: [...GENERATOR_FLAGS],
 *   build: (name) => ({ kind: "Namespace", apiVersion: "v1", metadata: typedMeta(name), spec: {}, status: {} }),
 * });
 */
import { ApiError, type KubeObject } from "../../../api";
import type { Output } from "../../../shell";
import { KubectlError, usageError } from "../../errors";
import { dryRunFlag, fieldManagerFlag, printFlags, saveConfigFlag, validateFlag } from "../../flags";
import { dryRunStrategy, outputFormat, printWritten, requiredFlagsError, runVerb } from "../../output";
import { withLastApplied } from "../../last-applied";
import { validationEnabled } from "../../resources";
import type { KubectlArgs, KubectlContext, KubectlFlag, KubectlVerb, OfflineBehaviour } from "../../types";

/** The flags every generator has besides its own. */
export const GENERATOR_FLAGS: readonly KubectlFlag[] = [...printFlags(), dryRunFlag, fieldManagerFlag("kubectl-create"), saveConfigFlag, validateFlag];

/** A generator's spec and how it builds its object. */
export interface Generator {
  name: string;
  aliases?: readonly string[];
  short: string;
  long?: string;
  examples?: string;
  usage: string;
  flags: readonly KubectlFlag[];
  /** Flags cobra insists on (`--image`), checked before anything else. */
  required?: readonly string[];
  /**
   * The POST of a generator that wraps its failures (`failed to create deployment: …`, or
   * `failed to create secret …` without the colon), and the URL it goes to.
   */
  post?: { what: string; path: (namespace: string) => string; colon?: boolean };
  /** What kubectl prints when the server cannot be reached, for generators without `post`. */
  offline?: (args: KubectlArgs) => OfflineBehaviour;
  /** The object to create, fields in Go struct order; throws KubectlError for bad input. */
  build(name: string, args: KubectlArgs, ctx: KubectlContext, out: Output): KubeObject;
}

/**
 * `ObjectMeta` as a generator fills it, in struct order: name, namespace (only when `-n` was
 * given: `EnforceNamespace`), the zero creationTimestamp that serializes as null, labels.
 */
export function typedMeta(name: string, ctx?: KubectlContext, labels?: Record<string, string>): KubeObject["metadata"] {
  return {
    name,
    ...(ctx?.namespaceExplicit ? { namespace: ctx.namespace } : {}),
    creationTimestamp: null,
    ...(labels ? { labels } : {}),
  };
}

/**
 * The offline failure of a generator's POST: `error: failed to create <what>: Post "…": dial …`,
 * the URL built as client-go builds it.
 */
function postFailure(post: NonNullable<Generator["post"]>): (args: KubectlArgs) => OfflineBehaviour {
  return (args) => ({
    discovery: 0,
    final: (server) => {
      const validation = { ignore: "Ignore", false: "Ignore", warn: "Warn" }[(args.string("validate") ?? "").toLowerCase()] ?? "Strict";
      const dryRun = args.string("dry-run") === "server" ? "dryRun=All&" : "";
      const url = `${server.url}${post.path(server.namespace)}?${dryRun}fieldManager=${args.string("field-manager") ?? "kubectl-create"}&fieldValidation=${validation}`;
      return `error: failed to create ${post.what}${post.colon === false ? "" : ":"} Post "${url}": ${server.dialError}`;
    },
  });
}

/** `NameFromCommandArgs`: the single NAME before any `--`. */
export function nameFromArgs(commandPath: string, args: KubectlArgs): string {
  const count = args.operands.length - args.afterDash.length;
  if (count !== 1) throw usageError(commandPath, `exactly one NAME is required, got ${count}`);
  return args.operands[0];
}

/** The POST, with the generator's own wrapping of the server's error (`failed to create …`). */
function create(ctx: KubectlContext, obj: KubeObject, dryRun: boolean, post: Generator["post"]): KubeObject {
  try {
    return ctx.store.create(obj, { namespace: ctx.namespace, dryRun });
  } catch (error) {
    if (!post || !(error instanceof ApiError)) throw error;
    throw new KubectlError(`failed to create ${post.what}${post.colon === false ? "" : ":"} ${error.message}`);
  }
}

/** A `kubectl create <generator>` verb. */
export function generatorVerb(g: Generator, parentPath = "kubectl create"): KubectlVerb {
  const commandPath = `${parentPath} ${g.name}`;
  return {
    name: g.name,
    aliases: g.aliases,
    short: g.short,
    long: g.long,
    examples: g.examples,
    usage: g.usage,
    flags: g.flags,
    offline: g.post ? postFailure(g.post) : (g.offline ?? (() => ({ discovery: 0 }))),
    run: (args, ctx) =>
      runVerb((out) => {
        const missing = requiredFlagsError(ctx, args, g.required ?? []);
        if (missing) throw missing;
        const name = nameFromArgs(commandPath, args);
        const dryRun = dryRunStrategy(ctx, args, out);
        outputFormat(ctx, args, "generic");
        validationEnabled(args);
        let obj = g.build(name, args, ctx, out);
        if (args.bool("save-config")) obj = withLastApplied(obj);
        const written = dryRun === "client" ? obj : create(ctx, obj, dryRun === "server", g.post);
        out.out(printWritten(ctx, args, [written], "created", dryRun, dryRun === "client"));
        return 0;
      }),
  };
}
