/**
 * LoadBalancer addresses on the node network, announced as MetalLB's layer-2 mode does: for
 * each address one node answers ARP, and the packet then meets kube-proxy's rules there. The
 * node is MetalLB's choice (layer2 `ShouldAnnounce`): among the usable nodes — Ready, not
 * labelled `node.kubernetes.io/exclude-from-external-load-balancers` (kubeadm labels its
 * control plane so), and with externalTrafficPolicy Local only those with a ready endpoint —
 * the one whose sha256("<node>#<ip>") sorts first. A Service without usable nodes is not
 * announced, and ARP for its address goes unanswered.
 *
 * @example
 * cluster.register(new LoadBalancerAnnouncer(cluster.network));
 * cluster.network.announcements.get(parseIP("172.30.1.240")!); // "node02"
 */
import { sha256 } from "../../util/sha256";
import type { EndpointSlice, Node, Service, Stored } from "../../api";
import { defineWatches, type Controller, type ControllerContext } from "../../cluster/controller";
import { parseIP } from "../../util/ipv4";
import type { ClusterNetwork } from "../network";

const EXCLUDE_LABEL = "node.kubernetes.io/exclude-from-external-load-balancers";
const KEY = "announcements";

const WATCHES = defineWatches(
  { kind: "Service", keys: () => [KEY] },
  { kind: "EndpointSlice", keys: () => [KEY] },
  { kind: "Node", keys: () => [KEY] },
);

const ready = (node: Stored<Node>) => node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;

export class LoadBalancerAnnouncer implements Controller {
  readonly name = "loadbalancer-l2-announcer";
  readonly watches = WATCHES;

  constructor(private readonly network: ClusterNetwork) {}

  reconcile(_key: string, ctx: ControllerContext): void {
    const nodes = ctx.store.list<Node>("Node").filter((n) => ready(n) && n.metadata.labels?.[EXCLUDE_LABEL] === undefined);
    const slices = ctx.store.list<EndpointSlice>("EndpointSlice");
    const wanted = new Map<number, string>();
    for (const svc of ctx.store.list<Service>("Service")) {
      if (svc.spec.type !== "LoadBalancer") continue;
      for (const ingress of svc.status?.loadBalancer?.ingress ?? []) {
        const address = ingress.ip ? parseIP(ingress.ip) : undefined;
        if (address === undefined) continue;
        const usable = svc.spec.externalTrafficPolicy === "Local" ? nodes.filter((n) => hasLocalEndpoint(svc, slices, n.metadata.name)) : nodes;
        const chosen = elect(usable.map((n) => n.metadata.name), ingress.ip!);
        if (chosen) wanted.set(address, chosen);
      }
    }
    this.network.announcements.clear();
    for (const [address, node] of wanted) this.network.announcements.set(address, node);
  }
}

function hasLocalEndpoint(svc: Stored<Service>, slices: readonly Stored<EndpointSlice>[], node: string): boolean {
  return slices.some(
    (s) => s.metadata.namespace === svc.metadata.namespace && s.metadata.labels?.["kubernetes.io/service-name"] === svc.metadata.name
      && (s.endpoints ?? []).some((e) => e.nodeName === node && (e.conditions?.ready ?? true)),
  );
}

/** MetalLB's election: nodes sorted by sha256 of `node#ip`, the first announces. */
export function elect(nodes: readonly string[], ip: string): string | undefined {
  const keyed = nodes.map((n) => ({ n, h: hex(sha256(`${n}#${ip}`)) }));
  keyed.sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0));
  return keyed[0]?.n;
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
