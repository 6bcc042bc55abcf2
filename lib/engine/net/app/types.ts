/**
 * The application layer, as the walker meets it once a TCP connection is made: the program
 * behind the server's socket reads what the client sent and answers with bytes (an HTTP
 * response, a banner), closes without a word, resets, or never answers. Programs answer as
 * data-driven handlers (module-level functions over their state), so a running server stays
 * plain data; a machine hands the walker an `AppServer` for a socket only for the call.
 *
 * @example
 * const app = network.machine("node01")?.application?.(inode, socket);
 * app?.serve({ data: "GET / HTTP/1.1\r\nHost: 10.96.0.12\r\n\r\n", local, peer, tls: false }, now);
 * // { kind: "data", data: "HTTP/1.1 200 OK\r\nServer: nginx/1.27.5\r\n…", close: false }
 */

import type { Certificate } from "../../pki";

/** One end of a connection as a socket sees it. */
export interface Endpoint {
  ip: number;
  port: number;
}

/** What reached the server's program: the bytes, and the addresses its socket saw (after any NAT). */
export interface AppRequest {
  data: string;
  local: Endpoint;
  peer: Endpoint;
  /** The bytes came over TLS (the handshake succeeded). */
  tls: boolean;
  /** The certificate the client presented in the handshake (mutual TLS: a mesh sidecar's). */
  peerCertificate?: Certificate;
}

/** How the program answered. */
export type AppReply =
  /** Bytes back; `close`: the server closes the connection after them (`Connection: close`, a banner and hang-up). */
  | { kind: "data"; data: string; close: boolean }
  /** The server closed without answering (curl: `(52) Empty reply from server`). */
  | { kind: "close" }
  /** The server reset the connection (curl: `(56) Recv failure: Connection reset by peer`). */
  | { kind: "reset" }
  /** The program reads and never answers (a client waits until its own timeout). */
  | { kind: "silent" };

/** The certificate a TLS server presents, as a client's verification judges it. */
export interface ServerCertificate {
  subject: string;
  issuer: string;
  /** The names it is valid for (subjectAltName DNS and IP entries). */
  names: readonly string[];
  /**
   * Why a client with the system's trust store rejects it: a self-signed leaf, a private CA the
   * client does not have (the cluster's), or nothing (a public CA's chain).
   */
  untrusted?: "self-signed" | "unknown-issuer";
  /** The X.509 certificates it sends, leaf first (`openssl s_client` shows and verifies them); absent for a server modelled without them. */
  chain?: readonly Certificate[];
  /** The CAs it asks client certificates of (a CertificateRequest's names: the apiserver's and kubelet's client CA); absent: it asks none. */
  clientCAs?: readonly Certificate[];
}

/** The program behind one socket, for the length of one call. */
export interface AppServer {
  /** Present when the socket speaks TLS. */
  readonly tls?: ServerCertificate;
  /** A server that picks its certificate by the ClientHello's server name (SNI); when present it decides instead of `tls` (undefined: plain text). */
  certificateFor?(serverName: string | undefined): ServerCertificate | undefined;
  serve(request: AppRequest, now: number): AppReply;
}
