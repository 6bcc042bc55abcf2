/**
 * The apiserver's authenticators in kubeadm's order: the client certificate (`--client-ca-file`:
 * CN is the user, each O a group; the certificate must chain to the CA, be valid now and allow
 * client auth), then a bearer token (service-account JWTs), else the anonymous user when the
 * request carried no credentials at all. Credentials that no authenticator accepts are a 401.
 *
 * @example
 * authenticate(store, { clientCertificate: pem }, { clientCAs: [ca], issuer, now });
 * // { name: "kubernetes-admin", groups: ["kubeadm:cluster-admins", "system:authenticated"] }
 */
import { certificatesInPem, parseCertificate, pemBlocks, publicKeyInfoDer, verifyCertificate, type Certificate } from "../../pki";
import { unauthorizedError } from "../errors";
import { authenticateToken, type TokenReader } from "./service-account-token";
import { ANONYMOUS, AUTHENTICATED_GROUP, type UserInfo } from "./user";

/** What a request presents: a client certificate (PEM) and/or a bearer token. */
export interface Credentials {
  clientCertificate?: string;
  token?: string;
}

/** What the apiserver trusts: its client CA bundle, the service-account issuer and key, the time. */
export interface AuthenticationTrust {
  clientCAs: readonly Certificate[];
  issuer: string;
  /** `sa.pub`'s public point; undefined when the cluster has none that parses (tokens then go unverified). */
  serviceAccountKey?: Uint8Array;
  /** Virtual ms. */
  now: number;
}

/** `x509.CommonNameUserConversion` on a certificate that verifies, else undefined. */
export function certificateUser(pem: string, trust: AuthenticationTrust): UserInfo | undefined {
  let certificate: Certificate;
  try {
    certificate = parseCertificate(pem);
  } catch {
    return undefined;
  }
  if (!certificate.usages.includes("clientAuth")) return undefined;
  if (!verifyCertificate(certificate, trust.clientCAs, trust.now).ok) return undefined;
  const { commonName, organizations } = certificate.subject;
  if (commonName === "") return undefined;
  return { name: commonName, groups: [...organizations, AUTHENTICATED_GROUP] };
}

/** The user a request authenticates as; throws the apiserver's 401 when its credentials are refused. */
export function authenticate(store: TokenReader, credentials: Credentials, trust: AuthenticationTrust): UserInfo {
  if (credentials.clientCertificate) {
    const user = certificateUser(credentials.clientCertificate, trust);
    if (user) return user;
  }
  if (credentials.token) {
    const user = authenticateToken(store, credentials.token, { issuer: trust.issuer, now: trust.now, ...(trust.serviceAccountKey ? { publicKey: trust.serviceAccountKey } : {}) });
    if (user) return user;
  }
  if (!credentials.clientCertificate && !credentials.token) return ANONYMOUS;
  throw unauthorizedError();
}

/** The apiserver's flags that name what it trusts (kubeadm's values by default). */
export interface TrustFlags {
  clientCAFile?: string;
  serviceAccountKeyFile?: string;
  issuer?: string;
}

const SPKI_LENGTH = publicKeyInfoDer(new Uint8Array(65)).length;


/**
 * What the apiserver trusts, read through `read` from its flags' files: the client CA bundle
 * (`--client-ca-file`) and the P-256 point of `sa.pub` (`--service-account-key-file`, a PKIX
 * PUBLIC KEY whose last 65 bytes are the point). Undefined when the CA file does not exist.
 */
export function apiserverTrust(read: (path: string) => string | undefined, flags: TrustFlags, now: number): AuthenticationTrust | undefined {
  const ca = read(flags.clientCAFile ?? "/etc/kubernetes/pki/ca.crt");
  if (ca === undefined) return undefined;
  const pub = pemBlocks(read(flags.serviceAccountKeyFile ?? "/etc/kubernetes/pki/sa.pub") ?? "").find((b) => b.label === "PUBLIC KEY");
  const point = pub && pub.der.length === SPKI_LENGTH ? pub.der.slice(-65) : undefined;
  return {
    clientCAs: certificatesInPem(ca),
    issuer: flags.issuer ?? "https://kubernetes.default.svc.cluster.local",
    ...(point ? { serviceAccountKey: point } : {}),
    now,
  };
}
