/**
 * `kubectl wait`: waits for a condition on one or many objects. kubectl watches each object
 * until the condition holds; here the watch is the store's, and while it waits the cluster's
 * virtual time runs on from one scheduled event to the next (controllers, kubelets), so the
 * wait ends at the very change that satisfies it, or when `--timeout` (30s; 0 = look once;
 * negative = a week) has passed. Each object that meets it prints `pod/web condition met`
 * (or itself, with `-o`); `--for=create` prints nothing; a missing object is NotFound, except
 * for `--for=delete`, where it is already what was asked for.
 *
 * @example
 * kubectl wait --for=condition=Ready pod/web               // pod/web condition met
 * kubectl wait --for=jsonpath='{.status.phase}'=Running pod -l app=web
 * kubectl wait --for=delete pod/web --timeout=60s
 */
import { type ApiError, type ResourceInfo, type Stored } from "../../../../api";
import { KubectlError } from "../../../errors";
import { fieldSelectorFlag, filenameFlag, printFlags, recursiveFlag } from "../../../flags";
import { parseGoDuration } from "../../../parse";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../../../types";
import { advanceTowards } from "../../attach";
import { nameLine, printErrors, withOutput } from "../common/output";
import { outputFormat, printObject } from "../common/print";
import { COMBINED_FORM_ERROR, fileTargets, resolveTargets, resourceOrThrow } from "../common/targets";
import { holds, parseWaitFor, type WaitFor } from "./condition";

/** What a negative `--timeout` means: `168h`. */
const A_WEEK_MS = 7 * 24 * 3_600_000;

const NO_RESOURCES = [
  "You must provide one or more resources by argument or filename.",
  "Example resource specifications include:",
  "   '-f rsrc.yaml'",
  "   '--filename=rsrc.json'",
  "   '<resource> <name>'",
  "   '<resource>'",
].join("\n");

const TIMED_OUT = "timed out waiting for the condition";

/** One object to wait on: its discovery row and where it lives. */
interface Ref {
  info: ResourceInfo;
  namespace: string | undefined;
  name: string;
  /** The object when it was found (what `--for=delete` prints once it is gone). */
  object: Stored;
}

/** The builder's argument checks, in its order. */
function checkArguments(args: KubectlArgs): void {
  const selector = args.string("selector") ?? "";
  const named = args.operands.filter((a) => a.includes("/")).length;
  if (named > 0 && named < args.operands.length) throw new KubectlError(COMBINED_FORM_ERROR);
  if (named > 0 && selector !== "") throw new KubectlError("selectors and the all flag cannot be used when passing resource/name arguments");
  if (args.operands.length === 0 && args.strings("filename").length === 0) {
    if (selector !== "") throw new KubectlError("at least one resource must be specified to use a selector");
    throw new KubectlError(NO_RESOURCES);
  }
}

/** The objects the arguments name now, and NotFound for the named ones that do not exist. */
function lookUp(ctx: KubectlContext, args: KubectlArgs): { refs: Ref[]; missing: ApiError[] } {
  const files = args.strings("filename");
  const operands = args.operands;
  const typeOnly = files.length === 0 && operands.length === 1 && !operands[0].includes("/");
  let found;
  if (files.length > 0) found = fileTargets(ctx, files);
  else if (typeOnly) {
    // A type alone lists (`-l`, `--field-selector`, `-A` narrow or widen the list).
    const targets = operands[0]
      .split(",")
      .filter((t) => t !== "")
      .map(resourceOrThrow)
      .flatMap((info) =>
        ctx.store
          .list(info.kind, {
            namespace: info.namespaced && !ctx.allNamespaces ? ctx.namespace : undefined,
            labelSelector: args.string("selector") || undefined,
            fieldSelector: args.string("field-selector") || undefined,
          })
          .map((object) => ({ info, object })),
      );
    found = { targets, missing: [] };
  } else found = resolveTargets(ctx, operands);
  const refs = found.targets.map(({ info, object }) => ({ info, namespace: object.metadata.namespace, name: object.metadata.name, object }));
  return { refs, missing: found.missing };
}

/**
 * Watches one object until `test` says yes (true) or the deadline passes (false): the object
 * as it is first, then every change to it, while virtual time runs on. `test` sees undefined
 * once the object is gone; it may throw to end the wait with that error.
 */
function watchUntil(ctx: KubectlContext, ref: Ref, deadline: number, test: (object: Stored | undefined) => boolean): boolean {
  const uid = ref.object.metadata.uid;
  let met = false;
  let failure: unknown;
  const observe = (object: Stored | undefined) => {
    if (met || failure) return;
    try {
      met = test(object);
    } catch (error) {
      failure = error;
    }
  };
  const current = ctx.store.find(ref.info.kind, ref.namespace, ref.name);
  observe(current?.metadata.uid === uid ? current : undefined);
  // A watch lives for this one call only: nothing of it stays in the cluster's state.
  const stop = ctx.store.watch(
    (event) => {
      if (event.object.metadata.name !== ref.name || event.object.metadata.uid !== uid) return;
      observe(event.type === "DELETED" ? undefined : event.object);
    },
    { kind: ref.info.kind, ...(ref.namespace ? { namespace: ref.namespace } : {}) },
  );
  try {
    while (!met && !failure && ctx.cluster.clock.now() < deadline) advanceTowards(ctx.cluster, deadline);
  } finally {
    stop();
  }
  if (failure) throw failure;
  return met;
}

/** `--for=create`: polls until every named object exists. */
function waitForCreate(ctx: KubectlContext, args: KubectlArgs, deadline: number): void {
  for (;;) {
    const { missing } = lookUp(ctx, args);
    if (missing.length === 0) return;
    if (ctx.cluster.clock.now() >= deadline) throw new KubectlError(TIMED_OUT);
    advanceTowards(ctx.cluster, deadline);
  }
}

/** One object: waits for it, then returns what to print (the object) or throws the failure. */
function waitFor(ctx: KubectlContext, wait: WaitFor, ref: Ref, timeoutMs: number, deadline: number): Stored {
  const objectName = `${ref.info.plural}/${ref.name}`;
  if (wait.kind === "delete") {
    if (timeoutMs === 0) throw new KubectlError(TIMED_OUT);
    if (!watchUntil(ctx, ref, deadline, (object) => object === undefined)) throw new KubectlError(`${TIMED_OUT} on ${objectName}`);
    return ref.object;
  }
  let latest = ref.object;
  const test = (object: Stored | undefined) => {
    if (!object) return false; // A deleted object keeps the wait going, as the watch does.
    latest = object;
    return holds(wait, object);
  };
  if (timeoutMs === 0) {
    if (!test(ctx.store.get(ref.info.kind, ref.namespace, ref.name))) throw new KubectlError(`condition not met for ${objectName}`);
    return latest;
  }
  if (!watchUntil(ctx, ref, deadline, test)) throw new KubectlError(`${TIMED_OUT} on ${objectName}`);
  return latest;
}

function run(args: KubectlArgs, ctx: KubectlContext) {
  return withOutput((out) => {
    const wait = parseWaitFor(args.string("for") ?? "");
    const format = outputFormat(args);
    checkArguments(args);
    const given = parseGoDuration(args.string("timeout") ?? "30s") ?? 30_000;
    const timeoutMs = given < 0 ? A_WEEK_MS : given;
    const deadline = ctx.cluster.clock.now() + timeoutMs;
    if (wait.kind === "create") {
      waitForCreate(ctx, args, deadline);
      return 0;
    }
    const { refs, missing } = lookUp(ctx, args);
    const errors: (ApiError | string)[] = wait.kind === "delete" ? [] : [...missing];
    for (const ref of refs) {
      try {
        const object = waitFor(ctx, wait, ref, timeoutMs, deadline);
        out.out(format ? printObject(object, format) : nameLine(ref.info, ref.name, "condition met"));
      } catch (error) {
        if (!(error instanceof KubectlError)) throw error;
        errors.push(error.message);
      }
    }
    if (refs.length === 0 && missing.length === 0 && wait.kind !== "delete") throw new KubectlError("no matching resources found");
    return printErrors(out, errors);
  });
}

/** `kubectl wait`. */
export const waitVerb: KubectlVerb = {
  name: "wait",
  short: "Experimental: Wait for a specific condition on one or many resources",
  long: [
    "Experimental: Wait for a specific condition on one or many resources.",
    "",
    " The command takes multiple resources and waits until the specified condition is seen in the Status field of every given resource.",
    "",
    ' Alternatively, the command can wait for the given set of resources to be created or deleted by providing the "create" or "delete" keyword as the value to the --for flag.',
    "",
    " A successful message will be printed to stdout indicating when the specified condition has been met. You can use -o option to change to output destination.",
  ].join("\n"),
  examples: [
    '# Wait for the pod "busybox1" to contain the status condition of type "Ready"',
    "kubectl wait --for=condition=Ready pod/busybox1",
    "",
    "# The default value of status condition is true; you can wait for other targets after an equal delimiter (compared after Unicode simple case folding, which is a more general form of case-insensitivity)",
    "kubectl wait --for=condition=Ready=false pod/busybox1",
    "",
    '# Wait for the pod "busybox1" to contain the status phase to be "Running"',
    "kubectl wait --for=jsonpath='{.status.phase}'=Running pod/busybox1",
    "",
    '# Wait for pod "busybox1" to be Ready',
    "kubectl wait --for='jsonpath={.status.conditions[?(@.type==\"Ready\")].status}=True' pod/busybox1",
    "",
    '# Wait for the service "loadbalancer" to have ingress',
    "kubectl wait --for=jsonpath='{.status.loadBalancer.ingress}' service/loadbalancer",
    "",
    '# Wait for the secret "busybox1" to be created, with a timeout of 30s',
    "kubectl create secret generic busybox1",
    "kubectl wait --for=create secret/busybox1 --timeout=30s",
    "",
    '# Wait for the pod "busybox1" to be deleted, with a timeout of 60s, after having issued the "delete" command',
    "kubectl delete pod/busybox1",
    "kubectl wait --for=delete pod/busybox1 --timeout=60s",
  ]
    .map((l) => `  ${l}`)
    .join("\n"),
  usage:
    "kubectl wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]] [options]",
  flags: [
    { name: "all", type: "bool", usage: "Select all resources in the namespace of the specified resource types" },
    {
      name: "all-namespaces",
      short: "A",
      type: "bool",
      usage: "If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.",
    },
    fieldSelectorFlag,
    filenameFlag("identifying the resource."),
    {
      name: "for",
      type: "string",
      usage:
        "The condition to wait on: [create|delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath expression}'=[JSONPath value]]. The default condition-value is true. Condition values are compared after Unicode simple case folding, which is a more general form of case-insensitivity.",
    },
    { name: "local", type: "bool", usage: "If true, annotation will NOT contact api-server but run locally." },
    ...printFlags(),
    { ...recursiveFlag, default: "true" },
    { name: "selector", short: "l", type: "string", usage: "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2)" },
    { name: "timeout", type: "duration", default: "30s", usage: "The length of time to wait before giving up. Zero means check once and don't wait, negative means wait for a week." },
  ],
  run,
  // Discovery fails once more when a type alone has to be listed.
  offline: (args) => ({ discovery: args.operands.length === 1 && !args.operands[0].includes("/") ? 5 : 4 }),
};

