// The kubeadm-config ConfigMap `kubeadm init` uploads to kube-system (its uploadconfig phase):
// the ClusterConfiguration (kubeadm.k8s.io/v1beta4) the cluster was made with, which
// `kubeadm certs`, `upgrade` and `join` read back — ECDSA-P256 keys and the certificates'
// validity periods among it (lib/engine/pki follows the same fields).
import { CA_CERTIFICATE_VALIDITY_MS, CERTIFICATE_VALIDITY_MS } from "../pki";
import { parseGoDuration } from "../kubectl/parse";
import type { ScenarioSpec } from "../scenarios";

/** Go's Duration.String() for whole seconds: `8760h0m0s`, `30m0s`, `45s`. */
function goDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h) return `${h}h${m}m${s}s`;
  return m ? `${m}m${s}s` : `${s}s`;
}

const period = (text: string | undefined, fallback: number) => goDuration(text === undefined ? fallback : (parseGoDuration(text) ?? fallback));

export function kubeadmConfigManifests(scenario: ScenarioSpec): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: kubeadm-config
  namespace: kube-system
data:
  ClusterConfiguration: |
    apiServer: {}
    apiVersion: kubeadm.k8s.io/v1beta4
    caCertificateValidityPeriod: ${period(scenario.kubeadm?.caCertificateValidityPeriod, CA_CERTIFICATE_VALIDITY_MS)}
    certificateValidityPeriod: ${period(scenario.kubeadm?.certificateValidityPeriod, CERTIFICATE_VALIDITY_MS)}
    certificatesDir: /etc/kubernetes/pki
    clusterName: kubernetes
    controllerManager: {}
    dns: {}
    encryptionAlgorithm: ECDSA-P256
    etcd:
      local:
        dataDir: /var/lib/etcd
    imageRepository: registry.k8s.io
    kind: ClusterConfiguration
    kubernetesVersion: ${scenario.kubernetesVersion}
    networking:
      dnsDomain: ${scenario.network.clusterDomain}
      podSubnet: ${scenario.network.podCidr}
      serviceSubnet: ${scenario.network.serviceCidr}
    proxy: {}
    scheduler: {}
`;
}
