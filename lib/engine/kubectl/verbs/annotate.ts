/**
 * `kubectl annotate`: `key=value` adds or (with `--overwrite`) changes an annotation, `key-`
 * removes one; annotate.go's parsing (values may contain `=` and be empty) and messages.
 *
 * @example
 * await sh.run("kubectl annotate deploy web owner=team-blue");   // deployment.apps/web annotated
 */
import { completeResourceOperands } from "../complete";
import { KubectlError } from "../errors";
import { type MetadataEdit, metadataEditFlags, overwrittenKeys, runMetadataEdit } from "./metadata";
import type { KubectlVerb } from "../types";

/** The change-cause annotation may always be overwritten (`kubectl rollout history` shows it). */
const CHANGE_CAUSE = "kubernetes.io/change-cause";

const annotateEdit: MetadataEdit = {
  verb: "annotate",
  field: "annotations",
  localExample: "rsrc",
  noChanges: "at least one annotation update is required",
  parse(specs) {
    const set = new Map<string, string>();
    const remove: string[] = [];
    const invalid: string[] = [];
    for (const spec of specs) {
      const eq = spec.indexOf("=");
      if (eq >= 0) set.set(spec.slice(0, eq), spec.slice(eq + 1));
      else if (spec.endsWith("-")) remove.push(spec.slice(0, -1));
      else invalid.push(spec);
    }
    if (invalid.length > 0) throw new KubectlError(`invalid annotation format: ${invalid.join(", ")}`);
    return { set, remove };
  },
  validate(set, remove) {
    const both = remove.filter((key) => set.has(key));
    if (both.length > 0) throw new KubectlError(`can not both modify and remove the following annotation(s) in the same command: ${both.join(", ")}`);
  },
  conflicts(current, set) {
    const refusals = overwrittenKeys(current, set)
      .filter((key) => key !== CHANGE_CAUSE)
      .map((key) => `'${key}' already has a value (${current[key]})`);
    return refusals.length > 0 ? `--overwrite is false but found the following declared annotation(s): ${refusals.join("; ")}` : undefined;
  },
  message: () => "annotated",
};

/** `kubectl annotate`. */
export const annotateVerb: KubectlVerb = {
  name: "annotate",
  short: "Update the annotations on a resource",
  long: "Update the annotations on one or more resources.\n\n All Kubernetes objects support the ability to store additional data with the object as annotations. Annotations are key/value pairs that can be larger than labels and include arbitrary string values such as structured JSON. Tools and system extensions may use annotations to store their own data.\n\n Attempting to set an annotation that already exists will fail unless --overwrite is set. If --resource-version is specified and does not match the current resource version on the server the command will fail.\n\nUse \"kubectl api-resources\" for a complete list of supported resources.",
  examples: "  # Update pod 'foo' with the annotation 'description' and the value 'my frontend'\n  # If the same annotation is set multiple times, only the last value will be applied\n  kubectl annotate pods foo description='my frontend'\n  \n  # Update a pod identified by type and name in \"pod.json\"\n  kubectl annotate -f pod.json description='my frontend'\n  \n  # Update pod 'foo' with the annotation 'description' and the value 'my frontend running nginx', overwriting any existing value\n  kubectl annotate --overwrite pods foo description='my frontend running nginx'\n  \n  # Update all pods in the namespace\n  kubectl annotate pods --all description='my frontend running nginx'\n  \n  # Update pod 'foo' only if the resource is unchanged from version 1\n  kubectl annotate pods foo description='my frontend running nginx' --resource-version=1\n  \n  # Update pod 'foo' by removing an annotation named 'description' if it exists\n  # Does not require the --overwrite flag\n  kubectl annotate pods foo description-",
  usage: "kubectl annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]",
  flags: metadataEditFlags(annotateEdit, {
    all: "Select all resources, in the namespace of the specified resource types.",
    filename: "Filename, directory, or URL to files identifying the resource to update the annotation",
    resourceVersion: "If non-empty, the annotation update will only succeed if this is the current resource-version for the object. Only valid when specifying a single resource.",
  }),
  run: (args, ctx) => runMetadataEdit(annotateEdit, args, ctx),
  complete: completeResourceOperands,
};
