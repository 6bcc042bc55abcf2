/**
 * `kubectl auth can-i`: a SelfSubjectAccessReview — asks the API layer's authorizer about one
 * request, `yes` (exit 0) or `no` (exit 1) with the authorizer's reason when it has one — or,
 * with `--list`, a SelfSubjectRulesReview: every rule the user holds in the namespace, broken
 * down and recompacted as kubectl does. `--as` / `--as-group` ask as another user, which the
 * real user must be allowed to impersonate.
 *
 * @example
 * kubectl auth can-i list pods --as=system:serviceaccount:dev:app -n dev   // no
 * kubectl auth can-i --list -n dev
 */
import { type Attributes, type PolicyRule, authorize, authorizeRequest, resolveResource, rulesFor } from "../../../../api";
import type { Output } from "../../../../shell";
import { KubectlError } from "../../../errors";
import { goTabwrite } from "../../../printers";
import type { KubectlArgs, KubectlContext, KubectlVerb } from "../../../types";
import { withOutput } from "../common/output";
import { CAN_I_HELP } from "./can-i-help";

const RESOURCE_VERBS = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "use", "bind", "impersonate", "*", "approve", "sign", "escalate", "attest"];
const NON_RESOURCE_VERBS = ["get", "put", "post", "head", "options", "delete", "patch", "*"];
/** Resources the apiserver knows for impersonation without serving them. */
const NON_STANDARD = ["users", "groups"];

/** `WarningPrinter.Print`: `Warning: ` before the message (kubectl's own messages end in a newline of their own). */
function warn(out: Output, ctx: KubectlContext, message: string): void {
  const colour = ctx.shell.terminal.isTerminal && ctx.shell.env.get("TERM") !== "dumb";
  out.err(`${colour ? "\u001b[33;1mWarning:\u001b[0m" : "Warning:"} ${message}\n`);
}

/** Creates the review (which every authenticated user may: `system:basic-user`), then asks the authorizer. */
function review(ctx: KubectlContext, resource: string, attrs: Attributes) {
  authorizeRequest(ctx.cluster.store, ctx.user, { verb: "create", namespace: "", apiGroup: "authorization.k8s.io", resource });
  return authorize(ctx.cluster.store, ctx.user, attrs);
}

/** `resourceFor`: the typed resource resolved through discovery, or kept as typed with a warning. */
function resourceFor(out: Output, ctx: KubectlContext, arg: string): { group: string; resource: string; namespaced: boolean } {
  if (arg === "*") return { group: "", resource: "*", namespaced: true };
  const info = resolveResource(arg.toLowerCase());
  if (info) return { group: info.group, resource: info.plural, namespaced: info.namespaced };
  const [resource, ...group] = arg.toLowerCase().split(".");
  if (!NON_STANDARD.includes(arg.toLowerCase())) {
    warn(out, ctx, group.length === 0 ? `the server doesn't have a resource type '${resource}'\n` : `the server doesn't have a resource type '${resource}' in group '${group.join(".")}'\n`);
  }
  return { group: "", resource: arg, namespaced: true };
}

/** `rbacutil.BreakdownRule`: one verb, resource and name per rule. */
function breakdown(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs) {
        if (rule.resourceNames?.length) for (const name of rule.resourceNames) out.push({ apiGroups: [group], resources: [resource], verbs: [verb], resourceNames: [name] });
        else out.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) for (const verb of rule.verbs) out.push({ nonResourceURLs: [url], verbs: [verb] });
  return out;
}

/** `rbacutil.CompactRules`: simple rules on one resource (and name) merge their verbs. */
function compact(rules: readonly PolicyRule[]): PolicyRule[] {
  const out: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const rule of rules) {
    if ((rule.nonResourceURLs?.length ?? 0) > 0 || rule.apiGroups?.length !== 1 || rule.resources?.length !== 1) {
      out.push(rule);
      continue;
    }
    const key = JSON.stringify([rule.apiGroups[0], rule.resources[0], rule.resourceNames?.[0] ?? null]);
    const seen = simple.get(key);
    if (seen) seen.verbs = [...seen.verbs, ...rule.verbs];
    else simple.set(key, { ...rule, verbs: [...rule.verbs] });
  }
  return [...out, ...simple.values()];
}

/** The generated `PolicyRule.String()` that kubectl sorts the list by. */
const ruleString = (r: PolicyRule) =>
  `&PolicyRule{Verbs:[${r.verbs.join(" ")}],APIGroups:[${(r.apiGroups ?? []).join(" ")}],Resources:[${(r.resources ?? []).join(" ")}],ResourceNames:[${(r.resourceNames ?? []).join(" ")}],NonResourceURLs:[${(r.nonResourceURLs ?? []).join(" ")}],}`;

/** `describe.CombineResourceGroup`: `deployments.apps`, `pods.` never, `deployments.apps/scale`. */
function combineResourceGroup(rule: PolicyRule): string {
  const resource = rule.resources?.[0];
  if (resource === undefined) return "";
  const [name, sub] = resource.split(/\/(.*)/s);
  const group = rule.apiGroups?.[0] ?? "";
  return `${name}${group !== "" ? `.${group}` : ""}${sub !== undefined ? `/${sub}` : ""}`;
}

function list(out: Output, args: KubectlArgs, ctx: KubectlContext): number {
  authorizeRequest(ctx.cluster.store, ctx.user, { verb: "create", namespace: "", apiGroup: "authorization.k8s.io", resource: "selfsubjectrulesreviews" });
  const rules = rulesFor(ctx.cluster.store, ctx.user, ctx.namespace);
  if (rules.incomplete) warn(out, ctx, `the list may be incomplete: ${rules.evaluationError}`);
  const compacted = compact([...rules.resourceRules, ...rules.nonResourceRules].flatMap(breakdown));
  const sorted = compacted.map((r, i) => ({ r, s: ruleString(r), i })).sort((a, b) => (a.s < b.s ? -1 : a.s > b.s ? 1 : a.i - b.i)).map((x) => x.r);
  let text = args.bool("no-headers") ? "" : "Resources\tNon-Resource URLs\tResource Names\tVerbs\n";
  for (const r of sorted) {
    text += `${combineResourceGroup(r)}\t[${(r.nonResourceURLs ?? []).join(" ")}]\t[${(r.resourceNames ?? []).join(" ")}]\t[${r.verbs.join(" ")}]\n`;
  }
  out.out(goTabwrite(text, { minWidth: 6, padding: 3 }));
  return 0;
}

function check(out: Output, args: KubectlArgs, ctx: KubectlContext): number {
  if (args.operands.length !== 2) {
    throw new KubectlError("you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.");
  }
  const [verb, target] = args.operands;
  const quiet = args.bool("quiet");
  const subresource = args.string("subresource") ?? "";
  const allNamespaces = args.bool("all-namespaces");
  const namespace = allNamespaces ? "" : ctx.namespace;
  let decision;
  if (target.startsWith("/")) {
    if (subresource !== "") throw new KubectlError("--subresource can not be used with NonResourceURL");
    if (!NON_RESOURCE_VERBS.includes(verb)) warn(out, ctx, `verb '${verb}' is not a known verb\n`);
    if (args.bool("no-headers")) throw new KubectlError("--no-headers cannot be set without --list specified");
    decision = review(ctx, "selfsubjectaccessreviews", { verb, path: target });
  } else {
    const [typed, ...name] = target.split("/");
    const resource = resourceFor(out, ctx, typed);
    if (!allNamespaces && resource.resource !== "") {
      if (!resource.namespaced) {
        warn(out, ctx, resource.group === "" ? `resource '${resource.resource}' is not namespace scoped\n` : `resource '${resource.resource}' is not namespace scoped in group '${resource.group}'\n`);
      }
      if (!RESOURCE_VERBS.includes(verb)) warn(out, ctx, `verb '${verb}' is not a known verb\n`);
    }
    if (args.bool("no-headers")) throw new KubectlError("--no-headers cannot be set without --list specified");
    decision = review(ctx, "selfsubjectaccessreviews", {
      verb,
      namespace,
      apiGroup: resource.group,
      resource: resource.resource,
      subresource,
      name: name.join("/"),
    });
  }
  if (!quiet) out.out(decision.allowed ? "yes\n" : `no${decision.reason ? ` - ${decision.reason}` : ""}\n`);
  return decision.allowed ? 0 : 1;
}

/** `kubectl auth can-i`. */
export const canIVerb: KubectlVerb = {
  name: "can-i",
  short: "Check whether an action is allowed",
  ...CAN_I_HELP,
  run: (args, ctx) =>
    withOutput((out) => {
      if (args.bool("list")) {
        if (args.operands.length > 0) throw new KubectlError("list option must be specified with no arguments");
        if (args.bool("quiet") || args.bool("all-namespaces") || (args.string("subresource") ?? "") !== "") {
          throw new KubectlError("list option can't be specified with neither quiet, all-namespaces nor subresource options");
        }
        return list(out, args, ctx);
      }
      return check(out, args, ctx);
    }),
};
