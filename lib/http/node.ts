/**
 * Node's request and response, for the few handlers the production server runs before Next
 * (see fast-routes.ts): the same limits and answers as the route handlers' Web helpers.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { parseCookie } from "cookie";

/** The request body as text, or null once it is larger than `maxBytes` (the rest is not read). */
export async function readRequestText(request: IncomingMessage, maxBytes: number): Promise<string | null> {
  if (Number(request.headers["content-length"] ?? "0") > maxBytes) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > maxBytes) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString("utf8");
}

/** The value of header `name` (lower case), the first if it came more than once. */
export function requestHeader(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The request's cookies by name. */
export function requestCookies(request: IncomingMessage): Record<string, string | undefined> {
  const header = request.headers.cookie;
  return header ? parseCookie(header) : {};
}

/**
 * Answers JSON, as `Response.json` would. A body left unread (a refusal before it was read) would
 * be taken for the next request on the connection, so such a connection is closed.
 */
export function sendJson(response: ServerResponse, request: IncomingMessage, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  const close = !request.readableEnded && !request.complete;
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers, ...(close ? { connection: "close" } : {}) });
  response.end(text);
}
