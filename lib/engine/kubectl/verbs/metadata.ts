/**
 * What `kubectl label` and `kubectl annotate` share (label.go / annotate.go): resources first,
 * then `key=value` and `key-` changes; `--overwrite`; `--local -f` (no server at all); `--list`;
 * `-l`, `--field-selector`, `--all`, `-A`, `--resource-version`; the object changed in memory,
 * then sent as a JSON merge patch computed from before and after, as kubectl does.
 *
 * @example
 * runMetadataEdit(labelEdit, args, ctx); // pod/web labeled
 */
import { ApiError, type KubeObject, type Stored } from "../../api";
import type { Output } from "../../shell";
import { clonePlain } from "../../util/plain";
import { errorsText, KubectlError } from "../errors";
import { readManifests } from "../manifests";
import { type DryRun, dryRunStrategy, outputFormat, printFormatted, nameLine, runVerb } from "../output";
import { fetchResources, parseResourceArgs, validationEnabled } from "../resources";
import { dryRunFlag, fieldManagerFlag, fieldSelectorFlag, filenameFlag, kustomizeFlag, printFlags, recursiveFlag, selectorFlag } from "../flags";
import type { KubectlArgs, KubectlContext, KubectlFlag } from "../types";

/** How one of the two verbs differs from the other. */
export interface MetadataEdit {
  /** `label` or `annotate`: the word in `all resources must be specified before label changes`. */
  verb: "label" | "annotate";
  field: "labels" | "annotations";
  /** Parses the change arguments (`key=value`, `key-`), or throws kubectl's error. */
  parse(specs: readonly string[]): { set: Map<string, string>; remove: string[] };
  /** The `--overwrite=false` refusal for keys that already have another value, if any. */
  conflicts(current: Record<string, string>, set: ReadonlyMap<string, string>): string | undefined;
  /** The operation the printer names: labeled / unlabeled / not labeled, annotated. */
  message(before: KubeObject, after: KubeObject, overwrite: boolean): string;
  /** The wording of `--local` misuse (`pod.yaml` for label, `rsrc.yaml` for annotate). */
  localExample: string;
  /** `at least one label update is required`. */
  noChanges: string;
  /** Checks made in Validate, after the argument checks (annotate's modify-and-remove). */
  validate?(set: ReadonlyMap<string, string>, remove: readonly string[]): void;
}

/** The verb's own words in `--help` where label.go and annotate.go differ by more than the noun. */
export interface MetadataEditWording {
  all: string;
  filename: string;
  resourceVersion: string;
}

/** The flags both verbs declare, in kubectl's order, worded for `edit`'s noun. */
export function metadataEditFlags(edit: MetadataEdit, wording: MetadataEditWording): KubectlFlag[] {
  const plural = edit.field;
  const noun = plural.slice(0, -1);
  return [
    { name: "all", type: "bool", usage: wording.all },
    { name: "all-namespaces", short: "A", type: "bool", usage: "If true, check the specified action in all namespaces." },
    ...printFlags(),
    dryRunFlag,
    fieldManagerFlag(`kubectl-${edit.verb}`),
    fieldSelectorFlag,
    filenameFlag(wording.filename),
    kustomizeFlag(),
    { name: "list", type: "bool", usage: `If true, display the ${plural} for a given resource.` },
    { name: "local", type: "bool", usage: `If true, ${noun} will NOT contact api-server but run locally.` },
    { name: "overwrite", type: "bool", usage: `If true, allow ${plural} to be overwritten, otherwise reject ${noun} updates that overwrite existing ${plural}.` },
    recursiveFlag,
    { name: "resource-version", type: "string", usage: wording.resourceVersion },
    selectorFlag,
  ];
}

/** The keys of `set` that already hold another value: what `--overwrite=false` refuses, sorted. */
export function overwrittenKeys(current: Readonly<Record<string, string>>, set: ReadonlyMap<string, string>): string[] {
  return [...set.keys()].sort().filter((key) => key in current && current[key] !== set.get(key));
}

/** `GetResourcesAndPairs`: resources first, then changes (`k=v` not starting with `=`, or `k-`). */
export function splitResourcesAndPairs(operands: readonly string[], verb: string): { resources: string[]; pairs: string[] } {
  const resources: string[] = [];
  const pairs: string[] = [];
  for (const s of operands) {
    const isPair = (s.includes("=") && !s.startsWith("=")) || (s.endsWith("-") && s !== "-");
    if (isPair) pairs.push(s);
    else if (pairs.length > 0) throw new KubectlError(`all resources must be specified before ${verb} changes: ${s}`);
    else resources.push(s);
  }
  return { resources, pairs };
}

/** The object with the changes made (`labelFunc` / `updateAnnotations`). */
function edited(edit: MetadataEdit, obj: KubeObject, set: ReadonlyMap<string, string>, remove: readonly string[], overwrite: boolean, rv: string): KubeObject {
  const current = { ...(obj.metadata[edit.field] ?? {}) };
  if (!overwrite) {
    const refusal = edit.conflicts(current, set);
    if (refusal) throw new KubectlError(refusal);
  }
  for (const [k, v] of set) current[k] = v;
  for (const k of remove) delete current[k];
  const metadata = { ...obj.metadata, [edit.field]: current };
  if (rv) metadata.resourceVersion = rv;
  return { ...obj, metadata };
}

/** The JSON merge patch from `before` to `after` for one metadata map (what `CreateMergePatch` yields there). */
function metadataPatch(field: string, before: Record<string, string>, after: Record<string, string>, rv: string): Record<string, unknown> {
  const changes: Record<string, string | null> = {};
  for (const k of Object.keys(before)) if (!(k in after)) changes[k] = null;
  for (const [k, v] of Object.entries(after)) if (before[k] !== v) changes[k] = v;
  return { metadata: { ...(Object.keys(changes).length > 0 ? { [field]: changes } : {}), ...(rv ? { resourceVersion: rv } : {}) } };
}

/** The objects to change: from `-f` files, or named/selected in the store. */
function targets(ctx: KubectlContext, args: KubectlArgs, resources: readonly string[], local: boolean): { objects: KubeObject[]; errors: unknown[]; stored: boolean } {
  if (args.strings("filename").length > 0 || local) {
    const read = readManifests(ctx.shell, args.strings("filename"), { recursive: args.bool("recursive"), validate: validationEnabled(args), local });
    if (local) return { objects: read.local.map((item) => item.object), errors: read.errors, stored: false };
    const live: KubeObject[] = [];
    for (const item of read.items) {
      const ns = item.info.namespaced ? (item.object.metadata.namespace ?? ctx.namespace) : undefined;
      const found = fetchResources(ctx, { requests: [{ info: item.info, names: [item.object.metadata.name ?? ""] }], singleItemImplied: true, byName: true }, {});
      if (found.errors.length > 0) read.errors.push(...found.errors);
      else live.push(ctx.store.get(item.info.kind, ns, item.object.metadata.name ?? ""));
    }
    return { objects: live, errors: read.errors, stored: true };
  }
  const request = parseResourceArgs(ctx, resources);
  const selector = args.string("selector");
  const fieldSelector = args.string("field-selector");
  if (!request.byName && !selector && !fieldSelector && !args.bool("all")) throw new KubectlError("resource(s) were provided, but no name was specified");
  const { groups, errors } = fetchResources(ctx, request, { labelSelector: selector, fieldSelector, allNamespaces: ctx.allNamespaces });
  return { objects: groups.flatMap((g) => g.objects), errors, stored: true };
}

/** Prints `--list` for one object: label adds a header and indentation when it asked the server. */
function list(edit: MetadataEdit, obj: KubeObject, local: boolean, out: Output): void {
  const map = obj.metadata[edit.field] ?? {};
  const server = edit.verb === "label" && !local;
  if (server) {
    const group = obj.apiVersion.includes("/") ? obj.apiVersion.split("/")[0] : "";
    out.out(`Listing labels for ${obj.kind}.${group}/${obj.metadata.name}:\n`);
  }
  // Go prints the map in random order; sorted is one of those orders, and a stable one.
  for (const k of Object.keys(map).sort()) out.out(`${server ? " " : ""}${k}=${map[k]}\n`);
}

/** Runs `kubectl label` or `kubectl annotate`. */
export function runMetadataEdit(edit: MetadataEdit, args: KubectlArgs, ctx: KubectlContext) {
  return runVerb((out) => {
    const { resources, pairs } = splitResourcesAndPairs(args.operands, edit.verb);
    const { set, remove } = edit.parse(pairs);
    const dryRun: DryRun = dryRunStrategy(ctx, args, out);
    const format = outputFormat(ctx, args, "generic");
    const local = args.bool("local");
    if (args.bool("all") && args.string("selector")) throw new KubectlError("cannot set --all and --selector at the same time");
    if (args.bool("all") && args.string("field-selector")) throw new KubectlError("cannot set --all and --field-selector at the same time");
    const file = edit.localExample;
    if (local) {
      if (dryRun === "server") throw new KubectlError("cannot specify --local and --dry-run=server - did you mean --dry-run=client?");
      if (resources.length > 0) throw new KubectlError(`can only use local files by -f ${file}.yaml or --filename=${file}.json when --local=true is set`);
      if (args.strings("filename").length === 0) throw new KubectlError(`one or more files must be specified as -f ${file}.yaml or --filename=${file}.json`);
    } else if (resources.length === 0 && args.strings("filename").length === 0) {
      throw new KubectlError("one or more resources must be specified as <resource> <name> or <resource>/<name>");
    }
    if (set.size === 0 && remove.length === 0 && !args.bool("list")) throw new KubectlError(edit.noChanges);
    edit.validate?.(set, remove);
    const { objects, errors, stored } = targets(ctx, args, resources, local);
    const rv = args.string("resource-version") ?? "";
    for (const obj of objects) {
      try {
        const before = rv ? { ...obj, metadata: { ...obj.metadata, resourceVersion: "" } } : obj;
        if (stored && dryRun !== "client" && !args.bool("list") && edit.verb === "label") {
          for (const key of remove) if (!(key in (obj.metadata.labels ?? {}))) out.out(`label "${key}" not found.\n`);
        }
        const after = edited(edit, clonePlain(before), set, remove, args.bool("overwrite"), rv);
        const message = edit.message(before, after, args.bool("overwrite"));
        let result: KubeObject = after;
        if (stored && dryRun !== "client" && !args.bool("list")) {
          const patch = metadataPatch(edit.field, before.metadata[edit.field] ?? {}, after.metadata[edit.field] ?? {}, rv);
          result = ctx.store.patch(obj.kind, obj.metadata.namespace, obj.metadata.name ?? "", patch, { dryRun: dryRun === "server" }) as Stored;
        }
        if (args.bool("list")) list(edit, result, local, out);
        else if (format.type === "human") out.out(nameLine(result, message, dryRun));
        else out.out(printFormatted([result], format, { list: false, allowMissingKeys: args.bool("allow-missing-template-keys") }));
      } catch (error) {
        if (!(error instanceof ApiError || error instanceof KubectlError)) throw error;
        errors.push(error);
      }
    }
    out.err(errorsText(errors));
    return errors.length > 0 ? 1 : 0;
  });
}

/** The byte length of an object's JSON (kubectl compares the encodings before and after). */
export function jsonLength(obj: KubeObject): number {
  return JSON.stringify(obj).length;
}
