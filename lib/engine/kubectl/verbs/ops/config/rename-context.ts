/**
 * `kubectl config rename-context`: renames a context, and the current-context with it.
 *
 * @example
 * kubectl config rename-context dev development   // Context "dev" renamed to "development".
 */
import { KubectlError } from "../../../errors";
import type { KubectlVerb } from "../../../types";
import { cloneConfig } from "./model";
import { configRun } from "./shared";

/** `kubectl config rename-context`. */
export const configRenameContextVerb: KubectlVerb = {
  name: "rename-context",
  short: "Rename a context from the kubeconfig file",
  long:
    "Renames a context from the kubeconfig file.\n\n CONTEXT_NAME is the context name that you want to change.\n\n NEW_NAME is the new name you want to set.\n\n Note: If the context being renamed is the 'current-context', this field will also be updated.",
  examples: "  # Rename the context 'old-name' to 'new-name' in your kubeconfig file\n  kubectl config rename-context old-name new-name",
  usage: "kubectl config rename-context CONTEXT_NAME NEW_NAME [options]",
  flags: [],
  run: configRun(
    ["config", "rename-context"],
    () => configRenameContextVerb,
    (out, args, files) => {
      const [from, to] = args.operands;
      const file = files.originOf("contexts", from);
      const context = files.merged.contexts.get(from);
      if (!context) throw new KubectlError(`cannot rename the context "${from}", it's not in ${file}`);
      if (files.merged.contexts.has(to)) throw new KubectlError(`cannot rename the context "${from}", the context "${to}" already exists in ${file}`);
      const next = cloneConfig(files.merged);
      next.contexts.delete(from);
      next.contexts.set(to, context);
      if (next.currentContext === from) next.currentContext = to;
      files.save(next);
      out.out(`Context "${from}" renamed to "${to}".\n`);
      return 0;
    },
    2,
  ),
};
