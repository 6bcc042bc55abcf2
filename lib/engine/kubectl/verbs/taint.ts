/**
 * `kubectl taint` (taint.go, utils.go): `key=value:Effect` and `key:Effect` add a taint,
 * `key:Effect-` removes the one with that key and effect, `key-` every taint with that key.
 * Nodes are named (`kubectl taint nodes node01 …`), selected with `-l`, or all (`--all`).
 * The new list is kubectl's: the added taints first, then the node's others; the printer says
 * `tainted`, `untainted` or `modified` (always with `--overwrite`) as `reorganizeTaints` decides.
 *
 * @example
 * await sh.run("kubectl taint nodes node01 dedicated=db:NoSchedule");  // node/node01 tainted
 * await sh.run("kubectl taint nodes node01 dedicated-");               // node/node01 untainted
 */
import { ApiError, type Node, notFoundError, type Stored, type Taint } from "../../api";
import { isQualifiedName, isValidLabelValue } from "../../api/validation/strings";
import { errorsText, KubectlError, usageError } from "../errors";
import { dryRunFlag, fieldManagerFlag, printFlags, selectorFlag, validateFlag } from "../flags";
import { type DryRun, dryRunStrategy, nameLine, outputFormat, printFormatted, runVerb } from "../output";
import { resolveType } from "../resources";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../types";

const EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

/** A parsed taint argument (`effect` is "" for `key` and `key-`). */
interface TaintSpec {
  key: string;
  value: string;
  effect: string;
}

/** `Taint.ToString`: `key=value:effect`, `key=value:`, `key:effect` or `key`. */
function taintString(t: TaintSpec): string {
  if (!t.effect) return t.value ? `${t.key}=${t.value}:` : t.key;
  return t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`;
}

/** `parseTaint`: `<key>=<value>:<effect>`, `<key>:<effect>` or `<key>`. */
function parseTaint(spec: string): TaintSpec {
  const parts = spec.split(":");
  let key: string;
  let value = "";
  let effect = "";
  if (parts.length === 1) {
    key = parts[0];
  } else if (parts.length === 2) {
    effect = parts[1];
    if (!EFFECTS.includes(effect)) throw new Error(`invalid taint effect: ${effect}, unsupported taint effect`);
    const kv = parts[0].split("=");
    if (kv.length > 2) throw new Error(`invalid taint spec: ${spec}`);
    key = kv[0];
    if (kv.length === 2) {
      value = kv[1];
      const errs = isValidLabelValue(value);
      if (errs.length > 0) throw new Error(`invalid taint spec: ${spec}, ${errs.join("; ")}`);
    }
  } else {
    throw new Error(`invalid taint spec: ${spec}`);
  }
  const errs = isQualifiedName(key);
  if (errs.length > 0) throw new Error(`invalid taint spec: ${spec}, ${errs.join("; ")}`);
  return { key, value, effect };
}

/** `parseTaints`: what to add (with an effect, unique by key and effect) and what to remove. */
function parseTaints(specs: readonly string[]): { add: TaintSpec[]; remove: TaintSpec[] } {
  const add: TaintSpec[] = [];
  const remove: TaintSpec[] = [];
  for (const spec of specs) {
    if (spec.endsWith("-")) {
      const t = parseTaint(spec.slice(0, -1));
      remove.push({ key: t.key, value: "", effect: t.effect });
      continue;
    }
    const t = parseTaint(spec);
    if (!t.effect) throw new Error(`invalid taint spec: ${spec}`);
    // Go's %v of a v1.Taint: {Key Value Effect TimeAdded}.
    if (add.some((a) => a.key === t.key && a.effect === t.effect)) throw new Error(`duplicated taints with the same key and effect: {${t.key} ${t.value} ${t.effect} <nil>}`);
    add.push(t);
  }
  return { add, remove };
}

/** Complete's argument split: resources first, then taint changes (`=`, `:` or a trailing `-`). */
function splitArgs(operands: readonly string[]): { resources: string[]; changes: string[] } {
  const resources: string[] = [];
  const changes: string[] = [];
  for (const s of operands) {
    const isTaint = s.includes("=") || s.includes(":") || s.endsWith("-");
    if (isTaint) changes.push(s);
    else if (changes.length > 0) throw new KubectlError(`all resources must be specified before taint changes: ${s}`);
    else resources.push(s);
  }
  return { resources, changes };
}

const toTaint = (t: TaintSpec): Taint => (t.value ? { key: t.key, value: t.value, effect: t.effect } : { key: t.key, effect: t.effect });
const matches = (a: { key: string; effect: string }, b: { key: string; effect: string }) => a.key === b.key && a.effect === b.effect;

/** `updateTaints` + `reorganizeTaints`: the node's new taints and the printer's operation. */
function updateTaints(node: Stored<Node>, add: readonly TaintSpec[], remove: readonly TaintSpec[], overwrite: boolean): { taints: Taint[]; operation: string } {
  const old = node.spec?.taints ?? [];
  if (!overwrite) {
    const exists = add.flatMap((t) => old.filter((o) => matches(t, o)).map(() => t.key));
    if (exists.length > 0) throw new KubectlError(`node ${node.metadata.name} already has ${exists.join(",")} taint(s) with same effect(s) and --overwrite is false`);
  }
  let taints: Taint[] = add.map(toTaint);
  // addTaints: the old taints the new ones do not replace follow them.
  for (const o of old) if (!taints.some((t) => matches(t, o))) taints.push(o);
  const added = old.length !== taints.length;
  const missing: string[] = [];
  let deleted = false;
  for (const r of remove) {
    const kept = taints.filter((t) => (r.effect ? !matches(r, t) : t.key !== r.key));
    deleted = kept.length !== taints.length;
    if (!deleted) missing.push(`taint "${taintString(r)}" not found`);
    taints = kept;
  }
  // An aggregate of one error prints as that error; of several, one per line without `error: `.
  if (missing.length === 1) throw new KubectlError(missing[0]);
  if (missing.length > 1) throw new KubectlError(missing.join("\n"), 1, true);
  const operation = (added && deleted) || overwrite ? "modified" : added ? "tainted" : "untainted";
  return { taints, operation };
}

/** The nodes to change: named, or every node the selector (or `--all`) picks. */
function targets(ctx: KubectlContext, args: KubectlArgs, names: readonly string[]): { nodes: Stored<Node>[]; errors: unknown[] } {
  const selector = args.string("selector") ?? "";
  if (selector || args.bool("all")) return { nodes: ctx.store.list<Node>("Node", { labelSelector: selector || undefined }), errors: [] };
  const nodes: Stored<Node>[] = [];
  const errors: unknown[] = [];
  for (const name of names) {
    const node = ctx.store.find<Node>("Node", undefined, name);
    if (node) nodes.push(node);
    else errors.push(notFoundError({ group: "", resource: "nodes" }, name));
  }
  return { nodes, errors };
}

async function run(args: KubectlArgs, ctx: KubectlContext) {
  return runVerb((out) => {
    // Complete: the dry-run strategy, then the arguments.
    const dryRun: DryRun = dryRunStrategy(ctx, args, out);
    const { resources, changes } = splitArgs(args.operands);
    if (resources.length < 1) throw new KubectlError("one or more resources must be specified as <resource> <name>");
    if (changes.length < 1) throw new KubectlError("at least one taint update is required");
    let parsed: { add: TaintSpec[]; remove: TaintSpec[] };
    try {
      parsed = parseTaints(changes);
    } catch (error) {
      throw usageError("kubectl taint", (error as Error).message);
    }
    const { add, remove } = parsed;
    const format = outputFormat(ctx, args, "generic");
    // Validate: the type (this needs discovery), conflicting changes, then the flags.
    void ctx.store;
    const type = resources[0].toLowerCase();
    if (resolveType(type).kind !== "Node") throw new KubectlError(`invalid resource type ${type}, only node types are supported`);
    const conflicts = remove.filter((r) => add.some((a) => a.key === r.key && (!r.effect || a.effect === r.effect))).map((r) => `{"${r.key}":"${r.effect}"}`);
    if (conflicts.length > 0) throw new KubectlError(`can not both modify and remove the following taint(s) in the same command: ${conflicts.join(", ")}`);
    const selector = args.string("selector") ?? "";
    if (args.bool("all") && selector) throw new KubectlError("setting 'all' parameter with a non empty selector is prohibited");
    if (!args.bool("all") && !selector && resources.length < 2) throw new KubectlError("at least one resource name must be specified since 'all' parameter is not set");
    // RunTaint: each node in turn; a failure is reported and the others still change.
    const { nodes, errors } = targets(ctx, args, resources.slice(1));
    for (const node of nodes) {
      try {
        const { taints, operation } = updateTaints(node, add, remove, args.bool("overwrite"));
        let result: Stored<Node> = { ...node, spec: { ...node.spec, taints } };
        if (taints.length === 0) delete result.spec!.taints;
        if (dryRun !== "client") {
          result = ctx.store.patch<Node>("Node", undefined, node.metadata.name, { spec: { taints: taints.length > 0 ? taints : null } }, { dryRun: dryRun === "server" });
        }
        if (format.type === "human") out.out(nameLine(result, operation, dryRun));
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

/** `kubectl taint`. */
export const taintVerb: KubectlVerb = {
  name: "taint",
  short: "Update the taints on one or more nodes",
  long: "Update the taints on one or more nodes.\n\n  *  A taint consists of a key, value, and effect. As an argument here, it is expressed as key=value:effect.\n  *  The key must begin with a letter or number, and may contain letters, numbers, hyphens, dots, and underscores, up to 253 characters.\n  *  Optionally, the key can begin with a DNS subdomain prefix and a single '/', like example.com/my-app.\n  *  The value is optional. If given, it must begin with a letter or number, and may contain letters, numbers, hyphens, dots, and underscores, up to 63 characters.\n  *  The effect must be NoSchedule, PreferNoSchedule or NoExecute.\n  *  Currently taint can only apply to node.",
  examples:
    "  # Update node 'foo' with a taint with key 'dedicated' and value 'special-user' and effect 'NoSchedule'\n  # If a taint with that key and effect already exists, its value is replaced as specified\n  kubectl taint nodes foo dedicated=special-user:NoSchedule\n  \n  # Remove from node 'foo' the taint with key 'dedicated' and effect 'NoSchedule' if one exists\n  kubectl taint nodes foo dedicated:NoSchedule-\n  \n  # Remove from node 'foo' all the taints with key 'dedicated'\n  kubectl taint nodes foo dedicated-\n  \n  # Add a taint with key 'dedicated' on nodes having label myLabel=X\n  kubectl taint node -l myLabel=X  dedicated=foo:PreferNoSchedule\n  \n  # Add to node 'foo' a taint with key 'bar' and no value\n  kubectl taint nodes foo bar:NoSchedule",
  usage: "kubectl taint NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N [options]",
  flags: [
    { name: "all", type: "bool", usage: "Select all nodes in the cluster" },
    ...printFlags(),
    dryRunFlag,
    fieldManagerFlag("kubectl-taint"),
    { name: "overwrite", type: "bool", usage: "If true, allow taints to be overwritten, otherwise reject taint updates that overwrite existing taints." },
    selectorFlag,
    validateFlag,
  ],
  run,
  // The mapper's discovery for the resource type: two failed requests.
  offline: () => ({ discovery: 2 }),
  // `node`, then the node names.
  complete: (operands, ctx) => (operands.length === 0 ? ["node"] : operands.length === 1 ? ctx.store.list("Node").map((n) => n.metadata.name) : []),
};
