/**
 * The projected service account token the kubelet writes into `kube-api-access-*` volumes: it
 * asks the apiserver's TokenRequest API, which signs an ES256 JWT with the cluster's `sa.key`
 * (the claims bind it to the pod, node and service account; `warnafter` is the 3607 s the pod
 * asked for, `exp` the year the apiserver extends it to). The apiserver's service-account
 * authenticator accepts it back (`Authorization: Bearer …`, a kubeconfig `token:`).
 *
 * The token is a recipe (util/lazy.ts): its claims and key are fixed now, the ES256 signature is
 * made when something first reads the token file, since most pods' tokens are never read.
 *
 * @example
 * force(serviceAccountToken(w, pod)).split(".").length; // 3
 */
import { issueToken, type Pod, type Stored, type TokenRequest } from "../../api";
import { keyPairFrom, parsePrivateKeyPem } from "../../pki";
import { force, lazy, type Lazy } from "../../util/lazy";
import type { WorkerContext } from "./worker-context";

const SIGNING_KEY = "/etc/kubernetes/pki/sa.key";

export function serviceAccountToken(w: WorkerContext, pod: Stored<Pod>): Lazy<string> {
  const ns = pod.metadata.namespace ?? "default";
  const sa = pod.spec.serviceAccountName ?? "default";
  const account = w.store.find("ServiceAccount", ns, sa);
  // These draws once made the key id and signature; they stay so the kubelet's stream (and every
  // name drawn after a token) is where it was.
  w.rng.hex(32);
  const jti = w.rng.uuid();
  for (let i = 0; i < 256; i++) w.rng.int(256);
  const claims = Object.freeze({
    namespace: ns,
    serviceAccount: Object.freeze({ name: sa, uid: account?.metadata.uid ?? "" }),
    pod: Object.freeze({ name: pod.metadata.name, uid: pod.metadata.uid }),
    node: Object.freeze({ name: w.nodeName, uid: w.node()?.metadata.uid ?? "" }),
    issuer: `https://kubernetes.default.svc.${w.scenario.network.clusterDomain}`,
    now: w.clock.now(),
    expirationSeconds: 3607,
    jti,
  });
  // The key as the file holds it now (kubeadm's sa.key is itself a recipe until read).
  return lazy(signedToken, claims, w.apiServerFile?.(SIGNING_KEY) ?? "");
}

function signedToken(claims: Omit<TokenRequest, "key">, keyPem: string | Lazy<string>): string {
  // A control plane without a readable sa.key (a learner removed it) signs with a key nobody
  // trusts: the token then fails authentication, as one signed by a stray key would.
  const key = parsePrivateKeyPem(typeof keyPem === "string" ? keyPem : force(keyPem)) ?? keyPairFrom("no-service-account-key");
  return issueToken({ ...claims, key });
}
