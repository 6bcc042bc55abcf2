/**
 * curl's TLS set-up and its verdict on the server, as curl on OpenSSL gives them: the CA store
 * (the system's, which has no cluster CA, or `--cacert FILE` alone), a client certificate
 * (`--cert FILE`, its key from `--key FILE` or the same file), then the server's chain checked
 * up to the first error (curl's verify callback stops there, unlike `openssl s_client`), then
 * the host name against the certificate's subjectAltNames (the CN only when it has none).
 * Every failure is curl's words and exit code.
 *
 * @example
 * const setup = loadTls(opts, env.fs, env.resolvePath, flavor);
 * checkServer(setup, "kubernetes.default.svc", now)(certificate); // undefined, or { code: 60, message: "SSL certificate problem: …" }
 */
import type { FileSystem } from "../../../shell";
import { type Certificate, OPENSSL_VERIFY_ERRORS, certificatesInPem, dnsNameMatches, opensslChain, parsePrivateKeyPem, sameBytes } from "../../../pki";
import type { ServerCertificate } from "../../app";
import type { CurlFlavor } from "./flavor";
import type { CurlOptions } from "./options";

export interface Failure {
  code: number;
  message: string;
}

export interface TlsSetup {
  /** `--cacert`'s certificates; undefined: the system store. */
  anchors?: readonly Certificate[];
  /** What `-v` prints as the CA file. */
  caFile: string;
  clientCertificate?: Certificate;
}

const SYSTEM_CA_FILE = "/etc/ssl/certs/ca-certificates.crt";
/** OpenSSL 3's reason when fopen() fails, as curl copies it into its message. */
const NO_SUCH_FILE = "error:80000002:system library::No such file or directory";

function read(fs: FileSystem, resolvePath: (p: string) => string, path: string): string | undefined {
  try {
    return fs.readFile(resolvePath(path));
  } catch {
    return undefined;
  }
}

/** The CA store and client certificate curl sets up before its ClientHello, or why it cannot. */
export function loadTls(opts: CurlOptions, fs: FileSystem, resolvePath: (p: string) => string, flavor: CurlFlavor): TlsSetup | Failure {
  const setup: TlsSetup = { caFile: opts.cacert ?? SYSTEM_CA_FILE };
  if (opts.cacert !== undefined) {
    const text = read(fs, resolvePath, opts.cacert);
    const anchors = text === undefined ? [] : certificatesInPem(text);
    if (!anchors.length) {
      return {
        code: 77,
        message: flavor.modern || flavor.version !== "7.81.0"
          ? `error setting certificate file: ${opts.cacert}`
          : `error setting certificate verify locations:  CAfile: ${opts.cacert} CApath: /etc/ssl/certs`,
      };
    }
    setup.anchors = anchors;
  }
  if (opts.cert !== undefined) {
    const text = read(fs, resolvePath, opts.cert);
    const certificate = text === undefined ? undefined : certificatesInPem(text)[0];
    if (!certificate) {
      const why = text === undefined ? NO_SUCH_FILE : "error:1E08010C:DECODER routines::unsupported";
      return { code: 58, message: `could not load PEM client certificate, OpenSSL error ${why}, (no key found, wrong pass phrase, or wrong file format?)` };
    }
    const keyFile = opts.key ?? opts.cert;
    const keyText = read(fs, resolvePath, keyFile);
    const key = keyText === undefined ? undefined : parsePrivateKeyPem(keyText);
    if (!key) return { code: 58, message: `unable to set private key file: '${keyFile}' type PEM` };
    if (!sameBytes(key.publicKey, certificate.publicKey)) return { code: 58, message: "Private key does not match the certificate public key" };
    setup.clientCertificate = certificate;
  }
  return setup;
}

/** The SAN that matched `host`, as `-v` reports it: `host "web" matched cert's "*.web"`, or an IP address match. */
export function hostMatch(certificate: ServerCertificate, host: string): string | undefined {
  const leaf = certificate.chain?.[0];
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase().replace(/\.$/, "");
  if ((leaf ? leaf.ipAddresses : certificate.names).includes(bare)) return `host "${host}" matched cert's IP address!`;
  const name = (leaf ? leaf.dnsNames : certificate.names).find((n) => dnsNameMatches(n, bare));
  return name === undefined ? undefined : `host "${host}" matched cert's "${name}"`;
}

/** curl's host name check (Curl_ossl_verifyhost): DNS SANs with a leftmost `*.` label, IP SANs; the CN only without SANs. */
function hostFailure(certificate: ServerCertificate, host: string): Failure | undefined {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase().replace(/\.$/, "");
  const leaf = certificate.chain?.[0];
  const names = leaf ? [...leaf.dnsNames, ...leaf.ipAddresses] : certificate.names;
  if (names.length) return hostMatch(certificate, host) ? undefined : { code: 60, message: `SSL: no alternative certificate subject name matches target host name '${host}'` };
  const cn = leaf?.subject.commonName;
  if (!cn || cn.toLowerCase() === bare) return undefined;
  return { code: 60, message: `SSL: certificate subject name '${cn}' does not match target host name '${host}'` };
}

/** OpenSSL's first error for the chain the server sent, against curl's store: [code, text]; undefined: it verifies. */
export function chainProblem(certificate: ServerCertificate, setup: TlsSetup, now: number): readonly [number, string] | undefined {
  const { selfSigned, noIssuer } = OPENSSL_VERIFY_ERRORS;
  if (!setup.anchors) return certificate.untrusted === "self-signed" ? selfSigned : certificate.untrusted === "unknown-issuer" ? noIssuer : undefined;
  // A server modelled without X.509 bytes is a public site: its CA is not in a private bundle.
  if (!certificate.chain?.length) return certificate.untrusted === "self-signed" ? selfSigned : noIssuer;
  const [first] = opensslChain(certificate.chain[0], setup.anchors, certificate.chain.slice(1), now).errors;
  if (!first) return undefined;
  return first.error === "selfSigned" && first.depth > 0 ? [19, "self-signed certificate in certificate chain"] : OPENSSL_VERIFY_ERRORS[first.error];
}

/** The check curl makes of the server's certificate once it arrives; undefined: it goes on. */
export function checkServer(setup: TlsSetup, host: string, now: number): (certificate: ServerCertificate) => Failure | undefined {
  return (certificate) => {
    const problem = chainProblem(certificate, setup, now);
    if (problem) return { code: 60, message: `SSL certificate problem: ${problem[1]}` };
    return hostFailure(certificate, host);
  };
}
