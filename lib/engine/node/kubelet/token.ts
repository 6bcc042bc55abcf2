/**
 * The projected service account token the kubelet writes into `kube-api-access-*` volumes:
 * a JWT with the claims the apiserver's TokenRequest puts in (audience, issuer, expiry, the
 * pod, node and service account it is bound to). Its signature is seeded random bytes, since
 * nothing in the engine verifies it.
 *
 * @example
 * serviceAccountToken(w, pod).split(".").length; // 3
 */
import type { Pod, Stored } from "../../api";
import { encodeBase64 } from "../../util/base64";
import type { WorkerContext } from "./worker-context";

const b64url = (text: string) => encodeBase64(text).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");

export function serviceAccountToken(w: WorkerContext, pod: Stored<Pod>): string {
  const now = Math.floor(w.clock.now() / 1000);
  const issuer = `https://kubernetes.default.svc.${w.scenario.network.clusterDomain}`;
  const ns = pod.metadata.namespace ?? "default";
  const sa = pod.spec.serviceAccountName ?? "default";
  const account = w.store.find("ServiceAccount", ns, sa);
  const header = b64url(JSON.stringify({ alg: "RS256", kid: b64url(w.rng.hex(32)).slice(0, 43) }));
  const claims = {
    aud: [issuer], exp: now + 3607, iat: now, iss: issuer, jti: w.rng.uuid(),
    "kubernetes.io": {
      namespace: ns,
      node: { name: w.nodeName, uid: w.node()?.metadata.uid ?? "" },
      pod: { name: pod.metadata.name, uid: pod.metadata.uid },
      serviceaccount: { name: sa, uid: account?.metadata.uid ?? "" },
      warnafter: now + 3600,
    },
    nbf: now, sub: `system:serviceaccount:${ns}:${sa}`,
  };
  const signature = new Uint8Array(256);
  for (let i = 0; i < signature.length; i++) signature[i] = w.rng.int(256);
  return `${header}.${b64url(JSON.stringify(claims))}.${encodeBase64(signature).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_")}`;
}
