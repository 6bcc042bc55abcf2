/**
 * The apiserver's failures (apimachinery `api/errors`): one class per reason, each carrying the
 * `metav1.Status` body a real server returns, with `message` worded exactly as upstream
 * (`pods "x" not found`, `Operation cannot be fulfilled on pods "x": …`). kubectl prefixes
 * these itself; {@link kubectlErrorText} reproduces that last step for whoever prints them.
 *
 * @example
 * const err = notFoundError({ group: "", resource: "pods" }, "web");
 * err.message;                   // 'pods "web" not found'
 * err.reason;                    // "NotFound"
 * kubectlErrorText(err);         // 'Error from server (NotFound): pods "web" not found'
 */
import { type FieldError, aggregateMessage, errorBody } from "./validation/field";

/** A resource qualified by its group (`deployments` in `apps`). */
export interface GroupResource {
  group: string;
  resource: string;
}

/** A kind qualified by its group (`Deployment` in `apps`). */
export interface GroupKind {
  group: string;
  kind: string;
}

/** `metav1.StatusReason` values the engine produces. */
export type StatusReason =
  | "NotFound"
  | "AlreadyExists"
  | "Invalid"
  | "Conflict"
  | "BadRequest"
  | "Forbidden"
  | "MethodNotAllowed"
  | "Unauthorized"
  | "InternalError";

/** `metav1.StatusCause`. */
export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

/** `metav1.Status` as a failing request returns it. */
export interface Status {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure";
  message: string;
  reason: StatusReason;
  details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[]; retryAfterSeconds?: number };
  code: number;
}

/** Base class: every API failure is one of these, with a Status body. */
export class ApiError extends Error {
  readonly status: Status;

  constructor(status: Status) {
    super(status.message);
    this.name = new.target.name;
    this.status = status;
  }

  get reason(): StatusReason {
    return this.status.reason;
  }

  get code(): number {
    return this.status.code;
  }
}

/** 404 NotFound. */
export class NotFoundError extends ApiError {}
/** 409 AlreadyExists. */
export class AlreadyExistsError extends ApiError {}
/** 422 Invalid, with one cause per field error. */
export class InvalidError extends ApiError {}
/** 409 Conflict (optimistic concurrency, preconditions, terminating namespaces). */
export class ConflictError extends ApiError {}
/** 400 BadRequest (selectors that do not parse, undecodable bodies). */
export class BadRequestError extends ApiError {}
/** 403 Forbidden (admission refusals). */
export class ForbiddenError extends ApiError {}
/** 405 MethodNotAllowed. */
export class MethodNotAllowedError extends ApiError {}
/** 401 Unauthorized (credentials no authenticator accepts). */
export class UnauthorizedError extends ApiError {}

/** `GroupResource.String()`: `pods`, `deployments.apps`. */
export function qualifiedResource(gr: GroupResource): string {
  return gr.group === "" ? gr.resource : `${gr.resource}.${gr.group}`;
}

function qualifiedKind(gk: GroupKind): string {
  return gk.group === "" ? gk.kind : `${gk.kind}.${gk.group}`;
}

function status(reason: StatusReason, code: number, message: string, details?: Status["details"]): Status {
  const s: Status = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code };
  if (details) s.details = details;
  return s;
}

/** `errors.NewNotFound`: `pods "x" not found`. */
export function notFoundError(gr: GroupResource, name: string): NotFoundError {
  const details = { name, group: gr.group, kind: gr.resource };
  return new NotFoundError(status("NotFound", 404, `${qualifiedResource(gr)} "${name}" not found`, details));
}

/**
 * `errors.NewAlreadyExists`: `pods "x" already exists`. When the existing object is still being
 * deleted, the registry prefixes `object is being deleted: ` (recreating a namespace too soon).
 */
export function alreadyExistsError(gr: GroupResource, name: string, beingDeleted = false): AlreadyExistsError {
  const details = { name, group: gr.group, kind: gr.resource };
  const msg = `${beingDeleted ? "object is being deleted: " : ""}${qualifiedResource(gr)} "${name}" already exists`;
  return new AlreadyExistsError(status("AlreadyExists", 409, msg, details));
}

/** The apiserver's 404 for a resource type it does not serve. */
export function unknownResourceError(): NotFoundError {
  return new NotFoundError(status("NotFound", 404, "the server could not find the requested resource"));
}

/** `errors.NewConflict`: `Operation cannot be fulfilled on pods "x": <reason>`. */
export function conflictError(gr: GroupResource, name: string, reason: string): ConflictError {
  const details = { name, group: gr.group, kind: gr.resource };
  const msg = `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": ${reason}`;
  return new ConflictError(status("Conflict", 409, msg, details));
}

/** The reason the storage layer gives when a resourceVersion precondition fails. */
export const OBJECT_MODIFIED = "the object has been modified; please apply your changes to the latest version and try again";

/**
 * `errors.NewInvalid`: `Deployment.apps "d" is invalid: [a, b]`, with one cause per field error
 * (causes keep duplicates; the message drops them, as upstream's aggregate does).
 */
export function invalidError(gk: GroupKind, name: string, errors: readonly FieldError[]): InvalidError {
  const causes = errors.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field }));
  const base = `${qualifiedKind(gk)} "${name}" is invalid`;
  const message = errors.length === 0 ? base : `${base}: ${aggregateMessage(errors)}`;
  return new InvalidError(status("Invalid", 422, message, { name, group: gk.group, kind: gk.kind, causes }));
}

/** `errors.NewBadRequest`. */
export function badRequestError(message: string): BadRequestError {
  return new BadRequestError(status("BadRequest", 400, message));
}

/**
 * `errors.NewForbidden`: `pods "x" is forbidden: <reason>`, optionally with typed causes;
 * `forbidden: <reason>` without a resource (a non-resource URL).
 */
export function forbiddenError(gr: GroupResource, name: string, reason: string, causes?: StatusCause[]): ForbiddenError {
  const subject = name === "" ? qualifiedResource(gr) : `${qualifiedResource(gr)} "${name}"`;
  const details = causes ? { name, group: gr.group, kind: gr.resource, causes } : { name, group: gr.group, kind: gr.resource };
  const message = gr.group === "" && gr.resource === "" ? `forbidden: ${reason}` : `${subject} is forbidden: ${reason}`;
  return new ForbiddenError(status("Forbidden", 403, message, details));
}

/** `errors.NewUnauthorized`: what the apiserver answers when no authenticator accepts the credentials. */
export function unauthorizedError(): UnauthorizedError {
  return new UnauthorizedError(status("Unauthorized", 401, "Unauthorized"));
}

/** `errors.NewMethodNotSupported`: `<action> is not supported on resources of kind "x"`. */
export function methodNotAllowedError(gr: GroupResource, action: string): MethodNotAllowedError {
  const msg = `${action} is not supported on resources of kind "${qualifiedResource(gr)}"`;
  return new MethodNotAllowedError(status("MethodNotAllowed", 405, msg, { group: gr.group, kind: gr.resource }));
}

/**
 * What kubectl prints for a server error (`cmdutil.StandardErrorMessage` + `MultilineError`),
 * without the trailing newline. Invalid errors with causes list them one per line:
 * `The Deployment "d" is invalid: \n* spec.selector: Required value\n* …`.
 */
export function kubectlErrorText(err: ApiError): string {
  const s = err.status;
  if (s.reason === "Invalid" && s.details) {
    const d = s.details;
    const head = d.kind || d.name ? `The ${d.kind ?? ""} "${d.name ?? ""}" is invalid` : "The request is invalid";
    const causes = d.causes ?? [];
    if (causes.length === 0) return head;
    // kubectl's statusCausesToAggrError drops repeated cause lines.
    const lines = [...new Set(causes.map((c) => `${c.field}: ${c.message}`))];
    if (lines.length === 1) return `${head}: ${lines[0]}`;
    return `${head}: \n${lines.map((l) => `* ${l}`).join("\n")}`;
  }
  if (s.reason === "Unauthorized") return `error: You must be logged in to the server (${s.message})`;
  return `Error from server (${s.reason}): ${s.message}`;
}
