/**
 * Every network namespace of the cluster and the wires between them: each node's host
 * namespace, the namespaces pod sandboxes and `ip netns add` create, and the machines outside
 * the cluster on the node network (`client`, the `gateway` router to the internet). A veth's
 * peer and a NIC's segment are references by id, so the whole network is plain data that
 * forks copy (see ../CONTEXT.md, "State is data").
 *
 * @example
 * const net = cluster.network;
 * const root = net.host("node01");             // the node's host namespace
 * const pod = net.createNamespace({ host: "node01", inode: 4026532280, name: "cni-1f…" });
 * const [outside, inside] = net.createVethPair(root, "veth1a2b3c4d", pod, "eth0", { mtu: 1450 });
 */
import { parseIP } from "../util/ipv4";
import { Rng } from "../util/rng";
import type { PacketTraces } from "../cluster/traces";
import { CaptureSet } from "./walker/capture";
import type { NetMachine } from "./walker/machines";
import type { Link } from "./kernel/link";
import { NetStack, type NetStackInit } from "./kernel/stack";
import { defaultRouting, TABLE_MAIN } from "./kernel/route";
import { emptyConntrack } from "./conntrack/types";
import { emptyIpvs } from "./ipvs/types";
import { emptyNetfilter } from "./netfilter/types";
import type { CalicoDatastore } from "./cni/calico/datastore";
import type { ClusterDns } from "./dns/server";
import type { IngressNginx } from "./ingress/controller";
import type { MeshControlPlane } from "../mesh/control-plane";

/** The host namespace's nsfs inode on every Linux machine (`/proc/1/ns/net`). */
export const HOST_NETNS_INODE = 4026531840;

/** A layer-2 segment: which NICs (stack id + ifindex) hear each other's frames. */
export interface Segment {
  name: string;
  ports: { stack: string; index: number }[];
}

/** The first nsfs inode a machine hands out after boot (the boot's own namespaces take those below). */
const FIRST_DYNAMIC_INODE = 4026532180;

export class ClusterNetwork {
  private readonly stacks = new Map<string, NetStack>();
  private readonly segments = new Map<string, Segment>();
  /** Per machine, the next nsfs inode its kernel hands out (see allocateInode). */
  private readonly nextInodes = new Map<string, number>();
  /** Deterministic MACs: `02:42:` + seeded bytes; the rng is the network's own fork. */
  constructor(private readonly rng: Rng) {}

  /**
   * The packet walker's own random stream (jitter, ephemeral ports, sequence numbers, IP ids).
   * Only traffic draws from it, so sending packets never shifts a MAC or a name; the Cluster
   * seeds it from the scenario's seed.
   */
  traffic = new Rng(0x74726166);
  /** Armed packet captures (`tcpdump`): the walker records frames only while one is armed. */
  readonly captures = new CaptureSet();
  /** LoadBalancer addresses announced on a segment as MetalLB L2 does: address → the machine answering ARP for it. */
  readonly announcements = new Map<number, string>();
  /** Where walks are recorded for the diagram and graders (the cluster's traces). */
  traces: PacketTraces | undefined;
  /** Calico's datastore (IP pools, IPAM blocks, each node's BGP speaker) when the cluster runs Calico: calicoctl reads it. */
  calico: CalicoDatastore | undefined;
  /** The DNS servers' answers (CoreDNS pods, the public resolvers): what a query that reached a port 53 socket gets back. */
  dns: ClusterDns | undefined;
  /** ingress-nginx's configuration and balancer state, read by its controller pods' nginx (net/ingress). */
  ingress: IngressNginx | undefined;
  /** The service mesh's control plane (lib/engine/mesh): istioctl installs and inspects through it. */
  mesh: MeshControlPlane | undefined;
  /** Each machine's sockets and power, registered by whoever runs it (node agents, the machines beside the cluster). */
  private readonly machines = new Map<string, NetMachine>();
  /** Per-segment one-way latency in ms (the node network is a LAN; the internet uplink is not). */
  private readonly latencies = new Map<string, number>();

  /** Registers what the walker asks a machine (its sockets, whether it runs). */
  registerMachine(name: string, machine: NetMachine): void {
    this.machines.set(name, machine);
  }

  machine(name: string): NetMachine | undefined {
    return this.machines.get(name);
  }

  /** Sets a segment's one-way latency (ms) for frames crossing it. */
  setSegmentLatency(segment: string, ms: number): void {
    this.latencies.set(segment, ms);
  }

  segmentLatency(segment: string): number | undefined {
    return this.latencies.get(segment);
  }

  /** A machine's host namespace (a node, `client`, `gateway`). */
  host(name: string): NetStack | undefined {
    return this.stacks.get(name);
  }

  /** Any namespace by id (`node01`, `node01/cni-…`, `node01/netns:blue`). */
  stack(id: string): NetStack | undefined {
    return this.stacks.get(id);
  }

  /** The namespace on `host` whose nsfs inode is `inode` (what a process's netns names). */
  stackOf(host: string, inode: number): NetStack | undefined {
    for (const s of this.stacks.values()) if (s.host === host && s.inode === inode) return s;
    return undefined;
  }

  /** Every namespace of one machine, host namespace first. */
  stacksOn(host: string): NetStack[] {
    return [...this.stacks.values()].filter((s) => s.host === host);
  }

  all(): IterableIterator<NetStack> {
    return this.stacks.values();
  }

  /** Adds a machine's host namespace (lo up, nothing else: its NIC comes from `plug`). */
  addHost(name: string): NetStack {
    const stack = this.register(new NetStack({ id: name, host: name, inode: HOST_NETNS_INODE }));
    stack.setUp(stack.link("lo")!, true);
    return stack;
  }

  /** A new namespace on a machine (lo down, as `unshare --net` and a pod sandbox start). */
  createNamespace(init: Omit<NetStackInit, "id"> & { id?: string }): NetStack {
    const id = init.id ?? `${init.host}/${init.name || `ns:${init.inode}`}`;
    const stack = this.register(new NetStack({ ...init, id }));
    // With the ipip module loaded (the machine has tunl0, as Calico's IPIP nodes do), the kernel
    // gives every new namespace its own fallback tunl0, down (net.core.fb_tunnels_only_for_init_net=0).
    if (this.stacks.get(init.host)?.link("tunl0")?.kind === "ipip") stack.addLink({ name: "tunl0", kind: "ipip", mac: "", mtu: 1480, noarp: true, ipip: {} });
    return stack;
  }

  /**
   * The machine lost power: every namespace but its host one is gone (they live in memory and
   * are pinned on /run, a tmpfs), and the host one is what the next boot brings up: lo and the
   * NICs with their addresses, the routes those imply and the DHCP default route. Bridges, veths,
   * tunnels, static routes, policy rules, neighbours, netfilter, IPVS and conntrack are lost.
   */
  powerLoss(host: string): void {
    const root = this.stacks.get(host);
    for (const stack of this.stacksOn(host)) if (stack !== root) this.deleteNamespace(stack);
    if (!root) return;
    for (const link of [...root.links.values()]) if (link.kind !== "loopback" && !link.segment) this.deleteLink(root, link);
    root.routing.routes = root.routing.routes.filter((r) => r.proto === "kernel" || r.proto === "dhcp");
    root.routing.rules = defaultRouting().rules;
    root.neighbours.length = 0;
    Object.assign(root.netfilter, emptyNetfilter());
    Object.assign(root.ipvs, emptyIpvs());
    Object.assign(root.conntrack, emptyConntrack());
    root.recent.clear();
    root.ipsets.clear();
  }

  /** Deletes a namespace: its veths are destroyed, and with them their peers (as the kernel does). */
  deleteNamespace(stack: NetStack): void {
    for (const link of [...stack.links.values()]) {
      if (link.kind === "veth" && link.peer) this.deletePeer(link);
      if (link.segment) this.unplug(stack, link);
    }
    this.stacks.delete(stack.id);
    for (const other of this.stacks.values()) other.nsids.delete(stack.id);
  }

  /**
   * A fresh nsfs inode on `host`, for a new namespace of any type (net, mnt, uts, ipc, pid,
   * cgroup): the machine's kernel hands them out from one counter. `skip` leaves a gap for
   * namespaces the simulation does not model (short-lived helpers).
   */
  allocateInode(host: string, skip = 0): number {
    const inode = (this.nextInodes.get(host) ?? FIRST_DYNAMIC_INODE) + skip;
    this.nextInodes.set(host, inode + 1);
    return inode;
  }

  /** Gives back the last inode handed out on `host` (its namespace was never set up), so the next one reuses it. */
  releaseInode(host: string, inode: number): void {
    if (this.nextInodes.get(host) === inode + 1) this.nextInodes.set(host, inode);
  }

  /** Creates a veth pair: `a` in `left`, `b` in `right` (both down). */
  createVethPair(left: NetStack, a: string, right: NetStack, b: string, options: { mtu?: number; macA?: string; macB?: string } = {}): [Link, Link] {
    const mtu = options.mtu ?? 1500;
    const one = left.addLink({ name: a, kind: "veth", mac: options.macA ?? this.mac(), mtu });
    const two = right.addLink({ name: b, kind: "veth", mac: options.macB ?? this.mac(), mtu });
    one.peer = { stack: right.id, index: two.index };
    two.peer = { stack: left.id, index: one.index };
    // The link messages about each end name the other's namespace, so each side gets an id for it.
    if (left !== right) {
      left.nsidFor(right.id);
      right.nsidFor(left.id);
    }
    return [one, two];
  }

  /** The other end of a veth. */
  peerOf(link: Link): { stack: NetStack; link: Link } | undefined {
    if (!link.peer) return undefined;
    const stack = this.stacks.get(link.peer.stack);
    const peer = stack?.links.get(link.peer.index);
    return stack && peer ? { stack, link: peer } : undefined;
  }

  /** Moves a link to another namespace (`ip link set X netns Y`): addresses and routes are lost, it arrives down. */
  moveLink(from: NetStack, link: Link, to: NetStack): Link {
    const peer = this.peerOf(link);
    from.removeLink(link);
    const moved = to.adoptLink(link);
    if (peer) peer.link.peer = { stack: to.id, index: moved.index };
    // The kernel's messages about the move name the namespaces involved, which assigns their ids.
    from.nsidFor(to.id);
    if (peer && peer.stack !== to) to.nsidFor(peer.stack.id);
    return moved;
  }

  /** Deletes a link; deleting either end of a veth deletes both. */
  deleteLink(stack: NetStack, link: Link): void {
    if (link.kind === "veth" && link.peer) this.deletePeer(link);
    if (link.segment) this.unplug(stack, link);
    stack.removeLink(link);
  }

  /** A NIC plugged into a layer-2 segment (the node network). */
  plug(stack: NetStack, link: Link, segment: string): void {
    const seg = this.segments.get(segment) ?? { name: segment, ports: [] };
    this.segments.set(segment, seg);
    seg.ports.push({ stack: stack.id, index: link.index });
    link.segment = segment;
  }

  /** The NICs on a segment, with their namespaces. */
  segmentPorts(segment: string): { stack: NetStack; link: Link }[] {
    const seg = this.segments.get(segment);
    if (!seg) return [];
    const out: { stack: NetStack; link: Link }[] = [];
    for (const p of seg.ports) {
      const stack = this.stacks.get(p.stack);
      const link = stack?.links.get(p.index);
      if (stack && link) out.push({ stack, link });
    }
    return out;
  }

  /** Whether a link passes traffic: admin up, a veth's peer up too, a NIC's machine on. */
  carrier(link: Link): boolean {
    if (!link.up) return false;
    if (link.kind === "veth") return this.peerOf(link)?.link.up ?? false;
    return true;
  }

  /**
   * A fresh locally administered MAC (`02:42:…` would claim Docker's prefix; Linux veths use random
   * ones), from the network's stream or, for machines built apart (beside the cluster), their own.
   */
  mac(rng: Rng = this.rng): string {
    const bytes = [(rng.int(256) & 0xfe) | 0x02];
    for (let i = 0; i < 5; i++) bytes.push(rng.int(256));
    return bytes.map((b) => b.toString(16).padStart(2, "0")).join(":");
  }

  /** Gives a machine its NIC `eth0` on `segment` with `ip/prefix` and a default route via `gateway`. */
  attachHost(stack: NetStack, init: { segment: string; ip: string; prefix: number; gateway?: string; mtu?: number; mac?: string }): Link {
    const eth0 = stack.addLink({ name: "eth0", kind: "device", mac: init.mac ?? this.mac(), mtu: init.mtu ?? 1500 });
    stack.addAddress(eth0, { ip: parseIP(init.ip)!, prefix: init.prefix });
    stack.setUp(eth0, true);
    this.plug(stack, eth0, init.segment);
    if (init.gateway) {
      stack.addRoute({ table: TABLE_MAIN, type: "unicast", dst: { base: 0, prefix: 0 }, dev: eth0.index, via: parseIP(init.gateway)!, proto: "dhcp", scope: "global", metric: 100, onlink: false });
    }
    return eth0;
  }

  private register(stack: NetStack): NetStack {
    if (this.stacks.has(stack.id)) throw new Error(`network namespace ${stack.id} exists`);
    this.stacks.set(stack.id, stack);
    return stack;
  }

  private deletePeer(link: Link): void {
    const peer = this.peerOf(link);
    link.peer = undefined;
    if (peer) {
      peer.link.peer = undefined;
      peer.stack.removeLink(peer.link);
    }
  }

  private unplug(stack: NetStack, link: Link): void {
    const seg = link.segment ? this.segments.get(link.segment) : undefined;
    if (seg) seg.ports = seg.ports.filter((p) => !(p.stack === stack.id && p.index === link.index));
    link.segment = undefined;
  }
}
