/**
 * `kubectl set image`: `CONTAINER=IMAGE` pairs (`*` for every container) applied to the pod
 * template of Pods, Deployments, ReplicaSets, DaemonSets and ReplicationControllers, sent as a
 * strategic merge patch; objects that would not change are skipped silently, as set_image.go
 * does. `--local -f` and `--dry-run=client` print the object the way kubectl holds it after
 * decoding into its Go type (zero-valued struct fields such as `resources: {}` filled in).
 *
 * @example
 * await sh.run("kubectl set image deployment/web web=nginx:1.27"); // deployment.apps/web image updated
 */
import { ApiError, type KubeObject, type PodSpec } from "../../../api";
import { clonePlain, equalPlain } from "../../../util/plain";
import { completeResourceOperands } from "../../complete";
import { errorsText, KubectlError } from "../../errors";
import { readManifests } from "../../manifests";
import { dryRunStrategy, nameLine, outputFormat, printFormatted, runVerb } from "../../output";
import { fetchResources, parseResourceArgs, validationEnabled } from "../../resources";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../../types";
import { splitResourcesAndPairs } from "../metadata";
import { dryRunFlag, fieldManagerFlag, filenameFlag, kustomizeFlag, printFlags, recursiveFlag, selectorFlag } from "../../flags";

const NO_RESOURCES =
  "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

/** Where each kind keeps the pod spec `set image` edits. */
function podSpecOf(obj: KubeObject): PodSpec | undefined {
  const spec = obj.spec as { template?: { spec?: PodSpec } } | undefined;
  if (obj.kind === "Pod") return obj.spec as PodSpec;
  return ["Deployment", "ReplicaSet", "DaemonSet", "ReplicationController", "StatefulSet", "Job"].includes(obj.kind) ? spec?.template?.spec : undefined;
}

/** `ParsePairs(args, "image", false)`. */
function parseImages(pairs: readonly string[]): Map<string, string> {
  const images = new Map<string, string>();
  const invalid: string[] = [];
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq > 0) images.set(pair.slice(0, eq), pair.slice(eq + 1));
    else invalid.push(pair);
  }
  if (invalid.length > 0) throw new KubectlError(`invalid image format: ${invalid.join(", ")}`);
  return images;
}

/** The object as kubectl's Go types print it: zero-valued structs that JSON never omits. */
function typedForm(obj: KubeObject): KubeObject {
  const out = clonePlain(obj);
  out.metadata = { ...out.metadata, creationTimestamp: out.metadata.creationTimestamp ?? null };
  const spec = out.spec as Record<string, unknown> & { template?: { metadata?: Record<string, unknown> } };
  if (spec?.template) spec.template.metadata = { ...spec.template.metadata, creationTimestamp: spec.template.metadata?.creationTimestamp ?? null };
  const pod = podSpecOf(out);
  for (const c of [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]) c.resources ??= {};
  if (out.kind === "Deployment") spec.strategy ??= {};
  if (out.kind === "ReplicaSet" || out.kind === "ReplicationController") out.status ??= { replicas: 0 };
  else if (out.kind === "DaemonSet") out.status ??= { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 };
  else out.status ??= {};
  return out;
}

/** The object with the images set, or the errors `UpdatePodSpecForObject` and `setImage` report. */
function withImages(obj: KubeObject, images: ReadonlyMap<string, string>, errors: unknown[]): KubeObject | undefined {
  const next = clonePlain(obj);
  const pod = podSpecOf(next);
  if (!pod) {
    const resource = `${obj.kind.toLowerCase()}s/${obj.metadata.name}`;
    errors.push(new KubectlError(`error: ${resource} the object is not a pod or does not have a pod template: *v1.${obj.kind}\n`));
    return undefined;
  }
  for (const [name, image] of images) {
    let found = false;
    for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
      if (name === "*" || c.name === name) {
        c.image = image;
        found = true;
      }
    }
    if (!found) errors.push(new KubectlError(`error: unable to find container named "${name}"`));
  }
  return next;
}

function targets(ctx: KubectlContext, args: KubectlArgs, resources: readonly string[]): { objects: KubeObject[]; errors: unknown[] } {
  if (args.strings("filename").length > 0) {
    const local = args.bool("local");
    const read = readManifests(ctx.shell, args.strings("filename"), { recursive: args.bool("recursive"), validate: validationEnabled(args), local });
    if (local) return { objects: read.local.map((i) => i.object), errors: read.errors };
    const errors: unknown[] = [...read.errors];
    const objects = read.items.flatMap((item) => {
      const found = fetchResources(ctx, { requests: [{ info: item.info, names: [item.object.metadata.name ?? ""] }], singleItemImplied: true, byName: true }, {});
      errors.push(...found.errors);
      return found.groups.flatMap((g) => g.objects);
    });
    return { objects, errors };
  }
  const request = parseResourceArgs(ctx, resources);
  if (!request.byName && !args.string("selector") && !args.bool("all")) throw new KubectlError("resource(s) were provided, but no name was specified");
  const { groups, errors } = fetchResources(ctx, request, { labelSelector: args.string("selector") });
  return { objects: groups.flatMap((g) => g.objects), errors };
}

function run(args: KubectlArgs, ctx: KubectlContext) {
  return runVerb((out) => {
    const { resources, pairs } = splitResourcesAndPairs(args.operands, "image");
    const images = parseImages(pairs);
    const dryRun = dryRunStrategy(ctx, args, out);
    const format = outputFormat(ctx, args, "generic");
    const local = args.bool("local");
    const problems: string[] = [];
    if (args.bool("all") && args.string("selector")) problems.push("cannot set --all and --selector at the same time");
    if (resources.length === 0 && args.strings("filename").length === 0) problems.push(NO_RESOURCES);
    if (images.size === 0) problems.push("at least one image update is required");
    else if (images.size > 1 && images.has("*")) problems.push("all containers are already specified by *, but saw more than one container_name=container_image pairs");
    if (local && dryRun === "server") problems.push("cannot specify --local and --dry-run=server - did you mean --dry-run=client?");
    if (problems.length === 1) throw new KubectlError(problems[0]);
    if (problems.length > 1) throw new KubectlError(problems.join("\n"), 1, true);
    const { objects, errors } = targets(ctx, args, resources);
    for (const obj of objects) {
      const next = withImages(obj, images, errors);
      if (!next || equalPlain(next, obj)) continue;
      try {
        const printed = local || dryRun === "client" ? typedForm(next) : ctx.store.update(next, { dryRun: dryRun === "server" });
        out.out(format.type === "human" ? nameLine(printed, "image updated", dryRun) : printFormatted([printed], format, { list: false }));
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        errors.push(new KubectlError(`failed to patch image update to pod template: ${error.message}`));
      }
    }
    out.err(errorsText(errors));
    return errors.length > 0 ? 1 : 0;
  });
}

/** `kubectl set image`. */
export const setImage: KubectlVerb = {
  name: "image",
  short: "Update the image of a pod template",
  long: "Update existing container image(s) of resources.\n\n Possible resources include (case insensitive):\n\n        pod (po), replicationcontroller (rc), deployment (deploy), daemonset (ds), statefulset (sts), cronjob (cj), replicaset (rs)",
  examples: "  # Set a deployment's nginx container image to 'nginx:1.9.1', and its busybox container image to 'busybox'\n  kubectl set image deployment/nginx busybox=busybox nginx=nginx:1.9.1\n  \n  # Update all deployments' and rc's nginx container's image to 'nginx:1.9.1'\n  kubectl set image deployments,rc nginx=nginx:1.9.1 --all\n  \n  # Update image of all containers of daemonset abc to 'nginx:1.9.1'\n  kubectl set image daemonset abc *=nginx:1.9.1\n  \n  # Print result (in yaml format) of updating nginx container image from local file, without hitting the server\n  kubectl set image -f path/to/file.yaml nginx=nginx:1.9.1 --local -o yaml",
  usage: "kubectl set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N [options]",
  flags: [
    { name: "all", type: "bool", usage: "Select all resources, in the namespace of the specified resource types" },
    ...printFlags(),
    dryRunFlag,
    fieldManagerFlag("kubectl-set"),
    filenameFlag("Filename, directory, or URL to files identifying the resource to get from a server."),
    kustomizeFlag(),
    { name: "local", type: "bool", usage: "If true, set image will NOT contact api-server but run locally." },
    recursiveFlag,
    selectorFlag,
  ],
  offline: () => ({ discovery: 4 }),
  run,
  complete: completeResourceOperands,
};
