/**
 * `kubectl apply -f` (client-side apply): each object is created with its configuration in the
 * last-applied annotation, or three-way merged into the live object (last-applied, file, live;
 * see `strategic-merge.ts`) and updated — `configured` — unless nothing changes — `unchanged`.
 * Errors are collected and printed after the objects that went through.
 *
 * @example
 * await sh.run("kubectl apply -f web.yaml");   // deployment.apps/web created
 * await sh.run("kubectl apply -f web.yaml");   // deployment.apps/web unchanged
 */
import { ApiError, type KubeObject } from "../../../api";
import type { Output } from "../../../shell";
import { equalPlain } from "../../../util/plain";
import { errorsText, KubectlError, usageError } from "../../errors";
import { dryRunFlag, fieldManagerFlag, filenameFlag, kustomizeFlag, printFlags, recursiveFlag, selectorFlag, validateFlag } from "../../flags";
import { LAST_APPLIED, lastAppliedOf, withLastApplied } from "../../last-applied";
import { placeInNamespace, withSource } from "../../manifests";
import { type DryRun, dryRunStrategy, outputFormat, printWritten, runVerb } from "../../output";
import { type FileTarget, fileTargets } from "../../resources";
import { threeWayMerge } from "../../strategic-merge";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../../types";
import { unsupportedVerb } from "../unsupported";
import { viewLastApplied } from "./view-last-applied";

/** Applies one object; returns the line to print. */
function applyOne(ctx: KubectlContext, args: KubectlArgs, target: FileTarget, dryRun: DryRun, out: Output): string {
  const modified = withLastApplied(placeInNamespace(ctx, target.info, target.object), false);
  const ns = modified.metadata.namespace;
  const live = ctx.store.find(target.info.kind, ns, modified.metadata.name ?? "");
  if (!live) {
    const created = dryRun === "client" ? modified : ctx.store.create(modified, { namespace: ns, dryRun: dryRun === "server" });
    return printWritten(ctx, args, [created], "created", dryRun);
  }
  if (!live.metadata.annotations?.[LAST_APPLIED]) {
    out.err(
      `Warning: resource ${target.info.plural}/${live.metadata.name} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n`,
    );
  }
  const merged = threeWayMerge(lastAppliedOf(live), modified, live, target.info.kind) as KubeObject;
  if (equalPlain(merged, live)) return printWritten(ctx, args, [live], "unchanged", dryRun);
  // The merge starts from the live object, so its resourceVersion guards the update.
  const updated = dryRun === "client" ? merged : ctx.store.update(merged, { namespace: ns, dryRun: dryRun === "server" });
  return printWritten(ctx, args, [updated], "configured", dryRun);
}

function run(args: KubectlArgs, ctx: KubectlContext) {
  return runVerb((out) => {
    if (args.operands.length > 0) throw usageError("kubectl apply", `Unexpected args: [${args.operands.join(" ")}]`);
    if (args.strings("filename").length === 0 && !args.string("kustomize")) throw new KubectlError("must specify one of -f and -k");
    if (args.string("kustomize")) throw new KubectlError("kustomize is not supported here");
    if (args.bool("server-side")) throw new KubectlError("--server-side is not supported here: use client-side apply");
    if (args.bool("prune")) throw new KubectlError("--prune is not supported here");
    const dryRun = dryRunStrategy(ctx, args, out);
    outputFormat(ctx, args, "generic");
    const { targets, errors } = fileTargets(ctx, args, { validates: true });
    if (targets.length === 0 && errors.length === 0) throw new KubectlError("no objects passed to apply");
    for (const target of targets) {
      try {
        out.out(applyOne(ctx, args, target, dryRun, out));
      } catch (error) {
        if (!(error instanceof ApiError || error instanceof KubectlError)) throw error;
        errors.push(withSource(target.live ? "patching" : "creating", target.source, error));
      }
    }
    out.err(errorsText(errors));
    return errors.length > 0 ? 1 : 0;
  });
}

/** `kubectl apply`. */
export const applyVerb: KubectlVerb = {
  name: "apply",
  short: "Apply a configuration to a resource by file name or stdin",
  long: "Apply a configuration to a resource by file name or stdin. The resource name must be specified. This resource will be created if it doesn't exist yet. To use 'apply', always create the resource initially with either 'apply' or 'create --save-config'.\n\n JSON and YAML formats are accepted.\n\n Alpha Disclaimer: the --prune functionality is not yet complete. Do not use unless you are aware of what the current state is. See https://issues.k8s.io/34274.",
  examples:
    "  # Apply the configuration in pod.json to a pod\n  kubectl apply -f ./pod.json\n  \n  # Apply resources from a directory containing kustomization.yaml - e.g. dir/kustomization.yaml\n  kubectl apply -k dir/\n  \n  # Apply the JSON passed into stdin to a pod\n  cat pod.json | kubectl apply -f -\n  \n  # Apply the configuration from all files that end with '.json'\n  kubectl apply -f '*.json'\n  \n  # Note: --prune is still in Alpha\n  # Apply the configuration in manifest.yaml that matches label app=nginx and delete all other resources that are not in the file and match label app=nginx\n  kubectl apply --prune -f manifest.yaml -l app=nginx\n  \n  # Apply the configuration in manifest.yaml and delete all the other config maps that are not in the file\n  kubectl apply --prune -f manifest.yaml --all --prune-allowlist=core/v1/ConfigMap",
  usage: "kubectl apply (-f FILENAME | -k DIRECTORY) [options]",
  flags: [
    { name: "all", type: "bool", usage: "Select all resources in the namespace of the specified resource types." },
    ...printFlags(),
    {
      name: "cascade",
      type: "string",
      default: "background",
      noOptDefault: "background",
      usage:
        'Must be "background", "orphan", or "foreground". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background.',
    },
    dryRunFlag,
    fieldManagerFlag("kubectl-client-side-apply"),
    filenameFlag("The files that contain the configurations to apply."),
    {
      name: "force",
      type: "bool",
      usage:
        "If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation.",
    },
    { name: "force-conflicts", type: "bool", usage: "If true, server-side apply will force the changes against conflicts." },
    {
      name: "grace-period",
      type: "int",
      default: "-1",
      usage:
        "Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion).",
    },
    kustomizeFlag("Process a kustomization directory. This flag can't be used together with -f or -R."),
    {
      name: "openapi-patch",
      type: "bool",
      default: "true",
      usage:
        "If true, use openapi to calculate diff when the openapi presents and the resource can be found in the openapi spec. Otherwise, fall back to use baked-in types.",
    },
    {
      name: "overwrite",
      type: "bool",
      default: "true",
      usage: "Automatically resolve conflicts between the modified and live configuration by using values from the modified configuration",
    },
    {
      name: "prune",
      type: "bool",
      usage:
        "Automatically delete resource objects, that do not appear in the configs and are created by either apply or create --save-config. Should be used with either -l or --all.",
    },
    { name: "prune-allowlist", type: "stringSlice", usage: "Overwrite the default allowlist with <group/version/kind> for --prune" },
    recursiveFlag,
    selectorFlag,
    { name: "server-side", type: "bool", usage: "If true, apply runs in the server instead of the client." },
    {
      name: "subresource",
      type: "string",
      usage: "If specified, apply will operate on the subresource of the requested object.  Only allowed when using --server-side. This flag is beta and may change in the future.",
    },
    {
      name: "timeout",
      type: "duration",
      default: "0s",
      usage: "The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object",
    },
    validateFlag,
    { name: "wait", type: "bool", usage: "If true, wait for resources to be gone before returning. This waits for finalizers." },
  ],
  subcommands: [
    unsupportedVerb("kubectl apply", "edit-last-applied", "Edit latest last-applied-configuration annotations of a resource/object"),
    unsupportedVerb("kubectl apply", "set-last-applied", "Set the last-applied-configuration annotation on a live object to match the contents of a file"),
    viewLastApplied,
  ],
  run,
};
