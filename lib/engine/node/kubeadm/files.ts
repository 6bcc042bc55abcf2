/**
 * The files `kubeadm init`/`join` and the packages leave on a node: kubeconfigs
 * (`admin.conf` — also `/root/.kube/config` on the control plane — `kubelet.conf`,
 * `controller-manager.conf`, `scheduler.conf`, `super-admin.conf`), `/var/lib/kubelet/config.yaml` and
 * `kubeadm-flags.env`, the kubelet and containerd systemd units, `/etc/crictl.yaml`,
 * `/etc/containerd/config.toml`, the PKI directory and the static pod manifests.
 *
 * The PKI is real X.509 (lib/engine/pki): kubeadm's three CAs, the control plane's certificates
 * and keys under /etc/kubernetes/pki, the client certificates embedded in the kubeconfigs,
 * the SA signing key pair, and on every node the kubelet's client certificate
 * (`system:node:<name>`) and its self-signed serving certificate. Signing them all would be most
 * of a boot, and a session reads a few (kubectl: the CA, apiserver.crt, admin.conf), so each
 * file but ca.crt and ca.key is written lazily: a recipe (util/lazy.ts) that makes the file's
 * bytes when something first reads it. The serials are drawn now, in kubeadm's order, so the
 * bytes are those an eager boot would have written.
 *
 * @example
 * writeKubeadmFiles(node.fs, { node, controlPlane, scenario, rng, ca, clusterDNS });
 * node.fs.readFile("/etc/kubernetes/pki/apiserver.crt"); // "-----BEGIN CERTIFICATE-----\n…"
 */
import type { NodeSpec, ScenarioSpec } from "../../scenarios";
import type { FileSystem } from "../../shell";
import { encodeBase64 } from "../../util/base64";
import { formatIP, parseCIDR } from "../../util/ipv4";
import { force, lazy, type Lazy } from "../../util/lazy";
import type { Rng } from "../../util/rng";
import {
  KUBEADM_CAS, KUBEADM_CERTIFICATES, kubeadmCA, keyPairFrom, kubeletClientCertificate, kubeletServingCertificate, privateKeyPem, publicKeyPem,
  randomSerial, signKubeadmCertificate, type ClusterCA, type KeyPair, type KubeadmCA, type NodeIdentity, type SignOptions,
} from "../../pki";
import { staticPodManifests } from "./manifests";

export interface KubeadmInit {
  node: NodeSpec;
  controlPlane: NodeSpec;
  scenario: ScenarioSpec;
  /** Draws the certificates' serial numbers (kubeadm draws them from crypto/rand). */
  rng: Rng;
  /** The cluster CA (shared by every node). */
  ca: ClusterCA;
  clusterDNS: string;
}

/** A kubeconfig with the client certificate and key embedded (base64), as kubeadm writes them. */
export function kubeconfig(server: string, caCert: string, user: string, cert: string, key: string, cluster = "kubernetes"): string {
  const b64 = (s: string) => encodeBase64(s);
  return `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${b64(caCert)}
    server: ${server}
  name: ${cluster}
contexts:
- context:
    cluster: ${cluster}
    user: ${user}
  name: ${user}@${cluster}
current-context: ${user}@${cluster}
kind: Config
preferences: {}
users:
- name: ${user}
  user:
    client-certificate-data: ${b64(cert)}
    client-key-data: ${b64(key)}
`;
}

function kubeletKubeconfig(server: string, caCert: string): string {
  return `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${encodeBase64(caCert)}
    server: ${server}
  name: default-cluster
contexts:
- context:
    cluster: default-cluster
    namespace: default
    user: default-auth
  name: default-context
current-context: default-context
kind: Config
preferences: {}
users:
- name: default-auth
  user:
    client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem
    client-key: /var/lib/kubelet/pki/kubelet-client-current.pem
`;
}

function kubeletConfig(clusterDNS: string, clusterDomain: string): string {
  return `apiVersion: kubelet.config.k8s.io/v1beta1
authentication:
  anonymous:
    enabled: false
  webhook:
    cacheTTL: 0s
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
  webhook:
    cacheAuthorizedTTL: 0s
    cacheUnauthorizedTTL: 0s
cgroupDriver: systemd
clusterDNS:
- ${clusterDNS}
clusterDomain: ${clusterDomain}
containerRuntimeEndpoint: ""
cpuManagerReconcilePeriod: 0s
crashLoopBackOff: {}
evictionPressureTransitionPeriod: 0s
fileCheckFrequency: 0s
healthzBindAddress: 127.0.0.1
healthzPort: 10248
httpCheckFrequency: 0s
imageMaximumGCAge: 0s
imageMinimumGCAge: 0s
kind: KubeletConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: "0"
    text:
      infoBufferSize: "0"
  verbosity: 0
memorySwap: {}
nodeStatusReportFrequency: 0s
nodeStatusUpdateFrequency: 0s
resolvConf: /run/systemd/resolve/resolv.conf
rotateCertificates: true
runtimeRequestTimeout: 0s
shutdownGracePeriod: 0s
shutdownGracePeriodCriticalPods: 0s
staticPodPath: /etc/kubernetes/manifests
streamingConnectionIdleTimeout: 0s
syncFrequency: 0s
volumeStatsAggPeriod: 0s
`;
}

const KUBELET_UNIT = `[Unit]
Description=kubelet: The Kubernetes Node Agent
Documentation=https://kubernetes.io/docs/
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=/usr/bin/kubelet
Restart=always
StartLimitInterval=0
RestartSec=10

[Install]
WantedBy=multi-user.target
`;

const KUBEADM_DROPIN = `# Note: This dropin only works with kubeadm and kubelet v1.11+
[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
# This is a file that "kubeadm init" and "kubeadm join" generates at runtime, populating the KUBELET_KUBEADM_ARGS variable dynamically
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
# This is a file that the user can use for overrides of the kubelet args as a last resort. Preferably, the user should use
# the .NodeRegistration.KubeletExtraArgs object in the configuration files instead. KUBELET_EXTRA_ARGS should be sourced from this file.
EnvironmentFile=-/etc/default/kubelet
ExecStart=
ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
`;

const CONTAINERD_UNIT = `[Unit]
Description=containerd container runtime
Documentation=https://containerd.io
After=network.target local-fs.target

[Service]
ExecStartPre=-/sbin/modprobe overlay
ExecStart=/usr/bin/containerd

Type=notify
Delegate=yes
KillMode=process
Restart=always
RestartSec=5
LimitNPROC=infinity
LimitCORE=infinity
TasksMax=infinity
OOMScoreAdjust=-999

[Install]
WantedBy=multi-user.target
`;

const CONTAINERD_CONFIG = `version = 2

[plugins]
  [plugins."io.containerd.grpc.v1.cri"]
    sandbox_image = "registry.k8s.io/pause:3.10"

    [plugins."io.containerd.grpc.v1.cri".cni]
      bin_dir = "/opt/cni/bin"
      conf_dir = "/etc/cni/net.d"

    [plugins."io.containerd.grpc.v1.cri".containerd]
      default_runtime_name = "runc"

      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
        runtime_type = "io.containerd.runc.v2"

        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
          SystemdCgroup = true
`;

/** The CRI socket kubeadm records for the node (and the kubelet is started with). */
export function criSocket(runtime: string): string {
  return runtime === "docker" ? "unix:///var/run/cri-dockerd.sock" : "unix:///var/run/containerd/containerd.sock";
}

/** The node as kubeadm's SANs name it. */
export function nodeIdentity(node: NodeSpec, scenario: ScenarioSpec): NodeIdentity {
  const services = parseCIDR(scenario.network.serviceCidr)!;
  return Object.freeze({ name: node.name, ip: node.ip, clusterDomain: scenario.network.clusterDomain, apiServiceIP: formatIP(services.base + 1) });
}

/** Writes everything kubeadm and the packages put on this node. */
export function writeKubeadmFiles(fs: FileSystem, init: KubeadmInit): void {
  const { node, controlPlane, scenario, ca } = init;
  const server = `https://${controlPlane.ip}:6443`;
  const isControlPlane = node.role === "control-plane";
  const now = ca.notBefore;
  fs.mkdirp("/etc/kubernetes/manifests");
  fs.writeFile("/etc/kubernetes/pki/ca.crt", ca.certificate, { parents: true });
  fs.writeFile("/etc/kubernetes/kubelet.conf", kubeletKubeconfig(server, ca.certificate), { mode: 0o600 });
  const client = lazy(kubeletClientPair, ca, node.name, now, randomSerial(init.rng));
  fs.writeLazyFile("/var/lib/kubelet/pki/kubelet-client-current.pem", lazy(certificateAndKeyText, client), { parents: true, mode: 0o600 });
  const serving = lazy(kubeletServingCertificate, ca.label, Object.freeze({ name: node.name, ip: node.ip }), now);
  fs.writeLazyFile("/var/lib/kubelet/pki/kubelet.crt", lazy(certificateText, serving));
  fs.writeLazyFile("/var/lib/kubelet/pki/kubelet.key", lazy(keyText, serving), { mode: 0o600 });
  fs.writeFile("/var/lib/kubelet/config.yaml", kubeletConfig(init.clusterDNS, scenario.network.clusterDomain));
  fs.writeFile("/var/lib/kubelet/kubeadm-flags.env", `KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=${criSocket(scenario.runtime)} --pod-infra-container-image=registry.k8s.io/pause:3.10"\n`);
  fs.writeFile("/usr/lib/systemd/system/kubelet.service", KUBELET_UNIT, { parents: true });
  fs.writeFile("/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf", KUBEADM_DROPIN, { parents: true });
  fs.writeFile("/usr/lib/systemd/system/containerd.service", CONTAINERD_UNIT);
  fs.writeFile("/etc/containerd/config.toml", CONTAINERD_CONFIG, { parents: true });
  fs.writeFile("/etc/crictl.yaml", "runtime-endpoint: unix:///run/containerd/containerd.sock\nimage-endpoint: unix:///run/containerd/containerd.sock\ntimeout: 10\ndebug: false\n");
  fs.writeFile("/run/systemd/resolve/resolv.conf", "# This is /run/systemd/resolve/resolv.conf managed by man:systemd-resolved(8).\n# Do not edit.\n\nnameserver 8.8.8.8\nnameserver 1.1.1.1\n", { parents: true });
  for (const bin of ["kubelet", "kubeadm", "containerd", "containerd-shim-runc-v2", "runc", "ctr"]) fs.writeFile(`/usr/bin/${bin}`, "", { mode: 0o755 });
  if (!isControlPlane) return;
  writeControlPlanePki(fs, init, server);
  fs.mkdirp("/var/lib/etcd/member");
  const manifests = staticPodManifests({ name: node.name, ip: node.ip, version: scenario.kubernetesVersion, podCidr: scenario.network.podCidr, serviceCidr: scenario.network.serviceCidr, clusterDomain: scenario.network.clusterDomain });
  for (const [file, text] of Object.entries(manifests)) fs.writeFile(`/etc/kubernetes/manifests/${file}`, text, { mode: 0o600 });
}

/** /etc/kubernetes/pki and the kubeconfigs of the control plane, as `kubeadm init` leaves them. */
function writeControlPlanePki(fs: FileSystem, init: KubeadmInit, server: string): void {
  const { ca } = init;
  const cas = new Map(KUBEADM_CAS.map((c) => [c.name, lazy(kubeadmCA, ca, c.name)]));
  for (const { name, file } of KUBEADM_CAS.slice(1)) writePair(fs, file, lazy(caText, cas.get(name)!, "certificate"), lazy(caText, cas.get(name)!, "key"));
  fs.writeFile("/etc/kubernetes/pki/ca.key", ca.key, { mode: 0o600 });
  const saKey = lazy(keyPairFrom, `${ca.label}/sa`);
  fs.writeLazyFile("/etc/kubernetes/pki/sa.key", lazy(privateKeyText, saKey), { mode: 0o600 });
  fs.writeLazyFile("/etc/kubernetes/pki/sa.pub", lazy(publicKeyText, saKey));
  const identity = nodeIdentity(init.node, init.scenario);
  for (const spec of KUBEADM_CERTIFICATES) {
    const options: SignOptions = Object.freeze({ label: ca.label, serial: randomSerial(init.rng), validity: ca.validity.certificate });
    const pair = lazy(signedPair, spec.name, cas.get(spec.ca)!, identity, ca.notBefore, options);
    if (!spec.kubeconfig) {
      writePair(fs, spec.file, lazy(certificateText, pair), lazy(keyText, pair));
      continue;
    }
    const text = lazy(kubeconfigText, server, ca.certificate, spec.subject(identity).commonName, pair);
    fs.writeLazyFile(`/etc/kubernetes/${spec.file}`, text, { mode: 0o600 });
    if (spec.name === "admin.conf") fs.writeLazyFile("/root/.kube/config", text, { parents: true, mode: 0o600 });
  }
}

function writePair(fs: FileSystem, file: string, certificate: Lazy<string>, key: Lazy<string>): void {
  fs.writeLazyFile(`/etc/kubernetes/pki/${file}.crt`, certificate, { parents: true });
  fs.writeLazyFile(`/etc/kubernetes/pki/${file}.key`, key, { mode: 0o600 });
}

// The recipes' makers: module-level (they capture nothing), their arguments frozen data, so
// the file systems of a boot template and its forks share the recipes and what they made.

/** A certificate and its key in PEM. */
interface PemPair {
  readonly certificate: string;
  readonly key: string;
}

function signedPair(name: string, ca: Lazy<KubeadmCA>, identity: NodeIdentity, now: number, options: SignOptions): PemPair {
  const issued = signKubeadmCertificate(KUBEADM_CERTIFICATES.find((s) => s.name === name)!, force(ca), identity, now, options);
  return { certificate: issued.certificate.pem, key: issued.key };
}

function kubeletClientPair(ca: ClusterCA, nodeName: string, now: number, serial: bigint): PemPair {
  const issued = kubeletClientCertificate(ca, nodeName, now, serial);
  return { certificate: issued.certificate.pem, key: issued.key };
}

function caText(ca: Lazy<KubeadmCA>, part: "certificate" | "key"): string {
  return force(ca)[part];
}

function certificateText(pair: Lazy<PemPair>): string {
  return force(pair).certificate;
}

function keyText(pair: Lazy<PemPair>): string {
  return force(pair).key;
}

/** kubelet-client-current.pem: the certificate, then its key. */
function certificateAndKeyText(pair: Lazy<PemPair>): string {
  return force(pair).certificate + force(pair).key;
}

function kubeconfigText(server: string, caCert: string, user: string, pair: Lazy<PemPair>): string {
  return kubeconfig(server, caCert, user, force(pair).certificate, force(pair).key);
}

function privateKeyText(key: Lazy<KeyPair>): string {
  return privateKeyPem(force(key));
}

function publicKeyText(key: Lazy<KeyPair>): string {
  return publicKeyPem(force(key));
}
