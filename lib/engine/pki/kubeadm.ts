/**
 * kubeadm's PKI (v1.32, `encryptionAlgorithm: ECDSA-P256`) as data: the three CAs, the leaf
 * certificates under /etc/kubernetes/pki, the client certificates embedded in the kubeconfigs,
 * the kubelet's client and self-signed serving certificates — with the subjects, SANs, usages
 * and lifetimes of https://kubernetes.io/docs/setup/best-practices/certificates/. Everything is
 * derived from the cluster CA's label, so the files kubeadm leaves at boot and
 * `kubeadm certs renew` later agree without keeping keys in memory: renewal reads the keys
 * back from the files, as kubeadm does.
 *
 * @example
 * const ca = clusterCA(rng.fork(), Date.parse(scenario.createdAt));
 * const apiserver = kubeadmCertificate("apiserver", ca, { node, ip, ... });
 */
import { sha256 } from "../util/sha256";
import type { Rng } from "../util/rng";
import { parseGoDuration } from "../kubectl/parse";
import type { ScenarioSpec } from "../scenarios";
import { issueCertificate, parseCertificate, type Certificate, type DistinguishedName, type ExtendedUsage } from "./certificate";
import { keyPairFrom, parsePrivateKeyPem, privateKeyPem, type KeyPair } from "./keys";

const DAY_MS = 24 * 3600_000;
/** kubeadm's CertificateValidityPeriod and CACertificateValidityPeriod. */
export const CERTIFICATE_VALIDITY_MS = 365 * DAY_MS;
export const CA_CERTIFICATE_VALIDITY_MS = 3650 * DAY_MS;

export type KubeadmCAName = "ca" | "etcd-ca" | "front-proxy-ca";

/** A CA as kubeadm keeps it: certificate and key PEM, the file stem under /etc/kubernetes/pki. */
export interface KubeadmCA {
  readonly name: KubeadmCAName;
  /** `ca`, `etcd/ca`, `front-proxy-ca`. */
  readonly file: string;
  readonly certificate: string;
  readonly key: string;
}

/** The cluster's PKI root: what every derived key and serial is named from, the main CA, and kubeadm's validity periods. Frozen. */
export interface ClusterCA extends KubeadmCA {
  readonly label: string;
  readonly notBefore: number;
  /** ClusterConfiguration's certificateValidityPeriod and caCertificateValidityPeriod, in ms. */
  readonly validity: { readonly certificate: number; readonly ca: number };
}

/** What the node-specific SANs need. */
export interface NodeIdentity {
  readonly name: string;
  readonly ip: string;
  readonly clusterDomain: string;
  /** The first address of the Service CIDR (`kubernetes.default`'s ClusterIP). */
  readonly apiServiceIP: string;
}

/** One certificate kubeadm manages (a row of `kubeadm certs check-expiration`). */
export interface KubeadmCertificateSpec {
  /** The name kubeadm shows and `kubeadm certs renew` takes. */
  readonly name: string;
  /** `/etc/kubernetes/pki/<file>.crt|.key`, or the kubeconfig `/etc/kubernetes/<file>` embedding it. */
  readonly file: string;
  readonly kubeconfig: boolean;
  readonly ca: KubeadmCAName;
  /** What `kubeadm certs renew` says it renewed. */
  readonly purpose: string;
  subject(node: NodeIdentity): DistinguishedName;
  readonly usages: readonly ExtendedUsage[];
  altNames?(node: NodeIdentity): { dnsNames: string[]; ipAddresses: string[] };
}

const etcdAltNames = (node: NodeIdentity) => ({ dnsNames: [node.name, "localhost"], ipAddresses: [node.ip, "127.0.0.1", "::1"] });

/** kubeadm's certificates in `check-expiration` order (sorted by name). */
export const KUBEADM_CERTIFICATES: readonly KubeadmCertificateSpec[] = Object.freeze([
  { name: "admin.conf", file: "admin.conf", kubeconfig: true, ca: "ca", purpose: "certificate embedded in the kubeconfig file for the admin to use and for kubeadm itself", subject: () => ({ commonName: "kubernetes-admin", organizations: ["kubeadm:cluster-admins"] }), usages: ["clientAuth"] },
  {
    name: "apiserver", file: "apiserver", kubeconfig: false, ca: "ca", purpose: "certificate for serving the Kubernetes API", subject: () => ({ commonName: "kube-apiserver" }), usages: ["serverAuth"],
    altNames: (node) => ({
      dnsNames: [node.name, "kubernetes", "kubernetes.default", "kubernetes.default.svc", `kubernetes.default.svc.${node.clusterDomain}`],
      ipAddresses: [node.apiServiceIP, node.ip],
    }),
  },
  { name: "apiserver-etcd-client", file: "apiserver-etcd-client", kubeconfig: false, ca: "etcd-ca", purpose: "certificate the apiserver uses to access etcd", subject: () => ({ commonName: "kube-apiserver-etcd-client" }), usages: ["clientAuth"] },
  { name: "apiserver-kubelet-client", file: "apiserver-kubelet-client", kubeconfig: false, ca: "ca", purpose: "certificate for the API server to connect to kubelet", subject: () => ({ commonName: "kube-apiserver-kubelet-client", organizations: ["kubeadm:cluster-admins"] }), usages: ["clientAuth"] },
  { name: "controller-manager.conf", file: "controller-manager.conf", kubeconfig: true, ca: "ca", purpose: "certificate embedded in the kubeconfig file for the controller manager to use", subject: () => ({ commonName: "system:kube-controller-manager" }), usages: ["clientAuth"] },
  { name: "etcd-healthcheck-client", file: "etcd/healthcheck-client", kubeconfig: false, ca: "etcd-ca", purpose: "certificate for liveness probes to healthcheck etcd", subject: () => ({ commonName: "kube-etcd-healthcheck-client" }), usages: ["clientAuth"] },
  { name: "etcd-peer", file: "etcd/peer", kubeconfig: false, ca: "etcd-ca", purpose: "certificate for etcd nodes to communicate with each other", subject: (node) => ({ commonName: node.name }), usages: ["serverAuth", "clientAuth"], altNames: etcdAltNames },
  { name: "etcd-server", file: "etcd/server", kubeconfig: false, ca: "etcd-ca", purpose: "certificate for serving etcd", subject: (node) => ({ commonName: node.name }), usages: ["serverAuth", "clientAuth"], altNames: etcdAltNames },
  { name: "front-proxy-client", file: "front-proxy-client", kubeconfig: false, ca: "front-proxy-ca", purpose: "certificate for the front proxy client", subject: () => ({ commonName: "front-proxy-client" }), usages: ["clientAuth"] },
  { name: "scheduler.conf", file: "scheduler.conf", kubeconfig: true, ca: "ca", purpose: "certificate embedded in the kubeconfig file for the scheduler manager to use", subject: () => ({ commonName: "system:kube-scheduler" }), usages: ["clientAuth"] },
  { name: "super-admin.conf", file: "super-admin.conf", kubeconfig: true, ca: "ca", purpose: "certificate embedded in the kubeconfig file for the super-admin", subject: () => ({ commonName: "kubernetes-super-admin", organizations: ["system:masters"] }), usages: ["clientAuth"] },
]);

/** The CAs in `check-expiration` order, with their files and common names. */
export const KUBEADM_CAS: readonly { name: KubeadmCAName; file: string; commonName: string }[] = Object.freeze([
  { name: "ca", file: "ca", commonName: "kubernetes" },
  { name: "etcd-ca", file: "etcd/ca", commonName: "etcd-ca" },
  { name: "front-proxy-ca", file: "front-proxy-ca", commonName: "front-proxy-ca" },
]);

/**
 * A serial number as Go's crypto/rand would draw it for kubeadm (1 ≤ n < 2^63), derived from
 * `label` instead: a boot and its replay number their certificates alike.
 */
export function serialFrom(label: string): bigint {
  const digest = sha256(`netlab/pki/serial/${label}`);
  let n = 0n;
  for (let i = 0; i < 8; i++) n = (n << 8n) | BigInt(digest[i]);
  return (n & 0x7fff_ffff_ffff_ffffn) + 1n;
}

/** A kubeadm CA: self-signed (ten years by default), `DNS:<CN>` as certutil.NewSelfSignedCACert writes it. */
function makeCA(label: string, name: KubeadmCAName, notBefore: number, validity: number): KubeadmCA {
  const spec = KUBEADM_CAS.find((c) => c.name === name)!;
  const key = keyPairFrom(`${label}/${spec.file}`);
  const certificate = issueCertificate({
    subject: { commonName: spec.commonName }, key, serial: serialFrom(`${label}/${spec.file}`), notBefore,
    notAfter: notBefore + validity, isCA: true, usages: [], dnsNames: [spec.commonName],
  });
  return Object.freeze({ name, file: spec.file, certificate: certificate.pem, key: privateKeyPem(key) });
}

/**
 * The cluster CA of `kubeadm init` at the scenario's creation, named from draws of the
 * cluster's generator, with the scenario's ClusterConfiguration validity periods.
 */
export function clusterCA(rng: Rng, scenario: Pick<ScenarioSpec, "createdAt" | "kubeadm">): ClusterCA {
  const label = `cluster-${rng.hex(16)}`;
  const notBefore = Date.parse(scenario.createdAt);
  const period = (text: string | undefined, fallback: number) => (text === undefined ? fallback : (parseGoDuration(text) ?? fallback));
  const validity = Object.freeze({
    certificate: period(scenario.kubeadm?.certificateValidityPeriod, CERTIFICATE_VALIDITY_MS),
    ca: period(scenario.kubeadm?.caCertificateValidityPeriod, CA_CERTIFICATE_VALIDITY_MS),
  });
  return Object.freeze({ ...makeCA(label, "ca", notBefore, validity.ca), label, notBefore, validity });
}

/** One of kubeadm's CAs: the cluster CA itself, or etcd's or the front proxy's, derived from its label. */
export function kubeadmCA(root: ClusterCA, name: KubeadmCAName): KubeadmCA {
  return name === "ca" ? root : makeCA(root.label, name, root.notBefore, root.validity.ca);
}

/** A certificate and its key in PEM. */
export interface IssuedPair {
  readonly certificate: Certificate;
  readonly key: string;
}

/** A serial number drawn from `rng` as kubeadm draws one from crypto/rand: 1 ≤ n < 2^63. */
export function randomSerial(rng: Rng): bigint {
  return ((BigInt(rng.int(0x80000000)) << 32n) | BigInt(rng.int(0x100000000))) + 1n;
}

/** How a certificate is signed: the cluster label its key derives from, its serial, how long it is valid (a year by default). */
export interface SignOptions {
  readonly label: string;
  readonly serial: bigint;
  readonly validity?: number;
}

/**
 * Signs `spec`'s certificate for `node` with `ca` at `now`: NotBefore is the CA's (as kubeadm's
 * pkiutil.NewSignedCert sets it), NotAfter the validity period after `now`.
 */
export function signKubeadmCertificate(spec: KubeadmCertificateSpec, ca: KubeadmCA, node: NodeIdentity, now: number, options: SignOptions): IssuedPair {
  const caCertificate = parseCertificate(ca.certificate);
  const caKey = parsePrivateKeyPem(ca.key)!;
  const subjectKey = keyPairFrom(`${options.label}/${spec.file}`);
  const names = spec.altNames?.(node);
  const certificate = issueCertificate({
    subject: spec.subject(node), key: subjectKey, serial: options.serial,
    notBefore: caCertificate.notBefore, notAfter: now + (options.validity ?? CERTIFICATE_VALIDITY_MS), usages: spec.usages,
    dnsNames: names?.dnsNames, ipAddresses: names?.ipAddresses,
  }, { certificate: caCertificate, key: caKey });
  return { certificate, key: privateKeyPem(subjectKey) };
}

/** The kubelet's client certificate (`system:node:<name>` in `system:nodes`), signed by the cluster CA. */
export function kubeletClientCertificate(ca: ClusterCA, nodeName: string, now: number, serial: bigint): IssuedPair {
  const spec: KubeadmCertificateSpec = {
    name: "kubelet", file: `kubelet-client/${nodeName}`, kubeconfig: true, ca: "ca", purpose: "",
    subject: () => ({ commonName: `system:node:${nodeName}`, organizations: ["system:nodes"] }), usages: ["clientAuth"],
  };
  return signKubeadmCertificate(spec, ca, { name: nodeName, ip: "", clusterDomain: "", apiServiceIP: "" }, now, { label: ca.label, serial, validity: ca.validity.certificate });
}

/**
 * `/var/lib/kubelet/pki/kubelet.crt`: the kubelet's self-signed serving pair as
 * certutil.GenerateSelfSignedCertKey makes it — a throwaway CA `<host>-ca@<unix time>` signing
 * `<host>@<unix time>` (DNS: host, IP: node IP), valid from an hour before start for a year;
 * the file holds the serving certificate then the CA.
 */
export function kubeletServingCertificate(label: string, node: { name: string; ip: string }, now: number): { certificate: string; key: string } {
  const stamp = Math.floor(now / 1000);
  const validFrom = now - 3600_000;
  const caKey = keyPairFrom(`${label}/kubelet-serving-ca/${node.name}`);
  const ca = issueCertificate({
    subject: { commonName: `${node.name}-ca@${stamp}` }, key: caKey, serial: serialFrom(`${label}/kubelet-serving-ca/${node.name}`),
    notBefore: validFrom, notAfter: validFrom + CERTIFICATE_VALIDITY_MS, isCA: true, usages: [],
  });
  const key = keyPairFrom(`${label}/kubelet-serving/${node.name}`);
  const leaf = issueCertificate({
    subject: { commonName: `${node.name}@${stamp}` }, key, serial: serialFrom(`${label}/kubelet-serving/${node.name}`),
    notBefore: validFrom, notAfter: validFrom + CERTIFICATE_VALIDITY_MS, usages: ["serverAuth"], dnsNames: [node.name], ipAddresses: [node.ip],
  }, { certificate: ca, key: caKey });
  return { certificate: leaf.pem + ca.pem, key: privateKeyPem(key) };
}

/**
 * `kubeadm certs renew`: a new certificate with the old one's subject, SANs and usages and the
 * same key (kubeadm renews from the existing certificate and key), signed by `ca` now and valid
 * for a year.
 */
export function renewCertificate(old: Certificate, key: KeyPair, ca: { certificate: Certificate; key: KeyPair }, now: number): Certificate {
  return issueCertificate({
    subject: { commonName: old.subject.commonName, organizations: old.subject.organizations }, key, serial: serialFrom(`${old.serial}@${now}`),
    notBefore: ca.certificate.notBefore, notAfter: now + CERTIFICATE_VALIDITY_MS, usages: old.usages,
    dnsNames: old.dnsNames, ipAddresses: old.ipAddresses, uris: old.uris,
  }, ca);
}
