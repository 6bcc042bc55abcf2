/**
 * kube-apiserver's secure port as a client on the network meets it: TLS with the certificate
 * of its `--tls-cert-file` (kubeadm's /etc/kubernetes/pki/apiserver.crt, read at each
 * handshake as the apiserver reloads it), asking for client certificates signed by its
 * `--client-ca-file`; an anonymous request (curl -k) is authorised as `system:anonymous`, which
 * kubeadm's RBAC lets read only the health and version endpoints (system:public-info-viewer).
 *
 * @example
 * curl -k https://172.30.1.2:6443/livez   # ok
 * curl -k https://172.30.1.2:6443/        # 403 {"kind":"Status",…,"message":"forbidden: User \"system:anonymous\" cannot get path \"/\"",…}
 */
import { formatResponse, httpDate, parseRequest, splitTarget, type AppReply, type AppRequest, type ServerCertificate } from "../../net/app";
import { apiserverTrust, type ObjectStore, serveApiRequest } from "../../api";
import { parseDer, pemBlocks, type Certificate } from "../../pki";
import type { FileSystem } from "../../shell";
import { fnv1a32 } from "../../util/hash";
import type { LogLine, Served, ServeContext } from "./kit";

/** What the program keeps: its shutdown line and the file system its flags' files are read from. */
export interface ApiserverData {
  readonly line: LogLine;
  readonly fs: FileSystem;
  readonly certFile: string;
  readonly clientCAFile: string;
  readonly version: string;
}

function certificatesIn(fs: FileSystem, path: string): Certificate[] {
  const text = fs.isFile(path) ? fs.readFile(path) : "";
  return pemBlocks(text).filter((b) => b.label === "CERTIFICATE").flatMap((b) => {
    try {
      return [parseDer(b.der)];
    } catch {
      return [];
    }
  });
}

/** The serving certificate for any SNI; undefined (plain text) when the file holds none. */
export function apiserverCertificate(data: ApiserverData): ServerCertificate | undefined {
  const chain = certificatesIn(data.fs, data.certFile);
  if (!chain.length) return undefined;
  return {
    subject: `CN=${chain[0].subject.commonName}`, issuer: `CN=${chain[0].issuer.commonName}`,
    names: [...chain[0].dnsNames, ...chain[0].ipAddresses], untrusted: "unknown-issuer", chain, clientCAs: certificatesIn(data.fs, data.clientCAFile),
  };
}

const PUBLIC_PATHS = new Set(["/healthz", "/livez", "/readyz", "/version"]);

/**
 * The Audit-Id the apiserver gives every request (a random UUID there): derived here from who
 * asked, when and for what, so it differs per request and a replay gives the same.
 */
function auditId(request: AppRequest, now: number, target: string): string {
  const seed = `${request.peer.ip}:${request.peer.port}|${now}|${target}`;
  const hex = [1, 2, 3, 4].map((i) => fnv1a32(`${i}|${seed}`).toString(16).padStart(8, "0")).join("");
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function json(status: number, body: string, now: number, audit: string): AppReply {
  return {
    kind: "data",
    data: formatResponse({ status, headers: [["Audit-Id", audit], ["Cache-Control", "no-cache, private"], ["Content-Type", "application/json"], ["X-Kubernetes-Pf-Flowschema-Uid", ""], ["X-Kubernetes-Pf-Prioritylevel-Uid", ""], ["Date", httpDate(now)], ["Content-Length", String(body.length)]], body }),
    close: false,
  };
}

/** An anonymous request over TLS (a client without a certificate: curl -k). */
export function serveApiserver(data: ApiserverData, request: AppRequest, ctx: ServeContext): Served {
  if (!request.tls) return { reply: { kind: "data", data: "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n", close: true }, log: [] };
  const req = parseRequest(request.data);
  if (!req) return { reply: { kind: "data", data: "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request", close: true }, log: [] };
  const path = splitTarget(req.target).path;
  const audit = auditId(request, ctx.now, req.target);
  if (PUBLIC_PATHS.has(path) && req.method === "GET") {
    if (path !== "/version") return { reply: { kind: "data", data: formatResponse({ status: 200, headers: [["Audit-Id", audit], ["Cache-Control", "no-cache, private"], ["Content-Type", "text/plain; charset=utf-8"], ["X-Content-Type-Options", "nosniff"], ["Date", httpDate(ctx.now)], ["Content-Length", "2"]], body: "ok" }), close: false }, log: [] };
    const [major, minor] = data.version.replace(/^v/, "").split(".");
    const body = `{\n  "major": "${major}",\n  "minor": "${minor}",\n  "gitVersion": "${data.version}",\n  "gitCommit": "59526cd4867447956156ae3a602fcbac10a2c335",\n  "gitTreeState": "clean",\n  "buildDate": "2025-04-22T15:56:19Z",\n  "goVersion": "go1.23.8",\n  "compiler": "gc",\n  "platform": "linux/amd64"\n}`;
    return { reply: json(200, body, ctx.now, audit), log: [] };
  }
  // Everything else is the API itself: authenticated, authorised and served by the API layer.
  const store = ctx.world?.store as ObjectStore | undefined;
  const read = (file: string) => (data.fs.isFile(file) ? data.fs.readFile(file) : undefined);
  const trust = store && apiserverTrust(read, { clientCAFile: data.clientCAFile }, ctx.now);
  if (store && trust) {
    const answer = serveApiRequest(store, { method: req.method, target: req.target, headers: req.headers, body: req.body, ...(request.peerCertificate ? { clientCertificate: request.peerCertificate.pem } : {}) }, trust);
    if (answer.contentType === "application/json") return { reply: json(answer.status, answer.body, ctx.now, audit), log: [] };
    const headers: [string, string][] = [["Audit-Id", audit], ["Cache-Control", "no-cache, private"], ["Content-Type", answer.contentType], ["X-Content-Type-Options", "nosniff"], ["Date", httpDate(ctx.now)], ["Content-Length", String(answer.body.length)]];
    return { reply: { kind: "data", data: formatResponse({ status: answer.status, headers, body: answer.body }), close: false }, log: [] };
  }
  const verb = req.method === "GET" ? "get" : req.method.toLowerCase();
  const message = `forbidden: User \\"system:anonymous\\" cannot ${verb} path \\"${path}\\"`;
  const body = `{\n  "kind": "Status",\n  "apiVersion": "v1",\n  "metadata": {},\n  "status": "Failure",\n  "message": "${message}",\n  "reason": "Forbidden",\n  "details": {},\n  "code": 403\n}`;
  return { reply: json(403, body, ctx.now, audit), log: [] };
}
