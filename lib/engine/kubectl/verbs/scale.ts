/**
 * `kubectl scale --replicas=N`: sets `spec.replicas` through the scale subresource of a
 * Deployment, ReplicaSet, ReplicationController or StatefulSet, with `--current-replicas` and
 * `--resource-version` as preconditions. As upstream, objects that cannot be found are skipped
 * silently, so naming only missing ones ends in `no objects passed to scale`.
 *
 * @example
 * await sh.run("kubectl scale deployment web --replicas=5"); // deployment.apps/web scaled
 */
import { type Stored, unknownResourceError } from "../../api";
import { completeResourceOperands } from "../complete";
import { KubectlError } from "../errors";
import { dryRunStrategy, nameLine, outputFormat, printFormatted, requiredFlagsError, runVerb } from "../output";
import { fetchResources, fileTargets, parseResourceArgs } from "../resources";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../types";
import { dryRunFlag, filenameFlag, kustomizeFlag, printFlags, recursiveFlag, selectorFlag } from "../flags";

const NO_RESOURCES =
  "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

/** Kinds with a scale subresource. */
const SCALABLE = new Set(["Deployment", "ReplicaSet", "ReplicationController", "StatefulSet"]);

/** What the builder visits; missing objects are dropped, as scale's visitor ignores errors. */
function infos(ctx: KubectlContext, args: KubectlArgs): Stored[] {
  if (args.strings("filename").length > 0) return fileTargets(ctx, args).targets.flatMap((t) => (t.live ? [t.live] : []));
  if (args.operands.length === 0) throw new KubectlError(NO_RESOURCES);
  const request = parseResourceArgs(ctx, args.operands);
  const selector = args.string("selector");
  if (!request.byName && !selector && !args.bool("all")) throw new KubectlError("resource(s) were provided, but no name was specified");
  return fetchResources(ctx, request, { labelSelector: selector }).groups.flatMap((g) => g.objects);
}

function run(args: KubectlArgs, ctx: KubectlContext) {
  return runVerb((out) => {
    const missing = requiredFlagsError(ctx, args, ["replicas"]);
    if (missing) throw missing;
    const dryRun = dryRunStrategy(ctx, args, out);
    const format = outputFormat(ctx, args, "generic");
    const replicas = args.int("replicas") ?? 0;
    const current = args.int("current-replicas") ?? -1;
    if (replicas < 0) throw new KubectlError("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0");
    if (current < -1) throw new KubectlError("The --current-replicas must specify an integer of -1 or greater");
    const objects = infos(ctx, args);
    const rv = args.string("resource-version") ?? "";
    if (rv && objects.length > 1) throw new KubectlError("cannot use --resource-version with multiple resources");
    if (objects.length === 0) throw new KubectlError("no objects passed to scale");
    for (const obj of objects) {
      let printed: Stored = obj;
      if (dryRun !== "client") {
        if (!SCALABLE.has(obj.kind)) throw unknownResourceError();
        const size = (obj.spec as { replicas?: number } | undefined)?.replicas ?? 1;
        if (current !== -1 && size !== current) throw new KubectlError(`Expected replicas to be ${current}, was ${size}`);
        if (rv && obj.metadata.resourceVersion !== rv) throw new KubectlError(`Expected resourceVersion to be ${rv}, was ${obj.metadata.resourceVersion}`);
        printed = ctx.store.patch(obj.kind, obj.metadata.namespace, obj.metadata.name, { spec: { replicas } }, { dryRun: dryRun === "server" });
      }
      out.out(format.type === "human" ? nameLine(printed, "scaled", dryRun) : printFormatted([printed], format, { list: false }));
    }
    return 0;
  });
}

/** `kubectl scale`. */
export const scaleVerb: KubectlVerb = {
  name: "scale",
  short: "Set a new size for a deployment, replica set, or replication controller",
  long: "Set a new size for a deployment, replica set, replication controller, or stateful set.\n\n Scale also allows users to specify one or more preconditions for the scale action.\n\n If --current-replicas or --resource-version is specified, it is validated before the scale is attempted, and it is guaranteed that the precondition holds true when the scale is sent to the server.",
  examples: "  # Scale a replica set named 'foo' to 3\n  kubectl scale --replicas=3 rs/foo\n  \n  # Scale a resource identified by type and name specified in \"foo.yaml\" to 3\n  kubectl scale --replicas=3 -f foo.yaml\n  \n  # If the deployment named mysql's current size is 2, scale mysql to 3\n  kubectl scale --current-replicas=2 --replicas=3 deployment/mysql\n  \n  # Scale multiple replication controllers\n  kubectl scale --replicas=5 rc/example1 rc/example2 rc/example3\n  \n  # Scale stateful set named 'web' to 3\n  kubectl scale --replicas=3 statefulset/web",
  usage: "kubectl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]",
  flags: [
    { name: "all", type: "bool", usage: "Select all resources in the namespace of the specified resource types" },
    ...printFlags(),
    { name: "current-replicas", type: "int", default: "-1", usage: "Precondition for current size. Requires that the current size of the resource match this value in order to scale. -1 (default) for no condition." },
    dryRunFlag,
    filenameFlag("Filename, directory, or URL to files identifying the resource to set a new size"),
    kustomizeFlag(),
    recursiveFlag,
    { name: "replicas", type: "int", usage: "The new desired number of replicas. Required." },
    { name: "resource-version", type: "string", usage: "Precondition for resource version. Requires that the current resource version match this value in order to scale." },
    selectorFlag,
    { name: "timeout", type: "duration", default: "0s", usage: "The length of time to wait before giving up on a scale operation, zero means don't wait. Any other values should contain a corresponding time unit (e.g. 1s, 2m, 3h)." },
  ],
  run,
  complete: completeResourceOperands,
};
