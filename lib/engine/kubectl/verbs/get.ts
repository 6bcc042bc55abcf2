/**
 * `kubectl get`: lists or fetches objects and prints them as the server-side table (one table
 * per run of the same kind, a blank line between them, `kind/` prefixes when several kinds are
 * shown, NAMESPACE with `-A`, `-L`, `--show-labels`, `--no-headers`, `--sort-by`) or in any
 * `-o` format through the printers. Missing names are reported after what was found.
 *
 * @example
 * await sh.run("kubectl get pods -A -o wide");
 * await sh.run("kubectl get deploy,svc -l app=web");
 */
import type { ApiError, Stored } from "../../api";
import { formatTable, renderTable } from "../../api";
import type { Output } from "../../shell";
import { completeResourceOperands } from "../complete";
import { errorsText, KubectlError, usageError } from "../errors";
import { fieldSelectorFlag, filenameFlag, kustomizeFlag, printFlags, recursiveFlag, selectorFlag } from "../flags";
import { outputFormat, printFormatted, runVerb } from "../output";
import { fetchResources, fileTargets, kindPrefix, parseResourceArgs, type ResourceGroup } from "../resources";
import { sortObjects } from "../sort";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../types";

const OUTPUT_USAGE =
  "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file, custom-columns, custom-columns-file, wide). See custom columns [https://kubernetes.io/docs/reference/kubectl/#custom-columns], golang template [http://golang.org/pkg/text/template/#pkg-overview] and jsonpath template [https://kubernetes.io/docs/reference/kubectl/jsonpath/].";

/** What was found: groups in visiting order, errors to report after printing. */
interface Found {
  groups: ResourceGroup[];
  errors: unknown[];
  singleItemImplied: boolean;
  /** More than one type was asked for (`pods,svc`, `all`): names get a `kind/` prefix. */
  multipleTypes: boolean;
}

function find(ctx: KubectlContext, args: KubectlArgs): Found {
  const selector = args.string("selector");
  const fieldSelector = args.string("field-selector");
  if (args.strings("filename").length > 0) {
    if (args.operands.length > 0) throw new KubectlError("when paths, URLs, or stdin is provided as input, you may not specify a resource by arguments as well");
    const { targets, errors } = fileTargets(ctx, args, { nested: true });
    const groups: ResourceGroup[] = [];
    for (const t of targets) {
      if (!t.live) {
        errors.push(fetchResources(ctx, { requests: [{ info: t.info, names: [t.object.metadata.name ?? ""] }], singleItemImplied: true, byName: true }, {}).errors[0]);
        continue;
      }
      const last = groups.at(-1);
      if (last && last.info === t.info) last.objects.push(t.live);
      else groups.push({ info: t.info, objects: [t.live] });
    }
    return { groups, errors, singleItemImplied: targets.length === 1, multipleTypes: new Set(targets.map((t) => t.info)).size > 1 };
  }
  const request = parseResourceArgs(ctx, args.operands);
  const { groups, errors } = fetchResources(ctx, request, {
    labelSelector: selector,
    fieldSelector,
    allNamespaces: ctx.allNamespaces,
  });
  const typed = args.operands.filter((o) => !o.includes("/"))[0] ?? "";
  const multipleTypes = typed.includes(",") || typed.toLowerCase() === "all" || new Set(request.requests.map((r) => r.info)).size > 1;
  const kept = args.bool("ignore-not-found") ? errors.filter((e: ApiError) => e.reason !== "NotFound") : errors;
  return { groups, errors: kept, singleItemImplied: request.singleItemImplied, multipleTypes };
}

/** The objects sorted by `--sort-by` across groups, then regrouped into runs of one kind. */
function sortedGroups(groups: readonly ResourceGroup[], sortBy: string): ResourceGroup[] {
  const infoOf = new Map(groups.flatMap((g) => g.objects.map((o) => [o, g.info] as const)));
  const out: ResourceGroup[] = [];
  for (const object of sortObjects(groups.flatMap((g) => g.objects), sortBy)) {
    const info = infoOf.get(object)!;
    const last = out.at(-1);
    if (last && last.info === info) last.objects.push(object);
    else out.push({ info, objects: [object] });
  }
  return out;
}

/** Human-readable output: one table per run of the same kind, a blank line between tables. */
function printTables(ctx: KubectlContext, args: KubectlArgs, found: Found, wide: boolean, out: Output): boolean {
  const showKind = args.bool("show-kind") || found.multipleTypes || new Set(found.groups.filter((g) => g.objects.length > 0).map((g) => g.info)).size > 1;
  const now = ctx.shell.clock.now();
  let written = false;
  const runs: { info: ResourceGroup["info"]; objects: Stored[] }[] = [];
  for (const group of found.groups) {
    if (group.objects.length === 0) continue;
    const last = runs.at(-1);
    if (last && last.info === group.info) last.objects.push(...group.objects);
    else runs.push({ info: group.info, objects: [...group.objects] });
  }
  for (const { info, objects } of runs) {
    const table = renderTable(info.kind, objects, { wide, now });
    const text = formatTable(table, {
      withNamespace: ctx.allNamespaces && info.namespaced,
      kindPrefix: showKind ? kindPrefix(info) : undefined,
      labelColumns: args.strings("label-columns"),
      showLabels: args.bool("show-labels"),
      noHeaders: args.bool("no-headers"),
    });
    if (written && !args.bool("no-headers")) out.out("\n");
    out.out(text);
    written = true;
  }
  return written;
}

async function run(args: KubectlArgs, ctx: KubectlContext) {
  return runVerb((out) => {
    if (args.operands.length === 0 && args.strings("filename").length === 0 && !args.string("kustomize")) {
      out.err('You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\n');
      throw usageError(
        "kubectl get",
        'Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).',
      );
    }
    if (args.bool("watch") || args.bool("watch-only")) throw new KubectlError("--watch is not supported here: run the command again to see changes");
    if (args.string("raw")) throw new KubectlError("--raw is not supported here");
    const format = outputFormat(ctx, args, "get");
    const found = find(ctx, args);
    const sortBy = args.string("sort-by");
    if (sortBy) found.groups = sortedGroups(found.groups, sortBy);
    if (format.type === "human" || format.type === "wide") {
      const written = printTables(ctx, args, found, format.type === "wide", out);
      // Only the human-readable path says so; every other format prints what it prints.
      if (!written && found.errors.length === 0 && !args.bool("ignore-not-found")) {
        const namespaced = !ctx.allNamespaces && found.groups.every((g) => g.info.namespaced);
        out.err(namespaced ? `No resources found in ${ctx.namespace} namespace.\n` : "No resources found\n");
      }
    } else {
      // printGeneric: only the error when the one object asked for failed, nothing at all when
      // nothing was found under --ignore-not-found, else the one object asked for or a List
      // (an empty List for json/yaml, nothing for -o name).
      const objects = found.groups.flatMap((g) => g.objects);
      const failedSingle = found.singleItemImplied && found.errors.length > 0;
      if (!failedSingle && (objects.length > 0 || !args.bool("ignore-not-found"))) {
        out.out(printFormatted(objects, format, {
          list: !found.singleItemImplied || objects.length !== 1,
          allowMissingKeys: args.bool("allow-missing-template-keys"),
          noHeaders: args.bool("no-headers"),
        }));
      }
    }
    out.err(errorsText(found.errors));
    return found.errors.length > 0 ? 1 : 0;
  });
}

/** `kubectl get`. */
export const getVerb: KubectlVerb = {
  name: "get",
  short: "Display one or many resources",
  long: "Display one or many resources.\n\n Prints a table of the most important information about the specified resources. You can filter the list using a label selector and the --selector flag. If the desired resource type is namespaced you will only see results in the current namespace if you don't specify any namespace.\n\n By specifying the output as 'template' and providing a Go template as the value of the --template flag, you can filter the attributes of the fetched resources.\n\nUse \"kubectl api-resources\" for a complete list of supported resources.",
  examples:
    "  # List all pods in ps output format\n  kubectl get pods\n  \n  # List all pods in ps output format with more information (such as node name)\n  kubectl get pods -o wide\n  \n  # List a single replication controller with specified NAME in ps output format\n  kubectl get replicationcontroller web\n  \n  # List deployments in JSON output format, in the \"v1\" version of the \"apps\" API group\n  kubectl get deployments.v1.apps -o json\n  \n  # List a single pod in JSON output format\n  kubectl get -o json pod web-pod-13je7\n  \n  # List a pod identified by type and name specified in \"pod.yaml\" in JSON output format\n  kubectl get -f pod.yaml -o json\n  \n  # List resources from a directory with kustomization.yaml - e.g. dir/kustomization.yaml\n  kubectl get -k dir/\n  \n  # Return only the phase value of the specified pod\n  kubectl get -o template pod/web-pod-13je7 --template={{.status.phase}}\n  \n  # List resource information in custom columns\n  kubectl get pod test-pod -o custom-columns=CONTAINER:.spec.containers[0].name,IMAGE:.spec.containers[0].image\n  \n  # List all replication controllers and services together in ps output format\n  kubectl get rc,services\n  \n  # List one or more resources by their type and names\n  kubectl get rc/web service/frontend pods/web-pod-13je7\n  \n  # List the 'status' subresource for a single pod\n  kubectl get pod web-pod-13je7 --subresource status\n  \n  # List all deployments in namespace 'backend'\n  kubectl get deployments.apps --namespace backend\n  \n  # List all pods existing in all namespaces\n  kubectl get pods --all-namespaces",
  usage:
    "kubectl get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]",
  flags: [
    {
      name: "all-namespaces",
      short: "A",
      type: "bool",
      usage: "If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.",
    },
    ...printFlags(OUTPUT_USAGE),
    { name: "chunk-size", type: "int", default: "500", usage: "Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may change in the future." },
    fieldSelectorFlag,
    filenameFlag("Filename, directory, or URL to files identifying the resource to get from a server."),
    { name: "ignore-not-found", type: "bool", usage: "If the requested object does not exist the command will return exit code 0." },
    kustomizeFlag(),
    {
      name: "label-columns",
      short: "L",
      type: "stringSlice",
      usage: "Accepts a comma separated list of labels that are going to be presented as columns. Names are case-sensitive. You can also use multiple flag options like -L label1 -L label2...",
    },
    { name: "no-headers", type: "bool", usage: "When using the default or custom-column output format, don't print headers (default print headers)." },
    { name: "output-watch-events", type: "bool", usage: "Output watch event objects when --watch or --watch-only is used. Existing objects are output as initial ADDED events." },
    { name: "raw", type: "string", usage: "Raw URI to request from the server.  Uses the transport specified by the kubeconfig file." },
    recursiveFlag,
    selectorFlag,
    { name: "server-print", type: "bool", default: "true", usage: "If true, have the server return the appropriate table output. Supports extension APIs and CRDs." },
    { name: "show-kind", type: "bool", usage: "If present, list the resource type for the requested object(s)." },
    { name: "show-labels", type: "bool", usage: "When printing, show all labels as the last column (default hide labels column)" },
    {
      name: "sort-by",
      type: "string",
      usage:
        "If non-empty, sort list types using this field specification.  The field specification is expressed as a JSONPath expression (e.g. '{.metadata.name}'). The field in the API resource specified by this JSONPath expression must be an integer or a string.",
    },
    { name: "subresource", type: "string", usage: "If specified, gets the subresource of the requested object. This flag is beta and may change in the future." },
    { name: "watch", short: "w", type: "bool", usage: "After listing/getting the requested object, watch for changes." },
    { name: "watch-only", type: "bool", usage: "Watch for changes to the requested object(s), without listing/getting first." },
  ],
  run,
  // Discovery is cached differently for `TYPE/NAME`: one retry fewer before giving up.
  offline: (args) => ({ discovery: args.operands.some((o) => o.includes("/")) ? 4 : 5 }),
  complete: completeResourceOperands,
};
