/**
 * Connection tracking as data (`conntrack -L`): one entry per connection with its original and
 * reply tuples (the reply tuple carries the NAT: a DNATed Service connection replies from the
 * endpoint), state, timeout and mark. The packet walker creates and consults entries; NAT rules
 * are evaluated only for a connection's first packet, as in the kernel.
 */
export type L4Protocol = "tcp" | "udp" | "icmp";

export interface Tuple {
  src: number;
  dst: number;
  /** Ports for tcp/udp; for icmp, sport is the echo id and dport is 0 (type/code kept on the entry). */
  sport: number;
  dport: number;
}

export interface ConntrackEntry {
  protocol: L4Protocol;
  original: Tuple;
  reply: Tuple;
  /** TCP state (`ESTABLISHED`, `SYN_SENT`, `TIME_WAIT`…); empty for udp/icmp. */
  tcpState: string;
  /** `[ASSURED]` once traffic was seen both ways; `[UNREPLIED]` before any reply. */
  assured: boolean;
  replied: boolean;
  mark: number;
  /** Virtual epoch ms when the entry expires. */
  expires: number;
  /** Counters as `conntrack -L -o extended` would show with accounting on. */
  packets: number;
  bytes: number;
  /** Monotonic id (`id=…`), stable per fork. */
  id: number;
  /** icmp: the original direction's type and code (`type=8 code=0`); the reply's follows from it. */
  icmpType?: number;
  icmpCode?: number;
  /** udp: virtual ms after which traffic both ways makes it a stream (120 s timeout, ASSURED). */
  streamAt?: number;
  /**
   * Whether the NAT of each kind was decided for this connection: `dst` at PREROUTING/OUTPUT
   * (DNAT, or a null binding), `src` at POSTROUTING/INPUT (SNAT/MASQUERADE, or none). The nat
   * table is consulted for a kind only until it is decided (nf_nat_initialized).
   */
  natDone: { dst: boolean; src: boolean };
  /** IPVS forwards this connection (`net.ipv4.vs.conntrack`): the reply tuple names the real server, but IPVS, not nf_nat, rewrites each packet. */
  ipvs?: boolean;
}

export interface ConntrackTable {
  /** Confirmed entries, oldest first. Writers may replace the array (a filter): the index follows. */
  entries: ConntrackEntry[];
  nextId: number;
  /** Entries by either tuple (the kernel's hash), for the `entries` array it was built from. */
  index?: { of: ConntrackEntry[]; byTuple: Map<string, ConntrackEntry> };
  /** No entry expires before this (virtual ms): expiry scans only once it has passed. */
  soonest?: number;
}

export function emptyConntrack(): ConntrackTable {
  return { entries: [], nextId: 1 };
}
