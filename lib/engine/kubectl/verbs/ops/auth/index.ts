/**
 * `kubectl auth`: `can-i` asks the authorizer. (`whoami` and `reconcile` are not built.)
 *
 * @example
 * authVerb.subcommands?.map((v) => v.name); // ["can-i"]
 */
import type { KubectlVerb } from "../../../types";
import { canIVerb } from "./can-i";

/** `kubectl auth`. */
export const authVerb: KubectlVerb = {
  name: "auth",
  short: "Inspect authorization",
  long: "Inspect authorization.",
  usage: "kubectl auth [flags] [options]",
  flags: [],
  subcommands: [canIVerb],
};
