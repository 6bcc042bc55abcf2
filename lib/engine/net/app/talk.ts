/**
 * A client's conversation with a server over TCP, walked packet by packet: the handshake
 * through the cluster's kernel state, TLS when asked (the certificate judged as OpenSSL with
 * the system's trust store would judge it), the request, and whatever the program behind the
 * server's socket answers. curl, wget and nc all talk through here, so they see the same
 * network and the servers log the same client addresses.
 *
 * @example
 * const t = talk(network, { from: pod, dst: parseIP("10.96.0.12")!, port: 80, now, request: "GET / HTTP/1.1\r\n…" });
 * t.exchange.outcome.kind;   // "connected"
 * t.reply;                   // { kind: "data", data: "HTTP/1.1 200 OK\r\n…", close: false }
 */
import type { NetStack } from "../kernel/stack";
import { autoIPv6 } from "../kernel/link-state";
import type { ClusterNetwork } from "../network";
import { connectTcp, recordExchange, sendUdp, type Exchange, type ServerView } from "../walker";
import { formatIP } from "../../util/ipv4";
import type { AppReply, ServerCertificate } from "./types";
import type { Certificate } from "../../pki";

/** The first bytes of a TLS 1.3 ClientHello record, as a plain server reads them. */
export const CLIENT_HELLO = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03";

/** Bytes a TLS handshake adds each way (ClientHello; ServerHello with a certificate chain). */
const TLS_CLIENT_BYTES = 517;
const TLS_SERVER_BYTES = 2600;

export interface TalkInit {
  from: NetStack;
  dst: number;
  port: number;
  /** Virtual epoch ms the connection starts. */
  now: number;
  /** A bound source address (`curl --interface`). */
  src?: number;
  /** What the client sends once connected (over TLS: once the handshake succeeded). */
  request: string;
  /**
   * Start TLS. `verify`: true, the client checks the certificate against the system's store
   * (wget); a function, the client's own check, whose refusal ends the handshake (curl); false,
   * no check (`-k`). `serverName`: the SNI it sends (a name, never an IP).
   */
  tls?: { verify: boolean | CertificateCheck; serverName?: string; clientCertificate?: Certificate };
  /** The client socket's owner (`-m owner` rules see it): root unless said. */
  uid?: number;
  /** How the trace names the target (the host as typed). */
  target?: string;
}

/** Why a TLS handshake failed. */
export type TlsFailure = "not-tls" | "self-signed" | "unknown-issuer";

/** Why a client refuses the server's certificate, in its own words and exit code (undefined: it accepts it). */
export type CertificateCheck = (certificate: ServerCertificate) => { code: number; message: string } | undefined;

export interface Talk {
  exchange: Exchange;
  /** What the server's program answered; undefined when no request went out (not connected, TLS failed). */
  reply?: AppReply;
  certificate?: ServerCertificate;
  tlsFailure?: TlsFailure;
  /** The client's own check refused the certificate (a `CertificateCheck`'s answer). */
  rejected?: { code: number; message: string };
}

/** Connects, shakes hands if asked, sends the request and reads the answer; the walk becomes the cluster's latest trace. */
export function talk(network: ClusterNetwork, init: TalkInit): Talk {
  const result: Omit<Talk, "exchange"> = {};
  const respond = (view: ServerView, at: number): { bytes: number; text?: string } => {
    const stack = network.stack(view.stack);
    const app = stack && network.machine(view.host)?.application?.(stack.inode, view.socket, view.port);
    const request = { local: { ip: view.ip, port: view.port }, peer: { ...view.peer } };
    if (init.tls) {
      const certificate = app?.certificateFor ? app.certificateFor(init.tls.serverName) : app?.tls;
      if (!certificate) {
        // A plain server reads the ClientHello as its request; the client cannot parse what comes back.
        result.tlsFailure = "not-tls";
        const reply = app?.serve({ ...request, data: CLIENT_HELLO, tls: false }, at);
        return reply?.kind === "data" ? { bytes: reply.data.length, text: firstLine(reply.data) } : { bytes: 0 };
      }
      result.certificate = certificate;
      const { verify } = init.tls;
      if (typeof verify === "function") result.rejected = verify(certificate);
      else if (verify && certificate.untrusted) result.tlsFailure = certificate.untrusted;
      if (result.rejected || result.tlsFailure) return { bytes: TLS_SERVER_BYTES };
    }
    // A client that sends nothing (`nc -z`) gives the program nothing to answer.
    const peerCertificate = init.tls?.clientCertificate;
    result.reply = app && init.request !== "" ? app.serve({ ...request, data: init.request, tls: Boolean(init.tls), ...(peerCertificate ? { peerCertificate } : {}) }, at) : { kind: "silent" };
    const data = result.reply.kind === "data" ? result.reply.data : "";
    return { bytes: (init.tls ? TLS_SERVER_BYTES : 0) + data.length, text: init.tls ? undefined : firstLine(data) };
  };
  const requestText = init.tls ? undefined : firstLine(init.request);
  const exchange = connectTcp(network, { from: init.from, dst: init.dst, dport: init.port, now: init.now, src: init.src, uid: init.uid, request: init.request.length + (init.tls ? TLS_CLIENT_BYTES : 0), requestText, respond });
  recordExchange(network, exchange, { host: init.target ?? formatIP(init.dst), port: init.port });
  return { exchange, ...result };
}

/**
 * One UDP datagram carrying `data` to whatever program holds the port (`nc -u`): the program
 * reads it (a listening `nc -lu` logs it) and may answer with a datagram of its own.
 */
export function datagram(network: ClusterNetwork, init: { from: NetStack; dst: number; port: number; now: number; data: string }): { exchange: Exchange; answer?: string } {
  let answer: string | undefined;
  const exchange = sendUdp(network, {
    from: init.from, dst: init.dst, dport: init.port, now: init.now, payload: Math.max(init.data.length, 1),
    respond: (view, at) => {
      const stack = network.stack(view.stack);
      const app = stack && network.machine(view.host)?.application?.(stack.inode, view.socket, view.port);
      const reply = app?.serve({ local: { ip: view.ip, port: view.port }, peer: { ...view.peer }, data: init.data, tls: false }, at);
      if (reply?.kind !== "data") return undefined;
      answer = reply.data;
      return reply.data.length;
    },
  });
  return { exchange, ...(answer !== undefined ? { answer } : {}) };
}

/** The first line of bytes on the wire, when there are any (what tcpdump decodes of a text protocol). */
function firstLine(data: string): string | undefined {
  return data ? data.split(/\r?\n/)[0] : undefined;
}

/** A namespace's addresses interface by interface, IPv4 then IPv6 (what Go's net.Interfaces/Addrs list). */
export function interfaceAddresses(network: ClusterNetwork, stack: NetStack): string[] {
  const out: string[] = [];
  for (const link of [...stack.links.values()].sort((a, b) => a.index - b.index)) {
    if (!link.up) continue;
    for (const a of link.addrs) out.push(formatIP(a.ip));
    for (const a of autoIPv6(network, stack, link)) out.push(a.address);
  }
  return out;
}
