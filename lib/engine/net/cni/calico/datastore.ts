/**
 * Calico's view of the cluster in Kubernetes-datastore mode (KDD). Most of it is Kubernetes
 * objects read the way libcalico-go converts them: a Calico Node is a Node with calico-node's
 * `projectcalico.org/*` annotations, a WorkloadEndpoint is a pod the Calico CNI plugin wired
 * (its `cni.projectcalico.org/podIP(s)` annotations). What Calico keeps in its own custom
 * resources lives here: IP pools, IPAM blocks and handles, and, per node, the BGP speaker
 * (BIRD) that calico-node runs, with when it started or stopped.
 *
 * @example
 * const calico = cluster.network.calico!;
 * calico.workloadEndpoints("default"); // [{ name: "node01-k8s-web-eth0", interfaceName: "cali68caf03a5f4", … }]
 */
import type { Node, ObjectStore, Pod, Stored } from "../../../api";
import { caliVethName, workloadEndpointName } from "../names";
import { freezeDeep } from "../../../util/plain";
import { CalicoIpam, type IPPool } from "./ipam";

/** The annotations calico-node writes on its Node (the Calico Node resource in KDD). */
export const NODE_ANNOTATIONS = {
  ipv4: "projectcalico.org/IPv4Address",
  ipipTunnel: "projectcalico.org/IPv4IPIPTunnelAddr",
  vxlanTunnel: "projectcalico.org/IPv4VXLANTunnelAddr",
  vxlanMac: "projectcalico.org/VXLANTunnelMACAddr",
  wireguardKey: "projectcalico.org/WireguardPublicKey",
  wireguardAddr: "projectcalico.org/IPv4WireguardInterfaceAddr",
} as const;

/** The annotations the Calico CNI plugin writes on a pod it wired. */
export const POD_ANNOTATIONS = {
  containerID: "cni.projectcalico.org/containerID",
  podIP: "cni.projectcalico.org/podIP",
  podIPs: "cni.projectcalico.org/podIPs",
} as const;

/** The global default AS number (BGPConfiguration `default`), which nodes inherit. */
export const DEFAULT_ASN = 64512;

/** A WorkloadEndpoint (projectcalico.org/v3) as calicoctl prints it. */
export interface WorkloadEndpoint {
  name: string;
  namespace: string;
  node: string;
  pod: string;
  containerID: string;
  interfaceName: string;
  ipNetworks: string[];
  profiles: string[];
}

/** One node's BIRD: running since, or stopped since; `machineOff` when its node lost power. */
export interface BirdState {
  running: boolean;
  since: number;
  machineOff: boolean;
}

export class CalicoDatastore {
  readonly pools: IPPool[] = [];
  readonly ipam = new CalicoIpam();
  /** BIRD per node, for nodes whose calico-node ran at least once. */
  readonly bird = new Map<string, BirdState>();
  /** Whether calico-node runs BIRD (`calico_backend: bird`) or only Felix (`vxlan`). */
  bgp = true;
  /** Whether Calico's custom resources exist (the cluster installed Calico). */
  installed = false;
  /** Per node, what Felix's last NAT pass checked against (felix-nat.ts). */
  readonly natChecked = new Map<string, readonly unknown[]>();
  /** Per node, the pod MTU Felix last wrote to /var/lib/calico/mtu. */
  readonly podMtu = new Map<string, number>();

  constructor(readonly store: ObjectStore) {}

  /** The pool IPAM assigns from: the first enabled one. */
  defaultPool(): IPPool | undefined {
    return this.pools.find((p) => !p.disabled);
  }

  /** Nodes calico-node has registered (they carry its IPv4 address annotation), by name. */
  calicoNodes(): Stored<Node>[] {
    return this.store.list<Node>("Node").filter((n) => n.metadata.annotations?.[NODE_ANNOTATIONS.ipv4]).sort((a, b) => collator.compare(a.metadata.name, b.metadata.name));
  }

  /** KDD's pod → WorkloadEndpoint conversion: pods the plugin wired, optionally in one namespace. */
  workloadEndpoints(namespace?: string): WorkloadEndpoint[] {
    return this.wiredPods(namespace).map((pod) => workloadEndpointOf(pod)!);
  }

  /** The pods the plugin wired, in their workload endpoints' order (namespace, then name). */
  wiredPods(namespace?: string): Stored<Pod>[] {
    const wired: { pod: Stored<Pod>; wep: WorkloadEndpoint }[] = [];
    for (const pod of this.store.list<Pod>("Pod", namespace === undefined ? {} : { namespace })) {
      const wep = workloadEndpointOf(pod);
      if (wep) wired.push({ pod, wep });
    }
    wired.sort((a, b) => collator.compare(a.wep.namespace, b.wep.namespace) || collator.compare(a.wep.name, b.wep.name));
    return wired.map((w) => w.pod);
  }
}

// localeCompare's order (the default locale's), without making a collator per comparison.
const collator = new Intl.Collator();

// A stored pod never changes, so its endpoint is made once (Felix asks on every pass).
const endpointOfPod = new WeakMap<Stored<Pod>, WorkloadEndpoint | null>();

/** The WorkloadEndpoint of one pod (frozen), or null when the plugin has not wired it or it has finished. */
export function workloadEndpointOf(pod: Stored<Pod>): WorkloadEndpoint | null {
  let wep = endpointOfPod.get(pod);
  if (wep === undefined) {
    wep = convert(pod);
    endpointOfPod.set(pod, wep);
  }
  return wep;
}

function convert(pod: Stored<Pod>): WorkloadEndpoint | null {
  const ips = pod.metadata.annotations?.[POD_ANNOTATIONS.podIPs] ?? pod.metadata.annotations?.[POD_ANNOTATIONS.podIP];
  const node = pod.spec.nodeName;
  if (!ips || !node || pod.spec.hostNetwork || pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") return null;
  const ns = pod.metadata.namespace ?? "default";
  return freezeDeep({
    name: workloadEndpointName(node, "k8s", pod.metadata.name, "eth0"),
    namespace: ns,
    node,
    pod: pod.metadata.name,
    containerID: pod.metadata.annotations?.[POD_ANNOTATIONS.containerID] ?? "",
    interfaceName: caliVethName(ns, pod.metadata.name),
    ipNetworks: ips.split(",").map((s) => s.trim()).filter(Boolean),
    profiles: [`kns.${ns}`, `ksa.${ns}.${pod.spec.serviceAccountName ?? "default"}`],
  });
}
