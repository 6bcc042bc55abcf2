/**
 * `kubectl explain RESOURCE[.FIELD…]`: field documentation in kubectl 1.32's plaintext format
 * (see `../explain`), with `--recursive` for the whole field tree.
 *
 * @example
 * await sh.run("kubectl explain pod.spec.containers.ports");
 * await sh.run("kubectl explain svc.spec --recursive");
 */
import { KubectlError } from "../errors";
import { explain } from "../explain";
import { runVerb } from "../output";
import type { KubectlArgs, KubectlVerb } from "../types";

/** `kubectl explain`. */
export const explainVerb: KubectlVerb = {
  name: "explain",
  short: "Get documentation for a resource",
  long:
    "Describe fields and structure of various resources.\n\n This command describes the fields associated with each supported API resource. Fields are identified via a simple JSONPath identifier:\n\n        <type>.<fieldName>[.<fieldName>]\n\n Information about each field is retrieved from the server in OpenAPI format.\n\nUse \"kubectl api-resources\" for a complete list of supported resources.",
  examples:
    "  # Get the documentation of the resource and its fields\n  kubectl explain pods\n  \n  # Get all the fields in the resource\n  kubectl explain pods --recursive\n  \n" +
    "  # Get the explanation for deployment in supported api versions\n  kubectl explain deployments --api-version=apps/v1\n  \n" +
    "  # Get the documentation of a specific field of a resource\n  kubectl explain pods.spec.containers\n  \n" +
    "  # Get the documentation of resources in different format\n  kubectl explain deployment --output=plaintext-openapiv2",
  usage: "kubectl explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [-o|--output=plaintext|plaintext-openapiv2] [flags] [options]",
  flags: [
    { name: "api-version", type: "string", usage: "Use given api-version (group/version) of the resource." },
    { name: "output", short: "o", type: "string", default: "plaintext", usage: "Format in which to render the schema. Valid values are: (plaintext, plaintext-openapiv2)." },
    { name: "recursive", type: "bool", usage: "When true, print the name of all the fields recursively. Otherwise, print the available fields with their description." },
  ],
  run: (args: KubectlArgs) =>
    runVerb((out) => {
      if (args.operands.length === 0) {
        throw new KubectlError('You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.\n');
      }
      if (args.operands.length > 1) throw new KubectlError("We accept only this format: explain RESOURCE\n");
      const output = args.string("output") ?? "plaintext";
      if (output !== "plaintext" && output !== "plaintext-openapiv2") {
        throw new KubectlError(`unsupported output format: ${output}. Valid values are: (plaintext, plaintext-openapiv2)`);
      }
      const r = explain(args.operands[0], { recursive: args.bool("recursive") });
      if (!r.ok) throw new KubectlError(r.message);
      out.out(r.text);
      return 0;
    }),
};
