/**
 * `wget`: busybox's applet in busybox and Alpine images (`wget -qO- URL`, `-T SEC`, `-S`,
 * `--spider`, `-O FILE`, `-U AGENT`), GNU Wget 1.21.2 on the Ubuntu nodes and the client. The
 * request goes through the packet walker like curl's (net/app's talk), so servers log the
 * client address they really saw; messages and exit codes are each implementation's own.
 *
 * @example
 * wget -qO- http://10.96.0.12      # the page
 * wget -T 2 http://10.96.0.12:81   # wget: can't connect to remote host (10.96.0.12): Connection refused
 */
import type { Command, CommandContext, CommandResult } from "../../shell";
import { formatIP } from "../../util/ipv4";
import { formatRequest, header, parseResponse, talk, type Talk } from "../app";
import { currentNet } from "./context";
import { resolveHost, userland } from "./userland";

interface Options {
  quiet: boolean;
  output?: string;
  timeoutMs?: number;
  serverResponse: boolean;
  spider: boolean;
  userAgent?: string;
  url?: string;
}

const BUSYBOX_USAGE = `BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.

Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]
\t[--post-data STR | --post-file FILE] [-Y on/off]
\t[--no-check-certificate] [-P DIR] [-U AGENT] [-T SEC] URL...

Retrieve files via HTTP or FTP

\t--spider\tOnly check URL existence: $? is 0 if exists
\t--header STR\tAdd STR (of form 'header: value') to headers
\t--post-data STR\tSend STR using POST method
\t--post-file FILE\tSend FILE using POST method
\t--no-check-certificate\tDon't validate the server's certificate
\t-c\t\tContinue retrieval of aborted transfer
\t-q\t\tQuiet
\t-P DIR\t\tSave to DIR (default .)
\t-S    \t\tShow server response
\t-T SEC\t\tNetwork read timeout is SEC seconds
\t-O FILE\t\tSave to FILE ('-' for stdout)
\t-o LOGFILE\tLog messages to FILE
\t-U STR\t\tUse STR for User-Agent header
\t-Y on/off\tUse proxy
`;

function parse(argv: readonly string[], busybox: boolean): Options | { error: CommandResult } {
  const opts: Options = { quiet: false, serverResponse: false, spider: false };
  const usage = (why: string): { error: CommandResult } => ({ error: { stdout: "", stderr: busybox ? `${why}${BUSYBOX_USAGE}` : `${why}Usage: wget [OPTION]... [URL]...\n\nTry \`wget --help' for more options.\n`, exitCode: busybox ? 1 : 2 } });
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === "--spider") opts.spider = true;
    else if (word === "--quiet") opts.quiet = true;
    else if (word.startsWith("--timeout=")) opts.timeoutMs = Number(word.slice(10)) * 1000;
    else if (word.startsWith("--output-document=")) opts.output = word.slice(18);
    else if (word === "--server-response") opts.serverResponse = true;
    else if (word.startsWith("--user-agent=")) opts.userAgent = word.slice(13);
    else if (word.startsWith("--")) return usage(`wget: unrecognized option '${word}'\n`);
    else if (word.startsWith("-") && word.length > 1) {
      for (let j = 1; j < word.length; j++) {
        const flag = word[j];
        if (flag === "q") opts.quiet = true;
        else if (flag === "S") opts.serverResponse = true;
        else if ("OTU".includes(flag)) {
          const value = word.slice(j + 1) || argv[++i];
          if (value === undefined) return usage(`wget: option requires an argument -- '${flag}'\n`);
          if (flag === "O") opts.output = value;
          else if (flag === "U") opts.userAgent = value;
          else {
            if (!/^\d+(\.\d+)?$/.test(value)) return { error: { stdout: "", stderr: `wget: invalid number '${value}'\n`, exitCode: 1 } };
            opts.timeoutMs = Number(value) * 1000;
          }
          break;
        } else return usage(`wget: invalid option -- '${flag}'\n`);
      }
    } else opts.url = word;
  }
  if (!opts.url) return busybox ? usage("") : { error: { stdout: "", stderr: "wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n", exitCode: 1 } };
  return opts;
}

/** Linux gives up unanswered SYNs after 127 s; busybox's default read timeout is 900 s. */
const SYN_GIVE_UP_MS = 127_000;

function splitUrl(url: string): { host: string; port: number; path: string; https: boolean } | undefined {
  const m = /^(?:(https?):\/\/)?([^/:?#]+)(?::(\d+))?([/?][^#]*)?$/i.exec(url);
  if (!m) return undefined;
  const https = m[1]?.toLowerCase() === "https";
  return { host: m[2], port: m[3] ? Number(m[3]) : https ? 443 : 80, path: m[4]?.startsWith("?") ? `/${m[4]}` : (m[4] ?? "/"), https };
}

/** The file name wget saves to: the URL path's last part, `index.html` for a directory. */
const savedName = (path: string) => path.replace(/\?.*$/, "").split("/").pop() || "index.html";

export const wgetCommand: Command = {
  name: "wget",
  summary: "the non-interactive network downloader",
  usage: "wget [OPTION]... [URL]...",
  spec: { flags: [], raw: true },
  run(args, ctx) {
    const busybox = userland(ctx) === "busybox";
    const opts = parse(args.argv, busybox);
    if ("error" in opts) return opts.error;
    const here = currentNet(ctx);
    if (!here) return { stdout: "", stderr: "wget: socket: Operation not permitted\n", exitCode: 1 };
    const url = splitUrl(opts.url!);
    if (!url) return { stdout: "", stderr: busybox ? `wget: bad address '${opts.url}'\n` : `${opts.url}: Invalid URL\n`, exitCode: 1 };
    const ip = resolveHost(ctx, url.host);
    const start = ctx.clock.now();
    if (ip === undefined) {
      return busybox ? { stdout: "", stderr: `wget: bad address '${url.host}'\n`, exitCode: 1 } : { stdout: "", stderr: `--${gnuTime(start)}--  http://${url.host}${url.path}\nResolving ${url.host} (${url.host})... failed: Name or service not known.\nwget: unable to resolve host address ‘${url.host}’\n`, exitCode: 4 };
    }
    const agent = opts.userAgent ?? (busybox ? "Wget" : "Wget/1.21.2");
    const hostHeader = url.port === (url.https ? 443 : 80) ? url.host : `${url.host}:${url.port}`;
    const method = opts.spider && !busybox ? "HEAD" : "GET";
    const headers: [string, string][] = busybox
      ? [["Host", hostHeader], ["User-Agent", agent], ["Connection", "close"]]
      : [["User-Agent", agent], ["Accept", "*/*"], ["Accept-Encoding", "identity"], ["Host", hostHeader], ["Connection", "Keep-Alive"]];
    const request = formatRequest({ method, target: url.path, headers, body: "" });
    const t = talk(here.network, { from: here.stack, dst: ip, port: url.port, now: start, request, tls: url.https ? { verify: true } : undefined, target: url.host });
    return busybox ? busyboxResult(ctx, opts, url, ip, t) : gnuResult(ctx, opts, url, ip, t, start);
  },
};

function busyboxResult(ctx: CommandContext, opts: Options, url: { host: string; port: number; path: string }, ip: number, t: Talk): CommandResult {
  let err = opts.quiet ? "" : `Connecting to ${url.host} (${formatIP(ip)}:${url.port})\n`;
  const fail = (text: string, ms: number): CommandResult => {
    ctx.clock.advance(Math.ceil(ms));
    return { stdout: "", stderr: `${err}wget: ${text}\n`, exitCode: 1 };
  };
  const ex = t.exchange;
  const o = ex.outcome;
  if (o.kind === "timeout") {
    const limit = opts.timeoutMs ?? 900_000;
    return limit < SYN_GIVE_UP_MS ? fail("download timed out", limit) : fail(`can't connect to remote host (${formatIP(ip)}): Connection timed out`, SYN_GIVE_UP_MS);
  }
  // -T is an alarm over the whole download: a connect that fails later than that times out first (ARP's 3 s to EHOSTUNREACH).
  if (opts.timeoutMs !== undefined && ex.elapsedMs > opts.timeoutMs) return fail("download timed out", opts.timeoutMs);
  if (o.kind === "refused") return fail(`can't connect to remote host (${formatIP(ip)}): Connection refused`, ex.elapsedMs);
  if (o.kind === "unreachable" || o.kind === "error") return fail(`can't connect to remote host (${formatIP(ip)}): ${o.kind === "unreachable" && o.reason === "net" ? "Network is unreachable" : "No route to host"}`, ex.elapsedMs);
  if (t.tlsFailure) return fail("TLS error from peer (alert code 48): unknown CA", ex.elapsedMs);
  const reply = t.reply ?? { kind: "silent" as const };
  if (reply.kind === "silent") return fail("download timed out", opts.timeoutMs ?? 900_000);
  if (reply.kind !== "data") return fail("error getting response: Connection reset by peer", ex.elapsedMs);
  const response = parseResponse(reply.data);
  if (!response) return fail("server returned error: ", ex.elapsedMs);
  ctx.clock.advance(Math.ceil(ex.elapsedMs));
  if (opts.serverResponse) err += response.head.split("\r\n").filter(Boolean).map((l) => `  ${l}\n`).join("");
  if (response.status >= 400) return { stdout: "", stderr: `${err}wget: server returned error: ${response.version} ${response.status} ${response.reason}\n`, exitCode: 1 };
  if (opts.spider) return { stdout: "", stderr: opts.quiet ? err : `${err}remote file exists\n`, exitCode: 0 };
  const toStdout = opts.output === "-";
  const name = opts.output ?? savedName(url.path);
  if (!toStdout) {
    if (ctx.fs.exists(ctx.resolve(name)) && opts.output === undefined) return { stdout: "", stderr: `${err}wget: can't open '${name}': File exists\n`, exitCode: 1 };
    try {
      ctx.fs.writeFile(ctx.resolve(name), response.body);
    } catch {
      return { stdout: "", stderr: `${err}wget: can't open '${name}': No such file or directory\n`, exitCode: 1 };
    }
  }
  if (opts.quiet) return { stdout: toStdout ? response.body : "", stderr: err, exitCode: 0 };
  const size = response.body.length;
  const bar = `${(toStdout ? "-" : name).slice(0, 20).padEnd(20)} 100% |********************************| ${String(size).padStart(5)}  0:00:00 ETA\n`;
  const chunks: { fd: 1 | 2; text: string }[] = [{ fd: 2, text: `${err}${toStdout ? "writing to stdout" : `saving to '${name}'`}\n` }];
  if (toStdout) chunks.push({ fd: 1, text: response.body });
  chunks.push({ fd: 2, text: `${bar}${toStdout ? "written to stdout" : `'${name}' saved`}\n` });
  return { stdout: toStdout ? response.body : "", stderr: chunks.filter((c) => c.fd === 2).map((c) => c.text).join(""), exitCode: 0, chunks };
}

/** GNU Wget's time stamp: `2026-01-12 09:01:00`. */
function gnuTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

function gnuResult(ctx: CommandContext, opts: Options, url: { host: string; port: number; path: string; https: boolean }, ip: number, t: Talk, start: number): CommandResult {
  const shown = `${url.https ? "https" : "http"}://${url.host}${url.port === (url.https ? 443 : 80) ? "" : `:${url.port}`}${url.path}`;
  const address = formatIP(ip);
  let err = opts.quiet ? "" : `--${gnuTime(start)}--  ${shown}\n${url.host === address ? "" : `Resolving ${url.host} (${url.host})... ${address}\n`}Connecting to ${url.host === address ? address : `${url.host} (${url.host})|${address}|`}:${url.port}... `;
  const ex = t.exchange;
  const o = ex.outcome;
  const fail = (text: string, ms: number, code = 4): CommandResult => {
    ctx.clock.advance(Math.ceil(ms));
    return { stdout: "", stderr: opts.quiet ? "" : `${err}${text}\n`, exitCode: code };
  };
  if (o.kind === "timeout") return opts.timeoutMs !== undefined && opts.timeoutMs < SYN_GIVE_UP_MS ? fail("failed: Connection timed out.\nGiving up.\n", opts.timeoutMs * 20) : fail("failed: Connection timed out.\nRetrying.\n", SYN_GIVE_UP_MS);
  if (o.kind === "refused") return fail("failed: Connection refused.", ex.elapsedMs);
  if (o.kind === "unreachable" || o.kind === "error") return fail("failed: No route to host.", ex.elapsedMs);
  err += "connected.\n";
  if (t.tlsFailure) return fail(`ERROR: cannot verify ${url.host}'s certificate`, ex.elapsedMs, 5);
  const reply = t.reply ?? { kind: "silent" as const };
  err += "HTTP request sent, awaiting response... ";
  if (reply.kind === "silent") return fail("Read error (Connection timed out) in headers.\nGiving up.\n", opts.timeoutMs ?? 900_000);
  if (reply.kind !== "data") return fail(reply.kind === "close" ? "No data received.\nRetrying.\n" : "Read error (Connection reset by peer) in headers.\nRetrying.\n", ex.elapsedMs);
  const response = parseResponse(reply.data);
  if (!response) return fail("No data received.\nRetrying.\n", ex.elapsedMs);
  ctx.clock.advance(Math.ceil(ex.elapsedMs));
  err += `${response.status} ${response.reason}\n`;
  if (response.status >= 400) return { stdout: "", stderr: opts.quiet ? "" : `${err}${gnuTime(start)} ERROR ${response.status}: ${response.reason}.\n\n`, exitCode: 8 };
  const length = Number(header(response.headers, "Content-Length") ?? response.body.length);
  const type = header(response.headers, "Content-Type");
  err += `Length: ${length}${type ? ` [${type}]` : ""}\n`;
  if (opts.spider) return { stdout: "", stderr: opts.quiet ? "" : `${err}Remote file exists and could contain further links,\nbut recursion is disabled -- not retrieving.\n\n`, exitCode: 0 };
  const toStdout = opts.output === "-";
  let name = opts.output ?? savedName(url.path);
  if (!toStdout && opts.output === undefined) for (let n = 1; ctx.fs.exists(ctx.resolve(name)); n++) name = `${savedName(url.path)}.${n}`;
  if (!toStdout) ctx.fs.writeFile(ctx.resolve(name), response.body);
  if (opts.quiet) return { stdout: toStdout ? response.body : "", stderr: "", exitCode: 0 };
  err += `Saving to: ‘${toStdout ? "STDOUT" : name}’\n\n`;
  const label = (toStdout ? "-" : name).slice(0, 19).padEnd(19);
  err += `${label}100%[===================>]${String(length).padStart(8)}  --.-KB/s    in 0s      \n\n`;
  err += `${gnuTime(start)} (${(length / 1024 / Math.max(ex.elapsedMs / 1000, 0.0001) / 1024).toFixed(1)} MB/s) - ${toStdout ? "written to stdout" : `‘${name}’ saved`} [${length}/${length}]\n\n`;
  return { stdout: toStdout ? response.body : "", stderr: err, exitCode: 0 };
}
