/**
 * What the controller's nginx does with one request on its :80 or :443: the server by Host and
 * the location by path (route.ts), HTTP → HTTPS redirect (308) for hosts with TLS, the
 * location's allowlist (403), `rewrite-target`, then the upstream: the controller talks to a
 * ready endpoint of the Service directly (pod IP and port, not the ClusterIP: its own walk from
 * the controller pod), round robin, trying the next endpoint when one refuses (up to 3, as
 * `proxy_next_upstream_tries`). Its own answers are nginx's pages with `server_tokens off`;
 * every request is logged in ingress-nginx's `upstreaminfo` format.
 *
 * @example
 * proxyRequest({ nginx, network, stack }, { data: "GET / HTTP/1.1\r\nHost: foo.bar.com\r\n\r\n", local, peer, tls: false }, now);
 * // { reply: { kind: "data", data: "HTTP/1.1 200 OK\r\n…" }, log: ['192.168.56.1 - - [17/Jan/2026:09:14:02 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/7.81.0" 78 0.002 [default-web-80] [] 10.244.1.5:80 615 0.002 200 1c5…'] }
 */
import { byteLength, formatRequest, formatResponse, header, httpDate, parseRequest, parseResponse, reasonOf, talk, type AppReply, type AppRequest, type Headers, type HttpRequest } from "../app";
import type { NetStack } from "../kernel/stack";
import type { ClusterNetwork } from "../network";
import { fnv1a32 } from "../../util/hash";
import { formatIP, inCIDR, parseCIDR, parseIP } from "../../util/ipv4";
import type { IngressNginx } from "./controller";
import { normalizePath, route, type Route } from "./route";
import { DEFAULT_UPSTREAM } from "./types";

/** Where the proxy runs: the controller's state, and the controller pod's namespace it connects from. */
export interface ProxyPlace {
  nginx: IngressNginx;
  network: ClusterNetwork;
  stack: NetStack;
}

export interface Proxied {
  reply: AppReply;
  /** Access-log lines (the container's stdout). */
  log: string[];
}

const NEXT_UPSTREAM_TRIES = 3;
/** Request headers the proxy sets itself (the client's are dropped). */
const REPLACED = new Set(["host", "connection", "x-request-id", "x-real-ip", "x-forwarded-for", "x-forwarded-host", "x-forwarded-port", "x-forwarded-proto", "x-forwarded-scheme", "x-scheme"]);
/** Response headers nginx does not pass from an upstream (`proxy_hide_header` defaults and hop-by-hop ones). */
const HIDDEN = new Set(["server", "date", "connection", "keep-alive", "transfer-encoding", "x-pad", "x-accel-expires", "x-accel-redirect", "x-accel-limit-rate", "x-accel-buffering", "x-accel-charset"]);

const REASONS: Record<number, string> = { 308: "Permanent Redirect", 503: "Service Temporarily Unavailable", 504: "Gateway Time-out" };
const reason = (status: number) => REASONS[status] ?? reasonOf(status);

/** nginx's own error page with `server_tokens off` (no version). */
export function nginxErrorPage(status: number): string {
  return `<html>\r\n<head><title>${status} ${reason(status)}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason(status)}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n: number) => String(n).padStart(2, "0");

/** `$time_local`: `17/Jan/2026:09:14:02 +0000`. */
function timeLocal(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** `$req_id`: 32 hex digits, unique per request (derived, not random: the engine is deterministic). */
function requestId(n: number, request: AppRequest, now: number): string {
  const seed = `${n}|${request.peer.ip}:${request.peer.port}|${now}`;
  return [1, 2, 3, 4].map((i) => fnv1a32(`${i}|${seed}`).toString(16).padStart(8, "0")).join("");
}

/** What one request became, for the reply and the log. */
interface Outcome {
  status: number;
  headers: Headers;
  body: string;
  upstream: string;
  /** The upstream addresses tried, their statuses and response lengths (`-` when nginx answered itself). */
  tried: { addr: string; status: string; length: string }[];
}

function page(status: number, upstream: string, extra: Headers = []): Outcome {
  const body = nginxErrorPage(status);
  return { status, headers: [["Content-Type", "text/html"], ["Content-Length", String(byteLength(body))], ...extra], body, upstream, tried: [] };
}

function allowed(ranges: readonly string[] | undefined, ip: number): boolean {
  if (!ranges) return true;
  return ranges.some((r) => {
    const cidr = parseCIDR(r);
    return cidr !== undefined && inCIDR(ip, cidr);
  });
}

/** `rewrite <location regex> <target> break;`: `$1`…`$9` from the location's captures. */
function rewrite(target: string, r: Route): string {
  const groups = r.match ?? [];
  return target.replace(/\$(\d)/g, (_, d: string) => groups[Number(d)] ?? "");
}

/** The request nginx sends to the upstream (`proxy_set_header`s of ingress-nginx's template). */
function upstreamRequest(parsed: HttpRequest, uri: string, request: AppRequest, reqId: string, host: string): string {
  const scheme = request.tls ? "https" : "http";
  const client = formatIP(request.peer.ip);
  // use-forwarded-headers is off by default: a client's own X-Forwarded-* are replaced, not extended.
  const headers: Headers = [
    ["Host", host], ["X-Request-ID", reqId], ["X-Real-IP", client], ["X-Forwarded-For", client],
    ["X-Forwarded-Host", host], ["X-Forwarded-Port", String(request.local.port)], ["X-Forwarded-Proto", scheme], ["X-Forwarded-Scheme", scheme], ["X-Scheme", scheme],
  ];
  for (const [n, v] of parsed.headers) {
    if (!REPLACED.has(n.toLowerCase())) headers.push([n, v]);
  }
  return formatRequest({ method: parsed.method, target: uri, headers, body: parsed.body });
}

/** Connects to the upstream's endpoints in round-robin order, the next on a refusal, and relays the first answer. */
function forward(place: ProxyPlace, upstreamName: string, endpoints: readonly string[], request: string, now: number): Outcome {
  const tried: Outcome["tried"] = [];
  let timedOut = false;
  for (const addr of place.nginx.pick(upstreamName, endpoints).slice(0, NEXT_UPSTREAM_TRIES)) {
    const [ip, port] = addr.split(":");
    const t = talk(place.network, { from: place.stack, dst: parseIP(ip)!, port: Number(port), now, request, target: ip });
    const outcome = t.exchange.outcome;
    const answered = outcome.kind === "connected" && t.reply?.kind === "data" ? parseResponse(t.reply.data) : undefined;
    if (answered) {
      const headers: Headers = answered.headers.filter(([n]) => !HIDDEN.has(n.toLowerCase()));
      tried.push({ addr, status: String(answered.status), length: String(byteLength(answered.body)) });
      return { status: answered.status, headers, body: answered.body, upstream: upstreamName, tried };
    }
    timedOut ||= outcome.kind === "timeout";
    tried.push({ addr, status: timedOut ? "504" : "502", length: "0" });
  }
  const failed = page(timedOut ? 504 : 502, upstreamName);
  return { ...failed, tried };
}

/** The response nginx writes: its Date and Connection, the body's headers in nginx's order. */
function response(o: Outcome, now: number, https: boolean, close: boolean, head: boolean): string {
  const first = ["content-type", "content-length", "last-modified", "location"];
  const pick = (name: string) => o.headers.filter(([n]) => n.toLowerCase() === name);
  const headers: Headers = [["Date", httpDate(now)], ...first.flatMap(pick), ["Connection", close ? "close" : "keep-alive"], ...o.headers.filter(([n]) => !first.includes(n.toLowerCase()))];
  if (https) headers.push(["Strict-Transport-Security", "max-age=31536000; includeSubDomains"]);
  return formatResponse({ status: o.status, reason: reason(o.status), headers, body: head ? "" : o.body });
}

/** The controller's nginx answers one request. */
export function proxyRequest(place: ProxyPlace, request: AppRequest, now: number): Proxied {
  const parsed = parseRequest(request.data);
  const reqId = requestId(place.nginx.nextRequest(), request, now);
  let outcome: Outcome;
  let host = "";
  if (!parsed || (parsed.version === "HTTP/1.1" && header(parsed.headers, "Host") === undefined)) {
    outcome = page(400, "");
  } else {
    host = (header(parsed.headers, "Host") ?? "").replace(/:\d+$/, "");
    const q = parsed.target.indexOf("?");
    const rawPath = q < 0 ? parsed.target : parsed.target.slice(0, q);
    const query = q < 0 ? "" : parsed.target.slice(q);
    const r = route(place.nginx.index(), host, rawPath);
    const loc = r.location;
    const upstream = place.nginx.model().upstreams.get(loc.upstream)!;
    if (r.server.tls && loc.sslRedirect && !request.tls) {
      outcome = page(308, loc.upstream, [["Location", `https://${host}${parsed.target}`]]);
    } else if (!allowed(loc.allow, request.peer.ip)) {
      outcome = page(403, loc.upstream);
    } else if (loc.upstream === DEFAULT_UPSTREAM) {
      outcome = { ...page(404, DEFAULT_UPSTREAM), tried: [{ addr: "127.0.0.1:8181", status: "404", length: String(byteLength(nginxErrorPage(404))) }] };
    } else if (upstream.endpoints.length === 0) {
      outcome = page(503, loc.upstream);
    } else {
      const uri = loc.rewriteTarget !== undefined && r.match ? rewrite(loc.rewriteTarget, r) + query : parsed.target;
      outcome = forward(place, loc.upstream, upstream.endpoints, upstreamRequest(parsed, uri || normalizePath("/"), request, reqId, host || formatIP(request.local.ip)), now);
    }
  }
  // nginx closes the connection after a request it could not parse.
  const close = outcome.status === 400;
  const head = parsed?.method === "HEAD";
  const data = response(outcome, now, request.tls, close, head);
  const sent = head ? 0 : byteLength(outcome.body);
  const field = (name: string) => (parsed && header(parsed.headers, name) !== undefined ? header(parsed.headers, name)! : "-");
  const requestLine = parsed ? `${parsed.method} ${parsed.target} ${parsed.version}` : request.data.split(/\r?\n/)[0];
  const tried = outcome.tried;
  const join = (k: "addr" | "status" | "length") => (tried.length ? tried.map((t) => t[k]).join(", ") : "-");
  const upstreamTime = tried.length ? tried.map(() => "0.001").join(", ") : "-";
  const line = `${formatIP(request.peer.ip)} - - [${timeLocal(now)}] "${requestLine}" ${outcome.status} ${sent} "${field("Referer")}" "${field("User-Agent")}" ${byteLength(request.data)} ${tried.length ? "0.001" : "0.000"} [${outcome.upstream}] [] ${join("addr")} ${join("length")} ${upstreamTime} ${join("status")} ${reqId}`;
  return { reply: { kind: "data", data, close }, log: [line] };
}
