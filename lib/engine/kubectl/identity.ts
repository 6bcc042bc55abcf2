/**
 * Who kubectl's requests are from. kubectl presents the kubeconfig user's credentials (a client
 * certificate, a bearer token; `--client-certificate`/`--token` override them); the apiserver
 * authenticates them against what it trusts (the cluster CA, `sa.pub`, read from the
 * control-plane node as the apiserver reads its flags' files), then applies `--as`/`--as-group`
 * impersonation, which the real user must be allowed (`impersonate` on users, groups,
 * serviceaccounts), and answers Forbidden otherwise.
 *
 * @example
 * const { user } = requestIdentity(cluster, shell, kubeconfig, globals);
 * user.name; // "kubernetes-admin", or "jane" with --as=jane
 */
import {
  type AuthenticationTrust, type Credentials, type UserInfo, apiserverTrust, authenticate, authorizeRequest, impersonatedUser, splitServiceAccountName,
} from "../api";
import type { Cluster } from "../cluster/cluster";
import type { CommandContext } from "../shell";
import { utf8Decode } from "../shell/text/utf8";
import { decodeBase64 } from "../util/base64";
import { KubectlError } from "./errors";
import type { KubectlArgs, Kubeconfig } from "./types";

/** The user the apiserver authenticated, and the one it acts as (the same without `--as`). */
export interface RequestIdentity {
  readonly authenticated: UserInfo;
  readonly user: UserInfo;
  /** Whether the apiserver authorises requests (RBAC) or allows everything. */
  readonly authorizing: boolean;
}

/** The kubeconfig user's stanza; a named user the file lacks is clientcmd's `getAuthInfo` error. */
function userStanza(kc: Kubeconfig): Record<string, unknown> {
  if (!kc.userName) return {};
  const users = Array.isArray(kc.config.users) ? (kc.config.users as { name?: unknown; user?: unknown }[]) : [];
  const found = users.find((u) => u && u.name === kc.userName);
  if (!found) throw new KubectlError(`auth info "${kc.userName}" does not exist`);
  return found.user && typeof found.user === "object" ? (found.user as Record<string, unknown>) : {};
}

const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);

/** A file the kubeconfig names, relative to the kubeconfig's folder, as clientcmd resolves it. */
function readReferenced(shell: CommandContext, kc: Kubeconfig, path: string, what: string): string {
  const base = kc.path ? kc.path.replace(/\/[^/]*$/, "") || "/" : shell.resolve(".");
  const full = path.startsWith("/") ? path : `${base}/${path}`;
  if (!shell.fs.exists(full) || shell.fs.isDirectory(full)) {
    throw new KubectlError(`unable to read ${what} ${path} for ${kc.userName ?? ""} due to open ${path}: no such file or directory`);
  }
  return shell.fs.readFile(full);
}

/** clientcmd's choice of credentials for the request. */
function credentialsOf(shell: CommandContext, kc: Kubeconfig, globals: KubectlArgs): Credentials {
  const stanza = userStanza(kc);
  const token = globals.string("token") || text(stanza.token) || (text(stanza.tokenFile) ? readReferenced(shell, kc, text(stanza.tokenFile)!, "token file").trim() : undefined);
  const certPath = globals.string("client-certificate") || text(stanza["client-certificate"]);
  const certData = text(stanza["client-certificate-data"]);
  let clientCertificate: string | undefined;
  if (certPath) clientCertificate = readReferenced(shell, kc, certPath, "client-cert");
  else if (certData) {
    const decoded = decodeBase64(certData);
    clientCertificate = decoded.ok ? utf8Decode([...decoded.bytes]) : undefined;
  }
  return { ...(clientCertificate ? { clientCertificate } : {}), ...(token ? { token } : {}) };
}


/**
 * What the apiserver trusts, from its files on the control plane. Undefined when the control
 * plane has no CA file at all — a bare cluster without kubeadm's files (unit fixtures), served
 * as an apiserver with `--authorization-mode=AlwaysAllow`.
 */
function trustOf(cluster: Cluster): AuthenticationTrust | undefined {
  const flags = { issuer: `https://kubernetes.default.svc.${cluster.scenario.network.clusterDomain}` };
  return apiserverTrust((path) => controlPlaneFile(cluster, path), flags, cluster.clock.now());
}

/** A file of the control-plane node, as the apiserver running there reads its flags' files. */
export function controlPlaneFile(cluster: Cluster, path: string): string | undefined {
  const controlPlane = [...cluster.nodes.values()].find((n) => n.role === "control-plane");
  return controlPlane?.fs.exists(path) ? controlPlane.fs.readFile(path) : undefined;
}

/**
 * Whom an AlwaysAllow apiserver (no authenticator configured) is told about: the subjects
 * kubeadm writes into admin.conf, super-admin.conf and the component kubeconfigs.
 */
function kubeadmSubject(userName: string): UserInfo {
  const organizations: Record<string, string[]> = {
    "kubernetes-admin": ["kubeadm:cluster-admins"],
    "kubernetes-super-admin": ["system:masters"],
  };
  const groups = organizations[userName] ?? (userName.startsWith("system:node:") ? ["system:nodes"] : []);
  return { name: userName, groups: [...groups, "system:authenticated"] };
}

/** `WithImpersonation`: each impersonated name must be allowed to the real user, user first, then groups. */
function impersonate(cluster: Cluster, real: UserInfo, as: string, groups: readonly string[]): UserInfo {
  const account = splitServiceAccountName(as);
  const check = (resource: string, name: string, namespace = "") =>
    authorizeRequest(cluster.store, real, { verb: "impersonate", namespace, apiGroup: "", resource, name });
  if (account) check("serviceaccounts", account.name, account.namespace);
  else check("users", as);
  for (const group of groups) check("groups", group);
  return impersonatedUser(as, groups);
}

/**
 * Authenticates kubectl's request and applies `--as`; throws the apiserver's 401 or 403.
 * `authorizing` is false for an AlwaysAllow apiserver (a cluster without kubeadm's files).
 */
export function requestIdentity(cluster: Cluster, shell: CommandContext, kc: Kubeconfig, globals: KubectlArgs): RequestIdentity {
  const trust = trustOf(cluster);
  const as = globals.string("as") ?? "";
  if (!trust) {
    const user = as !== "" ? impersonatedUser(as, globals.strings("as-group")) : kubeadmSubject(kc.userName ?? "");
    return { authenticated: user, user, authorizing: false };
  }
  const authenticated = authenticate(cluster.store, credentialsOf(shell, kc, globals), trust);
  if (as === "") return { authenticated, user: authenticated, authorizing: true };
  return { authenticated, user: impersonate(cluster, authenticated, as, globals.strings("as-group")), authorizing: true };
}
