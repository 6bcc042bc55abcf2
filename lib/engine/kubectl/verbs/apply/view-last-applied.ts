/**
 * `kubectl apply view-last-applied`: the configuration client-side apply recorded on each
 * object, as YAML (default) or JSON indented by two spaces, as view_last_applied.go prints it.
 *
 * @example
 * await sh.run("kubectl apply view-last-applied deployment/web");
 */
import { KubectlError, usageError } from "../../errors";
import { LAST_APPLIED } from "../../last-applied";
import { runVerb } from "../../output";
import { goJSON, goYAML } from "../../printers";
import { fetchResources, fileTargets, parseResourceArgs } from "../../resources";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../../types";
import type { Stored } from "../../../api";
import { filenameFlag, kustomizeFlag, recursiveFlag, selectorFlag } from "../../flags";

function objects(ctx: KubectlContext, args: KubectlArgs): { found: Stored[]; errors: unknown[] } {
  if (args.strings("filename").length > 0) {
    const { targets, errors } = fileTargets(ctx, args);
    return { found: targets.flatMap((t) => (t.live ? [t.live] : [])), errors };
  }
  const request = parseResourceArgs(ctx, args.operands);
  const { groups, errors } = fetchResources(ctx, request, { labelSelector: args.string("selector") });
  return { found: groups.flatMap((g) => g.objects), errors };
}

function run(args: KubectlArgs, ctx: KubectlContext) {
  return runVerb((out) => {
    const format = args.string("output") ?? "yaml";
    const { found, errors } = objects(ctx, args);
    if (errors.length > 0) throw errors[0];
    const configs = found.map((obj) => {
      const text = obj.metadata.annotations?.[LAST_APPLIED];
      if (!text) throw new KubectlError(`no last-applied-configuration annotation found on resource: ${obj.metadata.name}\n`);
      return text;
    });
    for (const text of configs) {
      const value = JSON.parse(text) as unknown;
      if (format === "json") out.out(`${goJSON(value, { indent: "  ", typedOrder: true })}\n`);
      else if (format === "yaml") out.out(goYAML(value));
      else throw usageError("kubectl apply view-last-applied", `Unexpected -o output mode: ${format}, the flag 'output' must be one of yaml|json`);
    }
    return 0;
  });
}

/** `kubectl apply view-last-applied`. */
export const viewLastApplied: KubectlVerb = {
  name: "view-last-applied",
  short: "View the latest last-applied-configuration annotations of a resource/object",
  long: "View the latest last-applied-configuration annotations by type/name or file.\n\n The default output will be printed to stdout in YAML format. You can use the -o option to change the output format.",
  examples: "  # View the last-applied-configuration annotations by type/name in YAML\n  kubectl apply view-last-applied deployment/nginx\n  \n  # View the last-applied-configuration annotations by file in JSON\n  kubectl apply view-last-applied -f deploy.yaml -o json",
  usage: "kubectl apply view-last-applied (TYPE [NAME | -l label] | TYPE/NAME | -f FILENAME) [options]",
  flags: [
    { name: "all", type: "bool", usage: "Select all resources in the namespace of the specified resource types" },
    filenameFlag("Filename, directory, or URL to files that contains the last-applied-configuration annotations"),
    kustomizeFlag(),
    { name: "output", short: "o", type: "string", default: "yaml", usage: "Output format. Must be one of (yaml, json)" },
    recursiveFlag,
    selectorFlag,
  ],
  run,
};
