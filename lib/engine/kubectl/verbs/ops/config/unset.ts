/**
 * `kubectl config unset PROPERTY_NAME`: clears one field (or removes a whole stanza).
 *
 * @example
 * kubectl config unset contexts.dev.namespace   // Property "contexts.dev.namespace" unset.
 */
import { goQuote } from "../../../printers";
import type { KubectlVerb } from "../../../types";
import { cloneConfig } from "./model";
import { applyProperty } from "./property";
import { configRun } from "./shared";

/** `kubectl config unset`. */
export const configUnsetVerb: KubectlVerb = {
  name: "unset",
  short: "Unset an individual value in a kubeconfig file",
  long:
    "Unset an individual value in a kubeconfig file.\n\n PROPERTY_NAME is a dot delimited name where each token represents either an attribute name or a map key.  Map keys may not contain dots.",
  examples: "  # Unset the current-context\n  kubectl config unset current-context\n  \n  # Unset namespace in foo context\n  kubectl config unset contexts.foo.namespace",
  usage: "kubectl config unset PROPERTY_NAME [options]",
  flags: [],
  run: configRun(
    ["config", "unset"],
    () => configUnsetVerb,
    (out, args, files) => {
      const next = cloneConfig(files.merged);
      applyProperty(next, args.operands[0], undefined);
      files.save(next);
      out.out(`Property ${goQuote(args.operands[0])} unset.\n`);
      return 0;
    },
    1,
  ),
};
