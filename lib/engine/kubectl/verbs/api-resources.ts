/**
 * `kubectl api-resources`: the served resources as discovery lists them, sorted by API group
 * then name (or `--sort-by name|kind`), filtered by `--api-group`, `--namespaced`, `--verbs`;
 * `-o wide` adds VERBS and CATEGORIES, `-o name` prints `plural[.group]`. Laid out by kubectl's
 * tabwriter.
 *
 * @example
 * await sh.run("kubectl api-resources --namespaced=false");
 * await sh.run("kubectl api-resources --api-group=apps -o wide");
 */
import { RESOURCES, apiVersionOf, type ResourceInfo } from "../../api";
import { usageError, KubectlError } from "../errors";
import { runVerb } from "../output";
import { goTabwrite } from "../printers/tabwriter";
import type { KubectlArgs, KubectlVerb } from "../types";

/** The rows `kubectl api-resources` prints for `args`, or its error. */
export function apiResourcesText(args: KubectlArgs): string {
  if (args.operands.length > 0) {
    throw usageError("kubectl api-resources", `unexpected arguments: [${args.operands.join(" ")}]`);
  }
  const output = args.string("output") ?? "";
  if (!["", "wide", "name"].includes(output)) throw new KubectlError(`--output ${output} is not available`);
  const sortBy = args.string("sort-by") ?? "";
  if (sortBy && sortBy !== "name" && sortBy !== "kind") throw new KubectlError("--sort-by accepts only name or kind");
  const verbs = args.strings("verbs");
  const categories = args.strings("categories");
  const rows = RESOURCES.filter(
    (r) =>
      (!args.has("api-group") || r.group === (args.string("api-group") ?? "")) &&
      (!args.has("namespaced") || r.namespaced === args.bool("namespaced")) &&
      verbs.every((v) => r.verbs.includes(v)) &&
      categories.every((c) => r.categories.includes(c)),
  );
  const key = (r: ResourceInfo) => (sortBy === "name" ? r.plural : sortBy === "kind" ? r.kind : r.group);
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  rows.sort((a, b) => cmp(key(a), key(b)) || cmp(a.plural, b.plural));
  if (output === "name") return rows.map((r) => `${r.plural}${r.group ? `.${r.group}` : ""}\n`).join("");
  const wide = output === "wide";
  const lines = args.bool("no-headers") ? [] : [["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND", ...(wide ? ["VERBS", "CATEGORIES"] : [])]];
  for (const r of rows) {
    const cells = [r.plural, r.shortNames.join(","), apiVersionOf(r), String(r.namespaced), r.kind];
    lines.push(wide ? [...cells, r.verbs.join(","), r.categories.join(",")] : cells);
  }
  return goTabwrite(lines.map((l) => `${l.join("\t")}\n`).join(""), { minWidth: 6, padding: 3 });
}

/** `kubectl api-resources`. */
export const apiResourcesVerb: KubectlVerb = {
  name: "api-resources",
  short: "Print the supported API resources on the server",
  long: "Print the supported API resources on the server.",
  examples:
    "  # Print the supported API resources\n  kubectl api-resources\n  \n  # Print the supported API resources with more information\n  kubectl api-resources -o wide\n  \n" +
    "  # Print the supported API resources sorted by a column\n  kubectl api-resources --sort-by=name\n  \n  # Print the supported namespaced resources\n" +
    "  kubectl api-resources --namespaced=true\n  \n  # Print the supported non-namespaced resources\n  kubectl api-resources --namespaced=false\n  \n" +
    "  # Print the supported API resources with a specific APIGroup\n  kubectl api-resources --api-group=rbac.authorization.k8s.io",
  usage: "kubectl api-resources [flags] [options]",
  flags: [
    { name: "api-group", type: "string", usage: "Limit to resources in the specified API group." },
    { name: "cached", type: "bool", usage: "Use the cached list of resources if available." },
    { name: "categories", type: "stringSlice", usage: "Limit to resources that belong to the specified categories." },
    { name: "namespaced", type: "bool", default: "true", usage: "If false, non-namespaced resources will be returned, otherwise returning namespaced resources by default." },
    { name: "no-headers", type: "bool", usage: "When using the default or custom-column output format, don't print headers (default print headers)." },
    { name: "output", short: "o", type: "string", usage: "Output format. One of: (wide, name)." },
    { name: "sort-by", type: "string", usage: "If non-empty, sort list of resources using specified field. The field can be either 'name' or 'kind'." },
    { name: "verbs", type: "stringSlice", usage: "Limit to resources that support the specified verbs." },
  ],
  run: (args: KubectlArgs) =>
    runVerb((out) => {
      out.out(apiResourcesText(args));
      return 0;
    }),
};
