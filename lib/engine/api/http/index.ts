/**
 * The apiserver's REST face for clients on the network (a pod's `curl` with its token, a script
 * on a node): one request in, authenticated (client certificate, bearer token, else anonymous),
 * authorised, routed to the store, answered with the JSON the apiserver sends — the object, the
 * list, or a Status (401, 403, 404, the store's own errors). Resources under `/api/v1` and
 * `/apis/GROUP/VERSION`, in a namespace or cluster-wide: GET (get, list), POST (create), PUT
 * (update), PATCH (a JSON merge patch), DELETE. Health paths answer `ok`; other non-resource
 * paths, once authorised, `404 page not found` (discovery is not served over HTTP here).
 *
 * @example
 * serveApiRequest(store, { method: "GET", target: "/api/v1/namespaces/default/pods", headers: [["Authorization", `Bearer ${token}`]] }, trust);
 * // { status: 403, body: '{\n  "kind": "Status", … "message": "pods is forbidden: User \"system:serviceaccount:default:default\" cannot list …' }
 */
import { ApiError, badRequestError, unknownResourceError } from "../errors";
import { type AuthenticationTrust, authenticate } from "../authz/authenticate";
import { type Attributes, forbidden } from "../authz/attributes";
import { authorize } from "../authz/rbac";
import type { UserInfo } from "../authz/user";
import { notFoundError } from "../errors";
import { RESOURCES, type ResourceInfo } from "../resources";
import type { ObjectStore } from "../store/store";
import type { KubeObject, Stored } from "../types/meta";

/** The parts of an HTTP request the apiserver looks at. */
export interface ApiHttpRequest {
  method: string;
  /** Path and query (`/api/v1/pods?limit=5`). */
  target: string;
  headers: readonly (readonly [string, string])[];
  /** The client certificate's PEM when the TLS handshake carried one. */
  clientCertificate?: string;
  body?: string;
}

/** The status code, the body and its type (JSON, or text for health checks and unknown paths). */
export interface ApiHttpResponse {
  status: number;
  contentType: "application/json" | "text/plain; charset=utf-8";
  body: string;
}

/** Where a URL points: a resource collection or object, or a non-resource path. */
type Route =
  | { kind: "resource"; info: ResourceInfo; namespace: string; name: string }
  | { kind: "path"; path: string }
  /** A resource URL for a resource this apiserver does not serve (authorised like any other, then 404). */
  | { kind: "unknown"; group: string; resource: string; namespace: string; name: string };

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

/** A `metav1.Status` body as the apiserver writes it (StatusDetails in Go field order, empty fields left out). */
function statusBody(error: ApiError): ApiHttpResponse {
  const { details, ...rest } = error.status;
  const d = details ?? {};
  const detailsOut = { ...(d.name ? { name: d.name } : {}), ...(d.group ? { group: d.group } : {}), ...(d.kind ? { kind: d.kind } : {}) };
  const body = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: rest.message, reason: rest.reason, details: detailsOut, code: rest.code };
  return json(rest.code, body);
}

const json = (status: number, value: unknown): ApiHttpResponse => ({ status, contentType: "application/json", body: pretty(value) });
const text = (status: number, body: string): ApiHttpResponse => ({ status, contentType: "text/plain; charset=utf-8", body });

const UNAUTHORIZED: ApiHttpResponse = {
  status: 401,
  contentType: "application/json",
  body: pretty({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 }),
};

/** `RequestInfoFactory`: `/api/v1[/namespaces/NS]/RESOURCE[/NAME]` and `/apis/GROUP/VERSION/…`. */
function route(path: string): Route {
  const parts = path.split("/").filter((p) => p !== "");
  let group: string;
  let rest: string[];
  if (parts[0] === "api" && parts[1] === "v1") [group, rest] = ["", parts.slice(2)];
  else if (parts[0] === "apis" && parts.length >= 3) [group, rest] = [parts[1], parts.slice(3)];
  else return { kind: "path", path };
  if (rest.length === 0) return { kind: "path", path };
  let namespace = "";
  if (rest[0] === "namespaces" && rest.length >= 3) [namespace, rest] = [rest[1], rest.slice(2)];
  const info = RESOURCES.find((r) => r.group === group && r.plural === rest[0]);
  if (!info || rest.length > 2) return { kind: "unknown", group, resource: rest[0], namespace, name: rest[1] ?? "" };
  return { kind: "resource", info, namespace, name: rest[1] ?? "" };
}

function header(request: ApiHttpRequest, name: string): string | undefined {
  return request.headers.find(([k]) => k.toLowerCase() === name)?.[1];
}

function identify(store: ObjectStore, request: ApiHttpRequest, trust: AuthenticationTrust): UserInfo | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header(request, "authorization") ?? "")?.[1];
  try {
    return authenticate(store, { ...(request.clientCertificate ? { clientCertificate: request.clientCertificate } : {}), ...(bearer ? { token: bearer } : {}) }, trust);
  } catch {
    return undefined;
  }
}

const VERBS: Record<string, string> = { GET: "get", HEAD: "get", POST: "create", PUT: "update", PATCH: "patch", DELETE: "delete" };

/** Answers one request as kube-apiserver would. */
export function serveApiRequest(store: ObjectStore, request: ApiHttpRequest, trust: AuthenticationTrust): ApiHttpResponse {
  const user = identify(store, request, trust);
  if (!user) return UNAUTHORIZED;
  const path = request.target.split("?")[0];
  const target = route(path);
  const method = request.method.toUpperCase();
  let verb = VERBS[method] ?? method.toLowerCase();
  if (target.kind !== "path" && verb === "get" && target.name === "") verb = "list";
  let attrs: Attributes;
  if (target.kind === "resource") {
    const { info } = target;
    attrs = { verb, namespace: info.namespaced ? target.namespace : "", apiGroup: info.group, resource: info.plural, ...(target.name ? { name: target.name } : {}) };
  } else if (target.kind === "unknown") {
    attrs = { verb, namespace: target.namespace, apiGroup: target.group, resource: target.resource, ...(target.name ? { name: target.name } : {}) };
  } else attrs = { verb, path };
  const decision = authorize(store, user, attrs);
  if (!decision.allowed) return statusBody(forbidden(user, attrs, decision.reason));
  if (target.kind === "unknown") return statusBody(unknownResourceError());
  if (target.kind === "path") return HEALTH.includes(path) ? text(200, "ok") : text(404, "404 page not found\n");
  try {
    return serveResource(store, target, verb, request.body ?? "");
  } catch (error) {
    if (error instanceof ApiError) return statusBody(error);
    throw error;
  }
}

const HEALTH = ["/healthz", "/livez", "/readyz"];

function decodeBody(body: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body);
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // worded below
  }
  throw badRequestError("the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf");
}

function serveResource(store: ObjectStore, target: Extract<Route, { kind: "resource" }>, verb: string, body: string): ApiHttpResponse {
  const { info, namespace, name } = target;
  const ns = info.namespaced ? namespace || undefined : undefined;
  const gr = { group: info.group, resource: info.plural };
  switch (verb) {
    case "get": {
      const obj = store.find(info.kind, ns ?? "", name);
      if (!obj) throw notFoundError(gr, name);
      return json(200, obj);
    }
    case "list": {
      // Items of a typed list carry no apiVersion and kind of their own.
      const items = store.list(info.kind, ns ? { namespace: ns } : {}).map((o: Stored<KubeObject>) => {
        const item: Record<string, unknown> = { ...o };
        delete item.apiVersion;
        delete item.kind;
        return item;
      });
      const apiVersion = info.group === "" ? info.version : `${info.group}/${info.version}`;
      return json(200, { kind: `${info.kind}List`, apiVersion, metadata: { resourceVersion: store.resourceVersion }, items });
    }
    case "create":
      return json(201, store.create(decodeBody(body) as unknown as KubeObject, ns ? { namespace: ns } : {}));
    case "update":
      return json(200, store.update(decodeBody(body) as unknown as KubeObject, ns ? { namespace: ns } : {}));
    case "patch":
      return json(200, store.patch(info.kind, ns, name, decodeBody(body)));
    case "delete": {
      // Gone at once: a success Status (the object's name, kind and uid); still finalizing or in
      // its grace period (a pod): the object, with its deletionTimestamp.
      const result = store.delete(info.kind, ns, name);
      if (!result.deleted) return json(200, result.object);
      return json(200, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details: { name, ...(info.group ? { group: info.group } : {}), kind: info.plural, uid: result.object.metadata.uid } });
    }
    default:
      throw badRequestError(`unsupported method ${verb}`);
  }
}
