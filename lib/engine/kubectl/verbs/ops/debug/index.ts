/**
 * `kubectl debug` (1.32): an ephemeral container added to a running pod through its
 * `ephemeralcontainers` subresource (the kubelet starts it in the pod's network namespace, and
 * with `--target` in that container's PID namespace), a copy of the pod with a debug container
 * (`--copy-to`, `--set-image`, `--replace`), or a pod on a node (`node/NAME`: host namespaces,
 * the node's `/` at `/host`). With `-i` kubectl waits for the debug container to start and
 * attaches to it as `kubectl attach` does: the learner's terminal moves into its shell.
 *
 * @example
 * kubectl debug -it web --image=busybox --target=web
 * // Targeting container "web". If you don't see processes from this container it may be because …
 * // Defaulting debug container name to debugger-x7k2q.
 * // If you don't see a command prompt, try pressing enter.
 * // / #
 */
import { type ContainerStatus, type EnvVar, type KubeObject, type Node, type Pod, type Stored, notFoundError } from "../../../../api";
import type { Output } from "../../../../shell";
import { KubectlError } from "../../../errors";
import { filenameFlag } from "../../../flags";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../../../types";
import { attachSession, NOTHING_AFTER, type PodCondition, waitForPod } from "../../attach";
import { runVerb } from "../../../output";
import { fileTargets, resolveTargets, type Target } from "../common/targets";
import { type DebugOptions, nodeDebugPod, podCopy, withEphemeralContainer } from "./generate";
import { profileOf } from "./profiles";

/** How long `-i` waits for the debug container to start (kubectl waits without end). */
const START_TIMEOUT_MS = 5 * 60_000;

const LEGACY_WARNING =
  '--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example "--profile=general".\n';

/** distribution/reference's `ReferenceRegexp`: `[domain/]path[:tag][@digest]`. */
const COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
const DOMAIN = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?";
const REFERENCE = new RegExp(`^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`);

/** pflag's `stringToString` values (`--env`, `--set-image`): `k=v` pairs, comma-separated. */
function keyValues(args: KubectlArgs, flag: string): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const value of args.strings(flag)) {
    const eq = value.indexOf("=");
    if (eq < 0) throw new KubectlError(`Error: invalid argument "${value}" for "--${flag}" flag: ${value} must be formatted as key=value\nSee 'kubectl debug --help' for usage.`, 1, true);
    pairs.set(value.slice(0, eq), value.slice(eq + 1));
  }
  return pairs;
}

/** The operands before `--`, and the command after it. */
function namesAndCommand(args: KubectlArgs): { names: readonly string[]; command: readonly string[] } {
  const atDash = args.afterDash.length > 0 ? args.operands.length - args.afterDash.length : args.operands.length;
  return { names: args.operands.slice(0, atDash), command: args.afterDash };
}

/** `Complete` and `Validate`, in their order; prints the `--target` notice as Validate does. */
function options(args: KubectlArgs, out: Output): DebugOptions & { names: readonly string[]; attach: boolean; replace: boolean } {
  const { names, command } = namesAndCommand(args);
  const interactive = args.bool("stdin");
  const attach = args.has("attach") ? args.bool("attach") : interactive;
  const profile = profileOf(args.string("profile") ?? "legacy");
  const image = args.string("image") ?? "";
  const container = args.string("container") ?? "";
  const copyTo = args.string("copy-to") ?? "";
  const setImages = keyValues(args, "set-image");
  const env: EnvVar[] = [...keyValues(args, "env")].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, value]) => ({ name, value }));
  if (attach && args.has("attach") && image === "" && container === "") throw new KubectlError("you must specify --container or create a new container using --image in order to attach.");
  if (copyTo !== "") {
    if (image === "" && setImages.size === 0 && command.length === 0) throw new KubectlError("you must specify --image, --set-image or command arguments.");
    if (command.length > 0 && container === "" && image === "") throw new KubectlError("you must specify an existing container or a new image when specifying args.");
  } else if (args.bool("replace")) throw new KubectlError("--replace may only be used with --copy-to.");
  else if (args.bool("same-node")) throw new KubectlError("--same-node may only be used with --copy-to.");
  else if (setImages.size > 0) throw new KubectlError("--set-image may only be used with --copy-to.");
  else if (image === "") throw new KubectlError("you must specify --image when not using --copy-to.");
  if (image !== "" && !REFERENCE.test(image)) throw new KubectlError(`invalid image name "${image}": invalid reference format`);
  if (names.length === 0 && args.strings("filename").length === 0) throw new KubectlError("NAME or filename is required for debug");
  const pullPolicy = args.string("image-pull-policy") ?? "";
  if (!["", "Always", "IfNotPresent", "Never"].includes(pullPolicy)) throw new KubectlError(`invalid image pull policy: ${pullPolicy}`);
  for (const [name, value] of setImages) {
    if (!REFERENCE.test(value)) throw new KubectlError(`invalid image name "${value}" for container "${name}": invalid reference format`);
  }
  if (args.has("custom")) throw new KubectlError("--custom is not supported in this environment");
  const target = args.string("target") ?? "";
  const quiet = args.bool("quiet");
  if (target !== "") {
    if (copyTo !== "") throw new KubectlError("--target is incompatible with --copy-to. Use --share-processes instead.");
    if (!quiet) out.out(`Targeting container "${target}". If you don't see processes from this container it may be because the container runtime doesn't support this feature.\n`);
  }
  const tty = args.bool("tty");
  if (tty && !interactive) throw new KubectlError("-i/--stdin is required for containers with -t/--tty=true");
  return {
    names, attach, replace: args.bool("replace"), image, container, args: command, argsOnly: args.bool("arguments-only"), env, pullPolicy, interactive, tty, quiet, target,
    profile, copyTo, setImages, sameNode: args.bool("same-node"), shareProcesses: args.bool("share-processes"),
    keep: {
      labels: args.bool("keep-labels"), annotations: args.bool("keep-annotations"), liveness: args.bool("keep-liveness"), readiness: args.bool("keep-readiness"),
      startup: args.bool("keep-startup"), initContainers: args.bool("keep-init-containers"),
    },
  };
}

/** The container's status, wherever the pod lists it. */
function statusOf(pod: Pod, name: string): ContainerStatus | undefined {
  const ephemeral = (pod.status as { ephemeralContainerStatuses?: ContainerStatus[] } | undefined)?.ephemeralContainerStatuses ?? [];
  return [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? []), ...ephemeral].find((s) => s.name === name);
}

/** `waitForContainer`: the container is running, or has already ended. */
const containerStarted =
  (name: string): PodCondition =>
  (type, pod) => {
    if (type === "DELETED") throw notFoundError({ group: "", resource: "pods" }, pod.metadata.name);
    const state = statusOf(pod, name)?.state;
    return Boolean(state?.running || state?.terminated);
  };

/** `handleAttachPod`: waits for the container, then attaches (or prints its log when it has already ended). */
async function attachTo(ctx: KubectlContext, out: Output, o: DebugOptions, namespace: string, podName: string, container: string): Promise<void> {
  const pod = waitForPod(ctx, namespace, podName, START_TIMEOUT_MS, containerStarted(container));
  if (statusOf(pod, container)?.state?.terminated) {
    const log = ctx.runtime.logs(namespace, podName, container, {});
    if (log.ok) out.out(log.text);
    return;
  }
  await attachSession(ctx, out, { pod, containerName: container, stdin: o.interactive, tty: o.tty, quiet: o.quiet }, NOTHING_AFTER);
}

/** The objects to debug: `POD` and `TYPE/NAME` (pods by default), or `-f`. */
function targetsOf(ctx: KubectlContext, args: KubectlArgs, names: readonly string[]): Target[] {
  const found =
    names.length > 0
      ? resolveTargets(ctx, names.some((n) => n.includes("/")) ? names : ["pods", ...names])
      : fileTargets(ctx, args.strings("filename"));
  if (found.missing.length > 0) throw found.missing[0];
  return found.targets;
}

/** One object: what to create or patch, and the container to attach to. */
function debugOne(ctx: KubectlContext, out: Output, o: DebugOptions & { replace: boolean }, object: Stored<KubeObject>): { namespace: string; pod: string; container: string } {
  const rng = ctx.cluster.clientRng;
  if (object.kind === "Node") {
    const { pod, container } = nodeDebugPod(o, object as Stored<Node>, ctx.namespace, rng, out);
    const created = ctx.store.create<Pod>(pod);
    return { namespace: created.metadata.namespace!, pod: created.metadata.name, container };
  }
  if (object.kind !== "Pod") throw new KubectlError(`${object.apiVersion}, Kind=${object.kind} is not supported by debug`);
  const pod = object as Stored<Pod>;
  if (o.copyTo !== "") {
    const copy = podCopy(o, pod, rng, out);
    const created = ctx.store.create<Pod>(copy.pod);
    if (o.replace) ctx.store.delete("Pod", pod.metadata.namespace, pod.metadata.name, { gracePeriodSeconds: 0 });
    return { namespace: created.metadata.namespace!, pod: created.metadata.name, container: copy.container };
  }
  const debugged = withEphemeralContainer(o, pod, rng, out);
  const ephemeralContainers = (debugged.pod.spec as { ephemeralContainers?: unknown[] }).ephemeralContainers;
  ctx.store.patch("Pod", pod.metadata.namespace, pod.metadata.name, { spec: { ephemeralContainers } }, { subresource: "ephemeralcontainers" });
  return { namespace: pod.metadata.namespace!, pod: pod.metadata.name, container: debugged.container };
}

function run(args: KubectlArgs, ctx: KubectlContext) {
  return runVerb(async (out) => {
    const o = options(args, out);
    if (o.profile === "legacy") out.err(LEGACY_WARNING);
    for (const { object } of targetsOf(ctx, args, o.names)) {
      const made = debugOne(ctx, out, o, object);
      if (o.attach && made.container !== "") await attachTo(ctx, out, o, made.namespace, made.pod, made.container);
    }
    return 0;
  });
}

const keepFlag = (what: string, usage: string, def?: string) => ({ name: `keep-${what}`, type: "bool" as const, ...(def ? { default: def } : {}), usage: `${usage}(This flag only works when used with '--copy-to')` });

/** `kubectl debug`. */
export const debugVerb: KubectlVerb = {
  name: "debug",
  short: "Create debugging sessions for troubleshooting workloads and nodes",
  long: [
    "Debug cluster resources using interactive debugging containers.",
    "",
    " 'debug' provides automation for common debugging tasks for cluster objects identified by resource and name. Pods will be used by default if no resource is specified.",
    "",
    " The action taken by 'debug' varies depending on what resource is specified. Supported actions include:",
    "",
    "  *  Workload: Create a copy of an existing pod with certain attributes changed, for example changing the image tag to a new version.",
    "  *  Workload: Add an ephemeral container to an already running pod, for example to add debugging utilities without restarting the pod.",
    "  *  Node: Create a new pod that runs in the node's host namespaces and can access the node's filesystem.",
  ].join("\n"),
  examples: [
    "# Create an interactive debugging session in pod mypod and immediately attach to it.",
    "kubectl debug mypod -it --image=busybox",
    "",
    "# Create an interactive debugging session for the pod in the file pod.yaml and immediately attach to it.",
    "# (requires the EphemeralContainers feature to be enabled in the cluster)",
    "kubectl debug -f pod.yaml -it --image=busybox",
    "",
    "# Create a debug container named debugger using a custom automated debugging image.",
    "kubectl debug --image=myproj/debug-tools -c debugger mypod",
    "",
    "# Create a copy of mypod adding a debug container and attach to it",
    "kubectl debug mypod -it --image=busybox --copy-to=my-debugger",
    "",
    "# Create a copy of mypod changing the command of mycontainer",
    "kubectl debug mypod -it --copy-to=my-debugger --container=mycontainer -- sh",
    "",
    "# Create a copy of mypod changing all container images to busybox",
    "kubectl debug mypod --copy-to=my-debugger --set-image=*=busybox",
    "",
    "# Create a copy of mypod adding a debug container and changing container images",
    "kubectl debug mypod -it --copy-to=my-debugger --image=debian --set-image=app=app:debug,sidecar=sidecar:debug",
    "",
    "# Create an interactive debugging session on a node and immediately attach to it.",
    "# The container will run in the host namespaces and the host's filesystem will be mounted at /host",
    "kubectl debug node/mynode -it --image=busybox",
  ]
    .map((l) => `  ${l}`)
    .join("\n"),
  usage: "kubectl debug (POD | TYPE[[.VERSION].GROUP]/NAME) [ -- COMMAND [args...] ] [options]",
  flags: [
    { name: "arguments-only", type: "bool", usage: "If specified, everything after -- will be passed to the new container as Args instead of Command." },
    {
      name: "attach",
      type: "bool",
      usage: "If true, wait for the container to start running, and then attach as if 'kubectl attach ...' were called.  Default false, unless '-i/--stdin' is set, in which case the default is true.",
    },
    { name: "container", short: "c", type: "string", usage: "Container name to use for debug container." },
    { name: "copy-to", type: "string", usage: "Create a copy of the target Pod with this name." },
    { name: "custom", type: "string", usage: "Path to a JSON or YAML file containing a partial container spec to customize built-in debug profiles." },
    { name: "env", type: "stringSlice", usage: "Environment variables to set in the container." },
    filenameFlag("identifying the resource to debug"),
    { name: "image", type: "string", usage: "Container image to use for debug container." },
    {
      name: "image-pull-policy",
      type: "string",
      usage: "The image pull policy for the container. If left empty, this value will not be specified by the client and defaulted by the server.",
    },
    keepFlag("annotations", "If true, keep the original pod annotations."),
    keepFlag("init-containers", "Run the init containers for the pod. Defaults to true.", "true"),
    keepFlag("labels", "If true, keep the original pod labels."),
    keepFlag("liveness", "If true, keep the original pod liveness probes."),
    keepFlag("readiness", "If true, keep the original pod readiness probes."),
    keepFlag("startup", "If true, keep the original startup probes."),
    { name: "profile", type: "string", default: "legacy", usage: 'Options are "legacy", "general", "baseline", "netadmin", "restricted" or "sysadmin".' },
    { name: "quiet", short: "q", type: "bool", usage: "If true, suppress informational messages." },
    { name: "replace", type: "bool", usage: "When used with '--copy-to', delete the original Pod." },
    { name: "same-node", type: "bool", usage: "When used with '--copy-to', schedule the copy of target Pod on the same node." },
    {
      name: "set-image",
      type: "stringSlice",
      usage: "When used with '--copy-to', a list of name=image pairs for changing container images, similar to how 'kubectl set image' works.",
    },
    { name: "share-processes", type: "bool", default: "true", usage: "When used with '--copy-to', enable process namespace sharing in the copy." },
    { name: "stdin", short: "i", type: "bool", usage: "Keep stdin open on the container(s) in the pod, even if nothing is attached." },
    { name: "target", type: "string", usage: "When using an ephemeral container, target processes in this container name." },
    { name: "tty", short: "t", type: "bool", usage: "Allocate a TTY for the debugging container." },
  ],
  run,
  offline: () => ({ discovery: 4 }),
};
