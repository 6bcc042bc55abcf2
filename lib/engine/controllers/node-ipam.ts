/**
 * Node IPAM (`node-ipam-controller`, the range allocator kubeadm enables with
 * `--allocate-node-cidrs` when given `--pod-network-cidr`): each node gets the next free /24
 * of the scenario's pod CIDR as `spec.podCIDR`/`podCIDRs`, in the order nodes register
 * (controlplane 10.244.0.0/24, node01 10.244.1.0/24, …). The search for a free block continues
 * after the last one handed out, as upstream's `CidrSet.AllocateNext`, so a released block is
 * not reused at once. All CNIs get one: kubeadm clusters set the pod network CIDR for calico too.
 *
 * @example
 * cluster.register(nodeIpamController());
 * store.create(node("node03")); // spec.podCIDR "10.244.3.0/24"
 */
import { ApiError, type Node } from "../api";
import { type Controller, type ControllerContext, defineWatches } from "../cluster/controller";
import { editable } from "./common/pods";
import { formatIP, parseCIDR } from "../util/ipv4";

/** `--node-cidr-mask-size` for IPv4. */
const NODE_MASK = 24;

/** A fresh allocator; it remembers where the last search stopped. */
export function nodeIpamController(): Controller {
  return new NodeIpamController();
}

const WATCHES = defineWatches(
  { kind: "Node", keys: (e) => (e.type === "DELETED" || (e.object as Node).spec?.podCIDR ? [] : [e.object.metadata.name]) },
);

class NodeIpamController implements Controller {
  readonly name = "node-ipam-controller";
  readonly watches = WATCHES;
  private nextCandidate = 0;

  reconcile(name: string, ctx: ControllerContext): void {
    const node = ctx.store.find<Node>("Node", undefined, name);
    const cluster = parseCIDR(ctx.scenario.network.podCidr);
    if (!node || node.spec?.podCIDR || !cluster) return;
    const blockSize = 2 ** (32 - NODE_MASK);
    const total = cluster.prefix <= NODE_MASK ? 2 ** (NODE_MASK - cluster.prefix) : 0;
    const used = new Set<number>();
    for (const other of ctx.store.list<Node>("Node")) {
      const cidr = other.spec?.podCIDR ? parseCIDR(other.spec.podCIDR) : undefined;
      if (cidr) used.add((cidr.base - cluster.base) / blockSize);
    }
    let index: number | undefined;
    for (let i = 0; i < total && index === undefined; i++) {
      const candidate = (this.nextCandidate + i) % total;
      if (!used.has(candidate)) index = candidate;
    }
    if (index === undefined) {
      ctx.events.record(node, "Normal", "CIDRNotAvailable", `Node ${name} status is now: CIDRNotAvailable`, { component: "cidrAllocator" });
      return;
    }
    this.nextCandidate = (index + 1) % total;
    const podCIDR = `${formatIP(cluster.base + index * blockSize)}/${NODE_MASK}`;
    const next = editable(node);
    next.spec = { ...next.spec, podCIDR, podCIDRs: [podCIDR] };
    try {
      ctx.store.update<Node>(next);
    } catch (e) {
      // Changed meanwhile: its event brings the node back here.
      if (!(e instanceof ApiError)) throw e;
    }
  }
}
