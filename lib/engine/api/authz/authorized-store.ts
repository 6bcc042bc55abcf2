/**
 * The store as one user sees it through the apiserver: every read, write and watch is
 * authorised first (`WithAuthorization`, after authentication and impersonation) and a denied
 * request throws the apiserver's Forbidden error. Clients — kubectl, HTTP requests from pods —
 * get this view; the control plane's own components (scheduler, controllers, kubelets) keep
 * the raw store, as if they all held their privileged identities (`system:kube-scheduler`,
 * `system:kube-controller-manager`, `system:node:*`), which real RBAC grants what they use.
 *
 * @example
 * const asJane = authorizedStore(store, { name: "jane", groups: ["system:authenticated"] });
 * asJane.list("Pod", { namespace: "default" });
 * // throws: pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"
 */
import { resourceForKind } from "../resources";
import type { ObjectStore } from "../store/store";
import type { KubeObject } from "../types/meta";
import { type ResourceAttributes, forbidden } from "./attributes";
import { authorize } from "./rbac";
import type { UserInfo } from "./user";

/** The attributes of a request on `kind`, scoped as the URL would be (cluster-scoped kinds have no namespace). */
function attributesOf(kind: string, verb: string, namespace: string | undefined, name = "", subresource = ""): ResourceAttributes | undefined {
  const info = resourceForKind(kind);
  if (!info) return undefined;
  return {
    verb,
    namespace: info.namespaced ? (namespace ?? "") : "",
    apiGroup: info.group,
    resource: info.plural,
    ...(subresource !== "" ? { subresource } : {}),
    ...(name !== "" ? { name } : {}),
  };
}

/** Throws the Forbidden error unless `user` may make the request (unknown kinds fall through to the store's own error). */
export function authorizeRequest(store: ObjectStore, user: UserInfo, attrs: ResourceAttributes | undefined): void {
  if (!attrs) return;
  const decision = authorize(store, user, attrs);
  if (!decision.allowed) throw forbidden(user, attrs, decision.reason);
}

const namespaceOf = (obj: KubeObject, requested: string | undefined) => requested ?? obj.metadata.namespace ?? "default";

/** `store` as `user` reaches it through the apiserver. */
export function authorizedStore(store: ObjectStore, user: UserInfo): ObjectStore {
  const check = (attrs: ResourceAttributes | undefined) => authorizeRequest(store, user, attrs);
  const view: Partial<ObjectStore> = {
    find: (kind, namespace, name) => {
      check(attributesOf(kind, "get", namespace, name));
      return store.find(kind, namespace, name);
    },
    get: (kind, namespace, name) => {
      check(attributesOf(kind, "get", namespace, name));
      return store.get(kind, namespace, name);
    },
    list: (kind, options = {}) => {
      check(attributesOf(kind, "list", options.namespace));
      return store.list(kind, options);
    },
    create: (input, options = {}) => {
      // A POST goes to the collection: the attributes name no object.
      check(attributesOf(input.kind, "create", namespaceOf(input, options.namespace)));
      return store.create(input, options);
    },
    update: (input, options = {}) => {
      check(attributesOf(input.kind, "update", namespaceOf(input, options.namespace), input.metadata.name));
      return store.update(input, options);
    },
    updateStatus: (input, options = {}) => {
      check(attributesOf(input.kind, "update", namespaceOf(input, options.namespace), input.metadata.name, "status"));
      return store.updateStatus(input, options);
    },
    patch: (kind, namespace, name, patch, options = {}) => {
      check(attributesOf(kind, "patch", namespace, name, options.subresource ?? ""));
      return store.patch(kind, namespace, name, patch, options);
    },
    delete: (kind, namespace, name, options = {}) => {
      check(attributesOf(kind, "delete", namespace, name));
      return store.delete(kind, namespace, name, options);
    },
    bind: (namespace, name, nodeName) => {
      check(attributesOf("Pod", "create", namespace, name, "binding"));
      return store.bind(namespace, name, nodeName);
    },
    watch: (handler, filter = {}) => {
      if (filter.kind) check(attributesOf(filter.kind, "watch", filter.namespace));
      return store.watch(handler, filter);
    },
  };
  // Everything else (clock, resourceVersion, allocators) reads through to the store itself.
  return Object.assign(Object.create(store) as ObjectStore, view);
}
