/**
 * Calico IPAM (libcalico-go lib/ipam) over its own records, as the Kubernetes datastore keeps
 * them in the `ipamblocks`, `blockaffinities` and `ipamhandles` resources: a pool is cut into
 * /26 blocks; a host claims a block (affinity) the first time it needs an address and then
 * assigns from its own blocks; a freed address goes to the end of its block's free list.
 * When a host's blocks are full it claims another, and when none is left it borrows from
 * another host's block (strictAffinity off). Which free block a host tries first is drawn from
 * a generator seeded with the FNV-1 hash of its name (as randomBlockGenerator does, with the
 * engine's generator in place of Go's), so two hosts starting together do not race for one
 * block and a host gets the same block whatever order nodes start in.
 *
 * @example
 * const ipam = new CalicoIpam();
 * ipam.autoAssign(pool, { handle: "ipip-tunnel-addr-node01", host: "node01", attrs: { node: "node01", type: "ipipTunnelAddress" } }); // 192.168.154.192
 */
import { formatCIDR, inCIDR, type CIDR } from "../../../util/ipv4";
import { Rng } from "../../../util/rng";

export type IpipMode = "Always" | "CrossSubnet" | "Never";

/** An IPPool (projectcalico.org/v3). */
export interface IPPool {
  name: string;
  cidr: CIDR;
  blockSize: number;
  ipipMode: IpipMode;
  vxlanMode: IpipMode;
  natOutgoing: boolean;
  disabled: boolean;
  disableBGPExport: boolean;
  nodeSelector: string;
  /** Virtual epoch ms it was made. */
  created: number;
}

/** What an allocation is for (`calicoctl ipam show --ip` prints these). */
export type Attributes = Readonly<Record<string, string>>;

/** An IPAMBlock: its CIDR, the host it is affine to, and which ordinals hold which handle. */
export interface Block {
  cidr: CIDR;
  /** `host:node01`, or undefined once released. */
  affinity?: string;
  /** Per ordinal: the index into `attributes`, or undefined when free. */
  allocations: (number | undefined)[];
  /** Free ordinals in the order they are given out. */
  unallocated: number[];
  attributes: { handle: string; attrs: Attributes }[];
}

export interface AssignRequest {
  handle: string;
  host: string;
  attrs: Attributes;
}

/** FNV-1 (32-bit) over the host name: the seed libcalico-go's randomBlockGenerator starts from. */
function fnv1(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 0x01000193) ^ text.charCodeAt(i)) >>> 0;
  return h;
}

const blockKey = (cidr: CIDR) => formatCIDR(cidr);

export class CalicoIpam {
  /** By CIDR text, in claim order. */
  readonly blocks = new Map<string, Block>();

  /** The blocks affine to a host, in the order it claimed them. */
  affineBlocks(host: string): Block[] {
    return [...this.blocks.values()].filter((b) => b.affinity === `host:${host}`);
  }

  /** The block an address falls in. */
  blockOf(ip: number): Block | undefined {
    for (const b of this.blocks.values()) if (inCIDR(ip, b.cidr)) return b;
    return undefined;
  }

  /** Every address a handle holds. */
  addressesOf(handle: string): number[] {
    const out: number[] = [];
    for (const b of this.blocks.values()) {
      b.allocations.forEach((a, ordinal) => {
        if (a !== undefined && b.attributes[a].handle === handle) out.push(b.cidr.base + ordinal);
      });
    }
    return out;
  }

  /** The attributes an assigned address carries, or undefined when free. */
  attributesOf(ip: number): { handle: string; attrs: Attributes } | undefined {
    const b = this.blockOf(ip);
    const a = b?.allocations[ip - b.cidr.base];
    return b && a !== undefined ? b.attributes[a] : undefined;
  }

  /** AutoAssign of one IPv4 address for `host` from `pool`; undefined when the pool is full. */
  autoAssign(pool: IPPool, req: AssignRequest): number | undefined {
    for (const block of this.affineBlocks(req.host)) {
      if (!inCIDR(block.cidr.base, pool.cidr)) continue;
      const ip = this.assignFrom(block, req);
      if (ip !== undefined) return ip;
    }
    const claimed = this.claimBlock(pool, req.host);
    if (claimed) return this.assignFrom(claimed, req);
    // No free block left: borrow from any block of the pool with room.
    for (const block of this.blocks.values()) {
      if (!inCIDR(block.cidr.base, pool.cidr)) continue;
      const ip = this.assignFrom(block, req);
      if (ip !== undefined) return ip;
    }
    return undefined;
  }

  /** Releases every address of a handle (ReleaseByHandle); returns them. */
  releaseByHandle(handle: string): number[] {
    const released: number[] = [];
    for (const b of this.blocks.values()) {
      b.allocations.forEach((a, ordinal) => {
        if (a === undefined || b.attributes[a].handle !== handle) return;
        b.allocations[ordinal] = undefined;
        b.unallocated.push(ordinal);
        released.push(b.cidr.base + ordinal);
      });
      this.compactAttributes(b);
    }
    return released;
  }

  /** Addresses in use in a block. */
  inUse(block: Block): number {
    return block.allocations.filter((a) => a !== undefined).length;
  }

  /** Claims the first unclaimed block, walking the pool from the host's seeded starting block. */
  private claimBlock(pool: IPPool, host: string): Block | undefined {
    const size = 2 ** (32 - pool.blockSize);
    const count = 2 ** (pool.blockSize - pool.cidr.prefix);
    const start = new Rng(fnv1(host)).int(count);
    for (let i = 0; i < count; i++) {
      const base = pool.cidr.base + ((start + i) % count) * size;
      const cidr = { base, prefix: pool.blockSize };
      if (this.blocks.has(blockKey(cidr))) continue;
      const block: Block = { cidr, affinity: `host:${host}`, allocations: new Array<number | undefined>(size).fill(undefined), unallocated: [...Array(size).keys()], attributes: [] };
      this.blocks.set(blockKey(cidr), block);
      return block;
    }
    return undefined;
  }

  private assignFrom(block: Block, req: AssignRequest): number | undefined {
    const ordinal = block.unallocated.shift();
    if (ordinal === undefined) return undefined;
    let index = block.attributes.findIndex((a) => a.handle === req.handle);
    if (index < 0) index = block.attributes.push({ handle: req.handle, attrs: req.attrs }) - 1;
    block.allocations[ordinal] = index;
    return block.cidr.base + ordinal;
  }

  /** Drops attributes no allocation points at any more, renumbering the rest. */
  private compactAttributes(block: Block): void {
    const used = [...new Set(block.allocations.filter((a): a is number => a !== undefined))].sort((a, b) => a - b);
    if (used.length === block.attributes.length) return;
    const remap = new Map(used.map((old, i) => [old, i]));
    block.attributes = used.map((old) => block.attributes[old]);
    block.allocations = block.allocations.map((a) => (a === undefined ? undefined : remap.get(a)));
  }
}

/** `192.168.154.192/26` text of a block. */
export const blockCIDR = (block: Block) => formatCIDR(block.cidr);
