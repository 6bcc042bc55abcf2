/**
 * `kubectl patch`: a strategic merge patch (the default; see `strategic-merge.ts`), a JSON
 * merge patch (`--type merge`) or an RFC 6902 JSON patch (`--type json`), from `-p` (JSON or
 * YAML) or `--patch-file`, on named objects, `-f` objects or (`--local`) the file's content.
 * The printer says `patched`, or `patched (no change)` when the object came back the same.
 *
 * @example
 * await sh.run(`kubectl patch deploy web -p '{"spec":{"replicas":3}}'`);      // deployment.apps/web patched
 * await sh.run(`kubectl patch svc web --type json -p '[{"op":"replace","path":"/spec/type","value":"NodePort"}]'`);
 */
import { ApiError, type KubeObject } from "../../api";
import { applyMergePatch } from "../../api/store/merge-patch";
import { clonePlain, equalPlain } from "../../util/plain";
import { completeResourceOperands } from "../complete";
import { errorsText, KubectlError } from "../errors";
import { applyJSONPatch } from "../json-patch";
import { readManifests } from "../manifests";
import { dryRunStrategy, nameLine, outputFormat, printFormatted, runVerb } from "../output";
import { fetchResources, parseResourceArgs, validationEnabled } from "../resources";
import { strategicMerge } from "../strategic-merge";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../types";
import { decodeYAML } from "../yaml-decode";
import { dryRunFlag, fieldManagerFlag, filenameFlag, kustomizeFlag, printFlags, recursiveFlag } from "../flags";

type PatchType = "strategic" | "merge" | "json";

/** `yaml.ToJSON`: text that looks like JSON passes through; anything else is YAML. */
function patchValue(text: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }
  const decoded = decodeYAML(text);
  if (!decoded.ok) throw new KubectlError(`unable to parse "${text}": error converting YAML to JSON: ${decoded.error}`);
  return decoded.value;
}

/** The object after `patch`, or the error kubectl's patch libraries give. */
function patched(obj: KubeObject, type: PatchType, patch: unknown): KubeObject {
  if (type === "json") {
    if (patch === undefined) throw new KubectlError("invalid JSON document");
    const result = applyJSONPatch(obj, patch);
    if (!result.ok) throw new KubectlError(result.error);
    return result.value as KubeObject;
  }
  if (type === "merge") {
    if (patch === undefined) throw new KubectlError("Invalid JSON Patch");
    const result = applyMergePatch(obj, patch);
    if (result === null || typeof result !== "object" || Array.isArray(result)) {
      throw new KubectlError(`json: cannot unmarshal ${Array.isArray(result) ? "array" : typeof result} into Go value of type unstructured.detector`);
    }
    return result as KubeObject;
  }
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) throw new KubectlError("invalid JSON document");
  return strategicMerge(clonePlain(obj), patch as Record<string, unknown>, obj.kind);
}

/** The objects to patch: `-f` content (`--local`) or live objects. */
function targets(ctx: KubectlContext, args: KubectlArgs, local: boolean): { objects: KubeObject[]; errors: unknown[] } {
  if (args.strings("filename").length > 0) {
    const read = readManifests(ctx.shell, args.strings("filename"), { recursive: args.bool("recursive"), validate: validationEnabled(args), local });
    if (local) return { objects: read.local.map((i) => i.object), errors: read.errors };
    const errors: unknown[] = [...read.errors];
    const objects: KubeObject[] = [];
    for (const item of read.items) {
      const found = fetchResources(ctx, { requests: [{ info: item.info, names: [item.object.metadata.name ?? ""] }], singleItemImplied: true, byName: true }, {});
      errors.push(...found.errors);
      objects.push(...found.groups.flatMap((g) => g.objects));
    }
    return { objects, errors };
  }
  const { groups, errors } = fetchResources(ctx, parseResourceArgs(ctx, args.operands), {});
  return { objects: groups.flatMap((g) => g.objects), errors };
}

function run(args: KubectlArgs, ctx: KubectlContext) {
  return runVerb((out) => {
    const dryRun = dryRunStrategy(ctx, args, out);
    const format = outputFormat(ctx, args, "generic");
    const local = args.bool("local");
    const text = args.string("patch") ?? "";
    const file = args.string("patch-file") ?? "";
    if (text && file) throw new KubectlError("cannot specify --patch and --patch-file together");
    if (!text && !file) throw new KubectlError("must specify --patch or --patch-file containing the contents of the patch");
    if (local && args.operands.length > 0) throw new KubectlError("cannot specify --local and server resources");
    if (local && dryRun === "server") throw new KubectlError("cannot specify --local and --dry-run=server - did you mean --dry-run=client?");
    const type = (args.string("type") ?? "strategic").toLowerCase();
    if (type !== "json" && type !== "merge" && type !== "strategic") throw new KubectlError(`--type must be one of [json merge strategic], not "${args.string("type")}"`);
    if (args.string("subresource")) throw new KubectlError("--subresource is not supported here");
    let source = text;
    if (file) {
      const path = ctx.shell.resolve(file);
      if (!ctx.shell.fs.isFile(path)) throw new KubectlError(`unable to read patch file: open ${file}: no such file or directory`);
      source = ctx.shell.fs.readFile(path);
    }
    const patch = patchValue(source);
    if (!local && args.operands.length === 0 && args.strings("filename").length === 0) {
      throw new KubectlError(
        "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
      );
    }
    const { objects, errors } = targets(ctx, args, local);
    let count = 0;
    for (const obj of objects) {
      count++;
      try {
        const next = patched(obj, type, patch);
        let result: KubeObject = next;
        if (!local && dryRun !== "client") {
          result = ctx.store.update({ ...next, metadata: { ...next.metadata, resourceVersion: obj.metadata.resourceVersion } }, { dryRun: dryRun === "server" });
        }
        const operation = equalPlain(obj, result) ? "patched (no change)" : "patched";
        // Local patches never say "(dry run)": nothing would have been sent anyway.
        out.out(format.type === "human" ? nameLine(result, operation, local ? "none" : dryRun) : printFormatted([result], format, { list: false }));
      } catch (error) {
        if (!(error instanceof ApiError || error instanceof KubectlError)) throw error;
        errors.push(error);
      }
    }
    if (count === 0 && errors.length === 0) throw new KubectlError("no objects passed to patch");
    out.err(errorsText(errors));
    return errors.length > 0 ? 1 : 0;
  });
}

/** `kubectl patch`. */
export const patchVerb: KubectlVerb = {
  name: "patch",
  short: "Update fields of a resource",
  long: "Update fields of a resource using strategic merge patch, a JSON merge patch, or a JSON patch.\n\n JSON and YAML formats are accepted.\n\n Note: Strategic merge patch is not supported for custom resources.",
  examples: "  # Partially update a node using a strategic merge patch, specifying the patch as JSON\n  kubectl patch node k8s-node-1 -p '{\"spec\":{\"unschedulable\":true}}'\n  \n  # Partially update a node using a strategic merge patch, specifying the patch as YAML\n  kubectl patch node k8s-node-1 -p $'spec:\\n unschedulable: true'\n  \n  # Partially update a node identified by the type and name specified in \"node.json\" using strategic merge patch\n  kubectl patch -f node.json -p '{\"spec\":{\"unschedulable\":true}}'\n  \n  # Update a container's image; spec.containers[*].name is required because it's a merge key\n  kubectl patch pod valid-pod -p '{\"spec\":{\"containers\":[{\"name\":\"kubernetes-serve-hostname\",\"image\":\"new image\"}]}}'\n  \n  # Update a container's image using a JSON patch with positional arrays\n  kubectl patch pod valid-pod --type='json' -p='[{\"op\": \"replace\", \"path\": \"/spec/containers/0/image\", \"value\":\"new image\"}]'\n  \n  # Update a deployment's replicas through the 'scale' subresource using a merge patch\n  kubectl patch deployment nginx-deployment --subresource='scale' --type='merge' -p '{\"spec\":{\"replicas\":2}}'",
  usage: "kubectl patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [options]",
  flags: [
    ...printFlags(),
    dryRunFlag,
    fieldManagerFlag("kubectl-patch"),
    filenameFlag("Filename, directory, or URL to files identifying the resource to update"),
    kustomizeFlag(),
    { name: "local", type: "bool", usage: "If true, patch will operate on the content of the file, not the server-side resource." },
    { name: "patch", short: "p", type: "string", usage: "The patch to be applied to the resource JSON file." },
    { name: "patch-file", type: "string", usage: "A file containing a patch to be applied to the resource." },
    recursiveFlag,
    { name: "subresource", type: "string", usage: "If specified, patch will operate on the subresource of the requested object. This flag is beta and may change in the future." },
    { name: "type", type: "string", default: "strategic", usage: "The type of patch being provided; one of [json merge strategic]" },
  ],
  run,
  complete: completeResourceOperands,
};
