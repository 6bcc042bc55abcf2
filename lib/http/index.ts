// Small, framework-agnostic helpers for route handlers, and the Node side of the routes the
// production server answers before Next (fast-routes.ts).
export { readJsonBody, readBodyText, parseJsonBody, fail, type BodyResult, type ParsedBody } from "./json-body";
export { assertSameOrigin, isSameOrigin, CROSS_SITE } from "./same-origin";
export { readRequestText, requestHeader, requestCookies, sendJson } from "./node";
export { registerFastRoute, dispatch as serveFastRoute, type FastHandler } from "./fast-routes";
