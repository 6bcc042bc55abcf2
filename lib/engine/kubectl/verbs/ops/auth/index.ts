/**
 * `kubectl auth`: `can-i` asks the authorizer, `whoami` the authenticator. (`reconcile` is not built.)
 *
 * @example
 * authVerb.subcommands?.map((v) => v.name); // ["can-i", "whoami"]
 */
import type { KubectlVerb } from "../../../types";
import { canIVerb } from "./can-i";
import { whoamiVerb } from "./whoami";

/** `kubectl auth`. */
export const authVerb: KubectlVerb = {
  name: "auth",
  short: "Inspect authorization",
  long: "Inspect authorization.",
  usage: "kubectl auth [flags] [options]",
  flags: [],
  subcommands: [canIVerb, whoamiVerb],
};
