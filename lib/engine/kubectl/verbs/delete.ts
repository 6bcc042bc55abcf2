/**
 * `kubectl delete`: by name, `TYPE/NAME`, `-f`, `-l`, `--field-selector` or `--all`, with
 * `--grace-period`, `--now`, `--force` (and its warning), `--cascade`, `--dry-run`,
 * `--ignore-not-found` and `-o name`. Like kubectl it then waits until the objects are really
 * gone (a pod's kubelet has finished with it, finalizers are done): here by letting virtual time
 * pass on the cluster, bounded by `--timeout` or the grace period plus a minute.
 *
 * @example
 * await sh.run("kubectl delete pod web");            // pod "web" deleted (after the kubelet stops it)
 * await sh.run("kubectl delete deploy,svc -l app=web");
 */
import { ApiError, type Stored } from "../../api";
import type { Output } from "../../shell";
import { errorsText, KubectlError } from "../errors";
import { withSource } from "../manifests";
import { type DryRun, dryRunStrategy, infoOf, runVerb } from "../output";
import { parseGoDuration } from "../parse";
import { fetchResources, fileTargets, kindPrefix, parseResourceArgs } from "../resources";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../types";
import { dryRunFlag, fieldSelectorFlag, filenameFlag, kustomizeFlag, recursiveFlag, selectorFlag } from "../flags";

const NO_RESOURCES =
  "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

export type Cascade = "Background" | "Orphan" | "Foreground";

/** `GetCascadingStrategy`, including the deprecated boolean forms (warned about on stderr). */
export function cascadeOf(args: KubectlArgs, out: Output): Cascade {
  const value = args.string("cascade") ?? "background";
  switch (value) {
    case "background":
      return "Background";
    case "orphan":
      return "Orphan";
    case "foreground":
      return "Foreground";
    case "true":
      out.err("warning: --cascade=true is deprecated (boolean value) and can be replaced with --cascade=background.\n");
      return "Background";
    case "false":
      out.err("warning: --cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.\n");
      return "Orphan";
    default:
      throw new KubectlError(`invalid cascade value (${value}). Must be "background", "foreground", or "orphan"`);
  }
}

/** The grace period `Complete` settles on (`--now`, `--force`, 0 → 1 without --force). */
function gracePeriodOf(args: KubectlArgs): number {
  let grace = args.int("grace-period") ?? -1;
  const force = args.bool("force");
  if (args.bool("now")) {
    if (grace !== -1) throw new KubectlError("--now and --grace-period cannot be specified together");
    grace = 1;
  }
  if (grace === 0 && !force) grace = 1;
  if (force && grace < 0) grace = 0;
  return grace;
}

/** What the delete printer says: `pod "web" deleted`, or `pod/web` with `-o name`. */
function deletedLine(obj: Stored, output: string, dryRun: DryRun): string {
  const suffix = dryRun === "client" ? " (dry run)" : dryRun === "server" ? " (server dry run)" : "";
  const kind = kindPrefix(infoOf(obj));
  return output === "name" ? `${kind}/${obj.metadata.name}\n` : `${kind} "${obj.metadata.name}" deleted${suffix}\n`;
}

/** The objects to delete, and the errors met finding them (NotFound, bad manifests). */
function targets(ctx: KubectlContext, args: KubectlArgs): { objects: Stored[]; errors: unknown[]; sources: Map<Stored, string> } {
  const sources = new Map<Stored, string>();
  if (args.strings("filename").length > 0) {
    if (args.operands.length > 0) throw new KubectlError("when paths, URLs, or stdin is provided as input, you may not specify a resource by arguments as well");
    const found = fileTargets(ctx, args);
    const objects: Stored[] = [];
    for (const t of found.targets) {
      const name = t.object.metadata.name ?? "";
      if (t.live) {
        objects.push(t.live);
        sources.set(t.live, t.source);
      } else found.errors.push(fetchResources(ctx, { requests: [{ info: t.info, names: [name] }], singleItemImplied: true, byName: true }, {}).errors[0]);
    }
    return { objects, errors: found.errors, sources };
  }
  if (args.operands.length === 0) throw new KubectlError(NO_RESOURCES);
  const request = parseResourceArgs(ctx, args.operands);
  const selector = args.string("selector");
  const fieldSelector = args.string("field-selector");
  if (!request.byName && !selector && !fieldSelector && !args.bool("all")) throw new KubectlError("resource(s) were provided, but no name was specified");
  const { groups, errors } = fetchResources(ctx, request, { labelSelector: selector, fieldSelector, allNamespaces: ctx.allNamespaces });
  return { objects: groups.flatMap((g) => g.objects), errors, sources };
}

/** Lets virtual time pass until every deleted object (by uid) is gone, or the bound runs out. */
function waitForDeletion(ctx: KubectlContext, deleted: readonly Stored[], timeoutMs: number): Stored | undefined {
  const present = (o: Stored) => ctx.store.find(o.kind, o.metadata.namespace, o.metadata.name)?.metadata.uid === o.metadata.uid;
  const deadline = ctx.shell.clock.now() + timeoutMs;
  let waiting = deleted.filter(present);
  while (waiting.length > 0 && ctx.shell.clock.now() < deadline) {
    ctx.cluster.advance(Math.min(1_000, deadline - ctx.shell.clock.now()));
    waiting = waiting.filter(present);
  }
  return waiting[0];
}

function run(args: KubectlArgs, ctx: KubectlContext) {
  return runVerb((out) => {
    // Complete: flags, then the builder (which needs discovery), then Validate, as upstream orders them.
    const cascade = cascadeOf(args, out);
    const grace = gracePeriodOf(args);
    const dryRun = dryRunStrategy(ctx, args, out);
    if (args.bool("all") && (args.string("selector") || args.string("field-selector"))) {
      throw new KubectlError("setting 'all' parameter but found a non empty selector. ");
    }
    const { objects, errors, sources } = targets(ctx, args);
    const output = args.string("output") ?? "";
    if (output !== "" && output !== "name") throw new KubectlError(`unexpected -o output mode: ${output}. We only support '-o name'`);
    const force = args.bool("force");
    if (grace > 0 && force) throw new KubectlError("--force and --grace-period greater than 0 cannot be specified together");
    if (grace === 0 && force) {
      out.err("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
    }
    if (args.string("raw")) throw new KubectlError("--raw is not supported here");
    if (args.bool("interactive")) throw new KubectlError("--interactive is not supported here");
    const kept = args.bool("ignore-not-found") || args.bool("all") ? errors.filter((e) => !(e instanceof ApiError && e.reason === "NotFound")) : errors;
    let warnClusterScope = ctx.namespaceExplicit && !ctx.allNamespaces;
    const deleted: Stored[] = [];
    for (const obj of objects) {
      if (warnClusterScope && !infoOf(obj).namespaced) {
        out.err("warning: deleting cluster-scoped resources, not scoped to the provided namespace\n");
        warnClusterScope = false;
      }
      if (dryRun === "client") {
        out.out(deletedLine(obj, output, dryRun));
        continue;
      }
      try {
        ctx.store.delete(obj.kind, obj.metadata.namespace, obj.metadata.name, {
          ...(grace >= 0 ? { gracePeriodSeconds: grace } : {}),
          propagationPolicy: cascade,
          dryRun: dryRun === "server",
        });
        out.out(deletedLine(obj, output, dryRun));
        deleted.push(obj);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        // Already swept away by an earlier deletion in this run (its namespace): with a real
        // apiserver the namespace controller is slower than kubectl, so kubectl reports it deleted.
        if (error.reason === "NotFound" && deleted.some((d) => d.kind === "Namespace" && d.metadata.name === obj.metadata.namespace)) {
          out.out(deletedLine(obj, output, dryRun));
          continue;
        }
        kept.push(withSource("deleting", sources.get(obj) ?? "", error));
      }
    }
    if (kept.length > 0) {
      out.err(errorsText(kept));
      return 1;
    }
    if (objects.length === 0) {
      // Named objects that are simply not there are no news with --ignore-not-found.
      if (!(args.bool("ignore-not-found") && errors.length > 0)) out.out("No resources found\n");
      return 0;
    }
    if (!args.bool("wait") || dryRun !== "none") return 0;
    const timeout = parseGoDuration(args.string("timeout") ?? "0s") ?? 0;
    const longestGrace = Math.max(0, ...deleted.map((o) => (o.spec as { terminationGracePeriodSeconds?: number } | undefined)?.terminationGracePeriodSeconds ?? 0));
    // kubectl waits up to a week; here the wait is bounded by what a kubelet needs: the grace
    // period (pods in a namespace being emptied default to 30s) plus a minute.
    const stuck = waitForDeletion(ctx, deleted, timeout > 0 ? timeout : (Math.max(grace, longestGrace, 30) + 60) * 1_000);
    if (stuck && timeout > 0) throw new KubectlError(`timed out waiting for the condition on ${infoOf(stuck).plural}/${stuck.metadata.name}`);
    return 0;
  });
}

/** `kubectl delete`. */
export const deleteVerb: KubectlVerb = {
  name: "delete",
  short: "Delete resources by file names, stdin, resources and names, or by resources and label selector",
  long: "Delete resources by file names, stdin, resources and names, or by resources and label selector.\n\n JSON and YAML formats are accepted. Only one type of argument may be specified: file names, resources and names, or resources and label selector.\n\n Some resources, such as pods, support graceful deletion. These resources define a default period before they are forcibly terminated (the grace period) but you may override that value with the --grace-period flag, or pass --now to set a grace-period of 1. Because these resources often represent entities in the cluster, deletion may not be acknowledged immediately. If the node hosting a pod is down or cannot reach the API server, termination may take significantly longer than the grace period. To force delete a resource, you must specify the --force flag. Note: only a subset of resources support graceful deletion. In absence of the support, the --grace-period flag is ignored.\n\n IMPORTANT: Force deleting pods does not wait for confirmation that the pod's processes have been terminated, which can leave those processes running until the node detects the deletion and completes graceful deletion. If your processes use shared storage or talk to a remote API and depend on the name of the pod to identify themselves, force deleting those pods may result in multiple processes running on different machines using the same identification which may lead to data corruption or inconsistency. Only force delete pods when you are sure the pod is terminated, or if your application can tolerate multiple copies of the same pod running at once. Also, if you force delete pods, the scheduler may place new pods on those nodes before the node has released those resources and causing those pods to be evicted immediately.\n\n Note that the delete command does NOT do resource version checks, so if someone submits an update to a resource right when you submit a delete, their update will be lost along with the rest of the resource.\n\n After a CustomResourceDefinition is deleted, invalidation of discovery cache may take up to 6 hours. If you don't want to wait, you might want to run \"kubectl api-resources\" to refresh the discovery cache.",
  examples: "  # Delete a pod using the type and name specified in pod.json\n  kubectl delete -f ./pod.json\n  \n  # Delete resources from a directory containing kustomization.yaml - e.g. dir/kustomization.yaml\n  kubectl delete -k dir\n  \n  # Delete resources from all files that end with '.json'\n  kubectl delete -f '*.json'\n  \n  # Delete a pod based on the type and name in the JSON passed into stdin\n  cat pod.json | kubectl delete -f -\n  \n  # Delete pods and services with same names \"baz\" and \"foo\"\n  kubectl delete pod,service baz foo\n  \n  # Delete pods and services with label name=myLabel\n  kubectl delete pods,services -l name=myLabel\n  \n  # Delete a pod with minimal delay\n  kubectl delete pod foo --now\n  \n  # Force delete a pod on a dead node\n  kubectl delete pod foo --force\n  \n  # Delete all pods\n  kubectl delete pods --all\n  \n  # Delete all pods only if the user confirms the deletion\n  kubectl delete pods --all --interactive",
  usage: "kubectl delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]",
  flags: [
    { name: "all", type: "bool", usage: "Delete all resources, in the namespace of the specified resource types." },
    { name: "all-namespaces", short: "A", type: "bool", usage: "If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace." },
    { name: "cascade", type: "string", default: "background", noOptDefault: "background", usage: "Must be \"background\", \"orphan\", or \"foreground\". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background." },
    dryRunFlag,
    fieldSelectorFlag,
    filenameFlag("containing the resource to delete."),
    { name: "force", type: "bool", usage: "If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation." },
    { name: "grace-period", type: "int", default: "-1", usage: "Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion)." },
    { name: "ignore-not-found", type: "bool", usage: "Treat \"resource not found\" as a successful delete. Defaults to \"true\" when --all is specified." },
    { name: "interactive", short: "i", type: "bool", usage: "If true, delete resource only when user confirms." },
    kustomizeFlag("Process a kustomization directory. This flag can't be used together with -f or -R."),
    { name: "now", type: "bool", usage: "If true, resources are signaled for immediate shutdown (same as --grace-period=1)." },
    { name: "output", short: "o", type: "string", usage: "Output mode. Use \"-o name\" for shorter output (resource/name)." },
    { name: "raw", type: "string", usage: "Raw URI to DELETE to the server.  Uses the transport specified by the kubeconfig file." },
    recursiveFlag,
    selectorFlag,
    { name: "timeout", type: "duration", default: "0s", usage: "The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object" },
    { name: "wait", type: "bool", default: "true", usage: "If true, wait for resources to be gone before returning. This waits for finalizers." },
  ],
  run,
};
