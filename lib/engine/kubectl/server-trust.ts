/**
 * What kubectl trusts of the server it dials, as client-go builds its TLS config from the
 * kubeconfig's cluster entry: `certificate-authority-data`, else the `certificate-authority`
 * file (relative to the kubeconfig), else the system roots — which hold no cluster CA;
 * `insecure-skip-tls-verify` (and the flag) turns checking off; `--tls-server-name` names the
 * host to check instead of the URL's. The apiserver's side — the certificate it serves — is its
 * `--tls-cert-file`, read when the connection is made (kube-apiserver reloads it on change).
 *
 * @example
 * const trust = serverTrust(shell, kc, globals);
 * tlsFailure(controlPlane.fs, trust, "172.30.1.2", clock.now()); // undefined, or "tls: failed to verify certificate: x509: …"
 */
import { certificatesInPem, parseCertificate, serverVerificationError, type Certificate } from "../pki";
import type { CommandContext, FileSystem } from "../shell";
import { decodeBase64 } from "../util/base64";
import type { KubectlArgs, Kubeconfig } from "./types";

export interface ServerTrust {
  readonly roots: readonly Certificate[];
  readonly insecure: boolean;
  readonly serverName?: string;
}

/** kubeadm's `--tls-cert-file` for the apiserver. */
const APISERVER_CERT = "/etc/kubernetes/pki/apiserver.crt";

function clusterStanza(kc: Kubeconfig): Record<string, unknown> {
  const clusters = Array.isArray(kc.config.clusters) ? (kc.config.clusters as { name?: unknown; cluster?: unknown }[]) : [];
  const found = clusters.find((c) => c && c.name === kc.clusterName)?.cluster;
  return found && typeof found === "object" ? (found as Record<string, unknown>) : {};
}


/** The roots, the skip switch and the name to check, from the flags and the kubeconfig's cluster. */
export function serverTrust(shell: CommandContext, kc: Kubeconfig, globals: KubectlArgs): ServerTrust {
  const cluster = clusterStanza(kc);
  const serverName = globals.string("tls-server-name") || (typeof cluster["tls-server-name"] === "string" ? cluster["tls-server-name"] : undefined);
  const insecure = globals.bool("insecure-skip-tls-verify") || cluster["insecure-skip-tls-verify"] === true;
  const path = globals.string("certificate-authority") || (typeof cluster["certificate-authority"] === "string" ? cluster["certificate-authority"] : undefined);
  let pem = "";
  if (path) {
    const base = kc.path ? kc.path.replace(/\/[^/]*$/, "") || "/" : shell.resolve(".");
    const full = path.startsWith("/") ? path : `${base}/${path}`;
    pem = shell.fs.isFile(full) ? shell.fs.readFile(full) : "";
  } else if (typeof cluster["certificate-authority-data"] === "string") {
    const decoded = decodeBase64(cluster["certificate-authority-data"]);
    pem = decoded.ok ? String.fromCharCode(...decoded.bytes) : "";
  }
  return { roots: certificatesInPem(pem), insecure, ...(serverName ? { serverName } : {}) };
}

/** Why the TLS handshake with the apiserver on `controlPlane` fails for this client (undefined: it succeeds, or no certificate file to judge). */
export function tlsFailure(controlPlane: FileSystem, trust: ServerTrust, host: string, now: number): string | undefined {
  if (trust.insecure || !controlPlane.isFile(APISERVER_CERT)) return undefined;
  let serving: Certificate;
  try {
    serving = parseCertificate(controlPlane.readFile(APISERVER_CERT));
  } catch {
    return undefined;
  }
  return serverVerificationError(serving, trust.roots, trust.serverName ?? host, now);
}
