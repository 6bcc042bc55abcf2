/**
 * The resource builder (`k8s.io/cli-runtime/pkg/resource.Builder`) as the core verbs use it:
 * `TYPE`, `TYPE1,TYPE2`, `all`, `TYPE NAME…`, `TYPE/NAME…`, `-l`, `--field-selector`, `-A`,
 * `--all`, and `-f` manifests, resolved against discovery and read from the store. Argument
 * mistakes throw with the builder's wording; objects that are missing are collected as
 * NotFound errors (`ContinueOnError`) so a verb acts on what exists and reports the rest.
 *
 * @example
 * const req = parseResourceArgs(["deploy/web", "svc/web"]);
 * const { groups, errors } = fetchResources(ctx, req, {});
 * groups[0].objects[0].metadata.name; // "web"
 */
import { type ApiError, type KubeObject, type ResourceInfo, type Stored, notFoundError, resolveResource, resourcesInCategory } from "../api";
import { ServerUnreachableError } from "./connection";
import { KubectlError } from "./errors";
import { goQuote, klogLine, kubectlPid } from "./klog";
import { readManifests, type ManifestRead } from "./manifests";
import type { KubectlArgs, KubectlContext } from "./types";

/** One resource type the operands named, with the names given for it (none: list them). */
export interface ResourceRequest {
  readonly info: ResourceInfo;
  readonly names: readonly string[];
}

/** What the operands ask for. */
export interface ResourceArgs {
  readonly requests: readonly ResourceRequest[];
  /** One object named (`pod web`, `pod/web`): printers show it alone, not as a List. */
  readonly singleItemImplied: boolean;
  /** Objects were named (as opposed to listed by type). */
  readonly byName: boolean;
}

/** Objects found for one request, in the order the builder visits them. */
export interface ResourceGroup {
  readonly info: ResourceInfo;
  readonly objects: Stored[];
}

const COMBINED_FORM_ERROR =
  "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'";

/** Discovery lookup, failing with `the server doesn't have a resource type "x"`. */
export function resolveType(text: string): ResourceInfo {
  const info = resolveResource(text);
  // The builder names the resource without its group or version (`foo.apps` → "foo").
  if (!info) throw new KubectlError(`the server doesn't have a resource type "${text.split(".")[0]}"`);
  return info;
}

/** `TYPE1,TYPE2` with categories (`all`) expanded, in discovery order for a category. */
export function resolveTypes(text: string): ResourceInfo[] {
  const out: ResourceInfo[] = [];
  for (const part of text.split(",")) {
    if (part === "") continue;
    const category = resourcesInCategory(part.toLowerCase());
    const infos = category.length > 0 && !resolveResource(part) ? category : [resolveType(part)];
    for (const info of infos) if (!out.includes(info)) out.push(info);
  }
  return out;
}

/** The name printer's prefix: `pod`, `deployment.apps`. */
export function kindPrefix(info: ResourceInfo): string {
  const kind = info.kind.toLowerCase();
  return info.group === "" ? kind : `${kind}.${info.group}`;
}

/**
 * `ResourceTypeOrNameArgs`: the operands as requests (none: the verb decides what that means).
 * Mapping types needs discovery, so this is where a verb first needs the server.
 */
export function parseResourceArgs(ctx: KubectlContext, operands: readonly string[]): ResourceArgs {
  if (operands.length > 0) void ctx.store;
  const slashed = operands.filter((a) => a.includes("/")).length;
  if (slashed > 0) {
    if (slashed !== operands.length) throw new KubectlError(COMBINED_FORM_ERROR);
    const requests = operands.map((arg) => {
      const parts = arg.split("/");
      if (parts.length !== 2 || !parts[0] || !parts[1]) throw new KubectlError("arguments in resource/name form must have a single resource and name");
      return { info: resolveType(parts[0]), names: [parts[1]] };
    });
    return { requests, singleItemImplied: requests.length === 1, byName: true };
  }
  if (operands.length === 0) return { requests: [], singleItemImplied: false, byName: false };
  const infos = resolveTypes(operands[0]);
  const names = operands.slice(1);
  if (names.length === 0) return { requests: infos.map((info) => ({ info, names: [] })), singleItemImplied: false, byName: false };
  if (infos.length !== 1) throw new KubectlError("you must specify only one resource");
  return { requests: [{ info: infos[0], names }], singleItemImplied: names.length === 1, byName: true };
}

/** How lists are narrowed. */
export interface FetchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  allNamespaces?: boolean;
}

/** The namespace a request for `info` goes to (undefined: cluster-scoped or all namespaces). */
export function requestNamespace(ctx: KubectlContext, info: ResourceInfo, allNamespaces = false): string | undefined {
  return info.namespaced && !allNamespaces ? ctx.namespace : undefined;
}

/** Reads what `args` asks for: named objects (missing ones become NotFound errors) or lists. */
export function fetchResources(ctx: KubectlContext, args: ResourceArgs, options: FetchOptions): { groups: ResourceGroup[]; errors: ApiError[] } {
  const groups: ResourceGroup[] = [];
  const errors: ApiError[] = [];
  if (args.byName && (options.labelSelector || options.fieldSelector)) {
    throw new KubectlError("name cannot be provided when a selector is specified");
  }
  if (args.byName && options.allNamespaces) throw new KubectlError("a resource cannot be retrieved by name across all namespaces");
  for (const { info, names } of args.requests) {
    const ns = requestNamespace(ctx, info, options.allNamespaces);
    if (names.length === 0) {
      groups.push({ info, objects: ctx.store.list(info.kind, { namespace: ns, labelSelector: options.labelSelector || undefined, fieldSelector: options.fieldSelector || undefined }) });
      continue;
    }
    const objects: Stored[] = [];
    for (const name of names) {
      const obj = ctx.store.find(info.kind, ns, name);
      if (obj) objects.push(obj);
      else errors.push(notFoundError({ group: info.group, resource: info.plural }, name));
    }
    groups.push({ info, objects });
  }
  return { groups, errors };
}

/** A `-f` object looked up in the store: its live version, or NotFound. */
export interface FileTarget {
  readonly source: string;
  readonly info: ResourceInfo;
  readonly object: KubeObject;
  readonly live?: Stored;
}

/**
 * The objects `-f` names, each with its live version (the builder's `FilenameParam` followed by
 * a GET). Manifest errors are returned alongside, as the builder would report them.
 */
export function fileTargets(
  ctx: KubectlContext,
  args: KubectlArgs,
  /** `validates`: the verb validates schemas (create, apply); `nested`: it reports errors as an aggregate of aggregates (get). */
  options: { validates?: boolean; nested?: boolean } = {},
): { targets: FileTarget[]; errors: unknown[]; read: ManifestRead } {
  const validate = validationEnabled(args);
  const read = readManifests(ctx.shell, args.strings("filename"), { recursive: args.bool("recursive"), validate });
  if (read.items.length > 0) offlineManifests(ctx, read, validate && options.validates === true, options.nested === true);
  const targets = read.items.map((item) => {
    const ns = item.info.namespaced ? (item.object.metadata.namespace ?? ctx.namespace) : undefined;
    const live = ctx.store.find(item.info.kind, ns, item.object.metadata.name ?? "");
    return { source: item.source, info: item.info, object: item.object, live };
  });
  return { targets, errors: read.errors, read };
}

/**
 * Without a server, manifests fail before any object is sent: schema validation cannot
 * download the OpenAPI document (one error), or, unvalidated, no document's kind can be mapped
 * (one discovery failure and one `unable to recognize` per document).
 */
function offlineManifests(ctx: KubectlContext, read: ManifestRead, validating: boolean, nested: boolean): void {
  try {
    void ctx.store;
  } catch (error) {
    if (!(error instanceof ServerUnreachableError)) throw error;
    const { url, dialError } = error.failure;
    if (validating) {
      throw new KubectlError(
        `error validating "${read.items[0].source}": error validating data: failed to download openapi: Get "${url}/openapi/v2?timeout=32s": ${dialError}; if you choose to ignore these errors, turn validation off with --validate=false`,
      );
    }
    const now = ctx.shell.clock.now();
    const get = `${url}/api?timeout=32s`;
    const discovery = `couldn't get current server API group list: Get ${goQuote(get)}: ${dialError}`;
    const lines = read.items.map((_, i) => klogLine("E", now, kubectlPid(now), "memcache.go:265", `"Unhandled Error" err=${goQuote(discovery)}`, 1_000 + i * 1_451));
    const errors = read.items.map((item) => `unable to recognize "${item.source}": Get "${get}": ${dialError}\n`);
    // One error alone gets CheckErr's `error: `, unless the verb wraps its errors once more.
    const text = errors.length === 1 && !nested ? `error: ${errors[0]}` : errors.join("");
    throw new KubectlError(lines.join("") + text, 1, true);
  }
}

/** `--validate`: strict/true/warn validate; ignore/false do not. Anything else is kubectl's error. */
export function validationEnabled(args: KubectlArgs): boolean {
  const value = (args.string("validate") ?? "strict").toLowerCase();
  if (["strict", "true", "warn"].includes(value)) return true;
  if (["ignore", "false"].includes(value)) return false;
  throw new KubectlError(`invalid - validate option "${args.string("validate")}"; must be one of: strict (or true), warn, ignore (or false)`);
}
