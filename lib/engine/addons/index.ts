// The cluster add-ons a scenario installs after `kubeadm init`: kube-proxy, CoreDNS and the
// CNI's own components, as YAML manifests in the shape their upstream installers use.
import type { ScenarioSpec } from "../scenarios";
import { bootstrapRbacManifests } from "./bootstrap-rbac";
import { calicoManifests } from "./calico";
import { corednsManifests } from "./coredns";
import { flannelManifests } from "./flannel";
import { ingressNginxManifests } from "./ingress-nginx";
import { istioManifests } from "./istio";
import { kubeProxyManifests } from "./kube-proxy";
import { kubeadmConfigManifests } from "./kubeadm-config";
import { nfsServerManifests } from "./nfs-server";

/** The tenth address of the service range, where kubeadm puts the cluster DNS Service. */
export function clusterDnsIP(serviceCidr: string): string {
  const [base] = serviceCidr.split("/");
  const octets = base.split(".").map(Number);
  return [octets[0], octets[1], octets[2], octets[3] + 10].join(".");
}

/** Every add-on manifest for the scenario, in install order, as one multi-document YAML text. */
export function addonManifests(scenario: ScenarioSpec): string {
  const controlPlane = scenario.nodes.find((n) => n.role === "control-plane")!;
  const docs = [
    bootstrapRbacManifests(),
    kubeadmConfigManifests(scenario),
    kubeProxyManifests({
      version: scenario.kubernetesVersion,
      mode: scenario.kubeProxy.mode,
      podCidr: scenario.network.podCidr,
      apiServer: controlPlane.ip,
    }),
  ];
  if (scenario.addons.includes("coredns")) {
    docs.push(corednsManifests({ clusterDomain: scenario.network.clusterDomain, dnsIP: clusterDnsIP(scenario.network.serviceCidr) }));
  }
  const { plugin, backend } = scenario.cni;
  if (plugin === "flannel") docs.push(flannelManifests({ podCidr: scenario.network.podCidr, backend: backend === "host-gw" ? "host-gw" : "vxlan" }));
  if (plugin === "calico") {
    const mode = backend ?? "ipip";
    docs.push(calicoManifests({
      podCidr: scenario.network.podCidr,
      ipip: mode === "ipip" ? "Always" : mode === "ipip-cross-subnet" ? "CrossSubnet" : "Never",
      vxlan: mode === "vxlan" ? "Always" : mode === "vxlan-cross-subnet" ? "CrossSubnet" : "Never",
      wireguard: scenario.cni.wireguard,
    }));
  }
  if (scenario.addons.includes("ingress-nginx")) docs.push(ingressNginxManifests());
  if (scenario.addons.includes("istio")) docs.push(istioManifests({ installedAt: Date.parse(scenario.createdAt) }));
  if (scenario.addons.includes("nfs-server")) docs.push(nfsServerManifests());
  return docs.join("\n---\n");
}
