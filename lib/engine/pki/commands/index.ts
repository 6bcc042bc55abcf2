/**
 * The PKI's command-line tools: `openssl` (x509, verify, s_client) on every Ubuntu machine and
 * `kubeadm` (certs check-expiration, certs renew) on the nodes. Kept apart from the pki face so
 * the network layer can use certificates without importing the tools built on it.
 */
export { opensslCommand } from "./openssl";
export { kubeadmCommand } from "./kubeadm";
