/**
 * What curl does with its URLs, shared by the `curl` command in a shell and by a container
 * whose PID 1 is curl: resolve the host (`--resolve`, then the machine's /etc/hosts), connect
 * through the packet walker from the caller's namespace, TLS for https, the HTTP request and
 * the server program's answer, redirects, and everything curl prints: the body, `-i`/`-I`
 * headers, `-v` trace, `-w` write-out, the progress meter when the body does not go to the
 * terminal, and its errors with their exit codes. Virtual time is the caller's to advance by
 * `elapsedMs` (a timeout takes its time).
 *
 * @example
 * const run = runCurl(["-s", "http://10.96.0.12"], { network, stack, fs, resolvePath, now, stdoutIsTerminal: true });
 * run.chunks; // [{ fd: 1, text: "<!DOCTYPE html>…" }]; run.exitCode 0; run.elapsedMs 1.4
 */
import { formatRequest, header, parseResponse, talk, type Headers, type Talk } from "../../app";
import type { NetStack } from "../../kernel/stack";
import type { ClusterNetwork } from "../../network";
import type { FileSystem } from "../../../shell";
import { formatIP, parseIP } from "../../../util/ipv4";
import { resolveHost } from "../userland";
import { curlFlavor, type CurlFlavor } from "./flavor";
import { CURL_TRY, parseCurl, type CurlOptions } from "./options";
import { opensslDate } from "../../../pki";
import { chainProblem, checkServer, hostMatch, loadTls, type TlsSetup } from "./tls";
import { progressMeter, PROGRESS_HEADER, PROGRESS_ZERO } from "./progress";
import { writeOut, type TransferInfo } from "./write-out";

export interface CurlEnv {
  network: ClusterNetwork;
  stack: NetStack;
  /** The machine's files: /etc/hosts, /etc/os-release (which curl), `-o` targets. */
  fs: FileSystem;
  resolvePath(path: string): string;
  /** Virtual epoch ms curl starts at. */
  now: number;
  stdoutIsTerminal: boolean;
}

export interface CurlRun {
  chunks: { fd: 1 | 2; text: string }[];
  exitCode: number;
  elapsedMs: number;
}

/** Linux gives up a connect() whose SYNs go unanswered after 6 retries: 1+2+4+8+16+32+64 s. */
const SYN_GIVE_UP_MS = 127_000;
const MAX_REDIRECTS = 50;

const SSL_HELP = `More details here: https://curl.se/docs/sslcerts.html

curl failed to verify the legitimacy of the server and therefore could not
establish a secure connection to it. To learn more about this situation and
how to fix it, please visit the web page mentioned above.
`;

interface Url {
  scheme: "http" | "https";
  host: string;
  port: number;
  path: string;
  text: string;
}

function parseUrl(text: string): Url | { error: number; message: string } {
  const m = /^(?:([a-zA-Z][\w+.-]*):\/\/)?([^/?#:]*)(?::(\d*))?([/?][^#]*)?/.exec(text);
  const scheme = (m?.[1] ?? "http").toLowerCase();
  if (scheme !== "http" && scheme !== "https") return { error: 1, message: `Protocol "${scheme}" not supported or disabled in libcurl` };
  if (!m || !m[2]) return { error: 3, message: "URL using bad/illegal format or missing URL" };
  const port = m[3] ? Number(m[3]) : scheme === "https" ? 443 : 80;
  if (port > 65535) return { error: 3, message: "URL using bad/illegal format or missing URL" };
  let path = m[4] ?? "/";
  if (path.startsWith("?")) path = `/${path}`;
  return { scheme, host: m[2].toLowerCase(), port, path, text: m[1] ? text : `http://${text}` };
}

/** Output collected in the order curl writes it. */
class Out {
  readonly chunks: { fd: 1 | 2; text: string }[] = [];
  out(text: string): void {
    if (text) this.chunks.push({ fd: 1, text });
  }
  err(text: string): void {
    if (text) this.chunks.push({ fd: 2, text });
  }
}

/** One transfer's state as curl's error paths need it. */
interface Failure {
  code: number;
  message: string;
}

export function runCurl(argv: readonly string[], env: CurlEnv): CurlRun {
  const o = new Out();
  const parsed = parseCurl(argv);
  const flavor = curlFlavor(env.fs);
  if ("error" in parsed) {
    o.err(parsed.error);
    return { chunks: o.chunks, exitCode: 2, elapsedMs: 0 };
  }
  const opts = parsed.ok;
  if (opts.version) {
    o.out(flavor.versionText);
    return { chunks: o.chunks, exitCode: 0, elapsedMs: 0 };
  }
  if (opts.help) {
    o.out(`Usage: curl [options...] <url>\n -d, --data <data>          HTTP POST data\n -f, --fail                 Fail silently (no output at all) on HTTP errors\n -h, --help <category>      Get help for commands\n -i, --include              Include protocol response headers in the output\n -o, --output <file>        Write to file instead of stdout\n -O, --remote-name          Write output to a file named as the remote file\n -s, --silent               Silent mode\n -T, --upload-file <file>   Transfer local FILE to destination\n -u, --user <user:password> Server user and password\n -A, --user-agent <name>    Send User-Agent <name> to server\n -v, --verbose              Make the operation more talkative\n -V, --version              Show version number and quit\n\nThis is not the full help, this menu is stripped into categories.\nUse "--help category" to get an overview of all categories.\nFor all options use the manual or "--help all".\n`);
    return { chunks: o.chunks, exitCode: 0, elapsedMs: 0 };
  }
  if (opts.urls.length === 0) {
    o.err(`curl: no URL specified!\n${CURL_TRY}\n`);
    return { chunks: o.chunks, exitCode: 2, elapsedMs: 0 };
  }
  let now = env.now;
  let exitCode = 0;
  opts.urls.forEach((text, index) => {
    const started = now;
    const result = transfer(o, env, opts, flavor, text, now, index === 0 ? opts.output : undefined);
    now += result.elapsedMs;
    if (result.failure) {
      exitCode = result.failure.code;
      if (!opts.silent || opts.showError) o.err(`curl: (${result.failure.code}) ${result.failure.message}\n${result.failure.code === 60 ? SSL_HELP : ""}`);
    }
    if (opts.writeOut !== undefined) {
      const w = writeOut(opts.writeOut, { ...result.info, exitcode: result.failure?.code ?? 0, errormsg: result.failure?.message ?? "", totalMs: now - started });
      o.err(w.warnings);
      o.out(w.text);
    }
  });
  return { chunks: o.chunks, exitCode, elapsedMs: now - env.now };
}

interface TransferResult {
  failure?: Failure;
  elapsedMs: number;
  info: Omit<TransferInfo, "exitcode" | "errormsg" | "totalMs">;
}

/** One URL, following redirects with -L. */
function transfer(o: Out, env: CurlEnv, opts: CurlOptions, flavor: CurlFlavor, text: string, start: number, output: string | undefined): TransferResult {
  const v = (line: string) => opts.verbose && o.err(`${line}\n`);
  const toStdout = output === undefined;
  const meter = !opts.silent && !opts.verbose && !(toStdout && env.stdoutIsTerminal);
  if (meter) o.err(PROGRESS_HEADER + PROGRESS_ZERO);
  const endMeter = (bytes: number, size: number | undefined, ms: number) => meter && o.err(progressMeter(bytes, size, ms));
  let now = start;
  let target = text;
  const info: TransferResult["info"] = { httpCode: 0, remoteIp: "", remotePort: 0, localIp: "", localPort: 0, connectMs: 0, sizeDownload: 0, urlEffective: text, contentType: "", redirects: 0, scheme: "HTTP" };
  const fail = (code: number, message: string, bytes = 0): TransferResult => {
    v(`* ${message}`);
    v("* Closing connection 0");
    endMeter(bytes, undefined, now - start);
    return { failure: { code, message }, elapsedMs: now - start, info };
  };
  for (let hop = 0; ; hop++) {
    const url = parseUrl(target);
    if ("error" in url) return fail(url.error, url.message);
    info.urlEffective = url.text;
    info.scheme = url.scheme.toUpperCase();
    // Name resolution: --resolve entries first, then the machine's resolver (/etc/hosts; DNS is issue 7).
    const pinned = opts.resolve.find((r) => r.host.toLowerCase() === url.host && r.port === url.port);
    if (pinned && hop === 0) {
      for (const r of opts.resolve) v(`* Added ${r.host}:${r.port}:${r.address} to DNS cache`);
    }
    if (pinned) v(`* Hostname ${url.host} was found in DNS cache`);
    const ip = pinned ? parseIP(pinned.address) : resolveHost(env, url.host);
    if (ip === undefined) return fail(6, `Could not resolve host: ${url.host}`);
    const address = formatIP(ip);
    const bound = bindInterface(env.stack, opts.iface);
    if (typeof bound === "string") return fail(45, bound);
    v(`*   Trying ${address}:${url.port}...`);
    const request = buildRequest(opts, flavor, url);
    // The CA store and client certificate are loaded once connected, before the ClientHello:
    // if that fails, the connection closes having sent nothing.
    const setup = url.scheme === "https" ? loadTls(opts, env.fs, env.resolvePath, flavor) : undefined;
    const handshake = setup && "caFile" in setup ? setup : undefined;
    const tls = handshake && {
      verify: opts.insecure ? false : checkServer(handshake, url.host, now),
      ...(parseIP(url.host) === undefined ? { serverName: url.host } : {}),
      ...(handshake.clientCertificate ? { clientCertificate: handshake.clientCertificate } : {}),
    };
    const t = talk(env.network, { from: env.stack, dst: ip, port: url.port, now, src: bound, request: setup && !handshake ? "" : request, tls, target: url.host });
    const ex = t.exchange;
    Object.assign(info, { remoteIp: address, remotePort: url.port, localIp: ex.client.ip ? formatIP(ex.client.ip) : "", localPort: ex.client.port });
    const connectLimit = Math.min(opts.connectTimeoutMs ?? Infinity, opts.maxTimeMs ?? Infinity);
    const o2 = ex.outcome;
    if (o2.kind !== "connected") {
      if (o2.kind === "timeout" || (o2.kind === "unreachable" && ex.elapsedMs > connectLimit)) {
        if (connectLimit < SYN_GIVE_UP_MS) {
          now += connectLimit + 1;
          return fail(28, `Connection timed out after ${connectLimit + 1} milliseconds`);
        }
        now += SYN_GIVE_UP_MS + ex.elapsedMs;
        return failConnect(fail, flavor, url, "Connection timed out", now - start, 28);
      }
      now += Math.max(ex.elapsedMs, ex.rttMs);
      const errno = o2.kind === "refused" ? "Connection refused" : o2.kind === "unreachable" ? (o2.reason === "net" ? "Network is unreachable" : "No route to host") : errnoText(o2.kind === "error" ? o2.errno : "");
      v(`* connect to ${address} port ${url.port} failed: ${errno}`);
      return failConnect(fail, flavor, url, errno, now - start, 7);
    }
    info.connectMs = (now - start) + ex.rttMs;
    v(`* Connected to ${url.host} (${address}) port ${url.port}${flavor.modern ? "" : " (#0)"}`);
    if (setup && !("caFile" in setup)) {
      now += ex.elapsedMs;
      return fail(setup.code, setup.message);
    }
    if (handshake) {
      const tls = tlsTrace(t, opts, flavor, handshake, url.host, now);
      for (const line of tls.lines) v(line);
      if (tls.failure) {
        now += ex.elapsedMs;
        return fail(tls.failure.code, tls.failure.message);
      }
    }
    if (flavor.modern) v("* using HTTP/1.x");
    if (opts.verbose) o.err(request.split("\r\n\r\n")[0].split("\r\n").map((l) => `> ${l}\n`).join("") + "> \n");
    if (flavor.modern) v("* Request completely sent off");
    const reply = t.reply ?? { kind: "silent" as const };
    if (reply.kind === "silent") {
      if (opts.maxTimeMs === undefined) {
        now += ex.elapsedMs;
        return { failure: { code: 28, message: "the server accepted the connection and never answers; this terminal has no Ctrl-C, so give curl an end with --max-time SECONDS" }, elapsedMs: now - start, info };
      }
      now = start + opts.maxTimeMs + 1;
      return fail(28, `Operation timed out after ${opts.maxTimeMs + 1} milliseconds with 0 bytes received`);
    }
    now += ex.elapsedMs;
    if (reply.kind === "close") return fail(52, "Empty reply from server");
    if (reply.kind === "reset") return fail(56, "Recv failure: Connection reset by peer");
    const response = parseResponse(reply.data);
    if (!response) return fail(1, "Received HTTP/0.9 when not allowed");
    info.httpCode = response.status;
    info.contentType = header(response.headers, "Content-Type") ?? "";
    if (opts.dumpHeader !== undefined) {
      const failed = dumpHeaders(o, env, opts.dumpHeader, response.head, hop > 0);
      if (failed) return fail(23, failed);
    }
    if (opts.verbose) o.err(response.head.split("\r\n").slice(0, -1).map((l) => `< ${l}\n`).join(""));
    const location = header(response.headers, "Location");
    if (opts.location && location && response.status >= 300 && response.status < 400) {
      if (hop + 1 > MAX_REDIRECTS) return fail(47, `Maximum (${MAX_REDIRECTS}) redirects followed`);
      v("* Ignoring the response-body");
      if (opts.verbose && !(toStdout && env.stdoutIsTerminal)) o.err(`{ [${response.body.length} bytes data]\n`);
      v(`* Connection #0 to host ${url.host} left intact`);
      if (opts.include) writeBody(o, env, output, response.head);
      target = absolute(location, url);
      v(`* Issue another request to this URL: '${target}'`);
      info.redirects++;
      continue;
    }
    if (opts.fail && response.status >= 400) return fail(22, `The requested URL returned error: ${response.status}`);
    const shown = opts.head ? response.head : opts.include ? response.head + response.body : response.body;
    info.sizeDownload = opts.head ? 0 : response.body.length;
    // curl notes the body's bytes in the trace unless the body itself goes to the terminal.
    if (opts.verbose && !(toStdout && env.stdoutIsTerminal) && response.body) o.err(`{ [${response.body.length} bytes data]\n`);
    const written = writeBody(o, env, output, shown);
    if (written) return fail(23, written);
    const length = Number(header(response.headers, "Content-Length") ?? response.body.length);
    v(reply.close ? "* Closing connection 0" : `* Connection #0 to host ${url.host} left intact`);
    endMeter(info.sizeDownload, opts.head ? undefined : length, now - start);
    return { elapsedMs: now - start, info };
  }
}

/** `Failed to connect to HOST port N after T ms: …`, as this curl words it. */
function failConnect(fail: (code: number, message: string) => TransferResult, flavor: CurlFlavor, url: Url, errno: string, ms: number, code: number): TransferResult {
  return fail(code, `Failed to connect to ${url.host} port ${url.port} after ${Math.floor(ms)} ms: ${flavor.connectFailure(errno)}`);
}

function errnoText(errno: string): string {
  switch (errno) {
    case "ENETUNREACH":
      return "Network is unreachable";
    case "EHOSTUNREACH":
      return "No route to host";
    case "EACCES":
      return "Permission denied";
    case "EPERM":
      return "Operation not permitted";
    default:
      return "Invalid argument";
  }
}

/** `--interface`: a device's first address, or an address of this namespace. */
function bindInterface(stack: NetStack, iface: string | undefined): number | undefined | string {
  if (iface === undefined) return undefined;
  const literal = parseIP(iface);
  if (literal !== undefined) return stack.isLocal(literal) ? literal : `Couldn't bind to '${iface}'`;
  const link = stack.link(iface);
  const address = link?.addrs.find((a) => a.scope !== "host")?.ip ?? link?.addrs[0]?.ip;
  return address ?? `Couldn't bind to '${iface}'`;
}

/** The request curl sends: its three headers, then -A/-H/-d as given (an empty `-H 'X:'` removes one). */
function buildRequest(opts: CurlOptions, flavor: CurlFlavor, url: Url): string {
  const defaultPort = url.scheme === "https" ? 443 : 80;
  const headers: Headers = [["Host", url.port === defaultPort ? url.host : `${url.host}:${url.port}`], ["User-Agent", opts.userAgent ?? `curl/${flavor.version}`], ["Accept", "*/*"]];
  if (opts.data !== undefined) headers.push(["Content-Length", String(opts.data.length)], ["Content-Type", "application/x-www-form-urlencoded"]);
  for (const h of opts.headers) {
    const colon = h.indexOf(":");
    if (colon <= 0) continue;
    const name = h.slice(0, colon).trim();
    const value = h.slice(colon + 1).trim();
    const at = headers.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
    if (at >= 0 && value === "") headers.splice(at, 1);
    else if (at >= 0) headers[at] = [name, value];
    else if (value !== "") headers.push([name, value]);
  }
  const method = opts.method ?? (opts.head ? "HEAD" : opts.data !== undefined ? "POST" : "GET");
  return formatRequest({ method, target: url.path, headers, body: opts.data ?? "" });
}

/** A Location made absolute against the URL it came from. */
function absolute(location: string, from: Url): string {
  if (/^[a-zA-Z][\w+.-]*:\/\//.test(location)) return location;
  const origin = `${from.scheme}://${from.host}${from.port === (from.scheme === "https" ? 443 : 80) ? "" : `:${from.port}`}`;
  if (location.startsWith("/")) return origin + location;
  return origin + from.path.replace(/[^/]*$/, "") + location;
}

/** The body to stdout, or to `-o FILE`; a message when the file cannot be written. */
function writeBody(o: Out, env: CurlEnv, output: string | undefined, text: string): string | undefined {
  if (output === undefined || output === "-") {
    o.out(text);
    return undefined;
  }
  if (output === "/dev/null") return undefined;
  const path = env.resolvePath(output);
  try {
    env.fs.writeFile(path, text);
    return undefined;
  } catch (error) {
    const why = error instanceof Error && /directory/i.test(error.message) ? "No such file or directory" : "Permission denied";
    o.err(`Warning: Failed to create the file ${output}: ${why}\n`);
    return "Failure writing output to destination";
  }
}

/** `-D FILE`: each response's headers, the first replacing the file, the next (redirects) appended. */
function dumpHeaders(o: Out, env: CurlEnv, file: string, head: string, append: boolean): string | undefined {
  if (!append || file === "-" || file === "/dev/null") return writeBody(o, env, file, head);
  try {
    env.fs.appendFile(env.resolvePath(file), head);
    return undefined;
  } catch {
    return "Failure writing output to destination";
  }
}

/** What -v shows of the TLS handshake, and how it failed (OpenSSL's and curl's words). */
function tlsTrace(t: Talk, opts: CurlOptions, flavor: CurlFlavor, setup: TlsSetup, host: string, now: number): { lines: string[]; failure?: Failure } {
  const lines = ["* ALPN, offering http/1.1", `*  CAfile: ${setup.caFile}`, "*  CApath: /etc/ssl/certs", "* TLSv1.3 (OUT), TLS handshake, Client hello (1):"];
  if (t.tlsFailure === "not-tls") return { lines, failure: { code: 35, message: `${flavor.sslPrefix}error:0A00010B:SSL routines::wrong version number` } };
  const cert = t.certificate;
  lines.push("* TLSv1.3 (IN), TLS handshake, Server hello (2):", "* TLSv1.3 (IN), TLS handshake, Encrypted Extensions (8):", "* TLSv1.3 (IN), TLS handshake, Certificate (11):");
  const problem = cert && chainProblem(cert, setup, now);
  if (t.rejected && problem) {
    lines.push(`* TLSv1.3 (OUT), TLS alert, ${problem[0] === 10 ? "certificate expired (557)" : "unknown CA (560)"}:`);
    return { lines, failure: t.rejected };
  }
  lines.push("* TLSv1.3 (IN), TLS handshake, CERT verify (15):", "* TLSv1.3 (IN), TLS handshake, Finished (20):", "* TLSv1.3 (OUT), TLS change cipher, Change cipher spec (1):", "* TLSv1.3 (OUT), TLS handshake, Finished (20):");
  lines.push("* SSL connection using TLSv1.3 / TLS_AES_128_GCM_SHA256", "* ALPN, server accepted to use http/1.1", "* Server certificate:", `*  subject: ${cert?.subject ?? ""}`);
  const leaf = cert?.chain?.[0];
  if (leaf) lines.push(`*  start date: ${opensslDate(leaf.notBefore)}`, `*  expire date: ${opensslDate(leaf.notAfter)}`);
  if (t.rejected) {
    lines.push(`*  subjectAltName does not match ${host}`);
    return { lines, failure: t.rejected };
  }
  const matched = cert && !opts.insecure ? hostMatch(cert, host) : undefined;
  if (matched) lines.push(`*  subjectAltName: ${matched}`);
  lines.push(`*  issuer: ${cert?.issuer ?? ""}`);
  lines.push(problem && opts.insecure ? `*  SSL certificate verify result: ${problem[1]} (${problem[0]}), continuing anyway.` : "*  SSL certificate verify ok.");
  return { lines };
}

