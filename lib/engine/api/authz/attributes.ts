/**
 * What the authorizer is asked (`authorizer.Attributes`) and the Forbidden error the apiserver
 * sends when the answer is no (`responsewriters.Forbidden` + `forbiddenMessage`).
 *
 * @example
 * forbidden({ name: "jane", groups: [] }, { verb: "list", namespace: "default", apiGroup: "", resource: "pods" }).message;
 * // pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"
 */
import { type ForbiddenError, forbiddenError } from "../errors";
import type { UserInfo } from "./user";

/** A request on an API resource (`get pods/log web -n dev`). */
export interface ResourceAttributes {
  verb: string;
  /** "" for cluster-wide requests (`--all-namespaces`, cluster-scoped objects). */
  namespace: string;
  apiGroup: string;
  resource: string;
  subresource?: string;
  name?: string;
}

/** A request on a non-resource URL (`get /healthz`). */
export interface NonResourceAttributes {
  verb: string;
  path: string;
}

export type Attributes = ResourceAttributes | NonResourceAttributes;

export const isResourceRequest = (a: Attributes): a is ResourceAttributes => "resource" in a;

/** `forbiddenMessage`: the sentence after `is forbidden: `. */
export function forbiddenMessage(user: UserInfo, attrs: Attributes): string {
  if (!isResourceRequest(attrs)) return `User "${user.name}" cannot ${attrs.verb} path "${attrs.path}"`;
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const scope = attrs.namespace !== "" ? `in the namespace "${attrs.namespace}"` : "at the cluster scope";
  return `User "${user.name}" cannot ${attrs.verb} resource "${resource}" in API group "${attrs.apiGroup}" ${scope}`;
}

/**
 * `responsewriters.Forbidden`: the 403 for a denied request, naming the resource (without its
 * subresource) and object, with the authorizer's reason appended when it gave one.
 */
export function forbidden(user: UserInfo, attrs: Attributes, reason = ""): ForbiddenError {
  const message = forbiddenMessage(user, attrs) + (reason !== "" ? `: ${reason}` : "");
  if (!isResourceRequest(attrs)) return forbiddenError({ group: "", resource: "" }, "", message);
  return forbiddenError({ group: attrs.apiGroup, resource: attrs.resource }, attrs.name ?? "", message);
}
