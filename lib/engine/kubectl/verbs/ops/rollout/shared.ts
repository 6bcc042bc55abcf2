/**
 * What the `rollout` sub-commands share: their flag declarations (worded as 1.32's `--help`),
 * the `required resource not specified` check, the objects named by arguments or `-f`, and Go's
 * `GroupKind`/`GroupResource` strings for messages.
 *
 * @example
 * const { targets, missing } = rolloutTargets(args, ctx); // throws "required resource not specified"
 * groupResource(info); // "deployments.apps"
 */
import type { ResourceInfo } from "../../../../api";
import { KubectlError } from "../../../errors";
import { fieldManagerFlag, filenameFlag, kustomizeFlag, printFlags, recursiveFlag, selectorFlag } from "../../../flags";
import type { KubectlArgs, KubectlContext, KubectlFlag } from "../../../types";
import { type Targets, fileTargets, resolveTargets } from "../common/targets";

/** `-f`, `-k`, `-R` as `AddFilenameOptionFlags(cmd, …, "identifying the resource to get from a server.")`. */
export const FILENAME_FLAGS: readonly KubectlFlag[] = [
  filenameFlag("Filename, directory, or URL to files identifying the resource to get from a server."),
  kustomizeFlag(),
  recursiveFlag,
];

/** The flags of `pause`, `resume` and `restart`. */
export const PATCHING_FLAGS: readonly KubectlFlag[] = [...FILENAME_FLAGS, ...printFlags(), fieldManagerFlag("kubectl-rollout"), selectorFlag];

/** `schema.GroupKind.String()`: `Deployment.apps`, `Pod`. */
export function groupKind(info: ResourceInfo): string {
  return info.group === "" ? info.kind : `${info.kind}.${info.group}`;
}

/** `deployments.apps`: how patch errors name the resource. */
export function groupResource(info: ResourceInfo): string {
  return info.group === "" ? info.plural : `${info.plural}.${info.group}`;
}

/** `Validate`'s first check: something must name the objects. */
export function requireResources(args: KubectlArgs): void {
  if (args.operands.length === 0 && args.strings("filename").length === 0 && !args.string("kustomize")) {
    throw new KubectlError("required resource not specified");
  }
}

/** The objects named on the command line; `required resource not specified` without any. */
export function rolloutTargets(args: KubectlArgs, ctx: KubectlContext): Targets {
  requireResources(args);
  const files = args.strings("filename");
  if (files.length === 0) return resolveTargets(ctx, args.operands, args.string("selector"));
  const fromFiles = fileTargets(ctx, files);
  const named = resolveTargets(ctx, args.operands, args.string("selector"));
  return { targets: [...fromFiles.targets, ...named.targets], missing: [...fromFiles.missing, ...named.missing] };
}
