/**
 * Where IPVS meets the walk, at the kernel's hooks (ip_vs_core.c): a packet for a virtual
 * service is taken at LOCAL_IN (from elsewhere: the VIP is local, bound to kube-ipvs0) or
 * LOCAL_OUT (made on this host), after the filter table, and sent to the real server the
 * scheduler picked with its destination rewritten (masquerade forwarding); the reply is
 * rewritten back to the VIP where it passes FORWARD (or LOCAL_IN, for a local client). With
 * `net.ipv4.vs.conntrack` IPVS records the real server in the connection's reply tuple, so
 * `conntrack -L` shows it, but the rewriting is IPVS's own on every packet: nf_nat does not
 * apply it. The TCP state table is ip_vs_proto_tcp.c's.
 *
 * @example
 * const taken = ipvsRequest(walk, stack, packet, ct); // "none" | "rewritten" | "unavailable"
 * ipvsReply(walk, stack, packet, ct);                 // source back to the VIP
 */
import { formatIP } from "../../util/ipv4";
import { ipvsConnectionState, ipvsPacket, ipvsSchedule, ipvsService, type IpvsConnState, type IpvsConnection } from "../ipvs";
import type { NetStack } from "../kernel/stack";
import type { CtContext } from "./nat";
import { totalLength, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type Ipv4Packet } from "./packet";
import type { Walk } from "./walk";

type Ct = CtContext | { state: "INVALID" } | undefined;

// ip_vs_proto_tcp.c tcp_states: [direction][index][state]; states in the kernel's order.
const STATES: readonly IpvsConnState[] = ["NONE", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK"];
const [sES, sSS, sSR, sFW, sTW, sCL, sCW, sLA] = [1, 2, 3, 4, 5, 6, 7, 8];
const TCP_STATES: Record<"input" | "output", readonly (readonly number[])[]> = {
  input: [
    /* syn */ [sSR, sES, sES, sSR, sSR, sSR, sSR, sSR, sSR],
    /* fin */ [sCL, sCW, sSS, sTW, sTW, sTW, sCL, sCW, sLA],
    /* ack */ [sCL, sES, sSS, sES, sFW, sTW, sCL, sCW, sCL],
    /* rst */ [sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA],
  ],
  output: [
    /* syn */ [sSS, sES, sSS, sSR, sSS, sSS, sSS, sSS, sSS],
    /* fin */ [sTW, sFW, sSS, sTW, sFW, sTW, sCL, sTW, sLA],
    /* ack */ [sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sLA],
    /* rst */ [sCL, sCL, sSS, sCL, sCL, sTW, sCL, sCL, sCL],
  ],
};

/** tcp_state_idx: rst, syn, fin, ack, or no change. */
function tcpIndex(flags: number): number {
  if (flags & TCP_RST) return 3;
  if (flags & TCP_SYN) return 0;
  if (flags & TCP_FIN) return 1;
  if (flags & TCP_ACK) return 2;
  return -1;
}

function track(stack: NetStack, conn: IpvsConnection, p: Ipv4Packet, direction: "input" | "output", now: number): void {
  if (p.l4.kind !== "tcp") return;
  const index = tcpIndex(p.l4.flags);
  const from = STATES.indexOf(conn.state);
  if (index < 0 || from < 0) return;
  const next = STATES[TCP_STATES[direction][index][from]];
  if (next !== conn.state) ipvsConnectionState(stack, conn, next, now);
}

/**
 * A packet to a virtual service: its connection's real server (a new connection is scheduled),
 * the destination rewritten. "unavailable": the service has no usable server (the kernel
 * answers ICMP port unreachable); "none": not a virtual service's packet.
 */
export function ipvsRequest(w: Walk, stack: NetStack, p: Ipv4Packet, ct: Ct): "none" | "rewritten" | "unavailable" {
  const l4 = p.l4;
  if (l4.kind !== "tcp" && l4.kind !== "udp") return "none";
  const vs = ipvsService(stack, l4.kind, p.dst, l4.dport);
  if (!vs) return "none";
  const conn = ipvsSchedule(stack, vs, { protocol: l4.kind, src: p.src, sport: l4.sport, dst: p.dst, dport: l4.dport, length: totalLength(p) }, w.now);
  if (!conn) {
    w.step("ipvs", `${formatIP(p.dst)}:${l4.dport} has no destination available`);
    return "unavailable";
  }
  track(stack, conn, p, "input", w.now);
  if (ct && "entry" in ct && ct.dir === "original" && !ct.entry.ipvs) {
    // ip_vs_update_conntrack: the reply tuple names the real server (no IPS_DST_NAT: nf_nat leaves it to IPVS).
    ct.entry.ipvs = true;
    ct.entry.reply = { ...ct.entry.reply, src: conn.dest.ip, sport: conn.dest.port };
  }
  w.step("ipvs", `${formatIP(p.dst)}:${l4.dport} → ${formatIP(conn.dest.ip)}:${conn.dest.port} (${vs.scheduler}, Masq)`);
  p.dst = conn.dest.ip;
  l4.dport = conn.dest.port;
  return "rewritten";
}

/** A real server's answer on its way back: the source becomes the virtual service again. */
export function ipvsReply(w: Walk, stack: NetStack, p: Ipv4Packet, ct: Ct): void {
  if (!ct || !("entry" in ct) || !ct.entry.ipvs || ct.dir !== "reply" || ct.related) return;
  const l4 = p.l4;
  if (l4.kind !== "tcp" && l4.kind !== "udp") return;
  const { original } = ct.entry;
  const conn = stack.ipvs.connections.find((c) => !c.template && c.protocol === l4.kind && c.client.ip === original.src && c.client.port === original.sport && c.virtual.ip === original.dst && c.virtual.port === original.dport);
  if (conn) {
    track(stack, conn, p, "output", w.now);
    ipvsPacket(stack, conn, "out", totalLength(p), w.now);
  }
  w.step("ipvs", `reply ${formatIP(p.src)}:${l4.sport} → from ${formatIP(original.dst)}:${original.dport}`);
  p.src = original.dst;
  l4.sport = original.dport;
}
