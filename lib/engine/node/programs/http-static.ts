/**
 * The static web servers of the catalog answering requests: nginx (the official image's
 * default.conf: `root /usr/share/nginx/html`, `index index.html`) and Apache httpd (htdocs).
 * Files come from the container's own file system, so a page a learner writes is the page
 * served, with Last-Modified and ETag from its mtime and size. Errors are each server's own
 * pages (404, 403 for a directory without an index, 301 to the slashed directory, 405 for
 * POST, 400 for what is not HTTP), and every request is logged to stdout in the image's format
 * with the client address the server's socket saw (after any SNAT).
 *
 * @example
 * serveNginx({ version: "1.27.5" }, { data: "GET / HTTP/1.1\r\nHost: web\r\n\r\n", local, peer, tls: false }, ctx);
 * // reply: "HTTP/1.1 200 OK\r\nServer: nginx/1.27.5\r\n…"; log: ['10.244.1.7 - - [17/Jan/2026:09:14:02 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/7.81.0" "-"']
 */
import { byteLength, formatResponse, header, httpDate, parseRequest, splitTarget, type AppRequest, type Headers, type HttpRequest } from "../../net/app";
import type { FileSystem } from "../../shell";
import { formatIP } from "../../util/ipv4";
import { out, type LogLine, type ServeContext, type Served } from "./kit";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n: number) => String(n).padStart(2, "0");

/** Common Log Format time: `17/Jan/2026:09:14:02 +0000`. */
function clfTime(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** How nginx and httpd write bytes a log line must not carry raw: `\xHH`. */
function escapeLog(text: string): string {
  let s = "";
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    s += c < 0x20 || c > 0x7e || ch === '"' || ch === "\\" ? `\\x${c.toString(16).toUpperCase().padStart(2, "0")}` : ch;
  }
  return s;
}

/** The request line as logged: the parsed one, or the first line of what came. */
function requestLine(request: AppRequest, parsed: HttpRequest | undefined): string {
  if (parsed) return `${parsed.method} ${parsed.target} ${parsed.version}`;
  return escapeLog(request.data.split(/\r?\n/)[0]);
}

const TYPES: Record<string, string> = {
  html: "text/html", htm: "text/html", txt: "text/plain", css: "text/css", js: "application/javascript", json: "application/json",
  xml: "text/xml", png: "image/png", jpg: "image/jpeg", gif: "image/gif", svg: "image/svg+xml", ico: "image/x-icon",
};

function contentType(path: string): string | undefined {
  const ext = /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase();
  return ext ? TYPES[ext] : undefined;
}

/** What a static server decided for a request, before its own headers and pages. */
type Outcome =
  | { status: 200; path: string; body: string; mtime: number }
  | { status: 301; location: string }
  | { status: 400 | 403 | 404 | 405 };

/** nginx's `location /` with `root` and `index index.html` (httpd's DocumentRoot with DirectoryIndex behaves alike). */
function resolve(fs: FileSystem, root: string, parsed: HttpRequest | undefined, hostHeader: string | undefined, localPort: number): Outcome {
  if (!parsed || (parsed.version === "HTTP/1.1" && hostHeader === undefined)) return { status: 400 };
  const { path: raw } = splitTarget(parsed.target);
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return { status: 400 };
  }
  if (!path.startsWith("/") || path.split("/").includes("..")) return { status: 400 };
  const full = `${root}${path}`;
  if (fs.isDirectory(full)) {
    if (!path.endsWith("/")) {
      const host = (hostHeader ?? "").replace(/:\d+$/, "");
      return { status: 301, location: `http://${host}${localPort === 80 ? "" : `:${localPort}`}${path}/` };
    }
    if (!fs.isFile(`${full}index.html`)) return { status: 403 };
    return file(fs, `${full}index.html`, parsed.method);
  }
  if (!fs.isFile(full)) return { status: 404 };
  return file(fs, full, parsed.method);
}

function file(fs: FileSystem, path: string, method: string): Outcome {
  if (method !== "GET" && method !== "HEAD") return { status: 405 };
  return { status: 200, path, body: fs.readFile(path), mtime: fs.stat(path).mtime };
}

/** nginx's ETag: mtime seconds and size, in hex. */
const etag = (mtime: number, size: number) => `"${Math.floor(mtime / 1000).toString(16)}-${size.toString(16)}"`;

/** Whether the server keeps the connection open after this response. */
function keepAlive(parsed: HttpRequest | undefined): boolean {
  if (!parsed) return false;
  const connection = header(parsed.headers, "Connection")?.toLowerCase();
  return parsed.version === "HTTP/1.1" ? connection !== "close" : connection === "keep-alive";
}

/** nginx's built-in error page. */
function nginxPage(status: number, reason: string, version: string): string {
  return `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>nginx/${version}</center>\r\n</body>\r\n</html>\r\n`;
}

const NGINX_REASONS: Record<number, string> = { 301: "Moved Permanently", 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Not Allowed" };

/** What nginx needs to answer: its version (the Server header and error pages). */
export interface NginxSite {
  version: string;
}

/** nginx's answer to one request, and its access-log line (`log_format main`, to stdout). */
export function serveNginx(site: NginxSite, request: AppRequest, ctx: ServeContext): Served {
  const parsed = parseRequest(request.data);
  const host = parsed && header(parsed.headers, "Host");
  const outcome = resolve(ctx.fs, "/usr/share/nginx/html", parsed, host, request.local.port);
  const keep = keepAlive(parsed) && outcome.status !== 400;
  const headers: Headers = [["Server", `nginx/${site.version}`], ["Date", httpDate(ctx.now)]];
  let body: string;
  if (outcome.status === 200) {
    const size = byteLength(outcome.body);
    headers.push(["Content-Type", contentType(outcome.path) ?? "application/octet-stream"], ["Content-Length", String(size)], ["Last-Modified", httpDate(outcome.mtime)]);
    headers.push(["Connection", keep ? "keep-alive" : "close"], ["ETag", etag(outcome.mtime, size)], ["Accept-Ranges", "bytes"]);
    body = outcome.body;
  } else {
    const reason = NGINX_REASONS[outcome.status];
    body = nginxPage(outcome.status, reason, site.version);
    headers.push(["Content-Type", "text/html"], ["Content-Length", String(byteLength(body))]);
    if (outcome.status === 301) headers.push(["Location", outcome.location]);
    headers.push(["Connection", keep ? "keep-alive" : "close"]);
  }
  const head = parsed?.method === "HEAD";
  const sent = head ? 0 : byteLength(body);
  const reason = outcome.status === 200 ? "OK" : NGINX_REASONS[outcome.status];
  const data = formatResponse({ status: outcome.status, reason, headers, body: head ? "" : body });
  const field = (name: string) => (parsed && header(parsed.headers, name) !== undefined ? escapeLog(header(parsed.headers, name)!) : "-");
  const line = `${formatIP(request.peer.ip)} - - [${clfTime(ctx.now)}] "${requestLine(request, parsed)}" ${outcome.status} ${sent} "${field("Referer")}" "${field("User-Agent")}" "${field("X-Forwarded-For")}"`;
  return { reply: { kind: "data", data, close: !keep }, log: [out(line)] };
}

const HTTPD_PAGES: Record<number, { reason: string; text: string }> = {
  301: { reason: "Moved Permanently", text: "" },
  400: { reason: "Bad Request", text: "<p>Your browser sent a request that this server could not understand.<br />\n</p>\n" },
  403: { reason: "Forbidden", text: "<p>You don't have permission to access this resource.</p>\n" },
  404: { reason: "Not Found", text: "<p>The requested URL was not found on this server.</p>\n" },
  405: { reason: "Method Not Allowed", text: "<p>The requested method POST is not allowed for this URL.</p>\n" },
};

/** Apache's error document. */
function httpdPage(status: number, location?: string): string {
  const page = HTTPD_PAGES[status];
  const text = status === 301 ? `<p>The document has moved <a href="${location}">here</a>.</p>\n` : page.text;
  return `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>${status} ${page.reason}</title>\n</head><body>\n<h1>${page.reason === "Moved Permanently" ? "Moved Permanently" : page.reason}</h1>\n${text}</body></html>\n`;
}

/** Apache's ETag: size and mtime in microseconds, in hex. */
const httpdEtag = (mtime: number, size: number) => `"${size.toString(16)}-${(mtime * 1000).toString(16)}"`;

/** httpd's answer and its access-log line (the image's `common` format, to stdout). */
export function serveHttpd(site: { version: string }, request: AppRequest, ctx: ServeContext): Served {
  const parsed = parseRequest(request.data);
  const host = parsed && header(parsed.headers, "Host");
  const outcome = resolve(ctx.fs, "/usr/local/apache2/htdocs", parsed, host, request.local.port);
  const keep = keepAlive(parsed) && outcome.status !== 400;
  const headers: Headers = [["Date", httpDate(ctx.now)], ["Server", `Apache/${site.version} (Unix)`]];
  let body: string;
  if (outcome.status === 200) {
    const size = byteLength(outcome.body);
    headers.push(["Last-Modified", httpDate(outcome.mtime)], ["ETag", httpdEtag(outcome.mtime, size)], ["Accept-Ranges", "bytes"], ["Content-Length", String(size)]);
    if (!keep) headers.push(["Connection", "close"]);
    headers.push(["Content-Type", contentType(outcome.path) ?? "text/plain"]);
    body = outcome.body;
  } else {
    body = httpdPage(outcome.status, outcome.status === 301 ? outcome.location : undefined);
    if (outcome.status === 301) headers.push(["Location", outcome.location]);
    headers.push(["Content-Length", String(byteLength(body))]);
    if (!keep) headers.push(["Connection", "close"]);
    headers.push(["Content-Type", "text/html; charset=iso-8859-1"]);
  }
  const head = parsed?.method === "HEAD";
  const sent = head ? "-" : String(byteLength(body));
  const reason = outcome.status === 200 ? "OK" : HTTPD_PAGES[outcome.status].reason;
  const data = formatResponse({ status: outcome.status, reason, headers, body: head ? "" : body });
  const line: LogLine = out(`${formatIP(request.peer.ip)} - - [${clfTime(ctx.now)}] "${requestLine(request, parsed)}" ${outcome.status} ${sent}`);
  return { reply: { kind: "data", data, close: !keep }, log: [line] };
}
