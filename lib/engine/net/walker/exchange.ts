/**
 * What programs do with packets, walked packet by packet: a TCP connection (SYN, SYN-ACK or
 * RST, ACK, the request and response segments, the client's FIN and the close), a UDP datagram
 * and the server's answer (or ICMP port unreachable from the kernel), and an ICMP echo. The
 * kernel at each end answers as Linux does: a listening socket accepts, none refuses, the
 * echo is answered by the kernel itself. The answer must reach the client's own socket: a
 * reply that comes back from another address (NAT not reversed, asymmetric routing) or lands
 * in another namespace matches nothing, and the client times out.
 *
 * @example
 * const r = connectTcp(network, { from: podStack, dst: parseIP("10.96.0.10")!, dport: 80, now, request: 78, response: 853 });
 * r.outcome;        // { kind: "connected" }
 * r.server?.peer;   // the client address the server saw (SNATed or not)
 */
import { formatIP } from "../../util/ipv4";
import { lookupRoute } from "../kernel/route";
import type { NetStack } from "../kernel/stack";
import type { ClusterNetwork } from "../network";
import type { SocketOwner } from "./machines";
import { icmp, ipv4, isIcmpError, tcp, TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, totalLength, udp, type Ipv4Packet, type TcpHeader } from "./packet";
import { describe, Walk, type Arrival, type Errno, type WalkHop } from "./walk";
import type { Link } from "../kernel/link";

/** How an exchange ended, as the client's kernel reports it to the program. */
export type Outcome =
  | { kind: "connected" }
  | { kind: "delivered" }
  | { kind: "refused"; from: number }
  | { kind: "timeout" }
  | { kind: "unreachable"; reason: UnreachableReason; from: number; icmpType: number; icmpCode: number }
  | { kind: "error"; errno: Errno };

export type UnreachableReason = "net" | "host" | "protocol" | "port" | "prohibited" | "fragmentation" | "ttl";

/** What the server's socket saw: its own address and port, and the peer (the client, or whoever SNAT made it). */
export interface ServerView {
  stack: string;
  host: string;
  ip: number;
  port: number;
  peer: { ip: number; port: number };
  socket: SocketOwner;
}

export interface Exchange {
  protocol: "TCP" | "UDP" | "ICMP";
  outcome: Outcome;
  client: { stack: string; host: string; ip: number; port: number };
  target: { ip: number; port: number };
  server?: ServerView;
  /** Where the first packet went. */
  hops: WalkHop[];
  /** Where the answer went (the SYN-ACK, RST, ICMP error, echo reply, datagram). */
  replyHops: WalkHop[];
  /** First packet out → answer in, in ms of virtual time (0 when nothing came back). */
  rttMs: number;
  /** The whole exchange, in ms of virtual time (a failed ARP costs its 3 s here). */
  elapsedMs: number;
  /** The answer's TTL as it arrived (ping prints it). */
  replyTtl?: number;
}

export interface ExchangeInit {
  from: NetStack;
  dst: number;
  /** Virtual epoch ms the exchange starts at. */
  now: number;
  /** A bound source address (`curl --interface`, `ping -I ADDR`); the kernel picks one otherwise. */
  src?: number;
  /** A bound device (`ping -I eth0`). */
  oif?: Link;
  ttl?: number;
  /** The client socket's owner (`-m owner`): root unless said. */
  uid?: number;
  gid?: number;
}

type Start = { walk: Walk; src: number; error?: undefined } | { error: Errno; why: string; walk: Walk };

/** The source address the kernel picks for a destination (or the errno a connect() would get). */
function begin(net: ClusterNetwork, init: ExchangeInit): Start {
  const walk = new Walk(net, init.now);
  if (init.src !== undefined) return { walk, src: init.src };
  const route = init.oif ? undefined : lookupRoute(init.from.routing, init.dst, { mark: 0 });
  if (!route && !init.oif) return { walk, error: "ENETUNREACH", why: "no route" };
  const src = route ? walk.sourceFor(init.from, route, init.dst) : init.oif?.addrs.find((a) => a.scope === "global")?.ip;
  return { walk, src: src ?? 0 };
}

function ephemeralPort(net: ClusterNetwork): number {
  return 32768 + net.traffic.int(60999 - 32768 + 1);
}

/** The MSS a SYN advertises: the route's device MTU less 40 bytes of headers. */
function mssFor(stack: NetStack, dst: number): number {
  const route = lookupRoute(stack.routing, dst, { mark: 0 });
  const dev = route?.dev === undefined ? undefined : stack.links.get(route.dev);
  return (dev && dev.kind !== "loopback" ? dev.mtu : 65535) - 40;
}

/** Linux's initial window: as many whole segments as fit in 64 KiB. */
const initialWindow = (mss: number) => Math.floor(65535 / mss) * mss;

/** The ICMP error's meaning for the socket. */
function unreachableReason(type: number, code: number): UnreachableReason {
  if (type === 11) return "ttl";
  if (code === 0 || code === 6 || code === 11) return "net";
  if (code === 2) return "protocol";
  if (code === 3) return "port";
  if (code === 4) return "fragmentation";
  if (code === 9 || code === 10 || code === 13) return "prohibited";
  return "host";
}

/** Whether an ICMP error quotes one of the client's packets (its source and port or echo id). */
function quotesClient(p: Ipv4Packet, src: number, sport: number): boolean {
  if (p.l4.kind !== "icmp" || !p.l4.quoted) return false;
  const q = p.l4.quoted;
  if (q.src !== src) return false;
  if (q.l4.kind === "tcp" || q.l4.kind === "udp") return q.l4.sport === sport;
  if (q.l4.kind === "icmp") return q.l4.id === sport;
  return true;
}

/** An error arriving back at the client, as its socket sees it; undefined if it is not for the client. */
function errorOutcome(arrival: Arrival, client: NetStack, src: number, sport: number): Outcome | undefined {
  if (arrival.kind !== "local" || arrival.stack !== client) return undefined;
  const p = arrival.packet;
  if (!isIcmpError(p) || !quotesClient(p, src, sport) || p.l4.kind !== "icmp") return undefined;
  const reason = unreachableReason(p.l4.type, p.l4.code);
  return reason === "port" ? { kind: "refused", from: p.src } : { kind: "unreachable", reason, from: p.src, icmpType: p.l4.type, icmpCode: p.l4.code };
}

function failed(start: Extract<Start, { error: Errno }>): Outcome {
  return { kind: "error", errno: start.error };
}

export interface TcpInit extends ExchangeInit {
  dport: number;
  sport?: number;
  /** Bytes the client sends once connected (an HTTP request), and the server's answer. */
  request?: number;
  response?: number;
  /** The first line of the request and of the answer, when they are text (tcpdump shows `HTTP: GET / HTTP/1.1`). */
  requestText?: string;
  responseText?: string;
  /** Leave the connection ESTABLISHED (a long-lived client); by default the client closes it. */
  hold?: boolean;
  /**
   * The server's program answers (net/app): called once the handshake completed, with what the
   * server's socket saw and the virtual time the request arrived; returns the bytes it sends
   * back (and their first line if text), which replace `response`.
   */
  respond?: (server: ServerView, at: number) => { bytes: number; text?: string };
}

/** A TCP connection: the handshake, the request and response if given, and the client's close. */
export function connectTcp(net: ClusterNetwork, init: TcpInit): Exchange {
  const start = begin(net, init);
  const w = start.walk;
  const sport = init.sport ?? ephemeralPort(net);
  const base = { protocol: "TCP" as const, target: { ip: init.dst, port: init.dport }, replyHops: [] as WalkHop[], rttMs: 0 };
  const client = { stack: init.from.id, host: init.from.host, ip: start.error ? 0 : start.src, port: sport };
  if (start.error) return { ...base, client, outcome: failed(start), hops: w.resetHops(), elapsedMs: 0 };
  const mss = mssFor(init.from, init.dst);
  const clientIsn = net.traffic.int(2 ** 32);
  const tsOffset = net.traffic.int(2 ** 32);
  const ts = () => (Math.floor(w.now) + tsOffset) >>> 0;
  const sk = { stack: init.from.id, uid: init.uid ?? 0, gid: init.gid ?? init.uid ?? 0 };
  const syn = ipv4(start.src, init.dst, init.ttl ?? 64, tcp(sport, init.dport, TCP_SYN, {
    seq: clientIsn, win: initialWindow(mss), options: [`mss ${mss}`, "sackOK", `TS val ${ts()} ecr 0`, "nop", "wscale 7"],
  }), { id: net.traffic.int(65536), sk });
  const arrival = w.send(init.from, syn);
  const hops = w.resetHops();
  const done = (outcome: Outcome, extra: Partial<Exchange> = {}): Exchange => ({ ...base, client, outcome, hops, elapsedMs: w.now - init.now, ...extra });
  if (arrival.kind === "error") return done({ kind: "error", errno: arrival.errno });
  if (arrival.kind === "dropped") return done({ kind: "timeout" });
  const early = errorOutcome(arrival, init.from, start.src, sport);
  if (early) return done(early, { rttMs: w.now - init.now });
  const got = arrival.packet;
  // A reset made on the way (REJECT --reject-with tcp-reset) reaches the client as the server's would.
  const reset = matchesClient(arrival, init.from, start.src, sport, init.dst, init.dport);
  if (reset?.l4.kind === "tcp" && reset.l4.flags & TCP_RST) return done({ kind: "refused", from: reset.src }, { rttMs: w.now - init.now });
  if (got.l4.kind !== "tcp" || !(got.l4.flags & TCP_SYN)) return done({ kind: "timeout" });
  // The server side: a listening socket answers SYN-ACK, none makes the kernel answer RST.
  const server = arrival.stack;
  const seen = { ip: got.dst, port: got.l4.dport, peer: { ip: got.src, port: got.l4.sport } };
  const socket = net.machine(server.host)?.listener(server.inode, "TCP", got.dst, got.l4.dport);
  const serverIsn = net.traffic.int(2 ** 32);
  const serverMss = mssFor(server, got.src);
  const answer = socket
    ? tcp(seen.port, seen.peer.port, TCP_SYN | TCP_ACK, { seq: serverIsn, ack: clientIsn + 1, win: initialWindow(serverMss - 12), options: [`mss ${serverMss}`, "sackOK", `TS val ${ts()} ecr ${ts()}`, "nop", "wscale 7"] })
    : tcp(seen.port, seen.peer.port, TCP_RST | TCP_ACK, { seq: 0, ack: clientIsn + 1, win: 0 });
  w.step("deliver", socket ? `TCP ${seen.port} accepted by pid ${socket.pid}${socket.program ? ` (${socket.program})` : ""}` : `nothing listens on TCP ${seen.port}: RST`);
  const replyArrival = w.send(server, ipv4(seen.ip, seen.peer.ip, 64, answer, { id: 0 }));
  const replyHops = w.resetHops();
  const back = matchesClient(replyArrival, init.from, start.src, sport, init.dst, init.dport);
  const view = socket ? { stack: server.id, host: server.host, ...seen, socket } : undefined;
  if (!back) {
    if (replyArrival.kind === "local") {
      const p = replyArrival.packet;
      w.step("drop", isIcmpError(p) ? `${describe(p)} came back instead of the answer` : `the answer from ${formatIP(p.src)} matches no socket of ${replyArrival.stack.id}: RST`);
    }
    return done({ kind: "timeout" }, { replyHops, server: view });
  }
  const rttMs = w.now - init.now;
  if (!socket) return done({ kind: "refused", from: back.src }, { replyHops, rttMs });
  const served = init.respond && view ? init.respond(view, w.now) : { bytes: init.response ?? 0, text: init.responseText };
  finishTcp(w, { ...init, response: served.bytes, responseText: served.text }, { client: start.src, sport, server, seen, clientIsn, serverIsn, ts, sk });
  return done({ kind: "connected" }, { replyHops, rttMs, server: view, replyTtl: back.ttl });
}

/** The reply reached the client's socket: its namespace, to its address and port, from where it connected. */
function matchesClient(arrival: Arrival, client: NetStack, src: number, sport: number, dst: number, dport: number): Ipv4Packet | undefined {
  if (arrival.kind !== "local" || arrival.stack !== client) return undefined;
  const p = arrival.packet;
  if (p.dst !== src || p.src !== dst) return undefined;
  if (p.l4.kind === "tcp" || p.l4.kind === "udp") return p.l4.dport === sport && p.l4.sport === dport ? p : undefined;
  return p;
}

/** After SYN-ACK: the client's ACK, the request and response segments, then the client closes. */
function finishTcp(
  w: Walk,
  init: TcpInit,
  c: { client: number; sport: number; server: NetStack; seen: { ip: number; port: number; peer: { ip: number; port: number } }; clientIsn: number; serverIsn: number; ts: () => number; sk: Ipv4Packet["sk"] },
): void {
  let cseq = c.clientIsn + 1;
  let sseq = c.serverIsn + 1;
  const opts = () => ["nop", "nop", `TS val ${c.ts()} ecr ${c.ts()}`];
  const fromClient = (flags: number, payload = 0, text?: string) => {
    const seg: TcpHeader = { ...tcp(c.sport, init.dport, flags, { seq: cseq, ack: sseq, win: 502, options: opts(), payload }), ...(text === undefined ? {} : { text }) };
    cseq += payload + (flags & TCP_FIN ? 1 : 0);
    w.send(init.from, ipv4(c.client, init.dst, init.ttl ?? 64, seg, { id: w.random(65536), sk: c.sk }));
    w.resetHops();
  };
  const fromServer = (flags: number, payload = 0, text?: string) => {
    const seg: TcpHeader = { ...tcp(c.seen.port, c.seen.peer.port, flags, { seq: sseq, ack: cseq, win: 509, options: opts(), payload }), ...(text === undefined ? {} : { text }) };
    sseq += payload + (flags & TCP_FIN ? 1 : 0);
    w.send(c.server, ipv4(c.seen.ip, c.seen.peer.ip, 64, seg, { id: w.random(65536) }));
    w.resetHops();
  };
  fromClient(TCP_ACK);
  if (init.request) {
    fromClient(TCP_PSH | TCP_ACK, init.request, init.requestText);
    fromServer(TCP_ACK);
  }
  if (init.response) {
    const mss = mssFor(c.server, c.seen.peer.ip) - 12;
    for (let left = init.response; left > 0; left -= mss) fromServer(left > mss ? TCP_ACK : TCP_PSH | TCP_ACK, Math.min(left, mss), left === init.response ? init.responseText : undefined);
    fromClient(TCP_ACK);
  }
  if (init.hold) return;
  fromClient(TCP_FIN | TCP_ACK);
  fromServer(TCP_FIN | TCP_ACK);
  fromClient(TCP_ACK);
}

export interface UdpInit extends ExchangeInit {
  dport: number;
  sport?: number;
  payload: number;
  /** Bytes the server's program answers with (a DNS response); none: it only receives. */
  response?: number;
  /**
   * The server's program answers (a DNS server): called once the datagram reached its socket,
   * with what the socket saw and the virtual time; returns the answer's size, or undefined when
   * it sends nothing back. Replaces `response`.
   */
  respond?: (server: ServerView, at: number) => number | undefined;
}

/** A UDP datagram, and the server's answer when it gives one (or the kernel's port unreachable). */
export function sendUdp(net: ClusterNetwork, init: UdpInit): Exchange {
  const start = begin(net, init);
  const w = start.walk;
  const sport = init.sport ?? ephemeralPort(net);
  const base = { protocol: "UDP" as const, target: { ip: init.dst, port: init.dport }, replyHops: [] as WalkHop[], rttMs: 0 };
  const client = { stack: init.from.id, host: init.from.host, ip: start.error ? 0 : start.src, port: sport };
  if (start.error) return { ...base, client, outcome: failed(start), hops: w.resetHops(), elapsedMs: 0 };
  const arrival = w.send(init.from, ipv4(start.src, init.dst, init.ttl ?? 64, udp(sport, init.dport, init.payload), { id: net.traffic.int(65536), df: true }));
  const hops = w.resetHops();
  const done = (outcome: Outcome, extra: Partial<Exchange> = {}): Exchange => ({ ...base, client, outcome, hops, elapsedMs: w.now - init.now, ...extra });
  if (arrival.kind === "error") return done({ kind: "error", errno: arrival.errno });
  if (arrival.kind === "dropped") return done({ kind: "timeout" });
  const early = errorOutcome(arrival, init.from, start.src, sport);
  if (early) return done(early, { rttMs: w.now - init.now });
  const got = arrival.packet;
  if (got.l4.kind !== "udp") return done({ kind: "timeout" });
  const server = arrival.stack;
  const seen = { ip: got.dst, port: got.l4.dport, peer: { ip: got.src, port: got.l4.sport } };
  const socket = net.machine(server.host)?.listener(server.inode, "UDP", got.dst, got.l4.dport);
  if (!socket) {
    // No socket: the kernel answers ICMP port unreachable (udp_rcv → icmp_send).
    w.step("deliver", `nothing listens on UDP ${seen.port}`);
    w.step("icmp", `sends ICMP port unreachable to ${formatIP(got.src)}`);
    const err = w.send(server, ipv4(0, got.src, 64, icmp(3, 3, { quoted: got }), { df: false, id: w.random(65536) }));
    const replyHops = w.resetHops();
    const outcome = errorOutcome(err, init.from, start.src, sport);
    return done(outcome ?? { kind: "timeout" }, { replyHops, rttMs: outcome ? w.now - init.now : 0 });
  }
  const view: ServerView = { stack: server.id, host: server.host, ...seen, socket };
  w.step("deliver", `UDP ${seen.port} received by pid ${socket.pid}${socket.program ? ` (${socket.program})` : ""}`);
  const response = init.respond ? init.respond(view, w.now) : init.response;
  if (response === undefined) return done({ kind: "delivered" }, { server: view });
  const reply = w.send(server, ipv4(seen.ip, seen.peer.ip, 64, udp(seen.port, seen.peer.port, response), { id: w.random(65536) }));
  const replyHops = w.resetHops();
  const back = matchesClient(reply, init.from, start.src, sport, init.dst, init.dport);
  if (!back) return done({ kind: "timeout" }, { replyHops, server: view });
  return done({ kind: "delivered" }, { replyHops, server: view, rttMs: w.now - init.now, replyTtl: back.ttl });
}

export interface EchoInit extends ExchangeInit {
  id: number;
  seq: number;
  /** Bytes of echo data (`ping -s`, 56 by default). */
  size: number;
}

/** One ICMP echo request and its reply (or the error that came back instead). */
export function echo(net: ClusterNetwork, init: EchoInit): Exchange {
  const start = begin(net, init);
  const w = start.walk;
  const base = { protocol: "ICMP" as const, target: { ip: init.dst, port: 0 }, replyHops: [] as WalkHop[], rttMs: 0 };
  const client = { stack: init.from.id, host: init.from.host, ip: start.error ? 0 : start.src, port: init.id };
  if (start.error) return { ...base, client, outcome: failed(start), hops: w.resetHops(), elapsedMs: 0 };
  const request = ipv4(start.src, init.dst, init.ttl ?? 64, icmp(8, 0, { id: init.id, seq: init.seq, payload: init.size }), { id: net.traffic.int(65536) });
  const arrival = w.send(init.from, request, init.oif);
  const hops = w.resetHops();
  const done = (outcome: Outcome, extra: Partial<Exchange> = {}): Exchange => ({ ...base, client, outcome, hops, elapsedMs: w.now - init.now, ...extra });
  if (arrival.kind === "error") return done({ kind: "error", errno: arrival.errno });
  if (arrival.kind === "dropped") return done({ kind: "timeout" });
  const early = errorOutcome(arrival, init.from, start.src, init.id);
  if (early) return done(early, { rttMs: w.now - init.now });
  const got = arrival.packet;
  if (got.l4.kind !== "icmp" || got.l4.type !== 8) return done({ kind: "timeout" });
  const responder = arrival.stack;
  if (responder.sysctl("net.ipv4.icmp_echo_ignore_all") === "1") {
    w.step("drop", "net.ipv4.icmp_echo_ignore_all=1");
    return done({ kind: "timeout" });
  }
  w.step("deliver", "echo request answered by the kernel");
  const reply = w.send(responder, ipv4(got.dst, got.src, 64, icmp(0, 0, { id: got.l4.id, seq: got.l4.seq, payload: got.l4.payload }), { id: w.random(65536), df: false }));
  const replyHops = w.resetHops();
  if (reply.kind !== "local" || reply.stack !== init.from) return done({ kind: "timeout" }, { replyHops });
  const p = reply.packet;
  if (p.l4.kind === "icmp" && p.l4.type === 0 && p.l4.id === init.id && p.src === init.dst) {
    return done({ kind: "delivered" }, { replyHops, rttMs: w.now - init.now, replyTtl: p.ttl });
  }
  const late = errorOutcome(reply, init.from, start.src, init.id);
  return done(late ?? { kind: "timeout" }, { replyHops, rttMs: late ? w.now - init.now : 0 });
}

/** The echo's wire size as ping reports it (`64 bytes from …`: ICMP header and data). */
export function echoReplyBytes(size: number): number {
  return totalLength(ipv4(0, 0, 64, icmp(0, 0, { payload: size }))) - 20;
}
