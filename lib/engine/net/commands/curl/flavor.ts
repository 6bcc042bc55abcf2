/**
 * Which curl a machine has, by its distribution (`/etc/os-release`): Ubuntu 22.04's 7.81.0 on
 * the nodes and the client, Debian 12's 7.88.1 (nginx's image), Ubuntu 24.04's 8.5.0, and
 * Alpine 3.21's 8.11.1 (curlimages/curl, agnhost, netshoot). Versions differ in what they
 * print: `(#0)` after "Connected to", 8.x's `using HTTP/1.x` and `Request completely sent off`,
 * the words after a failed connect, and how OpenSSL errors are prefixed.
 *
 * @example
 * curlFlavor(fs).version; // "7.81.0"
 */
import type { FileSystem } from "../../../shell";

export interface CurlFlavor {
  version: string;
  /** 8.x's verbose lines and messages. */
  modern: boolean;
  /** What `Failed to connect … after N ms:` ends with: the errno's text (7.81) or libcurl's (later). */
  connectFailure: (errnoText: string) => string;
  /** The prefix of an OpenSSL error message. */
  sslPrefix: string;
  versionText: string;
}

const FLAVORS: Record<string, CurlFlavor> = {
  "7.81.0": {
    version: "7.81.0", modern: false, connectFailure: (errno) => errno, sslPrefix: "",
    versionText: `curl 7.81.0 (x86_64-pc-linux-gnu) libcurl/7.81.0 OpenSSL/3.0.2 zlib/1.2.11 brotli/1.0.9 zstd/1.4.8 libidn2/2.3.2 libpsl/0.21.0 (+libidn2/2.3.2) libssh/0.9.6/openssl/zlib nghttp2/1.43.0 librtmp/2.3 OpenLDAP/2.5.18
Release-Date: 2022-01-05
Protocols: dict file ftp ftps gopher gophers http https imap imaps ldap ldaps mqtt pop3 pop3s rtmp rtsp scp sftp smb smbs smtp smtps telnet tftp 
Features: alt-svc AsynchDNS brotli GSS-API HSTS HTTP2 HTTPS-proxy IDN IPv6 Kerberos Largefile libz NTLM NTLM_WB PSL SPNEGO SSL TLS-SRP UnixSockets zstd
`,
  },
  "7.88.1": {
    version: "7.88.1", modern: false, connectFailure: () => "Couldn't connect to server", sslPrefix: "OpenSSL/3.0.15: ",
    versionText: `curl 7.88.1 (x86_64-pc-linux-gnu) libcurl/7.88.1 OpenSSL/3.0.15 zlib/1.2.13 brotli/1.0.9 zstd/1.5.4 libidn2/2.3.3 libpsl/0.21.2 (+libidn2/2.3.3) libssh2/1.10.0 nghttp2/1.52.0 librtmp/2.3 OpenLDAP/2.5.13
Release-Date: 2023-02-20, security patched: 7.88.1-10+deb12u8
Protocols: dict file ftp ftps gopher gophers http https imap imaps ldap ldaps mqtt pop3 pop3s rtmp rtsp scp sftp smb smbs smtp smtps telnet tftp
Features: alt-svc AsynchDNS brotli GSS-API HSTS HTTP2 HTTPS-proxy IDN IPv6 Kerberos Largefile libz NTLM NTLM_WB PSL SPNEGO SSL threadsafe TLS-SRP UnixSockets zstd
`,
  },
  "8.5.0": {
    version: "8.5.0", modern: true, connectFailure: () => "Couldn't connect to server", sslPrefix: "OpenSSL/3.0.13: ",
    versionText: `curl 8.5.0 (x86_64-pc-linux-gnu) libcurl/8.5.0 OpenSSL/3.0.13 zlib/1.3 brotli/1.1.0 zstd/1.5.5 libidn2/2.3.7 libpsl/0.21.2 (+libidn2/2.3.7) libssh/0.10.6/openssl/zlib nghttp2/1.59.0 librtmp/2.3 OpenLDAP/2.6.7
Release-Date: 2023-12-06, security patched: 8.5.0-2ubuntu10.6
Protocols: dict file ftp ftps gopher gophers http https imap imaps ldap ldaps mqtt pop3 pop3s rtmp rtsp scp sftp smb smbs smtp smtps telnet tftp
Features: alt-svc AsynchDNS brotli GSS-API HSTS HTTP2 HTTPS-proxy IDN IPv6 Kerberos Largefile libz NTLM PSL SPNEGO SSL threadsafe TLS-SRP UnixSockets zstd
`,
  },
  "8.11.1": {
    version: "8.11.1", modern: true, connectFailure: () => "Could not connect to server", sslPrefix: "TLS connect error: ",
    versionText: `curl 8.11.1 (x86_64-pc-linux-musl) libcurl/8.11.1 OpenSSL/3.3.2 zlib/1.3.1 brotli/1.1.0 zstd/1.5.6 c-ares/1.34.3 libidn2/2.3.7 libpsl/0.21.5 libssh2/1.11.1 nghttp2/1.64.0
Release-Date: 2024-12-11
Protocols: dict file ftp ftps gopher gophers http https imap imaps ipfs ipns mqtt pop3 pop3s rtsp scp sftp smb smbs smtp smtps telnet tftp ws wss
Features: alt-svc AsynchDNS brotli HSTS HTTP2 HTTPS-proxy IDN IPv6 Largefile libz NTLM PSL SSL threadsafe TLS-SRP UnixSockets zstd
`,
  },
};

/** The curl of the machine whose files these are. */
export function curlFlavor(fs: FileSystem): CurlFlavor {
  let release = "";
  try {
    if (fs.isFile("/etc/os-release")) release = fs.readFile("/etc/os-release");
  } catch {
    release = "";
  }
  const id = /^ID=("?)(\w+)\1$/m.exec(release)?.[2];
  const version = /^VERSION_ID="?([\d.]+)"?$/m.exec(release)?.[1];
  if (id === "ubuntu") return FLAVORS[version === "24.04" ? "8.5.0" : "7.81.0"];
  if (id === "debian") return FLAVORS["7.88.1"];
  return FLAVORS["8.11.1"];
}
