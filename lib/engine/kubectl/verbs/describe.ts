/**
 * `kubectl describe`: resolves what to describe as describe.go does (`TYPE`, `TYPE NAME…`,
 * `TYPE/NAME`, `-l`, `-A`, `-f`; a single name that does not exist is tried as a prefix) and
 * prints each object with the describers of `../describe`, two newlines between objects.
 *
 * @example
 * await sh.run("kubectl describe pod web");
 * await sh.run("kubectl describe deploy");  // every deployment in the namespace
 */
import { ApiError, type Stored } from "../../api";
import { describeObject } from "../describe";
import { completeResourceOperands } from "../complete";
import { errorsText, KubectlError } from "../errors";
import { runVerb } from "../output";
import { fetchResources, fileTargets, parseResourceArgs } from "../resources";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../types";
import { filenameFlag, kustomizeFlag, recursiveFlag, selectorFlag } from "../flags";

/** The objects named, with describe's fallback: `TYPE PREFIX` describes every name starting with it. */
function find(ctx: KubectlContext, args: KubectlArgs): { objects: Stored[]; errors: unknown[]; prefixMatch: boolean } {
  if (args.strings("filename").length > 0) {
    const { targets, errors } = fileTargets(ctx, args);
    const objects: Stored[] = [];
    for (const t of targets) {
      if (t.live) objects.push(t.live);
      else errors.push(fetchResources(ctx, { requests: [{ info: t.info, names: [t.object.metadata.name ?? ""] }], singleItemImplied: true, byName: true }, {}).errors[0]);
    }
    return { objects, errors, prefixMatch: false };
  }
  const request = parseResourceArgs(ctx, args.operands);
  const { groups, errors } = fetchResources(ctx, request, { labelSelector: args.string("selector"), allNamespaces: ctx.allNamespaces });
  const objects = groups.flatMap((g) => g.objects);
  const notFound = errors.some((e: ApiError) => e.reason === "NotFound");
  if (notFound && args.operands.length === 2 && !args.operands[0].includes("/")) {
    const [{ info }] = request.requests;
    const prefix = args.operands[1];
    const matches = ctx.store.list(info.kind, { namespace: info.namespaced ? ctx.namespace : undefined }).filter((o) => o.metadata.name.startsWith(prefix));
    if (matches.length > 0) return { objects: matches, errors: [], prefixMatch: true };
  }
  return { objects, errors, prefixMatch: false };
}

function run(args: KubectlArgs, ctx: KubectlContext) {
  return runVerb((out) => {
    if (args.operands.length === 0 && args.strings("filename").length === 0 && !args.string("kustomize")) {
      throw new KubectlError('You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.');
    }
    const { objects, errors, prefixMatch } = find(ctx, args);
    const now = ctx.shell.clock.now();
    const showEvents = args.bool("show-events");
    objects.forEach((obj, i) => {
      const text = describeObject(ctx.store, obj, { now, showEvents });
      // describe.go: matches of a name prefix each end with an extra newline; otherwise two newlines separate objects.
      if (prefixMatch) out.out(`${text}\n`);
      else out.out(i === 0 ? text : `\n\n${text}`);
    });
    if (objects.length === 0 && errors.length === 0) {
      out.err(ctx.allNamespaces ? "No resources found\n" : `No resources found in ${ctx.namespace} namespace.\n`);
    }
    out.err(errorsText(errors));
    return errors.length > 0 ? 1 : 0;
  });
}

/** `kubectl describe`. */
export const describeVerb: KubectlVerb = {
  name: "describe",
  short: "Show details of a specific resource or group of resources",
  long: "Show details of a specific resource or group of resources.\n\n Print a detailed description of the selected resources, including related resources such as events or controllers. You may select a single object by name, all objects of that type, provide a name prefix, or label selector. For example:\n\n        $ kubectl describe TYPE NAME_PREFIX\n        \n will first check for an exact match on TYPE and NAME_PREFIX. If no such resource exists, it will output details for every resource that has a name prefixed with NAME_PREFIX.\n\nUse \"kubectl api-resources\" for a complete list of supported resources.",
  examples: "  # Describe a node\n  kubectl describe nodes kubernetes-node-emt8.c.myproject.internal\n  \n  # Describe a pod\n  kubectl describe pods/nginx\n  \n  # Describe a pod identified by type and name in \"pod.json\"\n  kubectl describe -f pod.json\n  \n  # Describe all pods\n  kubectl describe pods\n  \n  # Describe pods by label name=myLabel\n  kubectl describe pods -l name=myLabel\n  \n  # Describe all pods managed by the 'frontend' replication controller\n  # (rc-created pods get the name of the rc as a prefix in the pod name)\n  kubectl describe pods frontend",
  usage: "kubectl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]",
  flags: [
    { name: "all-namespaces", short: "A", type: "bool", usage: "If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace." },
    { name: "chunk-size", type: "int", default: "500", usage: "Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may change in the future." },
    filenameFlag("Filename, directory, or URL to files containing the resource to describe"),
    kustomizeFlag(),
    recursiveFlag,
    selectorFlag,
    { name: "show-events", type: "bool", default: "true", usage: "If true, display events related to the described object." },
  ],
  run,
  complete: completeResourceOperands,
};
