/**
 * What the packet walker asks of IPVS, in the order the kernel's hooks do (ip_vs_core.c): is
 * there a virtual service for this packet (`ipvsService`), which real server does a new
 * connection go to (`ipvsSchedule`: an existing entry for the same client first, then the
 * persistence template, then the scheduler), and how the connection moves on
 * (`ipvsConnectionState`, `ipvsPacket`). Entries expire on virtual time with the kernel's
 * timeouts, and the servers' ActiveConn/InActConn follow them.
 *
 * @example
 * const vs = ipvsService(stack, "tcp", vip, 80);
 * const conn = vs && ipvsSchedule(stack, vs, { protocol: "tcp", src, sport, dst: vip, dport: 80, length: 60 }, now);
 * // undefined: no destination available — the kernel answers ICMP port unreachable
 * ipvsConnectionState(stack, conn, "ESTABLISHED", now);
 * ipvsConnectionState(stack, conn, "TIME_WAIT", now); // InActConn for the next 2 minutes
 */
import type { NetStack } from "../kernel/stack";
import { pickServer } from "./schedulers";
import { countConnection, countPacket } from "./stats";
import { bind, connectionOwner, expireConnections, findDestination, findService } from "./table";
import type { IpvsConnState, IpvsConnection, IpvsProtocol, IpvsState, RealServer, VirtualService } from "./types";

/** The first packet of a connection as IPVS sees it (after PREROUTING/OUTPUT, before DNAT). */
export interface IpvsPacket {
  protocol: IpvsProtocol;
  src: number;
  sport: number;
  dst: number;
  dport: number;
  /** Bytes on the wire, for `--stats`. */
  length: number;
}

/** tcp_timeouts of ip_vs_proto_tcp.c, in seconds; ESTABLISHED and FIN_WAIT come from `ipvsadm --set`. */
const TCP_TIMEOUTS: Readonly<Record<Exclude<IpvsConnState, "UDP">, number>> = Object.freeze({
  NONE: 2, ESTABLISHED: 900, SYN_SENT: 120, SYN_RECV: 60, FIN_WAIT: 120, TIME_WAIT: 120, CLOSE: 10, CLOSE_WAIT: 60, LAST_ACK: 30,
});

/** States after which a new SYN from the same client port starts a new connection (conn_reuse_mode). */
const CLOSING: ReadonlySet<IpvsConnState> = new Set(["FIN_WAIT", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK"]);

function timeoutMs(ipvs: IpvsState, state: IpvsConnState): number {
  if (state === "UDP") return ipvs.timeouts.udp * 1000;
  if (state === "ESTABLISHED") return ipvs.timeouts.tcp * 1000;
  if (state === "FIN_WAIT") return ipvs.timeouts.tcpFin * 1000;
  return TCP_TIMEOUTS[state] * 1000;
}

/** The virtual service a packet to `ip:port` hits, if any (ip_vs_service_find). */
export function ipvsService(stack: NetStack, protocol: IpvsProtocol, ip: number, port: number): VirtualService | undefined {
  return stack.ipvs.services.length === 0 ? undefined : findService(stack.ipvs, protocol, ip, port);
}

const sysctlOn = (stack: NetStack, key: string) => stack.sysctl(key) === "1";

function drop(ipvs: IpvsState, c: IpvsConnection): void {
  bind(connectionOwner(ipvs, c).real, c, -1);
  ipvs.connections.splice(ipvs.connections.indexOf(c), 1);
}

/**
 * A real server for the connection this packet starts, or undefined when none is available
 * (the kernel then answers ICMP port unreachable, whatever the protocol). A packet of a
 * connection IPVS already tracks goes where the connection went.
 */
export function ipvsSchedule(stack: NetStack, vs: VirtualService, packet: IpvsPacket, now: number): IpvsConnection | undefined {
  const ipvs = stack.ipvs;
  expireConnections(ipvs, now);
  const existing = ipvs.connections.find((c) => !c.template && c.protocol === packet.protocol && c.client.ip === packet.src && c.client.port === packet.sport && c.virtual.ip === packet.dst && c.virtual.port === packet.dport);
  if (existing) {
    const real = connectionOwner(ipvs, existing).real;
    const reused = packet.protocol === "tcp" && CLOSING.has(existing.state);
    // expire_nodest_conn: a connection whose server is gone (or quiesced) dies with its next packet.
    const orphaned = !real || (real.weight === 0 && sysctlOn(stack, "net.ipv4.vs.expire_nodest_conn"));
    if (!reused && !orphaned) {
      ipvsPacket(stack, existing, "in", packet.length, now);
      return existing;
    }
    drop(ipvs, existing);
  }
  const real = vs.persistent ? persistentServer(stack, vs, packet, now) : pickServer(vs, packet);
  if (!real) return undefined;
  const state: IpvsConnState = packet.protocol === "tcp" ? "SYN_RECV" : "UDP";
  const conn: IpvsConnection = {
    protocol: packet.protocol,
    client: { ip: packet.src, port: packet.sport },
    virtual: { ip: packet.dst, port: packet.dport },
    dest: { ip: real.ip, port: real.port || packet.dport },
    state,
    expires: now + timeoutMs(ipvs, state),
    template: false,
  };
  ipvs.connections.push(conn);
  bind(real, conn, 1);
  countConnection(vs.stats, now);
  countConnection(real.stats, now);
  ipvsPacket(stack, conn, "in", packet.length, now);
  return conn;
}

/**
 * ip_vs_sched_persist: a client (under the service's netmask) keeps its server while its
 * template lives; each use restarts the template's timer. With expire_quiescent_template
 * (kube-proxy sets it) a template to a server of weight 0 is dropped and the client rescheduled.
 */
function persistentServer(stack: NetStack, vs: VirtualService, packet: IpvsPacket, now: number): RealServer | undefined {
  const ipvs = stack.ipvs;
  const net = (packet.src & vs.netmask) >>> 0;
  const timeout = (vs.persistent ?? 0) * 1000;
  const template = ipvs.connections.find((c) => c.template && c.protocol === packet.protocol && c.client.ip === net && c.virtual.ip === packet.dst && c.virtual.port === packet.dport);
  if (template) {
    const real = findDestination(vs, template.dest.ip, template.dest.port);
    const quiesced = real?.weight === 0 && sysctlOn(stack, "net.ipv4.vs.expire_quiescent_template");
    if (real && !quiesced) {
      template.expires = now + timeout;
      return real;
    }
    drop(ipvs, template);
  }
  const real = pickServer(vs, packet);
  if (!real) return undefined;
  const created: IpvsConnection = {
    protocol: packet.protocol, client: { ip: net, port: 0 }, virtual: { ip: packet.dst, port: packet.dport },
    dest: { ip: real.ip, port: real.port || packet.dport }, state: "NONE", expires: now + timeout, template: true,
  };
  ipvs.connections.push(created);
  bind(real, created, 1);
  return real;
}

/** A tracked connection changes state (the handshake completes, a FIN or RST passes): counters and timer follow. */
export function ipvsConnectionState(stack: NetStack, conn: IpvsConnection, state: IpvsConnState, now: number): void {
  const ipvs = stack.ipvs;
  if (!ipvs.connections.includes(conn)) return;
  const real = connectionOwner(ipvs, conn).real;
  bind(real, conn, -1);
  conn.state = state;
  bind(real, conn, 1);
  conn.expires = now + timeoutMs(ipvs, state);
}

/** Counts a packet of a tracked connection on its service and server (`ipvsadm --stats`). */
export function ipvsPacket(stack: NetStack, conn: IpvsConnection, direction: "in" | "out", bytes: number, now: number): void {
  const { vs, real } = connectionOwner(stack.ipvs, conn);
  if (vs) countPacket(vs.stats, direction, bytes, now);
  if (real) countPacket(real.stats, direction, bytes, now);
  if (!conn.template && conn.state === "UDP") conn.expires = now + timeoutMs(stack.ipvs, "UDP");
}
