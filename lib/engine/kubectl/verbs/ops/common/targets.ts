/**
 * The resource builder's `ResourceTypeOrNameArgs` for the operations verbs: `TYPE NAME...`,
 * `TYPE/NAME...`, or `TYPE` alone (every object of that type, narrowed by `-l`), resolved
 * against discovery and read from the store in the request namespace. Argument errors are
 * thrown with the builder's wording; objects that are missing are collected (the builder's
 * `ContinueOnError`), so a verb acts on what exists and reports the rest at the end.
 *
 * @example
 * const { targets, missing } = resolveTargets(ctx, ["deploy/web", "deploy/api"]);
 * targets[0].info.kind; // "Deployment"
 * missing;              // [NotFoundError: deployments.apps "api" not found]
 */
import { parseAllDocuments } from "yaml";
import { type ApiError, type KubeObject, type ResourceInfo, type Stored, notFoundError, resolveResource, resourceForKind } from "../../../../api";
import { KubectlError } from "../../../errors";
import type { KubectlContext } from "../../../types";

/** One object the command line named. */
export interface Target {
  info: ResourceInfo;
  object: Stored;
}

/** What the arguments resolved to: objects found, and NotFound errors for the others. */
export interface Targets {
  targets: Target[];
  missing: ApiError[];
}

export const COMBINED_FORM_ERROR =
  "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'";

/** Discovery lookup with the builder's `the server doesn't have a resource type "x"`. */
export function resourceOrThrow(type: string): ResourceInfo {
  const info = resolveResource(type);
  if (!info) throw new KubectlError(`the server doesn't have a resource type "${type}"`);
  return info;
}

function find(ctx: KubectlContext, info: ResourceInfo, name: string): Stored | undefined {
  return ctx.store.find(info.kind, info.namespaced ? ctx.namespace : undefined, name);
}

/**
 * Resolves `operands` the way `ResourceTypeOrNameArgs(true, …)` does. With a type alone, every
 * object of it in the namespace (filtered by `selector`) is a target, in the store's order.
 */
export function resolveTargets(ctx: KubectlContext, operands: readonly string[], selector?: string): Targets {
  const targets: Target[] = [];
  const missing: ApiError[] = [];
  const add = (info: ResourceInfo, name: string) => {
    const object = find(ctx, info, name);
    if (object) targets.push({ info, object });
    else missing.push(notFoundError({ group: info.group, resource: info.plural }, name));
  };
  const slashed = operands.filter((a) => a.includes("/")).length;
  if (slashed > 0) {
    if (slashed !== operands.length) throw new KubectlError(COMBINED_FORM_ERROR);
    for (const arg of operands) {
      const [type, name, ...rest] = arg.split("/");
      if (!type || !name || rest.length > 0) throw new KubectlError("arguments in resource/name form must have a single resource and name");
      add(resourceOrThrow(type), name);
    }
    return { targets, missing };
  }
  if (operands.length === 0) return { targets, missing };
  const types = operands[0].split(",").filter((t) => t !== "");
  const infos = types.map(resourceOrThrow);
  if (operands.length === 1) {
    for (const info of infos) {
      const objects = ctx.store.list(info.kind, { namespace: info.namespaced ? ctx.namespace : undefined, labelSelector: selector || undefined });
      for (const object of objects) targets.push({ info, object });
    }
    return { targets, missing };
  }
  if (infos.length !== 1) throw new KubectlError("you must specify only one resource");
  for (const name of operands.slice(1)) add(infos[0], name);
  return { targets, missing };
}

/**
 * The objects the manifests in `files` describe (`-f`), looked up by kind, name and namespace
 * (the manifest's, else the request's). `-` reads standard input.
 */
export function fileTargets(ctx: KubectlContext, files: readonly string[]): Targets {
  const targets: Target[] = [];
  const missing: ApiError[] = [];
  for (const file of files) {
    const path = ctx.shell.resolve(file);
    if (file !== "-" && !ctx.shell.fs.exists(path)) throw new KubectlError(`the path "${file}" does not exist`);
    const text = file === "-" ? ctx.shell.stdin : ctx.shell.fs.readFile(path);
    for (const doc of parseAllDocuments(text)) {
      const manifest = doc.toJS() as KubeObject | null;
      if (!manifest?.kind || !manifest.metadata?.name) continue;
      const info = resourceForKind(manifest.kind);
      if (!info) throw new KubectlError(`resource mapping not found for name: "${manifest.metadata.name}" namespace: "${manifest.metadata.namespace ?? ""}" from "${file}": no matches for kind "${manifest.kind}" in version "${manifest.apiVersion}"`);
      const namespace = info.namespaced ? (manifest.metadata.namespace ?? ctx.namespace) : undefined;
      const object = ctx.store.find(info.kind, namespace, manifest.metadata.name);
      if (object) targets.push({ info, object });
      else missing.push(notFoundError({ group: info.group, resource: info.plural }, manifest.metadata.name));
    }
  }
  return { targets, missing };
}
