/**
 * `kubectl config current-context`: the name of the context kubectl uses.
 *
 * @example
 * kubectl config current-context   // kubernetes-admin@kubernetes
 */
import { KubectlError } from "../../../errors";
import type { KubectlVerb } from "../../../types";
import { configRun } from "./shared";

/** `kubectl config current-context`. */
export const configCurrentContextVerb: KubectlVerb = {
  name: "current-context",
  short: "Display the current-context",
  long: "Display the current-context.",
  examples: "  # Display the current-context\n  kubectl config current-context",
  usage: "kubectl config current-context [flags] [options]",
  flags: [],
  run: configRun(["config", "current-context"], () => configCurrentContextVerb, (out, _args, files) => {
    if (files.merged.currentContext === "") throw new KubectlError("current-context is not set");
    out.out(`${files.merged.currentContext}\n`);
    return 0;
  }),
};
