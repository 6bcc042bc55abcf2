/**
 * `kubectl label`: `key=value` adds or (with `--overwrite`) changes a label, `key-` removes
 * one; the printer says `labeled`, `unlabeled` or `not labeled` as label.go decides it.
 *
 * @example
 * await sh.run("kubectl label pod web tier=frontend");   // pod/web labeled
 * await sh.run("kubectl label pod web app=api");         // error: 'app' already has a value (web), and --overwrite is false
 */
import { isValidLabelValue } from "../../api/validation/strings";
import { completeResourceOperands } from "../complete";
import { KubectlError } from "../errors";
import { equalPlain } from "../../util/plain";
import { jsonLength, type MetadataEdit, metadataEditFlags, overwrittenKeys, runMetadataEdit } from "./metadata";
import type { KubectlVerb } from "../types";

const labelEdit: MetadataEdit = {
  verb: "label",
  field: "labels",
  localExample: "pod",
  noChanges: "at least one label update is required",
  parse(specs) {
    const set = new Map<string, string>();
    const remove: string[] = [];
    for (const spec of specs) {
      if (spec.includes("=")) {
        const parts = spec.split("=");
        if (parts.length !== 2) throw new KubectlError(`invalid label spec: ${spec}`);
        const errs = isValidLabelValue(parts[1]);
        if (errs.length > 0) throw new KubectlError(`invalid label value: "${spec}": ${errs.join(";")}`);
        set.set(parts[0], parts[1]);
      } else if (spec.endsWith("-")) remove.push(spec.slice(0, -1));
      else throw new KubectlError(`unknown label spec: ${spec}`);
    }
    if (remove.some((key) => set.has(key))) throw new KubectlError("can not both modify and remove a label in the same command");
    return { set, remove };
  },
  conflicts(current, set) {
    const refusals = overwrittenKeys(current, set).map((key) => `'${key}' already has a value (${current[key]}), and --overwrite is false`);
    if (refusals.length === 0) return undefined;
    return refusals.length === 1 ? refusals[0] : `[${refusals.join(", ")}]`;
  },
  message(before, after, overwrite) {
    if (equalPlain(before, after)) return "not labeled";
    return !overwrite && jsonLength(after) < jsonLength(before) ? "unlabeled" : "labeled";
  },
};

/** `kubectl label`. */
export const labelVerb: KubectlVerb = {
  name: "label",
  short: "Update the labels on a resource",
  long: "Update the labels on a resource.\n\n  *  A label key and value must begin with a letter or number, and may contain letters, numbers, hyphens, dots, and underscores, up to 63 characters each.\n  *  Optionally, the key can begin with a DNS subdomain prefix and a single '/', like example.com/my-app.\n  *  If --overwrite is true, then existing labels can be overwritten, otherwise attempting to overwrite a label will result in an error.\n  *  If --resource-version is specified, then updates will use this resource version, otherwise the existing resource-version will be used.",
  examples: "  # Update pod 'foo' with the label 'unhealthy' and the value 'true'\n  kubectl label pods foo unhealthy=true\n  \n  # Update pod 'foo' with the label 'status' and the value 'unhealthy', overwriting any existing value\n  kubectl label --overwrite pods foo status=unhealthy\n  \n  # Update all pods in the namespace\n  kubectl label pods --all status=unhealthy\n  \n  # Update a pod identified by the type and name in \"pod.json\"\n  kubectl label -f pod.json status=unhealthy\n  \n  # Update pod 'foo' only if the resource is unchanged from version 1\n  kubectl label pods foo status=unhealthy --resource-version=1\n  \n  # Update pod 'foo' by removing a label named 'bar' if it exists\n  # Does not require the --overwrite flag\n  kubectl label pods foo bar-",
  usage: "kubectl label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]",
  flags: metadataEditFlags(labelEdit, {
    all: "Select all resources, in the namespace of the specified resource types",
    filename: "Filename, directory, or URL to files identifying the resource to update the labels",
    resourceVersion: "If non-empty, the labels update will only succeed if this is the current resource-version for the object. Only valid when specifying a single resource.",
  }),
  run: (args, ctx) => runMetadataEdit(labelEdit, args, ctx),
  complete: completeResourceOperands,
};
