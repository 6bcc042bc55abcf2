/**
 * The security policies istiod compiles into each proxy, decided as Envoy then decides them.
 *
 * PeerAuthentication: the workload's policy (same namespace, selector matching its labels)
 * wins over the namespace's (no selector), which wins over the mesh's (no selector, in
 * istio-system); within one scope the oldest wins; UNSET inherits from the next scope out;
 * nothing at all means PERMISSIVE. `portLevelMtls` only counts on a workload policy, keyed
 * by the container port.
 *
 * AuthorizationPolicy: policies of the workload's namespace and of istio-system whose selector
 * matches (or that have none) apply. Any matching DENY rule denies; then, if any ALLOW policy
 * applies, some ALLOW rule must match, or the request is denied; otherwise it is allowed.
 * Values match exactly, by prefix (`abc*`), by suffix (`*abc`) or wholly (`*`); principals and
 * namespaces come from the peer's mTLS certificate, so a plaintext caller has neither.
 *
 * @example
 * peerAuthenticationMode(store, pod, 80);                                          // "STRICT"
 * authorize(store, pod, { principal: "cluster.local/ns/default/sa/sleep", method: "GET", path: "/", port: 80 }); // { allowed: true }
 */
import type { Pod, StoreReader } from "../api";
import type { KubeObject } from "../api/types/meta";
import type { AuthorizationPolicy, AuthorizationRule, PeerAuthentication } from "../api/types/other";
import { ISTIO_NAMESPACE } from "./constants";

export type MtlsMode = "STRICT" | "PERMISSIVE" | "DISABLE";

type Selected = KubeObject & { spec?: { selector?: { matchLabels?: Record<string, string> } } };

function selects(policy: Selected, labels: Readonly<Record<string, string>>): boolean {
  const want = policy.spec?.selector?.matchLabels;
  if (!want) return true;
  return Object.entries(want).every(([k, v]) => labels[k] === v);
}

/** Oldest first, then by name, as istiod orders competing policies. */
function byAge<T extends KubeObject>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? "") || (a.metadata.name ?? "").localeCompare(b.metadata.name ?? ""));
}

function modeOf(pa: PeerAuthentication | undefined, port?: number): string | undefined {
  if (!pa) return undefined;
  const portMode = port === undefined ? undefined : pa.spec?.portLevelMtls?.[String(port)]?.mode;
  const mode = portMode ?? pa.spec?.mtls?.mode;
  return mode === "UNSET" ? undefined : mode;
}

/** The mTLS mode a workload's inbound `port` is under. */
export function peerAuthenticationMode(reader: StoreReader, pod: Pod, port: number): MtlsMode {
  const namespace = pod.metadata.namespace ?? "default";
  const labels = pod.metadata.labels ?? {};
  const local = byAge(reader.list("PeerAuthentication", { namespace }) as PeerAuthentication[]);
  const workload = local.find((pa) => pa.spec?.selector?.matchLabels && selects(pa, labels));
  const ns = local.find((pa) => !pa.spec?.selector?.matchLabels);
  const mesh = byAge(reader.list("PeerAuthentication", { namespace: ISTIO_NAMESPACE }) as PeerAuthentication[]).find((pa) => !pa.spec?.selector?.matchLabels);
  const mode = modeOf(workload, port) ?? modeOf(ns) ?? modeOf(mesh) ?? "PERMISSIVE";
  return mode === "STRICT" || mode === "DISABLE" ? mode : "PERMISSIVE";
}

type Source = NonNullable<NonNullable<AuthorizationRule["from"]>[number]["source"]>;
type Operation = NonNullable<NonNullable<AuthorizationRule["to"]>[number]["operation"]>;

/** What a request looks like to the RBAC filter. */
export interface RequestAttributes {
  /** `cluster.local/ns/NS/sa/SA` from the peer's certificate; absent for plaintext. */
  principal?: string;
  /** HTTP method and path; absent for TCP. */
  method?: string;
  path?: string;
  port: number;
}

function valueMatches(pattern: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (pattern === "*") return value !== "";
  if (pattern.endsWith("*")) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith("*")) return value.endsWith(pattern.slice(1));
  return pattern === value;
}

/** A field's lists: `values` must match when given, `not` must not. */
function field(values: string[] | undefined, not: string[] | undefined, actual: string | undefined): boolean {
  if (values && !values.some((p) => valueMatches(p, actual))) return false;
  if (not && not.some((p) => valueMatches(p, actual))) return false;
  return true;
}

function sourceMatches(s: Source, req: RequestAttributes): boolean {
  const namespace = req.principal ? /\/ns\/([^/]+)\//.exec(req.principal)?.[1] : undefined;
  return field(s.principals, s.notPrincipals, req.principal) && field(s.namespaces, s.notNamespaces, namespace);
}

function operationMatches(o: Operation, req: RequestAttributes): boolean {
  return field(o.methods, o.notMethods, req.method) && field(o.paths, o.notPaths, req.path?.split("?")[0]) && field(o.ports, o.notPorts, String(req.port));
}

function ruleMatches(rule: AuthorizationRule, req: RequestAttributes): boolean {
  if (rule.from && !rule.from.some((f) => !f.source || sourceMatches(f.source, req))) return false;
  if (rule.to && !rule.to.some((t) => !t.operation || operationMatches(t.operation, req))) return false;
  return true;
}

/** The policies that apply to a pod: its namespace's and the root namespace's whose selector matches. */
export function policiesFor(reader: StoreReader, pod: Pod): AuthorizationPolicy[] {
  const namespace = pod.metadata.namespace ?? "default";
  const labels = pod.metadata.labels ?? {};
  const scopes = namespace === ISTIO_NAMESPACE ? [namespace] : [namespace, ISTIO_NAMESPACE];
  return scopes.flatMap((ns) => reader.list("AuthorizationPolicy", { namespace: ns }) as AuthorizationPolicy[]).filter((p) => selects(p, labels));
}

/** Envoy's RBAC filter over the policies that apply; `by` names the policy that decided a denial. */
export function authorize(reader: StoreReader, pod: Pod, req: RequestAttributes): { allowed: true } | { allowed: false; by?: string } {
  const policies = policiesFor(reader, pod);
  const action = (p: AuthorizationPolicy) => p.spec?.action ?? "ALLOW";
  const name = (p: AuthorizationPolicy) => `ns[${p.metadata.namespace}]-policy[${p.metadata.name}]`;
  for (const p of policies.filter((p) => action(p) === "DENY")) {
    if ((p.spec?.rules ?? []).some((r) => ruleMatches(r, req))) return { allowed: false, by: name(p) };
  }
  const allows = policies.filter((p) => action(p) === "ALLOW");
  if (allows.length === 0 || allows.some((p) => (p.spec?.rules ?? []).some((r) => ruleMatches(r, req)))) return { allowed: true };
  return { allowed: false };
}
