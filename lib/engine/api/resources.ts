/**
 * The discovery table: every resource the engine serves, described as a v1.32 apiserver
 * describes it (`kubectl api-resources -o wide`): plural, singular, short names, group and
 * version, scope, verbs and categories. It drives `api-resources`, name resolution
 * (`po`, `pod`, `pods`, `pods.v1.`, `deploy.apps`), completion and the store's routing.
 *
 * @example
 * resolveResource("deploy")?.kind;          // "Deployment"
 * resourceForKind("Service")?.shortNames;   // ["svc"]
 * apiVersionOf(resourceForKind("Ingress")!); // "networking.k8s.io/v1"
 */

/** One row of discovery. */
export interface ResourceInfo {
  readonly kind: string;
  /** Plural resource name, the URL segment (`pods`). */
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  /** API group; "" for the core group. */
  readonly group: string;
  readonly version: string;
  readonly namespaced: boolean;
  /** Sorted, as `kubectl api-resources -o wide` prints them. */
  readonly verbs: readonly string[];
  readonly categories: readonly string[];
}

const ALL_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"] as const;

function r(
  kind: string,
  plural: string,
  shortNames: string[],
  group: string,
  namespaced: boolean,
  opts: { verbs?: readonly string[]; categories?: string[]; version?: string } = {},
): ResourceInfo {
  return {
    kind,
    plural,
    singular: kind.toLowerCase(),
    shortNames,
    group,
    version: opts.version ?? "v1",
    namespaced,
    verbs: opts.verbs ?? ALL_VERBS,
    categories: opts.categories ?? [],
  };
}

/**
 * Every served resource, in the order `kubectl api-resources` lists them (core group first,
 * then groups alphabetically, resources alphabetically within a group).
 */
export const RESOURCES: readonly ResourceInfo[] = [
  r("ConfigMap", "configmaps", ["cm"], "", true),
  r("Endpoints", "endpoints", ["ep"], "", true),
  r("Event", "events", ["ev"], "", true),
  r("Namespace", "namespaces", ["ns"], "", false, { verbs: ["create", "delete", "get", "list", "patch", "update", "watch"] }),
  r("Node", "nodes", ["no"], "", false),
  r("PersistentVolumeClaim", "persistentvolumeclaims", ["pvc"], "", true),
  r("PersistentVolume", "persistentvolumes", ["pv"], "", false),
  r("Pod", "pods", ["po"], "", true, { categories: ["all"] }),
  r("ReplicationController", "replicationcontrollers", ["rc"], "", true, { categories: ["all"] }),
  r("Secret", "secrets", [], "", true),
  r("ServiceAccount", "serviceaccounts", ["sa"], "", true),
  r("Service", "services", ["svc"], "", true, { categories: ["all"] }),
  r("DaemonSet", "daemonsets", ["ds"], "apps", true, { categories: ["all"] }),
  r("Deployment", "deployments", ["deploy"], "apps", true, { categories: ["all"] }),
  r("ReplicaSet", "replicasets", ["rs"], "apps", true, { categories: ["all"] }),
  r("Lease", "leases", [], "coordination.k8s.io", true),
  r("EndpointSlice", "endpointslices", [], "discovery.k8s.io", true),
  r("IngressClass", "ingressclasses", [], "networking.k8s.io", false),
  r("Ingress", "ingresses", ["ing"], "networking.k8s.io", true),
  r("NetworkPolicy", "networkpolicies", ["netpol"], "networking.k8s.io", true),
  r("ClusterRoleBinding", "clusterrolebindings", [], "rbac.authorization.k8s.io", false),
  r("ClusterRole", "clusterroles", [], "rbac.authorization.k8s.io", false),
  r("RoleBinding", "rolebindings", [], "rbac.authorization.k8s.io", true),
  r("Role", "roles", [], "rbac.authorization.k8s.io", true),
  r("PeerAuthentication", "peerauthentications", ["pa"], "security.istio.io", true, {
    categories: ["istio-io", "security-istio-io"],
  }),
  r("AuthorizationPolicy", "authorizationpolicies", ["ap"], "security.istio.io", true, {
    categories: ["istio-io", "security-istio-io"],
  }),
  r("StorageClass", "storageclasses", ["sc"], "storage.k8s.io", false),
];

const byKind = new Map(RESOURCES.map((info) => [info.kind, info]));

/** `apps/v1`, or `v1` for the core group. */
export function apiVersionOf(info: ResourceInfo): string {
  return info.group === "" ? info.version : `${info.group}/${info.version}`;
}

/** The resource serving `kind`, if any. */
export function resourceForKind(kind: string): ResourceInfo | undefined {
  return byKind.get(kind);
}

/** The resource for an object's `apiVersion` + `kind`, if served. */
export function resourceForObject(apiVersion: string, kind: string): ResourceInfo | undefined {
  const info = byKind.get(kind);
  return info && apiVersionOf(info) === apiVersion ? info : undefined;
}

/**
 * Resolves what a user typed for a resource, the way kubectl's RESTMapper does: plural,
 * singular, short name or kind (case-insensitive), optionally qualified as `name.group` or
 * `name.version.group` (`deployments.apps`, `pods.v1.`).
 */
export function resolveResource(text: string): ResourceInfo | undefined {
  const lower = text.toLowerCase();
  const [name, ...rest] = lower.split(".");
  const qualifier = rest.join(".");
  return RESOURCES.find((info) => {
    const names = [info.plural, info.singular, info.kind.toLowerCase(), ...info.shortNames];
    if (!names.includes(name)) return false;
    if (rest.length === 0) return true;
    return qualifier === info.group || qualifier === `${info.version}.${info.group}`;
  });
}

/** Every resource in `category` (`all` → pods, services, deployments, …). */
export function resourcesInCategory(category: string): ResourceInfo[] {
  return RESOURCES.filter((info) => info.categories.includes(category));
}
