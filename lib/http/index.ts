// Small, framework-agnostic helpers for route handlers.
export { readJsonBody, fail, type BodyResult } from "./json-body";
export { assertSameOrigin } from "./same-origin";
