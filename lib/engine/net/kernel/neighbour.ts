/**
 * The neighbour (ARP) table of a namespace (`ip neigh`): which MAC answers for an address on a
 * link. The walker fills it as ARP would when a packet is sent; CNI plugins write PERMANENT
 * entries (flannel's remote VTEP MACs on flannel.1, Calico's 169.254.1.1 answered by proxy ARP).
 */
export type NeighbourState = "PERMANENT" | "NOARP" | "REACHABLE" | "STALE" | "DELAY" | "PROBE" | "INCOMPLETE" | "FAILED";

export interface Neighbour {
  ip: number;
  /** Interface index. */
  dev: number;
  /** Empty while INCOMPLETE/FAILED. */
  mac: string;
  state: NeighbourState;
  /** `router` flag is IPv6-only; kept out. `extern_learn` is what flannel sets on its entries. */
  externLearn?: boolean;
}
