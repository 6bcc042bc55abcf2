/**
 * `kubectl config set-context`: creates or modifies a context (`--current` for the current
 * one), setting only the fields given — the everyday `kubectl config set-context --current
 * --namespace=dev`.
 *
 * @example
 * kubectl config set-context --current --namespace=dev   // Context "kubernetes-admin@kubernetes" modified.
 */
import { KubectlError } from "../../../errors";
import type { KubectlVerb } from "../../../types";
import { cloneConfig, normalizeStanza } from "./model";
import { configRun, goList, helpError } from "./shared";

/** `kubectl config set-context`. */
export const configSetContextVerb: KubectlVerb = {
  name: "set-context",
  short: "Set a context entry in kubeconfig",
  long: "Set a context entry in kubeconfig.\n\n Specifying a name that already exists will merge new fields on top of existing values for those fields.",
  examples: "  # Set the user field on the gce context entry without touching other values\n  kubectl config set-context gce --user=cluster-admin",
  usage: "kubectl config set-context [NAME | --current] [--cluster=cluster_nickname] [--user=user_nickname] [--namespace=namespace] [options]",
  flags: [
    { name: "cluster", type: "string", usage: "cluster for the context entry in kubeconfig" },
    { name: "current", type: "bool", usage: "Modify the current context" },
    { name: "namespace", type: "string", usage: "namespace for the context entry in kubeconfig" },
    { name: "user", type: "string", usage: "user for the context entry in kubeconfig" },
  ],
  run: configRun(["config", "set-context"], () => configSetContextVerb, (out, args, files) => {
    if (args.operands.length > 1) return helpError(out, ["config", "set-context"], configSetContextVerb, `Unexpected args: ${goList(args.operands)}`);
    const current = args.bool("current");
    let name = args.operands[0] ?? "";
    if (current && name !== "") throw new KubectlError("you cannot specify both a context name and --current");
    if (current) {
      name = files.merged.currentContext;
      if (name === "") throw new KubectlError("no current context is set");
    }
    if (name === "") throw new KubectlError("you must specify a non-empty context name or --current");
    const next = cloneConfig(files.merged);
    const exists = next.contexts.has(name);
    const context = { ...next.contexts.get(name) };
    for (const field of ["cluster", "user", "namespace"]) {
      if (args.has(field)) context[field] = args.string(field);
    }
    next.contexts.set(name, normalizeStanza("contexts", context));
    files.save(next);
    out.out(`Context "${name}" ${exists ? "modified" : "created"}.\n`);
    return 0;
  }),
};
