/**
 * `kubectl config get-contexts`: the contexts as a table (`*` marks the current one), or their
 * names with `-o name`. Names asked for that do not exist are reported after the table.
 *
 * @example
 * kubectl config get-contexts
 * // CURRENT   NAME                          CLUSTER      AUTHINFO           NAMESPACE
 * // *         kubernetes-admin@kubernetes   kubernetes   kubernetes-admin
 */
import { KubectlError } from "../../../errors";
import { goTabwrite } from "../../../printers";
import type { KubectlVerb } from "../../../types";
import { printErrors } from "../common/output";
import { configRun } from "./shared";

/** kubectl's `printers.GetNewTabWriter` layout. */
const TABLE = { minWidth: 6, padding: 3 };

/** `kubectl config get-contexts`. */
export const configGetContextsVerb: KubectlVerb = {
  name: "get-contexts",
  short: "Describe one or many contexts",
  long: "Display one or many contexts from the kubeconfig file.",
  examples: "  # List all the contexts in your kubeconfig file\n  kubectl config get-contexts\n  \n  # Describe one context in your kubeconfig file\n  kubectl config get-contexts my-context",
  usage: "kubectl config get-contexts [(-o|--output=)name)] [options]",
  flags: [
    { name: "no-headers", type: "bool", usage: "When using the default or custom-column output format, don't print headers (default print headers)." },
    { name: "output", short: "o", type: "string", usage: "Output format. One of: (name)." },
  ],
  run: configRun(["config", "get-contexts"], () => configGetContextsVerb, (out, args, files) => {
    const output = args.string("output") ?? "";
    if (output !== "" && output !== "name") throw new KubectlError(`--output ${output} is not available in kubectl config get-contexts; resetting to default output format`);
    const nameOnly = output === "name";
    const config = files.merged;
    const errors: string[] = [];
    const names: string[] = [];
    if (args.operands.length === 0) names.push(...config.contexts.keys());
    for (const name of args.operands) {
      if (config.contexts.has(name)) names.push(name);
      else errors.push(`context ${name} not found`);
    }
    let text = nameOnly || args.bool("no-headers") ? "" : "CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE\n";
    for (const name of names.sort()) {
      const c = config.contexts.get(name)!;
      text += nameOnly ? `${name}\n` : `${config.currentContext === name ? "*" : " "}\t${name}\t${c.cluster ?? ""}\t${c.user ?? ""}\t${c.namespace ?? ""}\n`;
    }
    out.out(goTabwrite(text, TABLE));
    return printErrors(out, errors);
  }),
};
