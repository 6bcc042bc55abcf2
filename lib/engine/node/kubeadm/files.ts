/**
 * The files `kubeadm init`/`join` and the packages leave on a node: kubeconfigs
 * (`admin.conf` — also `/root/.kube/config` on the control plane — `kubelet.conf`,
 * `controller-manager.conf`, `scheduler.conf`), `/var/lib/kubelet/config.yaml` and
 * `kubeadm-flags.env`, the kubelet and containerd systemd units, `/etc/crictl.yaml`,
 * `/etc/containerd/config.toml`, the PKI directory and the static pod manifests.
 *
 * Certificates and keys are PEM-shaped blocks of seeded random bytes: the right files in
 * the right places, not parseable X.509 (the mesh lesson's WebCrypto layer will mint real ones).
 *
 * @example
 * writeKubeadmFiles(node.fs, { node, controlPlane, scenario, rng, runtime: "containerd" });
 * node.fs.readFile("/var/lib/kubelet/config.yaml"); // "apiVersion: kubelet.config.k8s.io/v1beta1\n…"
 */
import type { NodeSpec, ScenarioSpec } from "../../scenarios";
import type { FileSystem } from "../../shell";
import { encodeBase64 } from "../../util/base64";
import type { Rng } from "../../util/rng";
import { staticPodManifests } from "./manifests";

export interface KubeadmInit {
  node: NodeSpec;
  controlPlane: NodeSpec;
  scenario: ScenarioSpec;
  rng: Rng;
  /** The cluster CA certificate (shared by every node). */
  caCert: string;
  clusterDNS: string;
}

/** A PEM block of `bytes` seeded random bytes. */
export function pemBlock(label: string, rng: Rng, bytes: number): string {
  const raw = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) raw[i] = rng.int(256);
  const body = encodeBase64(raw).match(/.{1,64}/g)!.join("\n");
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

function kubeconfig(server: string, caCert: string, user: string, cert: string, key: string, cluster = "kubernetes"): string {
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

/** Writes everything kubeadm and the packages put on this node. */
export function writeKubeadmFiles(fs: FileSystem, init: KubeadmInit): void {
  const { node, controlPlane, scenario, rng, caCert } = init;
  const server = `https://${controlPlane.ip}:6443`;
  const isControlPlane = node.role === "control-plane";
  fs.mkdirp("/etc/kubernetes/manifests");
  fs.writeFile("/etc/kubernetes/pki/ca.crt", caCert, { parents: true });
  fs.writeFile("/etc/kubernetes/kubelet.conf", kubeletKubeconfig(server, caCert), { mode: 0o600 });
  const clientPem = pemBlock("CERTIFICATE", rng, 760) + pemBlock("EC PRIVATE KEY", rng, 121);
  fs.writeFile("/var/lib/kubelet/pki/kubelet-client-current.pem", clientPem, { parents: true, mode: 0o600 });
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
  for (const [file, label, bytes] of [
    ["ca.key", "RSA PRIVATE KEY", 1192], ["apiserver.crt", "CERTIFICATE", 1290], ["apiserver.key", "RSA PRIVATE KEY", 1192],
    ["apiserver-kubelet-client.crt", "CERTIFICATE", 1144], ["apiserver-kubelet-client.key", "RSA PRIVATE KEY", 1192],
    ["apiserver-etcd-client.crt", "CERTIFICATE", 1144], ["apiserver-etcd-client.key", "RSA PRIVATE KEY", 1192],
    ["front-proxy-ca.crt", "CERTIFICATE", 1094], ["front-proxy-ca.key", "RSA PRIVATE KEY", 1192],
    ["front-proxy-client.crt", "CERTIFICATE", 1110], ["front-proxy-client.key", "RSA PRIVATE KEY", 1192],
    ["sa.key", "RSA PRIVATE KEY", 1192], ["sa.pub", "PUBLIC KEY", 294],
    ["etcd/ca.crt", "CERTIFICATE", 1086], ["etcd/ca.key", "RSA PRIVATE KEY", 1192], ["etcd/server.crt", "CERTIFICATE", 1180],
    ["etcd/server.key", "RSA PRIVATE KEY", 1192], ["etcd/peer.crt", "CERTIFICATE", 1180], ["etcd/peer.key", "RSA PRIVATE KEY", 1192],
    ["etcd/healthcheck-client.crt", "CERTIFICATE", 1144], ["etcd/healthcheck-client.key", "RSA PRIVATE KEY", 1192],
  ] as const) {
    fs.writeFile(`/etc/kubernetes/pki/${file}`, pemBlock(label, rng, bytes), { parents: true, mode: label.includes("PRIVATE") ? 0o600 : 0o644 });
  }
  const admin = kubeconfig(server, caCert, "kubernetes-admin", pemBlock("CERTIFICATE", rng, 1152), pemBlock("RSA PRIVATE KEY", rng, 1192));
  fs.writeFile("/etc/kubernetes/admin.conf", admin, { mode: 0o600 });
  fs.writeFile("/etc/kubernetes/super-admin.conf", kubeconfig(server, caCert, "kubernetes-super-admin", pemBlock("CERTIFICATE", rng, 1152), pemBlock("RSA PRIVATE KEY", rng, 1192)), { mode: 0o600 });
  fs.writeFile("/etc/kubernetes/controller-manager.conf", kubeconfig(server, caCert, "system:kube-controller-manager", pemBlock("CERTIFICATE", rng, 1160), pemBlock("RSA PRIVATE KEY", rng, 1192)), { mode: 0o600 });
  fs.writeFile("/etc/kubernetes/scheduler.conf", kubeconfig(server, caCert, "system:kube-scheduler", pemBlock("CERTIFICATE", rng, 1144), pemBlock("RSA PRIVATE KEY", rng, 1192)), { mode: 0o600 });
  fs.writeFile("/root/.kube/config", admin, { parents: true, mode: 0o600 });
  fs.mkdirp("/var/lib/etcd/member");
  const manifests = staticPodManifests({ name: node.name, ip: node.ip, version: scenario.kubernetesVersion, podCidr: scenario.network.podCidr, serviceCidr: scenario.network.serviceCidr, clusterDomain: scenario.network.clusterDomain });
  for (const [file, text] of Object.entries(manifests)) fs.writeFile(`/etc/kubernetes/manifests/${file}`, text, { mode: 0o600 });
}
