/**
 * `kubectl run NAME --image=IMAGE`: one Pod, as kubectl 1.32's pod generator (`BasicPod`)
 * builds it: label `run=NAME` unless `--labels`, `--port`, `--env`, `--annotations`,
 * `--restart`, `--image-pull-policy`, `--privileged`, arguments after NAME (or `--`) as `args`,
 * or as `command` with `--command`; `--expose` adds a ClusterIP Service. With `-i`, `-t` or
 * `--attach` it then attaches to the pod (./run-attached.ts): `-it … -- sh` moves the learner
 * into the container's shell, `exit` ends it, and `--rm` deletes the pod afterwards.
 *
 * @example
 * await sh.run("kubectl run web --image=nginx --port=80"); // pod/web created
 * await sh.run("kubectl run box --image=busybox -it --rm --restart=Never -- sh"); // / #
 */
import type { KubeObject, Stored } from "../../api";
import type { Output } from "../../shell";
import { KubectlError, usageError } from "../errors";
import { withLastApplied } from "../last-applied";
import { type DryRun, dryRunStrategy, nameLine, outputFormat, printFormatted, requiredFlagsError, runVerb } from "../output";
import { parseGoDuration } from "../parse";
import type { OutputFormat } from "../printers";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../types";
import { typedMeta } from "./create/generator";
import { cascadeOf } from "./delete";
import { buildService } from "./expose";
import { AttachedRun } from "./run-attached";
import { dryRunFlag, fieldManagerFlag, filenameFlag, kustomizeFlag, printFlags, recursiveFlag, saveConfigFlag } from "../flags";

/** distribution/reference's `ReferenceRegexp` (name, optional tag, optional digest). */
const COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
const DOMAIN = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?";
const REFERENCE = new RegExp(
  `^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`,
);

/** `k=v` pairs separated by commas (`generate.ParseLabels`). */
function parseLabels(spec: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of spec.split(",")) {
    const parts = pair.split("=");
    if (parts.length !== 2) throw new KubectlError(`unexpected label spec: ${pair}`);
    out[parts[0]] = parts[1];
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** What the validations settle: the restart policy, whether to attach, and the wait for the pod. */
interface Settled {
  restart: string;
  attach: boolean;
  timeoutMs: number;
}

/** Validations `kubectl run` makes before building anything, in its order. */
function validate(args: KubectlArgs, dryRun: string): Settled {
  if (args.operands.length === 0) throw usageError("kubectl run", "NAME is required for run");
  const timeoutMs = parseGoDuration(args.string("pod-running-timeout") ?? "1m0s") ?? 0;
  if (timeoutMs <= 0) throw usageError("kubectl run", "--pod-running-timeout must be higher than zero");
  const image = args.string("image") ?? "";
  if (image === "") throw new KubectlError("--image is required");
  if (!REFERENCE.test(image)) throw new KubectlError(`Invalid image name "${image}": invalid reference format`);
  const interactive = args.bool("stdin");
  if (args.bool("tty") && !interactive) throw usageError("kubectl run", "-i/--stdin is required for containers with -t/--tty=true");
  if (args.bool("expose") && !args.string("port")) throw usageError("kubectl run", "--port must be set when exposing a service");
  // The flag's default is Always; only an explicitly empty --restart= picks by -i.
  const restart = args.string("restart") || (interactive ? "OnFailure" : "Always");
  if (!["Always", "OnFailure", "Never"].includes(restart)) throw usageError("kubectl run", `invalid restart policy: ${restart}`);
  // -i attaches unless --attach was given a value of its own.
  const attach = args.has("attach") ? args.bool("attach") : interactive;
  if (args.bool("rm") && !attach) throw usageError("kubectl run", "--rm should only be used for attached containers");
  if (dryRun !== "none" && attach) {
    throw usageError("kubectl run", "--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)");
  }
  const policy = args.string("image-pull-policy") ?? "";
  if (policy !== "" && !["Always", "IfNotPresent", "Never"].includes(policy)) throw usageError("kubectl run", `invalid image pull policy: ${policy}`);
  return { restart, attach, timeoutMs };
}

/** `BasicPod.Generate`: the Pod in Go struct field order. */
function buildPod(name: string, args: KubectlArgs, ctx: KubectlContext, restart: string): KubeObject {
  const env = args.strings("env").map((e) => {
    const eq = e.indexOf("=");
    if (eq < 0) throw new KubectlError(`invalid env: ${e}`);
    return { name: e.slice(0, eq), value: e.slice(eq + 1) };
  });
  const annotationSpecs = args.strings("annotations");
  const bad = annotationSpecs.filter((a) => !a.includes("="));
  if (bad.length > 0) throw new KubectlError(`invalid annotations format: ${bad.join(", ")}`);
  const annotations = Object.fromEntries(annotationSpecs.map((a) => [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]).sort(([a], [b]) => (a < b ? -1 : 1)));
  const labelSpec = args.string("labels") ?? "";
  const labels = labelSpec ? parseLabels(labelSpec) : { run: name };
  const rest = args.operands.slice(1);
  const port = args.string("port") ?? "";
  if (port !== "" && !/^[+-]?\d+$/.test(port)) throw new KubectlError(`strconv.Atoi: parsing "${port}": invalid syntax`);
  const policy = args.string("image-pull-policy") ?? "";
  const stdin = args.bool("stdin");
  // Container's struct order: name, image, command, args, ports, env, resources, imagePullPolicy, securityContext, stdin, stdinOnce, tty.
  const container = {
    name,
    image: args.string("image"),
    ...(rest.length > 0 ? { [args.bool("command") ? "command" : "args"]: rest } : {}),
    ...(port !== "" ? { ports: [{ containerPort: Number(port) }] } : {}),
    ...(env.length > 0 ? { env } : {}),
    resources: {},
    ...(policy ? { imagePullPolicy: policy } : {}),
    ...(args.bool("privileged") ? { securityContext: { privileged: true } } : {}),
    ...(stdin ? { stdin: true, ...(args.bool("leave-stdin-open") ? {} : { stdinOnce: true }) } : {}),
    ...(args.bool("tty") ? { tty: true } : {}),
  };
  const meta = typedMeta(name, ctx, labels);
  return {
    kind: "Pod",
    apiVersion: "v1",
    metadata: Object.keys(annotations).length > 0 ? { ...meta, annotations } : meta,
    spec: { containers: [container], restartPolicy: restart, dnsPolicy: "ClusterFirst" },
    status: {},
  };
}

/** The created objects as kubectl prints them: names (`pod/web created`) or through `-o`. */
function printCreated(out: Output, objects: readonly KubeObject[], format: OutputFormat, dryRun: DryRun): void {
  if (format.type === "human") {
    for (const obj of objects) out.out(nameLine(obj, "created", dryRun));
    return;
  }
  // Each object goes through the same printer; kubectl's YAML printer separates them with `---` twice.
  const texts = objects.map((obj) => printFormatted([obj], format, { list: false, typedOrder: dryRun === "client" }));
  out.out(texts.join(format.type === "yaml" ? "---\n---\n" : ""));
}

function run(args: KubectlArgs, ctx: KubectlContext) {
  return runVerb((out) => {
    const missing = requiredFlagsError(ctx, args, ["image"]);
    if (missing) throw missing;
    const dryRun = dryRunStrategy(ctx, args, out);
    const format = outputFormat(ctx, args, "generic");
    const cascade = cascadeOf(args, out);
    const { restart, attach, timeoutMs } = validate(args, dryRun);
    if (args.string("overrides")) throw new KubectlError("--overrides is not supported here");
    void ctx.store; // The generator's object is mapped through discovery before anything is sent.
    const name = args.operands[0];
    let pod = buildPod(name, args, ctx, restart);
    if (args.bool("save-config")) pod = withLastApplied(pod);
    const created = dryRun === "client" ? pod : ctx.store.create(pod, { namespace: ctx.namespace, dryRun: dryRun === "server" });
    const services: KubeObject[] = [];
    if (args.bool("expose")) {
      const service = buildService(
        { name, selector: Object.entries(pod.metadata.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(","), ports: [args.string("port")!] },
        typedMeta(name, ctx),
      );
      services.push(dryRun === "client" ? service : ctx.store.create(service, { namespace: ctx.namespace, dryRun: dryRun === "server" }));
    }
    // The Service is printed as it is created; the pod only when run does not attach to it.
    printCreated(out, attach ? services : [...services, created], format, dryRun);
    if (!attach) return 0;
    const options = {
      stdin: args.bool("stdin"), tty: args.bool("tty"), quiet: args.bool("quiet"), remove: args.bool("rm"), restart,
      leaveStdinOpen: args.bool("leave-stdin-open"), timeoutMs, cascade,
    };
    return new AttachedRun(ctx, [created, ...services] as Stored[], options).start(out);
  });
}

/** `kubectl run`. */
export const runVerbSpec: KubectlVerb = {
  name: "run",
  short: "Run a particular image on the cluster",
  long: "Create and run a particular image in a pod.",
  examples: "  # Start a nginx pod\n  kubectl run nginx --image=nginx\n  \n  # Start a hazelcast pod and let the container expose port 5701\n  kubectl run hazelcast --image=hazelcast/hazelcast --port=5701\n  \n  # Start a hazelcast pod and set environment variables \"DNS_DOMAIN=cluster\" and \"POD_NAMESPACE=default\" in the container\n  kubectl run hazelcast --image=hazelcast/hazelcast --env=\"DNS_DOMAIN=cluster\" --env=\"POD_NAMESPACE=default\"\n  \n  # Start a hazelcast pod and set labels \"app=hazelcast\" and \"env=prod\" in the container\n  kubectl run hazelcast --image=hazelcast/hazelcast --labels=\"app=hazelcast,env=prod\"\n  \n  # Dry run; print the corresponding API objects without creating them\n  kubectl run nginx --image=nginx --dry-run=client\n  \n  # Start a nginx pod, but overload the spec with a partial set of values parsed from JSON\n  kubectl run nginx --image=nginx --overrides='{ \"apiVersion\": \"v1\", \"spec\": { ... } }'\n  \n  # Start a busybox pod and keep it in the foreground, don't restart it if it exits\n  kubectl run -i -t busybox --image=busybox --restart=Never\n  \n  # Start the nginx pod using the default command, but use custom arguments (arg1 .. argN) for that command\n  kubectl run nginx --image=nginx -- <arg1> <arg2> ... <argN>\n  \n  # Start the nginx pod using a different command and custom arguments\n  kubectl run nginx --image=nginx --command -- <cmd> <arg1> ... <argN>",
  usage: "kubectl run NAME --image=image [--env=\"key=value\"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]",
  flags: [
    ...printFlags(),
    { name: "annotations", type: "stringArray", usage: "Annotations to apply to the pod." },
    { name: "attach", type: "bool", usage: "If true, wait for the Pod to start running, and then attach to the Pod as if 'kubectl attach ...' were called.  Default false, unless '-i/--stdin' is set, in which case the default is true. With '--restart=Never' the exit code of the container process is returned." },
    { name: "cascade", type: "string", default: "background", noOptDefault: "background", usage: "Must be \"background\", \"orphan\", or \"foreground\". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background." },
    { name: "command", type: "bool", usage: "If true and extra arguments are present, use them as the 'command' field in the container, rather than the 'args' field which is the default." },
    dryRunFlag,
    { name: "env", type: "stringArray", usage: "Environment variables to set in the container." },
    { name: "expose", type: "bool", usage: "If true, create a ClusterIP service associated with the pod.  Requires `--port`." },
    fieldManagerFlag("kubectl-run"),
    filenameFlag("to use to replace the resource."),
    { name: "force", type: "bool", usage: "If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation." },
    { name: "grace-period", type: "int", default: "-1", usage: "Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion)." },
    { name: "image", type: "string", usage: "The image for the container to run." },
    { name: "image-pull-policy", type: "string", usage: "The image pull policy for the container.  If left empty, this value will not be specified by the client and defaulted by the server." },
    kustomizeFlag("Process a kustomization directory. This flag can't be used together with -f or -R."),
    { name: "labels", short: "l", type: "string", usage: "Comma separated labels to apply to the pod. Will override previous values." },
    { name: "leave-stdin-open", type: "bool", usage: "If the pod is started in interactive mode or with stdin, leave stdin open after the first attach completes. By default, stdin will be closed after the first attach completes." },
    { name: "override-type", type: "string", default: "merge", usage: "The method used to override the generated object: json, merge, or strategic." },
    { name: "overrides", type: "string", usage: "An inline JSON override for the generated object. If this is non-empty, it is used to override the generated object. Requires that the object supply a valid apiVersion field." },
    { name: "pod-running-timeout", type: "duration", default: "1m0s", usage: "The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running" },
    { name: "port", type: "string", usage: "The port that this container exposes." },
    { name: "privileged", type: "bool", usage: "If true, run the container in privileged mode." },
    { name: "quiet", short: "q", type: "bool", usage: "If true, suppress prompt messages." },
    recursiveFlag,
    { name: "restart", type: "string", default: "Always", usage: "The restart policy for this Pod.  Legal values [Always, OnFailure, Never]." },
    { name: "rm", type: "bool", usage: "If true, delete the pod after it exits.  Only valid when attaching to the container, e.g. with '--attach' or with '-i/--stdin'." },
    saveConfigFlag,
    { name: "stdin", short: "i", type: "bool", usage: "Keep stdin open on the container in the pod, even if nothing is attached." },
    { name: "timeout", type: "duration", default: "0s", usage: "The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object" },
    { name: "tty", short: "t", type: "bool", usage: "Allocate a TTY for the container in the pod." },
    { name: "wait", type: "bool", usage: "If true, wait for resources to be gone before returning. This waits for finalizers." },
  ],
  offline: () => ({ discovery: 1 }),
  run,
};
