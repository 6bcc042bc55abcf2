/**
 * `calicoctl get` over the Kubernetes datastore: IP pools, nodes, workload endpoints and network
 * policies (Kubernetes NetworkPolicies as Calico converts them, `knp.default.NAME`) with
 * calicoctl's own table templates (`ps` and `wide` columns, NAMESPACE first with
 * `--all-namespaces`), a named resource or all of a kind.
 *
 * @example
 * calicoctl get ippool -o wide
 * calicoctl get wep -A
 */
import type { Node } from "../../../api";
import { formatCIDR } from "../../../util/ipv4";
import { DEFAULT_ASN, NODE_ANNOTATIONS, type CalicoDatastore } from "../../cni";
import { byFelixOrder, toCalicoPolicy } from "../../policy";
import type { NetworkPolicy } from "../../../api";
import { tabwriter } from "./tables";

type Kind = "IPPool" | "Node" | "WorkloadEndpoint" | "NetworkPolicy";

/** The names calicoctl accepts for each kind (resourcemgr's registrations). */
const KINDS: Readonly<Record<string, Kind>> = {
  ippool: "IPPool", ippools: "IPPool", ipp: "IPPool", ipps: "IPPool", pool: "IPPool", pools: "IPPool",
  node: "Node", nodes: "Node", no: "Node", nos: "Node",
  workloadendpoint: "WorkloadEndpoint", workloadendpoints: "WorkloadEndpoint", wep: "WorkloadEndpoint", weps: "WorkloadEndpoint",
  networkpolicy: "NetworkPolicy", networkpolicies: "NetworkPolicy", netpol: "NetworkPolicy", netpols: "NetworkPolicy", policy: "NetworkPolicy", policies: "NetworkPolicy", pol: "NetworkPolicy", pols: "NetworkPolicy",
};

export function kindOf(word: string): Kind | undefined {
  return KINDS[word.toLowerCase()];
}

export interface GetOptions {
  kind: Kind;
  name?: string;
  wide: boolean;
  namespace: string;
  allNamespaces: boolean;
}

/** The rows (header first) calicoctl prints, or the error it fails with. */
export function getResources(calico: CalicoDatastore, o: GetOptions): { text: string } | { error: string } {
  if (o.kind === "IPPool") {
    const pools = calico.pools.filter((p) => o.name === undefined || p.name === o.name);
    if (o.name !== undefined && pools.length === 0) return { error: `Failed to get resources: resource does not exist: IPPool(${o.name}) with error: ippools.crd.projectcalico.org "${o.name}" not found` };
    const header = o.wide ? ["NAME", "CIDR", "NAT", "IPIPMODE", "VXLANMODE", "DISABLED", "DISABLEBGPEXPORT", "SELECTOR"] : ["NAME", "CIDR", "SELECTOR"];
    const rows = pools.map((p) => o.wide
      ? [p.name, formatCIDR(p.cidr), String(p.natOutgoing), p.ipipMode, p.vxlanMode, String(p.disabled), String(p.disableBGPExport), p.nodeSelector]
      : [p.name, formatCIDR(p.cidr), p.nodeSelector]);
    return { text: tabwriter([header, ...rows]) };
  }
  if (o.kind === "Node") {
    // In KDD every Kubernetes Node is a Calico Node; calico-node's annotations give it a BGP spec.
    const nodes = calico.store.list<Node>("Node").filter((n) => o.name === undefined || n.metadata.name === o.name).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    if (o.name !== undefined && nodes.length === 0) return { error: `Failed to get resources: resource does not exist: Node(${o.name}) with error: nodes "${o.name}" not found` };
    const header = o.wide ? ["NAME", "ASN", "IPV4", "IPV6"] : ["NAME"];
    const rows = nodes.map((n) => {
      const ipv4 = n.metadata.annotations?.[NODE_ANNOTATIONS.ipv4];
      const asn = n.metadata.annotations?.["projectcalico.org/ASNumber"] ?? `(${DEFAULT_ASN})`;
      return o.wide ? [n.metadata.name, ipv4 ? asn : "", ipv4 ?? "", ""] : [n.metadata.name];
    });
    return { text: tabwriter([header, ...rows]) };
  }
  if (o.kind === "NetworkPolicy") {
    // In KDD, Kubernetes NetworkPolicies appear as Calico policies `knp.default.<name>` (tier default, order 1000).
    const policies = calico.store.list<NetworkPolicy>("NetworkPolicy", o.allNamespaces ? {} : { namespace: o.namespace }).map(toCalicoPolicy).sort(byFelixOrder).filter((p) => o.name === undefined || p.name === o.name);
    if (o.name !== undefined && policies.length === 0) return { error: `Failed to get resources: resource does not exist: NetworkPolicy(${o.namespace}/${o.name}) with error: networkpolicies.crd.projectcalico.org "${o.name}" not found` };
    const columns = o.wide ? ["NAME", "ORDER", "SELECTOR"] : ["NAME"];
    const header = o.allNamespaces ? ["NAMESPACE", ...columns] : columns;
    const rows = policies.map((p) => [...(o.allNamespaces ? [p.namespace] : []), ...(o.wide ? [p.name, String(p.order), p.selector] : [p.name])]);
    return { text: tabwriter([header, ...rows]) };
  }
  const weps = calico.workloadEndpoints(o.allNamespaces ? undefined : o.namespace).filter((w) => o.name === undefined || w.name === o.name);
  if (o.name !== undefined && weps.length === 0) return { error: `Failed to get resources: resource does not exist: WorkloadEndpoint(${o.namespace}/${o.name}) with error: <nil>` };
  const columns = o.wide ? ["NAME", "WORKLOAD", "NODE", "NETWORKS", "INTERFACE", "PROFILES", "NATS"] : ["WORKLOAD", "NODE", "NETWORKS", "INTERFACE"];
  const header = o.allNamespaces ? ["NAMESPACE", ...columns] : columns;
  const rows = weps.map((w) => {
    const cells: Record<string, string> = { NAME: w.name, WORKLOAD: w.pod, NODE: w.node, NETWORKS: w.ipNetworks.join(","), INTERFACE: w.interfaceName, PROFILES: w.profiles.join(","), NATS: "" };
    return [...(o.allNamespaces ? [w.namespace] : []), ...columns.map((c) => cells[c])];
  });
  return { text: tabwriter([header, ...rows]) };
}
