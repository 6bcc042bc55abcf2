/**
 * `openssl s_client -connect HOST:PORT [-servername NAME] [-showcerts] [-CAfile FILE]`: a TLS
 * client over the cluster's network (net/app's talk: the packet walk, its trace and what
 * tcpdump sees). It prints what OpenSSL 3.0 prints against a Go TLS 1.3 server: the verify
 * callback's lines (stderr) as the chain is checked against `-CAfile` at the virtual time,
 * the certificate chain the server sent, the server certificate, the CAs it asks client
 * certificates of, the handshake summary and the verify return code. Standard input ends at
 * once (as with `</dev/null`), so it closes and prints `DONE`.
 *
 * @example
 * openssl s_client -connect 172.30.1.2:6443 -CAfile /etc/kubernetes/pki/ca.crt
 * # CONNECTED(00000003) … Verify return code: 0 (ok)
 */
import type { CommandContext, CommandResult } from "../../../shell";
import { talk, type ServerCertificate } from "../../../net/app";
import { currentNet } from "../../../net/commands/context";
import { resolveHost } from "../../../net/commands/userland";
import type { Certificate } from "../../certificate";
import { formatName, opensslDate, THREAD_ID } from "./format";
import { loadCertificates } from "./load";
import { has, parseOptions, valueOf, type OptionKind } from "./options";
import { OPENSSL_VERIFY_ERRORS, opensslChain } from "../../chain";

const OPTIONS: Record<string, OptionKind> = {
  connect: "value", servername: "value", CAfile: "value", showcerts: "flag", noservername: "flag", brief: "flag", quiet: "flag", help: "flag",
};

/** Go's CertificateRequest signature algorithms (crypto/tls supportedSignatureAlgorithms) in OpenSSL's names. */
const GO_SIGALGS = "RSA-PSS+SHA256:ECDSA+SHA256:ed25519:RSA-PSS+SHA384:RSA-PSS+SHA512:RSA+SHA256:RSA+SHA384:RSA+SHA512:ECDSA+SHA384:ECDSA+SHA512:RSA+SHA1:ECDSA+SHA1";
/** What the client shares of them at Ubuntu's security level 2 (no SHA-1). */
const SHARED_SIGALGS = GO_SIGALGS.split(":").filter((a) => !a.endsWith("SHA1")).join(":");

const EXTRA_ERRORS = { unverifiedFirst: [21, "unable to verify the first certificate"], selfSignedInChain: [19, "self-signed certificate in certificate chain"] } as const;
type CallbackError = readonly [number, string];

/** The verify callback's lines as the chain the server sent is checked (stderr), and the final error if any. */
function verifyChain(sent: readonly Certificate[], trusted: readonly Certificate[], at: number): { lines: string; result: CallbackError | undefined } {
  let lines = "";
  const callback = (cert: Certificate, depth: number, error?: CallbackError, extra = "") => {
    lines += `depth=${depth} ${formatName(cert.subject)}\n${error ? `verify error:num=${error[0]}:${error[1]}\n${extra}` : ""}verify return:1\n`;
  };
  const { chain, errors } = opensslChain(sent[0], trusted, sent.slice(1), at);
  const stop = errors.find((e) => e.error === "noIssuer" || e.error === "selfSigned");
  if (stop) {
    // No trusted root: the error at the top of what was built, then each certificate's final call.
    const error: CallbackError = stop.error === "selfSigned"
      ? (stop.depth > 0 ? EXTRA_ERRORS.selfSignedInChain : OPENSSL_VERIFY_ERRORS.selfSigned)
      : OPENSSL_VERIFY_ERRORS.noIssuer;
    callback(stop.cert, stop.depth, error);
    let result = error;
    if (stop.error === "noIssuer" && stop.depth === 0) {
      result = EXTRA_ERRORS.unverifiedFirst;
      callback(stop.cert, 0, result);
    }
    for (let d = stop.depth; d >= 0; d--) callback(chain[d], d);
    return { lines, result };
  }
  // A chain to a trusted root: the callback runs from the root down; an error comes before its certificate's final call.
  let result: CallbackError | undefined;
  for (let d = chain.length - 1; d >= 0; d--) {
    const e = errors.find((x) => x.depth === d);
    if (e) {
      result = OPENSSL_VERIFY_ERRORS[e.error];
      const extra = e.error === "expired" ? `notAfter=${opensslDate(chain[d].notAfter)}\n` : e.error === "notYetValid" ? `notBefore=${opensslDate(chain[d].notBefore)}\n` : "";
      callback(chain[d], d, result, extra);
    }
    callback(chain[d], d);
  }
  return { lines, result };
}

/** BIO_connect's failure as 3.0 prints it, with the errno's text. */
function connectError(errno: number, text: string): string {
  return `${THREAD_ID}:error:8000006F:system library:BIO_connect:${text}:../crypto/bio/bio_sock2.c:125:calling connect()\n`
    + `${THREAD_ID}:error:10000067:BIO routines:BIO_connect:connect error:../crypto/bio/bio_sock2.c:127:\nconnect:errno=${errno}\n`;
}

const NOT_TLS_SUMMARY = (written: number) => `---
no peer certificate available
---
No client certificate CA names sent
---
SSL handshake has read 5 bytes and written ${written} bytes
Verification: OK
---
New, (NONE), Cipher is (NONE)
Secure Renegotiation IS NOT supported
Compression: NONE
Expansion: NONE
No ALPN negotiated
Early data was not sent
Verify return code: 0 (ok)
---
`;

/** The session part of the output for a TLS 1.3 handshake with a Go server. */
function sessionText(server: ServerCertificate, chain: readonly Certificate[], showcerts: boolean, verified: CallbackError | undefined, written: number): string {
  let text = "---\nCertificate chain\n";
  chain.forEach((c, i) => {
    text += ` ${i} s:${formatName(c.subject)}\n   i:${formatName(c.issuer)}\n   a:PKEY: id-ecPublicKey, 256 (bit); sigalg: ecdsa-with-SHA256\n   v:NotBefore: ${opensslDate(c.notBefore)}; NotAfter: ${opensslDate(c.notAfter)}\n`;
    if (showcerts) text += c.pem;
  });
  text += `---\nServer certificate\n${chain[0].pem}subject=${formatName(chain[0].subject)}\nissuer=${formatName(chain[0].issuer)}\n---\n`;
  if (server.clientCAs?.length) {
    text += `Acceptable client certificate CA names\n${server.clientCAs.map((c) => formatName(c.subject)).join("\n")}\n`;
    text += `Requested Signature Algorithms: ${GO_SIGALGS}\nShared Requested Signature Algorithms: ${SHARED_SIGALGS}\n`;
  } else text += "No client certificate CA names sent\n";
  // The handshake's size: the records around the certificates (ServerHello, key share, CertificateVerify, Finished, the CA names).
  const read = 1 + 127 + 6 + chain.reduce((n, c) => n + c.der.length + 5, 0) + 79 + 53 + 22 + (server.clientCAs ?? []).reduce((n, c) => n + c.der.length / 12, 0);
  text += "Peer signing digest: SHA256\nPeer signature type: ECDSA\nServer Temp Key: X25519, 253 bits\n---\n";
  text += `SSL handshake has read ${Math.round(read)} bytes and written ${written} bytes\n`;
  text += verified ? `Verification error: ${verified[1]}\n` : "Verification: OK\n";
  text += "---\nNew, TLSv1.3, Cipher is TLS_AES_128_GCM_SHA256\nServer public key is 256 bit\nSecure Renegotiation IS NOT supported\nCompression: NONE\nExpansion: NONE\nNo ALPN negotiated\nEarly data was not sent\n";
  text += `Verify return code: ${verified ? `${verified[0]} (${verified[1]})` : "0 (ok)"}\n---\n`;
  return text;
}

export function sClient(args: readonly string[], ctx: CommandContext): CommandResult {
  const parsed = parseOptions("s_client", args, OPTIONS);
  if (!parsed.ok) return { stdout: "", stderr: parsed.stderr, exitCode: 1 };
  const { options, rest } = parsed;
  const target = valueOf(options, "connect") ?? rest[0] ?? "localhost:4433";
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(target);
  if (!m || !m[2]) return { stdout: "", stderr: `s_client: -connect argument or target parameter malformed or ambiguous\ns_client: Use -help for summary.\n`, exitCode: 1 };
  const host = m[1];
  const port = Number(m[2]);
  let trusted: Certificate[] = [];
  const caFile = valueOf(options, "CAfile");
  if (caFile !== undefined) {
    const loaded = loadCertificates(ctx, caFile, "certificates");
    if (!loaded.ok) return { stdout: "", stderr: `Error loading file ${caFile}\n`, exitCode: 1 };
    trusted = loaded.certificates;
  }
  const here = currentNet(ctx);
  const ip = resolveHost(ctx, host);
  if (!here || ip === undefined) {
    return { stdout: "", stderr: `${THREAD_ID}:error:10080002:BIO routines:BIO_lookup_ex:system lib:../crypto/bio/bio_addr.c:738:Name or service not known\nconnect:errno=0\n`, exitCode: 1 };
  }
  const isIP = /^[\d.]+$/.test(host);
  const serverName = has(options, "noservername") ? undefined : (valueOf(options, "servername") ?? (isIP ? undefined : host));
  const t = talk(here.network, { from: here.stack, dst: ip, port, now: ctx.clock.now(), request: "", tls: { verify: false, ...(serverName ? { serverName } : {}) }, target: host });
  const outcome = t.exchange.outcome;
  if (outcome.kind === "refused") return { stdout: "", stderr: connectError(111, "Connection refused"), exitCode: 1 };
  if (outcome.kind === "timeout") return { stdout: "", stderr: connectError(110, "Connection timed out"), exitCode: 1 };
  if (outcome.kind === "unreachable" || outcome.kind === "error") {
    const net = outcome.kind === "error" ? outcome.errno === "ENETUNREACH" : outcome.reason === "net";
    return { stdout: "", stderr: net ? connectError(101, "Network is unreachable") : connectError(113, "No route to host"), exitCode: 1 };
  }
  const written = 297 + (serverName ? serverName.length + 9 : 0);
  const sni = serverName ? "" : "Can't use SSL_get_servername\n";
  if (t.tlsFailure === "not-tls" || !t.certificate) {
    const error = `${THREAD_ID}:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../ssl/record/ssl3_record.c:354:\n`;
    return { stdout: `CONNECTED(00000003)\n${NOT_TLS_SUMMARY(written)}`, stderr: error, exitCode: 1, chunks: [{ fd: 1, text: "CONNECTED(00000003)\n" }, { fd: 2, text: error }, { fd: 1, text: NOT_TLS_SUMMARY(written) }] };
  }
  const chain = t.certificate.chain ?? [];
  if (!chain.length) {
    const error = `${THREAD_ID}:error:0A000412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate:../ssl/record/rec_layer_s3.c:1584:SSL alert number 42\n`;
    return { stdout: "CONNECTED(00000003)\n", stderr: error, exitCode: 1 };
  }
  const verified = verifyChain(chain, trusted, ctx.clock.now());
  const session = sessionText(t.certificate, chain, has(options, "showcerts"), verified.result, written + (t.certificate.clientCAs?.length ? 110 : 80));
  const chunks = [
    { fd: 1 as const, text: "CONNECTED(00000003)\n" },
    { fd: 2 as const, text: sni + verified.lines },
    { fd: 1 as const, text: session },
    { fd: 2 as const, text: "DONE\n" },
  ];
  return { stdout: chunks.filter((c) => c.fd === 1).map((c) => c.text).join(""), stderr: chunks.filter((c) => c.fd === 2).map((c) => c.text).join(""), exitCode: 0, chunks };
}

