/**
 * Who a client certificate says its holder is, as the apiserver's x509 authenticator reads it
 * (k8s.io/apiserver/pkg/authentication/request/x509.CommonNameUserConversion): the subject's
 * CN is the user name, each O a group. Whether the certificate is trusted (signed by the
 * client CA, within its validity) is `verifyCertificate`'s question, asked first.
 *
 * @example
 * clientIdentity(parseCertificate(adminCert)); // { user: "kubernetes-admin", groups: ["kubeadm:cluster-admins"] }
 */
import type { Certificate } from "./certificate";

export interface ClientIdentity {
  readonly user: string;
  readonly groups: readonly string[];
}

/** The user and groups of a client certificate; undefined when its CN is empty (the authenticator's "common name is required"). */
export function clientIdentity(cert: Certificate): ClientIdentity | undefined {
  if (!cert.subject.commonName) return undefined;
  return { user: cert.subject.commonName, groups: [...cert.subject.organizations] };
}
