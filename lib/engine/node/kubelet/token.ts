/**
 * The projected service account token the kubelet writes into `kube-api-access-*` volumes: it
 * asks the apiserver's TokenRequest API, which signs an ES256 JWT with the cluster's `sa.key`
 * (the claims bind it to the pod, node and service account; `warnafter` is the 3607 s the pod
 * asked for, `exp` the year the apiserver extends it to). The apiserver's service-account
 * authenticator accepts it back (`Authorization: Bearer …`, a kubeconfig `token:`).
 *
 * @example
 * serviceAccountToken(w, pod).split(".").length; // 3
 */
import { issueToken, type Pod, type Stored } from "../../api";
import { keyPairFrom, parsePrivateKeyPem } from "../../pki";
import type { WorkerContext } from "./worker-context";

const SIGNING_KEY = "/etc/kubernetes/pki/sa.key";

export function serviceAccountToken(w: WorkerContext, pod: Stored<Pod>): string {
  const ns = pod.metadata.namespace ?? "default";
  const sa = pod.spec.serviceAccountName ?? "default";
  const account = w.store.find("ServiceAccount", ns, sa);
  // These draws once made the key id and signature; they stay so the kubelet's stream (and every
  // name drawn after a token) is where it was.
  w.rng.hex(32);
  const jti = w.rng.uuid();
  for (let i = 0; i < 256; i++) w.rng.int(256);
  // A control plane without a readable sa.key (a learner removed it) signs with a key nobody
  // trusts: the token then fails authentication, as one signed by a stray key would.
  const key = parsePrivateKeyPem(w.apiServerFile?.(SIGNING_KEY) ?? "") ?? keyPairFrom("no-service-account-key");
  return issueToken({
    namespace: ns,
    serviceAccount: { name: sa, uid: account?.metadata.uid ?? "" },
    pod: { name: pod.metadata.name, uid: pod.metadata.uid },
    node: { name: w.nodeName, uid: w.node()?.metadata.uid ?? "" },
    issuer: `https://kubernetes.default.svc.${w.scenario.network.clusterDomain}`,
    now: w.clock.now(),
    expirationSeconds: 3607,
    jti,
    key,
  });
}
