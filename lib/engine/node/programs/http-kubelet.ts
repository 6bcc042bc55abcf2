/**
 * The kubelet's own HTTP endpoints, as a client on the network meets them: the HTTPS API on
 * :10250 with the self-signed serving certificate kubeadm's kubelets make for themselves
 * (/var/lib/kubelet/pki/kubelet.crt, `CN=node01@…`, so curl needs `-k`), asking clients for
 * certificates signed by the cluster CA, which refuses anonymous requests (kubeadm turns
 * anonymous auth off) with 401; and the plain healthz on 127.0.0.1:10248.
 *
 * @example
 * kubeletServer(10250, "node01", bootMs)?.tls?.untrusted; // "self-signed"
 */
import { formatResponse, httpDate, parseRequest, splitTarget, type AppReply, type AppRequest, type AppServer, type ServerCertificate } from "../../net/app";
import { parseDer, pemBlocks, type Certificate } from "../../pki";

const BAD_REQUEST: AppReply = { kind: "data", data: "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request", close: true };

/** Go's net/http answer with a text body (http.Error's headers). */
function text(status: number, body: string, now: number): AppReply {
  return { kind: "data", data: formatResponse({ status, headers: [["Content-Type", "text/plain; charset=utf-8"], ["X-Content-Type-Options", "nosniff"], ["Date", httpDate(now)], ["Content-Length", String(body.length)]], body }), close: false };
}

/** The certificates of a PEM file, in order (kubelet.crt: the serving certificate, then its own CA). */
function certificatesIn(pem: string | undefined): Certificate[] {
  return pemBlocks(pem ?? "").filter((b) => b.label === "CERTIFICATE").flatMap((b) => {
    try {
      return [parseDer(b.der)];
    } catch {
      return [];
    }
  });
}

class KubeletApi implements AppServer {
  readonly tls: ServerCertificate;

  /** `files`: /var/lib/kubelet/pki/kubelet.crt and the client CA (/etc/kubernetes/pki/ca.crt) as the kubelet loaded them. */
  constructor(node: string, certSeconds: number, files: { serving?: string; clientCA?: string }) {
    const chain = certificatesIn(files.serving);
    const name = chain[0] ? `CN=${chain[0].subject.commonName}` : `CN=${node}@${certSeconds}`;
    const issuer = chain[0] ? `CN=${chain[0].issuer.commonName}` : `CN=${node}-ca@${certSeconds}`;
    this.tls = { subject: name, issuer, names: chain[0]?.dnsNames ?? [node], untrusted: "self-signed", chain, clientCAs: certificatesIn(files.clientCA) };
  }

  serve(request: AppRequest, now: number): AppReply {
    if (!request.tls) return { kind: "data", data: "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n", close: true };
    return parseRequest(request.data) ? text(401, "Unauthorized", now) : BAD_REQUEST;
  }
}

class KubeletHealthz implements AppServer {
  serve(request: AppRequest, now: number): AppReply {
    const req = parseRequest(request.data);
    if (!req) return BAD_REQUEST;
    return splitTarget(req.target).path === "/healthz" ? text(200, "ok", now) : text(404, "404 page not found\n", now);
  }
}

/** The kubelet's server behind one of its ports, if it has one there. */
export function kubeletServer(port: number, node: string, bootMs: number, files: { serving?: string; clientCA?: string } = {}): AppServer | undefined {
  if (port === 10250) return new KubeletApi(node, Math.floor(bootMs / 1000), files);
  if (port === 10248) return new KubeletHealthz();
  return undefined;
}
