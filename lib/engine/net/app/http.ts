/**
 * HTTP/1.x messages as bytes on a connection: servers parse the request and write a response,
 * clients write the request and parse the response. Text only (bodies here are text), CRLF line
 * ends, header names as sent.
 *
 * @example
 * parseRequest("GET /x HTTP/1.1\r\nHost: web\r\n\r\n");  // { method: "GET", target: "/x", version: "HTTP/1.1", headers: [["Host", "web"]], body: "" }
 * formatResponse({ status: 404, headers: [["Server", "nginx/1.27.5"]], body: "" }); // "HTTP/1.1 404 Not Found\r\nServer: …"
 * parseResponse(bytes)?.status;                           // 200
 */

export type Headers = [string, string][];

export interface HttpRequest {
  method: string;
  target: string;
  version: string;
  headers: Headers;
  body: string;
}

export interface HttpResponse {
  version: string;
  status: number;
  reason: string;
  headers: Headers;
  /** The status line and headers as received, each line with its CRLF, and the blank line. */
  head: string;
  body: string;
}

const REASONS: Record<number, string> = {
  200: "OK", 201: "Created", 204: "No Content", 301: "Moved Permanently", 302: "Found", 304: "Not Modified",
  400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Not Allowed", 500: "Internal Server Error",
  502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
};

/** The reason phrase servers send with a status. */
export function reasonOf(status: number): string {
  return REASONS[status] ?? "Unknown";
}

/** A header's value (names are case-insensitive), the first if repeated. */
export function header(headers: Headers, name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

/** An RFC 9110 IMF-fixdate: `Sat, 17 Jan 2026 09:14:02 GMT`. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/** A request as a server reads it; undefined when the bytes are not an HTTP/1.x request. */
export function parseRequest(data: string): HttpRequest | undefined {
  const end = data.indexOf("\r\n\r\n");
  const head = end < 0 ? data : data.slice(0, end);
  const [line, ...rest] = head.split("\r\n");
  const m = /^([A-Z]+) (\S+) (HTTP\/1\.[01])$/.exec(line ?? "");
  if (!m) return undefined;
  const headers: Headers = [];
  for (const h of rest) {
    const colon = h.indexOf(":");
    if (colon > 0) headers.push([h.slice(0, colon), h.slice(colon + 1).trim()]);
  }
  return { method: m[1], target: m[2], version: m[3], headers, body: end < 0 ? "" : data.slice(end + 4) };
}

/** A request as a client writes it. */
export function formatRequest(r: Omit<HttpRequest, "version"> & { version?: string }): string {
  return `${r.method} ${r.target} ${r.version ?? "HTTP/1.1"}\r\n${r.headers.map(([n, v]) => `${n}: ${v}\r\n`).join("")}\r\n${r.body}`;
}

/** A response as a server writes it (the reason phrase from the status unless given). */
export function formatResponse(r: { version?: string; status: number; reason?: string; headers: Headers; body: string }): string {
  return `${r.version ?? "HTTP/1.1"} ${r.status} ${r.reason ?? reasonOf(r.status)}\r\n${r.headers.map(([n, v]) => `${n}: ${v}\r\n`).join("")}\r\n${r.body}`;
}

/** A response as a client reads it; undefined when the bytes do not start with an HTTP/1.x status line (HTTP/0.9). */
export function parseResponse(data: string): HttpResponse | undefined {
  const m = /^(HTTP\/1\.[01]) (\d{3})(?: ([^\r\n]*))?\r\n/.exec(data);
  if (!m) return undefined;
  const end = data.indexOf("\r\n\r\n");
  const headEnd = end < 0 ? data.length : end + 4;
  const head = data.slice(0, headEnd);
  const headers: Headers = [];
  for (const h of head.split("\r\n").slice(1)) {
    const colon = h.indexOf(":");
    if (colon > 0) headers.push([h.slice(0, colon), h.slice(colon + 1).trim()]);
  }
  return { version: m[1], status: Number(m[2]), reason: m[3] ?? "", headers, head, body: data.slice(headEnd) };
}

/** The path and query parameters of a request target (`/echo?msg=hi` → `/echo`, { msg: "hi" }). */
export function splitTarget(target: string): { path: string; query: Map<string, string> } {
  const q = target.indexOf("?");
  const query = new Map<string, string>();
  if (q < 0) return { path: target, query };
  for (const pair of target.slice(q + 1).split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, " "));
      } catch {
        return s;
      }
    };
    if (!query.has(decode(eq < 0 ? pair : pair.slice(0, eq)))) query.set(decode(eq < 0 ? pair : pair.slice(0, eq)), decode(eq < 0 ? "" : pair.slice(eq + 1)));
  }
  return { path: target.slice(0, q), query };
}

/** The UTF-8 length of a text (what Content-Length counts). */
export function byteLength(text: string): number {
  let n = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}
