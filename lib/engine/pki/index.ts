/**
 * The cluster's public-key infrastructure: real X.509 with ECDSA P-256, synchronous and
 * deterministic (keys derive from labels, signatures are RFC 6979), so a boot, a replay and a
 * fork make the same bytes. kubeadm's files (node/kubeadm), `openssl`, `kubeadm certs`, the
 * kubectl ↔ apiserver TLS check, RBAC's identities and the mesh's workload certificates are
 * built on this face.
 */
export { keyPairFrom, privateKeyPem, publicKeyPem, parsePrivateKeyPem, publicKeyInfoDer, type KeyPair } from "./keys";
export {
  issueCertificate, parseCertificate, certificatesInPem, parseDer, signedBy, hex, OID,
  type Certificate, type CertificateRequest, type CertificateExtension, type DistinguishedName, type ExtendedUsage, type Name,
} from "./certificate";
export { verifyCertificate, validityError, sameName, rfc3339, type VerifyResult, type VerifyFailure } from "./verify";
export { pemEncode, pemBlocks, type PemBlock } from "./pem";
export {
  KUBEADM_CERTIFICATES, KUBEADM_CAS, CERTIFICATE_VALIDITY_MS, CA_CERTIFICATE_VALIDITY_MS,
  clusterCA, kubeadmCA, signKubeadmCertificate, renewCertificate, kubeletClientCertificate, kubeletServingCertificate, randomSerial, serialFrom,
  type ClusterCA, type KubeadmCA, type KubeadmCAName, type KubeadmCertificateSpec, type NodeIdentity, type IssuedPair, type SignOptions,
} from "./kubeadm";
export { serverVerificationError, hostnameError, dnsNameMatches } from "./tls";
export { opensslDate, sameBytes } from "./time";
export { opensslChain, OPENSSL_VERIFY_ERRORS, type ChainError, type VerifyError as OpensslVerifyError } from "./chain";
export { clientIdentity, type ClientIdentity } from "./identity";
