/**
 * RBAC fixtures for the authorization tests: a bootstrapped store with namespaces and helpers
 * that create roles and bindings the way `kubectl create role|rolebinding` would.
 */
import type { ObjectStore, PolicyRule, Subject } from "@/lib/engine/api";
import { newCluster } from "../helpers";

const RBAC = "rbac.authorization.k8s.io/v1";

export function rbacStore(namespaces: readonly string[] = ["dev", "prod"]): ObjectStore {
  const { store } = newCluster();
  for (const name of namespaces) store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
  return store;
}

export function role(store: ObjectStore, kind: "Role" | "ClusterRole", name: string, rules: PolicyRule[], namespace?: string): void {
  store.create({ apiVersion: RBAC, kind, metadata: { name, ...(namespace ? { namespace } : {}) }, rules });
}

export function bind(
  store: ObjectStore, kind: "RoleBinding" | "ClusterRoleBinding", name: string, roleRef: `${"Role" | "ClusterRole"}/${string}`, subjects: Subject[], namespace?: string,
): void {
  const [refKind, refName] = roleRef.split("/");
  store.create({
    apiVersion: RBAC,
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}) },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: refKind, name: refName },
    subjects,
  });
}

export const user = (name: string): Subject => ({ kind: "User", apiGroup: "rbac.authorization.k8s.io", name });
export const group = (name: string): Subject => ({ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name });
export const serviceAccount = (name: string, namespace?: string): Subject => ({ kind: "ServiceAccount", name, ...(namespace ? { namespace } : {}) });
