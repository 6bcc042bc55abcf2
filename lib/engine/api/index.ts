/**
 * Layer 1, the API layer: a deterministic imitation of a v1.32 kube-apiserver. Everything other
 * layers use comes through here: the store, its errors, the discovery table, selectors,
 * server-side tables and the object types.
 *
 * @example
 * import { ObjectStore, bootstrapAPIServer, renderTable, formatTable } from "@/lib/engine/api";
 * const store = new ObjectStore({ clock, rng });
 * bootstrapAPIServer(store, { address: "172.18.0.2" });
 * formatTable(renderTable("Service", store.list("Service", { namespace: "default" }), { now: clock.now() }));
 */
export { ObjectStore, type StoreOptions, type WriteOptions } from "./store/store";
export type { DeleteOptions, DeleteResult } from "./store/deletion";
export type { ListOptions } from "./store/selection";
export type { WatchEvent, WatchFilter, WatchHandler, WatchListener } from "./store/watch";
export { bootstrapAPIServer, type APIServerEndpoint } from "./bootstrap";
export * from "./authz/index";
export { type ApiHttpRequest, type ApiHttpResponse, serveApiRequest } from "./http/index";
export { AllocationError, ClusterIPAllocator } from "./allocators/cluster-ip";
export { NodePortAllocator } from "./allocators/node-port";

export {
  ApiError, AlreadyExistsError, BadRequestError, ConflictError, ForbiddenError, InvalidError, MethodNotAllowedError,
  NotFoundError, OBJECT_MODIFIED, UnauthorizedError, unauthorizedError, alreadyExistsError, badRequestError, conflictError, forbiddenError, invalidError,
  kubectlErrorText, methodNotAllowedError, notFoundError, qualifiedResource, unknownResourceError,
  type GroupKind, type GroupResource, type Status, type StatusCause, type StatusReason,
} from "./errors";

export {
  RESOURCES, apiVersionOf, resolveResource, resourceForKind, resourceForObject, resourcesInCategory, type ResourceInfo,
} from "./resources";

export {
  LabelSelectorError, everything, formatLabelSet, newRequirement, nothing, parseLabelSelector, selectorFromSet, selectorOf,
  type Operator, type Requirement, type Selector,
} from "./selectors/labels";
export { formatLabelSelector, labelSelectorAsSelector, validateLabelSelector } from "./selectors/label-selector";
export { FieldSelectorError, matchesFields, parseFieldSelector, type FieldSelector, type FieldTerm } from "./selectors/fields";

export { renderTable, type RenderOptions } from "./tables/render";
export { cellText, formatTable, tabwrite, type FormatOptions } from "./tables/format";
export type { Cell, ColumnDefinition, Table, TableRow } from "./tables/types";

export { strategyFor } from "./kinds/index";
export type { AdmissionOptions, KindStrategy, StoreReader } from "./kinds/strategy";
export { summarizePod } from "./kinds/pod-table";
export { podQOSClass } from "./kinds/pod";
export { type EphemeralContainer, ephemeralContainersOf } from "./kinds/pod-ephemeral";
export { nodeRoles } from "./kinds/node";
export { isDefaultClass } from "./kinds/storage";
export { imageTag } from "./kinds/podspec-defaults";

export {
  type BadValue, type FieldError, type FieldErrorType, FieldPath, aggregateMessage, errorBody, errorString, fieldPath,
} from "./validation/field";

export type * from "./types/meta";
export type * from "./types/pod";
export type * from "./types/core";
export type * from "./types/apps";
export type * from "./types/other";
