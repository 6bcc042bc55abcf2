/**
 * The service account controller (`serviceaccount-controller`): every active namespace has a
 * `default` ServiceAccount, recreated if deleted (pods need it to pass ServiceAccount
 * admission).
 *
 * @example
 * cluster.register(serviceAccountController());
 * store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "dev" } }); // dev/default appears
 */
import { ApiError, type Namespace, type ServiceAccount } from "../api";
import type { Controller } from "../cluster/controller";

/** A fresh service account controller. Keys are namespace names. */
export function serviceAccountController(): Controller {
  return {
    name: "serviceaccount-controller",
    watches: [
      { kind: "Namespace", keys: (e) => (e.type === "DELETED" ? [] : [e.object.metadata.name]) },
      { kind: "ServiceAccount", keys: (e) => (e.type === "DELETED" && e.object.metadata.name === "default" ? [e.object.metadata.namespace ?? ""] : []) },
    ],
    reconcile(namespace, ctx) {
      const ns = ctx.store.find<Namespace>("Namespace", undefined, namespace);
      if (ns?.status?.phase !== "Active" || ctx.store.find("ServiceAccount", namespace, "default")) return;
      try {
        ctx.store.create<ServiceAccount>({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace } });
      } catch (e) {
        // The namespace started terminating meanwhile.
        if (!(e instanceof ApiError)) throw e;
      }
    },
  };
}
