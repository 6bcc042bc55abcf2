/**
 * `kubectl create -f FILE` (every object of every document, in order; errors collected and
 * printed after the successes, as the builder's `ContinueOnError` does) and the generators
 * under it (`create deployment`, `create service clusterip`, …).
 *
 * @example
 * await sh.run("kubectl create -f web.yaml");          // deployment.apps/web created
 * await sh.run("kubectl create namespace team-a");     // namespace/team-a created
 */
import { ApiError } from "../../../api";
import { errorsText, KubectlError, usageError } from "../../errors";
import { dryRunFlag, fieldManagerFlag, filenameFlag, kustomizeFlag, printFlags, recursiveFlag, saveConfigFlag, selectorFlag, validateFlag } from "../../flags";
import { withLastApplied } from "../../last-applied";
import { placeInNamespace, withSource } from "../../manifests";
import { dryRunStrategy, outputFormat, printWritten, runVerb } from "../../output";
import { fileTargets } from "../../resources";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../../types";
import { createConfigMap } from "./data";
import { createDeployment } from "./deployment";
import { createIngress } from "./ingress";
import { createNamespace, createServiceAccount } from "./namespace";
import { createClusterRole, createClusterRoleBinding, createRole, createRoleBinding } from "./rbac";
import { createSecret } from "./secret";
import { createService } from "./service";
import { createToken } from "./token";
import { unsupportedVerb } from "../unsupported";

function run(args: KubectlArgs, ctx: KubectlContext) {
  return runVerb((out) => {
    if (args.operands.length > 0) throw usageError("kubectl create", `Unexpected args: [${args.operands.join(" ")}]`);
    if (args.strings("filename").length === 0 && !args.string("kustomize")) throw new KubectlError("must specify one of -f and -k");
    if (args.string("kustomize")) throw new KubectlError("kustomize is not supported here");
    if (args.bool("edit")) throw new KubectlError("--edit is not supported here");
    const dryRun = dryRunStrategy(ctx, args, out);
    outputFormat(ctx, args, "generic");
    const { targets, errors } = fileTargets(ctx, args, { validates: true });
    let count = 0;
    for (const target of targets) {
      try {
        let object = placeInNamespace(ctx, target.info, target.object);
        if (args.bool("save-config")) object = withLastApplied(object, false);
        const created = dryRun === "client" ? object : ctx.store.create(object, { namespace: object.metadata.namespace, dryRun: dryRun === "server" });
        count++;
        out.out(printWritten(ctx, args, [created], "created", dryRun));
      } catch (error) {
        if (error instanceof ApiError || error instanceof KubectlError) errors.push(withSource("creating", target.source, error));
        else throw error;
      }
    }
    if (count === 0 && errors.length === 0) throw new KubectlError("no objects passed to create");
    out.err(errorsText(errors));
    return errors.length > 0 ? 1 : 0;
  });
}

/** `kubectl create`. */
export const createVerb: KubectlVerb = {
  name: "create",
  short: "Create a resource from a file or from stdin",
  long: "Create a resource from a file or from stdin.\n\n JSON and YAML formats are accepted.",
  examples:
    "  # Create a pod using the data in pod.json\n  kubectl create -f ./pod.json\n  \n  # Create a pod based on the JSON passed into stdin\n  cat pod.json | kubectl create -f -\n  \n  # Edit the data in registry.yaml in JSON then create the resource using the edited data\n  kubectl create -f registry.yaml --edit -o json",
  usage: "kubectl create -f FILENAME [options]",
  flags: [
    ...printFlags(),
    dryRunFlag,
    { name: "edit", type: "bool", usage: "Edit the API resource before creating" },
    fieldManagerFlag("kubectl-create"),
    filenameFlag("Filename, directory, or URL to files to use to create the resource"),
    kustomizeFlag(),
    { name: "raw", type: "string", usage: "Raw URI to POST to the server.  Uses the transport specified by the kubeconfig file." },
    recursiveFlag,
    saveConfigFlag,
    selectorFlag,
    validateFlag,
    { name: "windows-line-endings", type: "bool", usage: "Only relevant if --edit=true. Defaults to the line ending native to your platform." },
  ],
  subcommands: [
    createClusterRole,
    createClusterRoleBinding,
    createConfigMap,
    unsupportedVerb("kubectl create", "cronjob", "Create a cron job with the specified name", ["cj"]),
    createDeployment,
    createIngress,
    unsupportedVerb("kubectl create", "job", "Create a job with the specified name"),
    createNamespace,
    unsupportedVerb("kubectl create", "poddisruptionbudget", "Create a pod disruption budget with the specified name", ["pdb"]),
    unsupportedVerb("kubectl create", "priorityclass", "Create a priority class with the specified name", ["pc"]),
    unsupportedVerb("kubectl create", "quota", "Create a quota with the specified name", ["resourcequota"]),
    createRole,
    createRoleBinding,
    createSecret,
    createService,
    createServiceAccount,
    createToken,
  ],
  run,
};
