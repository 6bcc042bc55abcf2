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
}

export interface ConntrackTable {
  entries: ConntrackEntry[];
  nextId: number;
}

export function emptyConntrack(): ConntrackTable {
  return { entries: [], nextId: 1 };
}
