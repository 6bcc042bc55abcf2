/**
 * The control plane's static pod manifests as `kubeadm init` v1.32 writes them to
 * `/etc/kubernetes/manifests` on an Ubuntu node: flags, probes, resources, hostPath volumes,
 * `hostNetwork`, `system-node-critical`, in kubeadm's YAML layout (sorted keys, unindented
 * lists, `creationTimestamp: null`, `status: {}`).
 *
 * @example
 * staticPodManifests({ name: "controlplane", ip: "172.30.1.2", version: "v1.32.4", podCidr: "10.244.0.0/16", serviceCidr: "10.96.0.0/12" })["kube-scheduler.yaml"];
 */
import { stringify } from "yaml";
import { PureCache } from "../../util/pure-cache";

export interface ControlPlaneInit {
  name: string;
  ip: string;
  version: string;
  podCidr: string;
  serviceCidr: string;
  clusterDomain: string;
}

const probe = (host: string, path: string, port: number, scheme: string, extra: Record<string, number>) => ({
  failureThreshold: extra.failureThreshold,
  httpGet: { host, path, port, scheme },
  ...(extra.initialDelaySeconds ? { initialDelaySeconds: extra.initialDelaySeconds } : {}),
  periodSeconds: extra.periodSeconds,
  timeoutSeconds: 15,
});
const liveness = (host: string, path: string, port: number, scheme: string) => probe(host, path, port, scheme, { failureThreshold: 8, initialDelaySeconds: 10, periodSeconds: 10 });
const readiness = (host: string, path: string, port: number, scheme: string) => probe(host, path, port, scheme, { failureThreshold: 3, periodSeconds: 1 });
const startup = (host: string, path: string, port: number, scheme: string) => probe(host, path, port, scheme, { failureThreshold: 24, initialDelaySeconds: 10, periodSeconds: 10 });

type Mount = [name: string, path: string, type: "DirectoryOrCreate" | "FileOrCreate", readOnly: boolean];

const CERTS: Mount[] = [
  ["ca-certs", "/etc/ssl/certs", "DirectoryOrCreate", true],
  ["etc-ca-certificates", "/etc/ca-certificates", "DirectoryOrCreate", true],
  ["k8s-certs", "/etc/kubernetes/pki", "DirectoryOrCreate", true],
  ["usr-local-share-ca-certificates", "/usr/local/share/ca-certificates", "DirectoryOrCreate", true],
  ["usr-share-ca-certificates", "/usr/share/ca-certificates", "DirectoryOrCreate", true],
];

/** Volumes are listed by name; so are mounts, except etcd's, which kubeadm lists data first. */
function pod(name: string, container: Record<string, unknown>, mounts: Mount[], annotations?: Record<string, string>): string {
  const byName = [...mounts].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const ordered = name === "etcd" ? mounts : byName;
  const doc = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { ...(annotations ? { annotations } : {}), creationTimestamp: null, labels: { component: name, tier: "control-plane" }, name, namespace: "kube-system" },
    spec: {
      containers: [{ ...container, imagePullPolicy: "IfNotPresent", name, volumeMounts: ordered.map(([n, path, , ro]) => ({ mountPath: path, name: n, ...(ro ? { readOnly: true } : {}) })) }],
      hostNetwork: true,
      priority: 2000001000,
      priorityClassName: "system-node-critical",
      securityContext: { seccompProfile: { type: "RuntimeDefault" } },
      volumes: byName.map(([n, path, type]) => ({ hostPath: { path, type }, name: n })),
    },
    status: {},
  };
  return stringify(doc, { indentSeq: false, sortMapEntries: true });
}

// Rendering YAML is slow next to everything else a cluster does at start; the text depends
// only on the inputs, so clusters built alike share it.
const rendered = new PureCache<Record<string, string>>(32);

/** File name → content of the four manifests. */
export function staticPodManifests(cp: ControlPlaneInit): Record<string, string> {
  return rendered.get(JSON.stringify(cp), () => render(cp));
}

function render(cp: ControlPlaneInit): Record<string, string> {
  const image = (component: string, tag: string) => `registry.k8s.io/${component}:${tag}`;
  const etcd = pod("etcd", {
    command: [
      "etcd", `--advertise-client-urls=https://${cp.ip}:2379`, "--cert-file=/etc/kubernetes/pki/etcd/server.crt", "--client-cert-auth=true",
      "--data-dir=/var/lib/etcd", "--experimental-initial-corrupt-check=true", "--experimental-watch-progress-notify-interval=5s",
      `--initial-advertise-peer-urls=https://${cp.ip}:2380`, `--initial-cluster=${cp.name}=https://${cp.ip}:2380`, "--key-file=/etc/kubernetes/pki/etcd/server.key",
      `--listen-client-urls=https://127.0.0.1:2379,https://${cp.ip}:2379`, "--listen-metrics-urls=http://127.0.0.1:2381", `--listen-peer-urls=https://${cp.ip}:2380`,
      `--name=${cp.name}`, "--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt", "--peer-client-cert-auth=true", "--peer-key-file=/etc/kubernetes/pki/etcd/peer.key",
      "--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt", "--snapshot-count=10000", "--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt",
    ],
    image: image("etcd", "3.5.16-0"),
    livenessProbe: liveness("127.0.0.1", "/livez", 2381, "HTTP"),
    readinessProbe: readiness("127.0.0.1", "/readyz", 2381, "HTTP"),
    resources: { requests: { cpu: "100m", memory: "100Mi" } },
    startupProbe: startup("127.0.0.1", "/readyz", 2381, "HTTP"),
  }, [["etcd-data", "/var/lib/etcd", "DirectoryOrCreate", false], ["etcd-certs", "/etc/kubernetes/pki/etcd", "DirectoryOrCreate", false]], { "kubeadm.kubernetes.io/etcd.advertise-client-urls": `https://${cp.ip}:2379` });
  const apiserver = pod("kube-apiserver", {
    command: [
      "kube-apiserver", `--advertise-address=${cp.ip}`, "--allow-privileged=true", "--authorization-mode=Node,RBAC", "--client-ca-file=/etc/kubernetes/pki/ca.crt",
      "--enable-admission-plugins=NodeRestriction", "--enable-bootstrap-token-auth=true", "--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt",
      "--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt", "--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key", "--etcd-servers=https://127.0.0.1:2379",
      "--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt", "--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key",
      "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname", "--proxy-client-cert-file=/etc/kubernetes/pki/front-proxy-client.crt",
      "--proxy-client-key-file=/etc/kubernetes/pki/front-proxy-client.key", "--requestheader-allowed-names=front-proxy-client",
      "--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt", "--requestheader-extra-headers-prefix=X-Remote-Extra-",
      "--requestheader-group-headers=X-Remote-Group", "--requestheader-username-headers=X-Remote-User", "--secure-port=6443",
      `--service-account-issuer=https://kubernetes.default.svc.${cp.clusterDomain}`, "--service-account-key-file=/etc/kubernetes/pki/sa.pub",
      "--service-account-signing-key-file=/etc/kubernetes/pki/sa.key", `--service-cluster-ip-range=${cp.serviceCidr}`,
      "--tls-cert-file=/etc/kubernetes/pki/apiserver.crt", "--tls-private-key-file=/etc/kubernetes/pki/apiserver.key",
    ],
    image: image("kube-apiserver", cp.version),
    livenessProbe: liveness(cp.ip, "/livez", 6443, "HTTPS"),
    readinessProbe: readiness(cp.ip, "/readyz", 6443, "HTTPS"),
    resources: { requests: { cpu: "250m" } },
    startupProbe: startup(cp.ip, "/livez", 6443, "HTTPS"),
  }, CERTS, { "kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint": `${cp.ip}:6443` });
  const controllerManager = pod("kube-controller-manager", {
    command: [
      "kube-controller-manager", "--allocate-node-cidrs=true", "--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf",
      "--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf", "--bind-address=127.0.0.1", "--client-ca-file=/etc/kubernetes/pki/ca.crt",
      `--cluster-cidr=${cp.podCidr}`, "--cluster-name=kubernetes", "--cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt",
      "--cluster-signing-key-file=/etc/kubernetes/pki/ca.key", "--controllers=*,bootstrapsigner,tokencleaner", "--kubeconfig=/etc/kubernetes/controller-manager.conf",
      "--leader-elect=true", "--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt", "--root-ca-file=/etc/kubernetes/pki/ca.crt",
      "--service-account-private-key-file=/etc/kubernetes/pki/sa.key", `--service-cluster-ip-range=${cp.serviceCidr}`, "--use-service-account-credentials=true",
    ],
    image: image("kube-controller-manager", cp.version),
    livenessProbe: liveness("127.0.0.1", "/healthz", 10257, "HTTPS"),
    resources: { requests: { cpu: "200m" } },
    startupProbe: startup("127.0.0.1", "/healthz", 10257, "HTTPS"),
  }, [...CERTS, ["flexvolume-dir", "/usr/libexec/kubernetes/kubelet-plugins/volume/exec", "DirectoryOrCreate", false], ["kubeconfig", "/etc/kubernetes/controller-manager.conf", "FileOrCreate", true]]);
  const scheduler = pod("kube-scheduler", {
    command: [
      "kube-scheduler", "--authentication-kubeconfig=/etc/kubernetes/scheduler.conf", "--authorization-kubeconfig=/etc/kubernetes/scheduler.conf",
      "--bind-address=127.0.0.1", "--kubeconfig=/etc/kubernetes/scheduler.conf", "--leader-elect=true",
    ],
    image: image("kube-scheduler", cp.version),
    livenessProbe: liveness("127.0.0.1", "/livez", 10259, "HTTPS"),
    readinessProbe: readiness("127.0.0.1", "/readyz", 10259, "HTTPS"),
    resources: { requests: { cpu: "100m" } },
    startupProbe: startup("127.0.0.1", "/livez", 10259, "HTTPS"),
  }, [["kubeconfig", "/etc/kubernetes/scheduler.conf", "FileOrCreate", true]]);
  return { "etcd.yaml": etcd, "kube-apiserver.yaml": apiserver, "kube-controller-manager.yaml": controllerManager, "kube-scheduler.yaml": scheduler };
}
