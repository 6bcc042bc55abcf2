/**
 * The Go HTTP servers of the catalog answering requests: traefik/whoami (host name, the
 * namespace's addresses, the peer address its socket saw, and the request as received),
 * hashicorp/http-echo (its `-text`, with its access log on stdout), and agnhost's `netexec`
 * (`/`, `/hostname`, `/clientip`, `/echo?msg=`, `/healthz`) and `serve-hostname`. Responses are
 * laid out as Go's net/http writes them: handler headers sorted, then Date and Content-Length,
 * then the sniffed Content-Type; what is not HTTP gets Go's `400 Bad Request` and a hang-up.
 *
 * @example
 * serveWhoami({ hostname: "web-0" }, request, ctx).reply; // "HTTP/1.1 200 OK\r\nDate: …\r\n\r\nHostname: web-0\nIP: 127.0.0.1\n…"
 */
import { byteLength, formatRequest, formatResponse, header, httpDate, parseRequest, splitTarget, type AppRequest, type AppReply, type Headers, type HttpRequest } from "../../net/app";
import { formatIP } from "../../util/ipv4";
import { goLogTime, out, err, type ServeContext, type Served } from "./kit";
import { klogHeader } from "../format";

/** Go's answer to bytes that are not an HTTP request. */
const BAD_REQUEST: AppReply = { kind: "data", data: "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request", close: true };

/** `ip:port` as Go's RemoteAddr writes it. */
const remoteAddr = (r: AppRequest) => `${formatIP(r.peer.ip)}:${r.peer.port}`;

/** A response as net/http lays it out: handler headers (sorted), Date, Content-Length, then the sniffed Content-Type. */
function goResponse(req: HttpRequest, now: number, status: number, body: string, handler: Headers = []): AppReply {
  const headers: Headers = [...handler].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  headers.push(["Date", httpDate(now)], ["Content-Length", String(byteLength(body))]);
  if (!handler.some(([n]) => n === "Content-Type")) headers.push(["Content-Type", body.trimStart().startsWith("<") ? "text/html; charset=utf-8" : "text/plain; charset=utf-8"]);
  const close = header(req.headers, "Connection")?.toLowerCase() === "close" || (req.version === "HTTP/1.0" && header(req.headers, "Connection")?.toLowerCase() !== "keep-alive");
  if (close && req.version === "HTTP/1.1") headers.push(["Connection", "close"]);
  return { kind: "data", data: formatResponse({ status, headers, body: req.method === "HEAD" ? "" : body }), close };
}

/** http.NotFound. */
function notFound(req: HttpRequest, now: number): AppReply {
  return goResponse(req, now, 404, "404 page not found\n", [["Content-Type", "text/plain; charset=utf-8"], ["X-Content-Type-Options", "nosniff"]]);
}

/** textproto.CanonicalMIMEHeaderKey: net/http stores header names so (`x-request-id` → `X-Request-Id`). */
function canonicalKey(name: string): string {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) return name;
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

/** The request as Go's Request.Write puts it back on the wire (Host, User-Agent, then the rest sorted). */
function wireFormat(req: HttpRequest): string {
  const host = header(req.headers, "Host") ?? "";
  const rest = req.headers
    .filter(([n]) => !/^(host|user-agent|content-length|transfer-encoding|trailer)$/i.test(n))
    .map(([n, v]): [string, string] => [canonicalKey(n), v])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const agent = header(req.headers, "User-Agent");
  const body = req.body;
  const headers: Headers = [["Host", host], ...(agent !== undefined ? [["User-Agent", agent] as [string, string]] : []), ...(body ? [["Content-Length", String(byteLength(body))] as [string, string]] : []), ...rest];
  return formatRequest({ method: req.method, target: req.target, version: "HTTP/1.1", headers, body });
}

/** traefik/whoami: who answered, from where the request came, and the request itself. */
export function serveWhoami(site: { hostname: string }, request: AppRequest, ctx: ServeContext): Served {
  const req = parseRequest(request.data);
  if (!req) return { reply: BAD_REQUEST, log: [] };
  const lines = [`Hostname: ${site.hostname}`, ...ctx.addresses.map((a) => `IP: ${a}`), `RemoteAddr: ${remoteAddr(request)}`];
  return { reply: goResponse(req, ctx.now, 200, `${lines.join("\n")}\n${wireFormat(req)}`), log: [] };
}

/** hashicorp/http-echo's access-log line (stdout, after the Go log timestamp). */
function echoLog(req: HttpRequest, request: AppRequest, now: number, status: number, length: number): string {
  const micros = 20 + (request.peer.port % 50) + (request.peer.port % 997) / 1000;
  return `${goLogTime(now)} ${header(req.headers, "Host") ?? ""} ${remoteAddr(request)} "${req.method} ${splitTarget(req.target).path} ${req.version}" ${status} ${length} "${header(req.headers, "User-Agent") ?? ""}" ${micros.toFixed(3)}µs`;
}

/** hashicorp/http-echo: `-text` and a newline on every path but /health, with its app headers. */
export function serveHttpEcho(site: { text: string; version: string }, request: AppRequest, ctx: ServeContext): Served {
  const req = parseRequest(request.data);
  if (!req) return { reply: BAD_REQUEST, log: [] };
  const app: Headers = [["X-App-Name", "http-echo"], ["X-App-Version", site.version]];
  if (splitTarget(req.target).path === "/health") return { reply: goResponse(req, ctx.now, 200, '{"status":"ok"}\n', [...app, ["Content-Type", "application/json"]]), log: [] };
  const body = `${site.text}\n`;
  return { reply: goResponse(req, ctx.now, 200, body, app), log: [out(echoLog(req, request, ctx.now, 200, byteLength(body)))] };
}

/** Go's time.Time String() with the monotonic reading since the process started. */
function goNow(now: number, startedAt: number): string {
  const d = new Date(now);
  const two = (n: number) => String(n).padStart(2, "0");
  const frac = d.getUTCMilliseconds() ? `.${String(d.getUTCMilliseconds()).padStart(3, "0").replace(/0+$/, "")}` : "";
  const mono = ((now - startedAt) / 1000).toFixed(9);
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}${frac} +0000 UTC m=+${mono}`;
}

/** agnhost netexec's HTTP handlers, each logging `GET /path` as netexec does. */
export function serveNetexec(site: { hostname: string; startedAt: number }, request: AppRequest, ctx: ServeContext): Served {
  const req = parseRequest(request.data);
  if (!req) return { reply: BAD_REQUEST, log: [] };
  const { path, query } = splitTarget(req.target);
  const log = (text: string) => [err(`${klogHeader("I", ctx.now, 1)} log.go:245] ${text}`)];
  switch (path) {
    case "/":
      return { reply: goResponse(req, ctx.now, 200, `NOW: ${goNow(ctx.now, site.startedAt)}`), log: log("GET /") };
    case "/hostname":
      return { reply: goResponse(req, ctx.now, 200, site.hostname), log: log("GET /hostname") };
    case "/clientip":
      return { reply: goResponse(req, ctx.now, 200, remoteAddr(request)), log: log("GET /clientip") };
    case "/echo": {
      const msg = query.get("msg") ?? "";
      return { reply: goResponse(req, ctx.now, 200, msg), log: log(`GET /echo?msg=${msg}`) };
    }
    case "/healthz":
      return { reply: goResponse(req, ctx.now, 200, ""), log: [] };
    case "/shell":
    case "/upload":
    case "/exit":
    case "/redirect":
      // Running commands, storing uploads and exiting on request are not part of this lab's agnhost.
      return { reply: goResponse(req, ctx.now, 501, `netexec ${path} is not simulated in this lab\n`), log: log(`GET ${path}`) };
    default:
      return { reply: notFound(req, ctx.now), log: [] };
  }
}

/** agnhost serve-hostname: the pod's host name on every path. */
export function serveHostname(site: { hostname: string }, request: AppRequest, ctx: ServeContext): Served {
  const req = parseRequest(request.data);
  if (!req) return { reply: BAD_REQUEST, log: [] };
  return { reply: goResponse(req, ctx.now, 200, site.hostname), log: [] };
}
