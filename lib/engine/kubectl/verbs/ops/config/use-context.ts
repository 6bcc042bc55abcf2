/**
 * `kubectl config use-context` (alias `use`): makes a context the current one.
 *
 * @example
 * kubectl config use-context dev   // Switched to context "dev".
 */
import { KubectlError } from "../../../errors";
import type { KubectlVerb } from "../../../types";
import { cloneConfig } from "./model";
import { configRun } from "./shared";

/** `kubectl config use-context`. */
export const configUseContextVerb: KubectlVerb = {
  name: "use-context",
  aliases: ["use"],
  short: "Set the current-context in a kubeconfig file",
  long: "Set the current-context in a kubeconfig file.",
  examples: "  # Use the context for the minikube cluster\n  kubectl config use-context minikube",
  usage: "kubectl config use-context CONTEXT_NAME [options]",
  flags: [],
  run: configRun(
    ["config", "use-context"],
    () => configUseContextVerb,
    (out, args, files) => {
      const name = args.operands[0];
      if (name === "") throw new KubectlError("empty context names are not allowed");
      if (!files.merged.contexts.has(name)) throw new KubectlError(`no context exists with the name: "${name}"`);
      const next = cloneConfig(files.merged);
      next.currentContext = name;
      files.save(next);
      out.out(`Switched to context "${name}".\n`);
      return 0;
    },
    1,
  ),
};
