/**
 * `openssl` (OpenSSL 3.0.2, Ubuntu 22.04's): the subcommands a cluster's PKI is inspected with —
 * `x509`, `verify`, `s_client` — and `version`. Real OpenSSL has many more; those print that
 * this lab does not provide them rather than pretend.
 *
 * @example
 * openssl x509 -in /etc/kubernetes/pki/apiserver.crt -noout -text
 * openssl verify -CAfile /etc/kubernetes/pki/ca.crt /etc/kubernetes/pki/apiserver.crt
 * openssl s_client -connect 172.30.1.2:6443 -CAfile /etc/kubernetes/pki/ca.crt
 */
import type { Command, CommandContext, CommandResult } from "../../../shell";
import { sClient } from "./s-client";
import { verify } from "./verify";
import { x509 } from "./x509";

const VERSION = "OpenSSL 3.0.2 15 Mar 2022 (Library: OpenSSL 3.0.2 15 Mar 2022)";

const SUBCOMMANDS: Record<string, (args: readonly string[], ctx: CommandContext) => CommandResult> = {
  x509,
  verify,
  s_client: sClient,
  version: (args) => ({ stdout: args.includes("-a") ? `${VERSION}\nbuilt on: Wed Feb  5 13:19:41 2025 UTC\nplatform: debian-amd64\n` : `${VERSION}\n`, stderr: "", exitCode: 0 }),
};

/** OpenSSL 3.0's standard commands, as `openssl help` lists them. */
const STANDARD = [
  "asn1parse", "ca", "ciphers", "cmp", "cms", "crl", "crl2pkcs7", "dgst", "dhparam", "dsa", "dsaparam", "ec", "ecparam", "enc", "engine", "errstr",
  "fipsinstall", "gendsa", "genpkey", "genrsa", "help", "info", "kdf", "list", "mac", "nseq", "ocsp", "passwd", "pkcs12", "pkcs7", "pkcs8", "pkey",
  "pkeyparam", "pkeyutl", "prime", "rand", "rehash", "req", "rsa", "rsautl", "s_client", "s_server", "s_time", "sess_id", "smime", "speed", "spkac", "srp",
  "storeutl", "ts", "verify", "version", "x509",
];

function help(): string {
  const rows: string[] = [];
  for (let i = 0; i < STANDARD.length; i += 4) rows.push(STANDARD.slice(i, i + 4).map((c) => c.padEnd(18)).join(""));
  return `help:\n\nStandard commands\n${rows.join("\n")}\n\n`;
}

export const opensslCommand: Command = {
  name: "openssl",
  summary: "OpenSSL command line tool",
  usage: "openssl command [ options ... ] [ parameters ... ]",
  spec: { flags: [], raw: true },
  run(args, ctx) {
    const [sub, ...rest] = args.operands;
    if (sub === undefined || sub === "help") return { stdout: help(), stderr: "", exitCode: 0 };
    const run = SUBCOMMANDS[sub];
    if (run) return run(rest, ctx);
    if (STANDARD.includes(sub)) return { stdout: "", stderr: `openssl ${sub}: not available in this lab (x509, verify, s_client and version are)\n`, exitCode: 1 };
    return { stdout: "", stderr: `Invalid command '${sub}'; type "help" for a list.\n`, exitCode: 1 };
  },
};
