/**
 * The service-account token authenticator (`serviceaccount.JWTTokenAuthenticator` with the
 * bound-token validator): a bearer token is a JWT issued by this cluster, not expired, whose
 * service account — and, for a projected token, pod — still exist with the uids it names.
 * The user it yields is `system:serviceaccount:NS:NAME` with the service-account groups and the
 * extras the apiserver derives from the claims (credential id, pod, node).
 *
 * The ES256 signature is checked against the cluster's `sa.pub` when the caller has it.
 * `issueToken` is the other half, the TokenRequest API the kubelet asks for projected tokens.
 *
 * @example
 * authenticateToken(store, token, { issuer: "https://kubernetes.default.svc.cluster.local", now: clock.now() });
 * // { name: "system:serviceaccount:default:default", uid: "…", groups: [...], extra: {...} } or undefined
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { type KeyPair, publicKeyInfoDer } from "../../pki";
import { base64url, base64urlText, signJwt, verifyJwt } from "./jwt";
import type { KubeObject, Stored } from "../types/meta";
import { serviceAccountUser, type UserInfo } from "./user";

/** The claims of a token the TokenRequest API issues. */
export interface ServiceAccountClaims {
  aud?: string[];
  exp: number;
  iat: number;
  iss: string;
  jti?: string;
  nbf?: number;
  sub: string;
  "kubernetes.io"?: {
    namespace: string;
    node?: { name: string; uid: string };
    pod?: { name: string; uid: string };
    serviceaccount: { name: string; uid: string };
    warnafter?: number;
  };
}

/** The part of the store the authenticator reads. */
export interface TokenReader {
  find<T extends KubeObject>(kind: string, namespace: string | undefined, name: string): Stored<T> | undefined;
}

export interface TokenCheck {
  issuer: string;
  /** Virtual ms. */
  now: number;
  /** The public point of `sa.pub` the signature must verify against; omitted: not checked. */
  publicKey?: Uint8Array;
}

function b64urlJSON(part: string): Record<string, unknown> | undefined {
  const text = base64urlText(part);
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The claims of a JWT, unverified; undefined when it is not one. */
export function decodeTokenClaims(token: string): ServiceAccountClaims | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  const claims = b64urlJSON(parts[1]);
  if (!claims || typeof claims.sub !== "string" || typeof claims.exp !== "number" || typeof claims.iss !== "string") return undefined;
  return claims as unknown as ServiceAccountClaims;
}

/** The user a bearer token authenticates as, or undefined (the apiserver then answers 401). */
export function authenticateToken(store: TokenReader, token: string, check: TokenCheck): UserInfo | undefined {
  const claims = decodeTokenClaims(token);
  const bound = claims?.["kubernetes.io"];
  if (!claims || !bound || claims.iss !== check.issuer) return undefined;
  // The apiserver accepts only tokens meant for it (`--api-audiences`, its issuer under kubeadm).
  if (!(claims.aud ?? []).includes(check.issuer)) return undefined;
  if (check.publicKey && !verifyJwt(token, check.publicKey)) return undefined;
  const seconds = Math.floor(check.now / 1000);
  if (seconds >= claims.exp || (claims.nbf !== undefined && seconds < claims.nbf)) return undefined;
  const account = store.find("ServiceAccount", bound.namespace, bound.serviceaccount.name);
  if (!account || account.metadata.uid !== bound.serviceaccount.uid) return undefined;
  const extra: Record<string, string[]> = {};
  if (bound.pod) {
    const pod = store.find("Pod", bound.namespace, bound.pod.name);
    if (!pod || pod.metadata.uid !== bound.pod.uid || pod.metadata.deletionTimestamp) return undefined;
    extra["authentication.kubernetes.io/pod-name"] = [bound.pod.name];
    extra["authentication.kubernetes.io/pod-uid"] = [bound.pod.uid];
  }
  if (claims.jti) extra["authentication.kubernetes.io/credential-id"] = [`JTI=${claims.jti}`];
  if (bound.node) {
    extra["authentication.kubernetes.io/node-name"] = [bound.node.name];
    extra["authentication.kubernetes.io/node-uid"] = [bound.node.uid];
  }
  return serviceAccountUser(bound.namespace, bound.serviceaccount.name, account.metadata.uid, extra);
}

/** What a TokenRequest carries (for a pod's projected token, or `kubectl create token`), and the apiserver's signing key. */
export interface TokenRequest {
  namespace: string;
  serviceAccount: { name: string; uid: string };
  pod?: { name: string; uid: string };
  node?: { name: string; uid: string };
  issuer: string;
  /** Who the token is for; default the apiserver itself (its issuer, kubeadm's `--api-audiences`). */
  audiences?: readonly string[];
  /** Virtual ms. */
  now: number;
  /** The lifetime asked for (kube-api-access: 3607, extended to a year with `warnafter` at 3607). */
  expirationSeconds: number;
  jti: string;
  /** `--service-account-signing-key-file` (sa.key). */
  key: KeyPair;
}

/** The apiserver extends kube-api-access tokens to a year (`--service-account-extend-token-expiration`). */
const EXTENDED_SECONDS = 365 * 24 * 60 * 60;

/** `keyIDFromPublicKey`: base64url of the SHA-256 of the key's PKIX DER. */
export function keyID(key: KeyPair): string {
  return base64url(sha256(publicKeyInfoDer(key.publicKey)));
}

/** The signed JWT, with the claims in the order the apiserver marshals them. */
export function issueToken(req: TokenRequest): string {
  const iat = Math.floor(req.now / 1000);
  const extended = req.pod !== undefined && req.expirationSeconds === 3607;
  const claims = {
    aud: req.audiences ? [...req.audiences] : [req.issuer],
    exp: iat + (extended ? EXTENDED_SECONDS : req.expirationSeconds),
    iat,
    iss: req.issuer,
    jti: req.jti,
    "kubernetes.io": {
      namespace: req.namespace,
      ...(req.node ? { node: req.node } : {}),
      ...(req.pod ? { pod: req.pod } : {}),
      serviceaccount: req.serviceAccount,
      ...(extended ? { warnafter: iat + req.expirationSeconds } : {}),
    },
    nbf: iat,
    sub: `system:serviceaccount:${req.namespace}:${req.serviceAccount.name}`,
  };
  return signJwt({ alg: "ES256", kid: keyID(req.key) }, claims, req.key.privateKey);
}
