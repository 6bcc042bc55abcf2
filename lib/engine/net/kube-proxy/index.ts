// kube-proxy: one proxier per node (iptables or IPVS mode, as its ConfigMap says), the chains
// and names it writes, and the kubelet's own iptables chains it lives beside.
import type { Cluster } from "../../cluster/cluster";
import { KubeProxy } from "./proxier";

export { KubeProxy, type ProxyInstance } from "./proxier";
export { parseProxyConfig, type ProxyConfig } from "./config";
export { portProtoHash, servicePortChainName, servicePortEndpointChainName, probability } from "./chain-names";
export { syncKubeletChains } from "./kubelet-chains";

/** Registers every node's kube-proxy; each starts proxying once its pod's container runs. */
export function startKubeProxies(cluster: Cluster): void {
  for (const node of cluster.nodes.keys()) cluster.register(new KubeProxy(cluster, node));
}
