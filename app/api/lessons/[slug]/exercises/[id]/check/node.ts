/**
 * The Check as the production server answers it before Next (lib/http/fast-routes.ts): the same
 * answer as route.ts (both are check.ts), without Next's per-request work. A request Next would
 * treat differently (no guest cookie yet, a cookie to change) goes on to Next untouched.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { viewerWithoutCookieChanges } from "@/lib/auth";
import { CROSS_SITE, isSameOrigin, parseJsonBody, readRequestText, requestCookies, requestHeader, sendJson } from "@/lib/http";
import { answerCheck } from "./check";

export const CHECK_PATH = /^\/api\/lessons\/(?<slug>[^/]+)\/exercises\/(?<id>[^/]+)\/check$/;

export async function serveCheck(request: IncomingMessage, response: ServerResponse, params: Record<string, string>): Promise<boolean> {
  const viewer = await viewerWithoutCookieChanges(requestCookies(request));
  if (!viewer) return false;
  if (!isSameOrigin((name) => requestHeader(request, name))) {
    sendJson(response, request, 403, { error: CROSS_SITE });
    return true;
  }
  const answer = await answerCheck({
    slug: params.slug,
    id: params.id,
    learner: async () => viewer.learnerId,
    body: async (schema, maxBytes) => parseJsonBody(await readRequestText(request, maxBytes), schema, maxBytes),
  });
  sendJson(response, request, answer.status, answer.body, answer.headers);
  return true;
}
