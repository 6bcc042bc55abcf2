/**
 * The kubelet-backed pod operations as the apiserver proxies them: `kubectl logs` is a GET on
 * `pods/log`, `exec` and `attach` are CREATEs on `pods/exec` and `pods/attach`, each authorised
 * for the requesting user before the kubelet is asked.
 *
 * @example
 * authorizedRuntime(store, runtime, jane).logs("dev", "web", "web", {});
 * // throws: pods "web" is forbidden: User "jane" cannot get resource "pods/log" in API group "" in the namespace "dev"
 */
import { type ObjectStore, type UserInfo, authorizeRequest } from "../api";
import type { PodRuntimeService } from "../cluster/services";

export function authorizedRuntime(store: ObjectStore, runtime: PodRuntimeService, user: UserInfo): PodRuntimeService {
  const check = (verb: string, namespace: string, name: string, subresource: string) =>
    authorizeRequest(store, user, { verb, namespace, apiGroup: "", resource: "pods", subresource, name });
  return {
    logs: (namespace, pod, container, options) => {
      check("get", namespace, pod, "log");
      return runtime.logs(namespace, pod, container, options);
    },
    execLocation: (namespace, pod, container, command) => {
      check("create", namespace, pod, "exec");
      return runtime.execLocation(namespace, pod, container, command);
    },
    attach: (namespace, pod, container) => {
      check("create", namespace, pod, "attach");
      return runtime.attach(namespace, pod, container);
    },
  };
}
