/**
 * The seam between the kubelet and the cluster's CNI plugin. When a sandbox is created the
 * runtime asks the plugin for the pod's address (CNI ADD); when it is torn down, the address
 * goes back (CNI DEL). The CNI layer will implement this with real interfaces and routes;
 * until then `HostLocalPodNetwork` hands out addresses as host-local IPAM does: from the
 * node's `spec.podCIDR` (flannel, bridge; `.1` is the bridge's gateway), or for Calico from
 * /26 blocks of the pool that each node claims as it needs them.
 *
 * @example
 * const network = new HostLocalPodNetwork(scenario, rng);
 * network.setUp(pod, node); // { ip: "10.244.1.2" }, or { error: 'plugin type="flannel" failed (add): …' }
 * network.tearDown(pod, node);
 */
import type { Node, Pod, Stored } from "../api";
import type { ScenarioSpec } from "../scenarios";
import type { Rng } from "../util/rng";

/** The CNI plugin as the kubelet's runtime sees it. */
export interface PodNetwork {
  /** CNI ADD for the pod's sandbox on `node`: its address, or the plugin's error text. */
  setUp(pod: Stored<Pod>, node: Stored<Node>): { ip: string } | { error: string };
  /** CNI DEL: releases what ADD gave the pod. */
  tearDown(pod: Stored<Pod>, node: Stored<Node>): void;
}

const toInt = (ip: string) => ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);
const toIp = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");

function cidr(text: string): { base: number; size: number } {
  const [ip, bits] = text.split("/");
  const size = 2 ** (32 - Number(bits));
  return { base: Math.floor(toInt(ip) / size) * size, size };
}

interface Range {
  first: number;
  last: number;
  /** host-local continues after the last address it handed out. */
  lastReserved?: number;
}

export class HostLocalPodNetwork implements PodNetwork {
  private readonly byPod = new Map<string, { node: string; ip: number }>();
  private readonly inUse = new Set<number>();
  private readonly blocks = new Map<string, Range[]>();
  private readonly plugin: string;

  constructor(private readonly scenario: ScenarioSpec, private readonly rng: Rng) {
    this.plugin = scenario.cni.plugin;
  }

  setUp(pod: Stored<Pod>, node: Stored<Node>): { ip: string } | { error: string } {
    const held = this.byPod.get(pod.metadata.uid);
    if (held) return { ip: toIp(held.ip) };
    const ranges = this.rangesFor(node);
    if ("error" in ranges) return ranges;
    for (const range of ranges) {
      const ip = this.take(range);
      if (ip !== undefined) return this.hold(pod, node, ip);
    }
    if (this.plugin === "calico") {
      const block = this.claimBlock(node.metadata.name);
      const ip = block && this.take(block);
      if (ip !== undefined) return this.hold(pod, node, ip);
    }
    const r = ranges[0];
    return { error: `plugin type="${this.plugin}" failed (add): failed to allocate for range 0: no IP addresses available in range set: ${toIp(r.first)}-${toIp(r.last)}` };
  }

  tearDown(pod: Stored<Pod>): void {
    const held = this.byPod.get(pod.metadata.uid);
    if (!held) return;
    this.inUse.delete(held.ip);
    this.byPod.delete(pod.metadata.uid);
  }

  /** The addresses handed out on a node (for the CNI layer and tests). */
  allocated(nodeName: string): string[] {
    return [...this.byPod.values()].filter((h) => h.node === nodeName).map((h) => toIp(h.ip)).sort();
  }

  private hold(pod: Stored<Pod>, node: Stored<Node>, ip: number): { ip: string } {
    this.inUse.add(ip);
    this.byPod.set(pod.metadata.uid, { node: node.metadata.name, ip });
    return { ip: toIp(ip) };
  }

  private take(range: Range): number | undefined {
    const span = range.last - range.first + 1;
    const start = range.lastReserved === undefined ? range.first : range.lastReserved + 1;
    for (let i = 0; i < span; i++) {
      const ip = range.first + ((start - range.first + i) % span);
      if (this.inUse.has(ip)) continue;
      range.lastReserved = ip;
      return ip;
    }
    return undefined;
  }

  private rangesFor(node: Stored<Node>): Range[] | { error: string } {
    const name = node.metadata.name;
    if (this.plugin === "calico") {
      const existing = this.blocks.get(name);
      if (existing) return existing;
      const block = this.claimBlock(name);
      return block ? [block] : { error: `plugin type="calico" failed (add): no more free affine blocks in the IP pool` };
    }
    const podCIDR = node.spec?.podCIDR;
    if (!podCIDR) {
      if (this.plugin === "flannel") {
        return { error: `plugin type="flannel" failed (add): failed to load flannel 'subnet.env' file: open /run/flannel/subnet.env: no such file or directory. Check the flannel pod log for this node.` };
      }
      return { error: `plugin type="${this.plugin}" failed (add): failed to allocate for range 0: no IP ranges specified` };
    }
    const cached = this.blocks.get(name);
    const { base, size } = cidr(podCIDR);
    if (cached && cached[0].first === base + 2) return cached;
    // host-local: network and broadcast addresses are never given, `.1` is the bridge (cni0).
    const ranges = [{ first: base + 2, last: base + size - 2 }];
    this.blocks.set(name, ranges);
    return ranges;
  }

  /** Calico IPAM: the node claims a free /26 of the pool; its first address goes to the tunnel. */
  private claimBlock(nodeName: string): Range | undefined {
    const pool = cidr(this.scenario.network.podCidr);
    const count = pool.size / 64;
    const taken = new Set([...this.blocks.values()].flat().map((r) => Math.floor((r.first - pool.base) / 64)));
    const start = this.rng.int(count);
    for (let i = 0; i < count; i++) {
      const index = (start + i) % count;
      if (taken.has(index)) continue;
      const base = pool.base + index * 64;
      const tunnel = this.scenario.cni.backend === "none" ? 0 : 1;
      const block = { first: base + tunnel, last: base + 63 };
      this.blocks.set(nodeName, [...(this.blocks.get(nodeName) ?? []), block]);
      return block;
    }
    return undefined;
  }
}
