/**
 * `kubectl api-versions`: every group/version the server serves, one per line, sorted as Go's
 * `sort.Strings` sorts them (so the core `v1` comes last).
 *
 * @example
 * await sh.run("kubectl api-versions");   // "apps/v1\n…\nv1\n"
 */
import { RESOURCES, apiVersionOf } from "../../api";
import { usageError } from "../errors";
import { runVerb } from "../output";
import type { KubectlArgs, KubectlVerb } from "../types";

/** The group/versions, sorted, one per line. */
export function apiVersionsText(): string {
  const versions = [...new Set(RESOURCES.map(apiVersionOf))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return versions.map((v) => `${v}\n`).join("");
}

/** `kubectl api-versions`. */
export const apiVersionsVerb: KubectlVerb = {
  name: "api-versions",
  short: "Print the supported API versions on the server, in the form of \"group/version\"",
  long: "Print the supported API versions on the server, in the form of \"group/version\".",
  examples: "  # Print the supported API versions\n  kubectl api-versions",
  usage: "kubectl api-versions [flags] [options]",
  flags: [],
  run: (args: KubectlArgs) =>
    runVerb((out) => {
      if (args.operands.length > 0) throw usageError("kubectl api-versions", `unexpected arguments: [${args.operands.join(" ")}]`);
      out.out(apiVersionsText());
      return 0;
    }),
};
