/**
 * `kubectl replace -f`: PUT each object of the manifest over the live one (the live
 * resourceVersion is used when the file has none), keeping the last-applied annotation up to
 * date if the file carries one; `--force` deletes the object, waits until it is gone and
 * creates it again.
 *
 * @example
 * await sh.run("kubectl replace -f web.yaml");          // deployment.apps/web replaced
 * await sh.run("kubectl replace --force -f pod.yaml");  // pod "web" deleted, then pod/web replaced
 */
import { ApiError, type KubeObject } from "../../api";
import type { Output } from "../../shell";
import { errorsText, KubectlError } from "../errors";
import { LAST_APPLIED, withLastApplied } from "../last-applied";
import { placeInNamespace, withSource } from "../manifests";
import { type DryRun, dryRunStrategy, infoOf, outputFormat, printWritten, runVerb } from "../output";
import { kindPrefix, fileTargets, type FileTarget } from "../resources";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../types";
import { dryRunFlag, fieldManagerFlag, filenameFlag, kustomizeFlag, printFlags, recursiveFlag, saveConfigFlag, validateFlag } from "../flags";

/** `--force`: delete, let the cluster finish the deletion (bounded), then create. */
function forceReplace(ctx: KubectlContext, args: KubectlArgs, object: KubeObject, out: Output): KubeObject {
  const info = infoOf(object);
  const ns = object.metadata.namespace;
  const name = object.metadata.name ?? "";
  const live = ctx.store.find(info.kind, ns, name);
  if (live) {
    const grace = args.int("grace-period") ?? -1;
    ctx.store.delete(info.kind, ns, name, grace >= 0 ? { gracePeriodSeconds: grace } : {});
    out.out(`${kindPrefix(info)} "${name}" deleted\n`);
    const deadline = ctx.shell.clock.now() + 120_000;
    while (ctx.store.find(info.kind, ns, name)?.metadata.uid === live.metadata.uid && ctx.shell.clock.now() < deadline) ctx.cluster.advance(1_000);
  }
  const metadata = { ...object.metadata };
  delete metadata.resourceVersion;
  return ctx.store.create({ ...object, metadata }, { namespace: ns });
}

function replaceOne(ctx: KubectlContext, args: KubectlArgs, target: FileTarget, dryRun: DryRun, out: Output): string {
  let object = placeInNamespace(ctx, target.info, target.object);
  // `UpdateApplyAnnotation`: refreshed only when the file already has one (or --save-config).
  if (args.bool("save-config") || object.metadata.annotations?.[LAST_APPLIED]) object = withLastApplied(object, false);
  if (dryRun === "client") return printWritten(ctx, args, [object], "replaced", dryRun);
  if (args.bool("force")) return printWritten(ctx, args, [forceReplace(ctx, args, object, out)], "replaced", dryRun);
  const live = ctx.store.get(target.info.kind, object.metadata.namespace, object.metadata.name ?? "");
  const rv = object.metadata.resourceVersion || live.metadata.resourceVersion;
  const replaced = ctx.store.update({ ...object, metadata: { ...object.metadata, resourceVersion: rv } }, { dryRun: dryRun === "server" });
  return printWritten(ctx, args, [replaced], "replaced", dryRun);
}

function run(args: KubectlArgs, ctx: KubectlContext) {
  return runVerb((out) => {
    if (args.strings("filename").length === 0 && !args.string("kustomize")) throw new KubectlError("must specify one of -f and -k");
    if (args.string("kustomize")) throw new KubectlError("kustomize is not supported here");
    if (args.string("raw")) throw new KubectlError("--raw is not supported here");
    const dryRun = dryRunStrategy(ctx, args, out);
    outputFormat(ctx, args, "generic");
    const { targets, errors } = fileTargets(ctx, args, { validates: true });
    if (targets.length === 0 && errors.length === 0) throw new KubectlError("no objects passed to replace");
    for (const target of targets) {
      try {
        out.out(replaceOne(ctx, args, target, dryRun, out));
      } catch (error) {
        if (!(error instanceof ApiError || error instanceof KubectlError)) throw error;
        errors.push(withSource("replacing", target.source, error));
      }
    }
    out.err(errorsText(errors));
    return errors.length > 0 ? 1 : 0;
  });
}

/** `kubectl replace`. */
export const replaceVerb: KubectlVerb = {
  name: "replace",
  short: "Replace a resource by file name or stdin",
  long: "Replace a resource by file name or stdin.\n\n JSON and YAML formats are accepted. If replacing an existing resource, the complete resource spec must be provided. This can be obtained by\n\n        $ kubectl get TYPE NAME -o yaml",
  examples: "  # Replace a pod using the data in pod.json\n  kubectl replace -f ./pod.json\n  \n  # Replace a pod based on the JSON passed into stdin\n  cat pod.json | kubectl replace -f -\n  \n  # Update a single-container pod's image version (tag) to v4\n  kubectl get pod mypod -o yaml | sed 's/\\(image: myimage\\):.*$/\\1:v4/' | kubectl replace -f -\n  \n  # Force replace, delete and then re-create the resource\n  kubectl replace --force -f ./pod.json",
  usage: "kubectl replace -f FILENAME [options]",
  flags: [
    ...printFlags(),
    { name: "cascade", type: "string", default: "background", noOptDefault: "background", usage: "Must be \"background\", \"orphan\", or \"foreground\". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background." },
    dryRunFlag,
    fieldManagerFlag("kubectl-replace"),
    filenameFlag("The files that contain the configurations to replace."),
    { name: "force", type: "bool", usage: "If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation." },
    { name: "grace-period", type: "int", default: "-1", usage: "Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion)." },
    kustomizeFlag("Process a kustomization directory. This flag can't be used together with -f or -R."),
    { name: "raw", type: "string", usage: "Raw URI to PUT to the server.  Uses the transport specified by the kubeconfig file." },
    recursiveFlag,
    saveConfigFlag,
    { name: "subresource", type: "string", usage: "If specified, replace will operate on the subresource of the requested object. This flag is beta and may change in the future." },
    { name: "timeout", type: "duration", default: "0s", usage: "The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object" },
    validateFlag,
    { name: "wait", type: "bool", usage: "If true, wait for resources to be gone before returning. This waits for finalizers." },
  ],
  run,
};
