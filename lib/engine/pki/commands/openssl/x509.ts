/**
 * `openssl x509`: reads one certificate (`-in FILE`, else standard input) and prints what its
 * options ask, in the order given — `-text`, `-subject`, `-issuer`, `-dates`, `-startdate`,
 * `-enddate`, `-serial`, `-fingerprint` (SHA1 unless `-sha256`…), `-ext NAMES`, `-pubkey` —
 * then the certificate itself unless `-noout`; `-checkend SECONDS` answers whether it expires
 * within that time (exit code 1 if so), against the virtual clock.
 *
 * @example
 * openssl x509 -in /etc/kubernetes/pki/apiserver.crt -noout -subject -enddate
 * # subject=CN = kube-apiserver
 * # notAfter=Jan 12 08:52:00 2027 GMT
 */
import { sha1 } from "@noble/hashes/legacy.js";
import { sha256, sha384, sha512 } from "@noble/hashes/sha2.js";
import type { CommandContext, CommandResult } from "../../../shell";
import { pemEncode } from "../../pem";
import type { Certificate } from "../../certificate";
import { publicKeyInfoDer } from "../../keys";
import { certificateText, colonHex, EXTENSION_NAMES, extensionText, formatName, opensslDate, serialHex, type NameFormat } from "./format";
import { loadCertificates } from "./load";
import { has, parseOptions, valueOf, type OptionKind } from "./options";

const DIGESTS: Record<string, (data: Uint8Array) => Uint8Array> = { sha1, sha256, sha384, sha512 };

const OPTIONS: Record<string, OptionKind> = {
  in: "value", out: "value", inform: "value", outform: "value", nameopt: "value", ext: "value", checkend: "value",
  text: "flag", noout: "flag", subject: "flag", issuer: "flag", dates: "flag", startdate: "flag", enddate: "flag",
  serial: "flag", fingerprint: "flag", pubkey: "flag", help: "flag",
  ...Object.fromEntries(Object.keys(DIGESTS).map((d) => [d, "flag" as const])),
};

const HELP = `Usage: x509 [options]

General options:
 -help                      Display this summary

Input options:
 -in infile                 Certificate input (default stdin)
 -inform format             Input format - default PEM (DER or PEM)

Output options:
 -out outfile               Output file - default stdout
 -outform format            Output format - default PEM (DER or PEM)
 -noout                     No output (except for explicitly requested fields)

Certificate printing options:
 -text                      Print the certificate in text form
 -subject                   Print subject DN
 -issuer                    Print issuer DN
 -serial                    Print serial number value
 -dates                     Print both start and expiry dates
 -startdate                 Print the notBefore field
 -enddate                   Print the notAfter field
 -fingerprint               Print the certificate fingerprint
 -pubkey                    Output the public key
 -ext val                   Restrict which X.509 extensions to print and/or copy
 -nameopt val               Certificate subject/issuer name printing options
 -checkend intmax           Check whether cert expires in the next arg seconds
                            Exit 1 (failure) if so, 0 if not
 -*                         Any supported digest
`;

const result = (stdout: string, stderr = "", exitCode = 0): CommandResult => ({ stdout, stderr, exitCode });

/** `-ext keyUsage,subjectAltName`: the named extensions the certificate has, in the certificate's order. */
function extensions(cert: Certificate, list: string): { stdout: string; stderr: string } {
  const wanted = new Set(list.split(",").map((n) => EXTENSION_NAMES[n.trim()]?.oid).filter(Boolean));
  const found = cert.extensions.filter((e) => wanted.has(e.oid));
  if (!found.length) return { stdout: "", stderr: "No extensions in certificate\n" };
  return { stdout: found.map((e) => extensionText(e, 0)).join(""), stderr: "" };
}

export function x509(args: readonly string[], ctx: CommandContext): CommandResult {
  const parsed = parseOptions("x509", args, OPTIONS);
  if (!parsed.ok) return result("", parsed.stderr, 1);
  const { options, rest } = parsed;
  if (has(options, "help")) return result("", HELP, 0);
  if (rest.length) return result("", "x509: Use -help for summary.\n", 1);
  const format = (valueOf(options, "inform") ?? "PEM").toUpperCase();
  if (format !== "PEM") return result("", `x509: Invalid format "${valueOf(options, "inform")}" for option -inform\nx509: Use -help for summary.\n`, 1);
  const loaded = loadCertificates(ctx, valueOf(options, "in"), "certificate");
  if (!loaded.ok) return result("", `${loaded.stderr}Unable to load certificate\n`, 1);
  const cert = loaded.certificates[0];
  const names: NameFormat = /^rfc2253$/i.test(valueOf(options, "nameopt") ?? "") ? "RFC2253" : "oneline";
  const digestName = options.map(([n]) => n).filter((n) => n in DIGESTS).pop();
  let stdout = "";
  let stderr = "";
  for (const [name, value] of options) {
    if (name === "subject") stdout += `subject=${formatName(cert.subject, names)}\n`;
    else if (name === "issuer") stdout += `issuer=${formatName(cert.issuer, names)}\n`;
    else if (name === "serial") stdout += `serial=${serialHex(cert.serial)}\n`;
    else if (name === "startdate") stdout += `notBefore=${opensslDate(cert.notBefore)}\n`;
    else if (name === "enddate") stdout += `notAfter=${opensslDate(cert.notAfter)}\n`;
    else if (name === "dates") stdout += `notBefore=${opensslDate(cert.notBefore)}\nnotAfter=${opensslDate(cert.notAfter)}\n`;
    else if (name === "text") stdout += certificateText(cert, names);
    else if (name === "pubkey") stdout += pemEncode("PUBLIC KEY", publicKeyInfoDer(cert.publicKey));
    else if (name === "fingerprint") {
      const digest = DIGESTS[digestName ?? "sha1"];
      stdout += `${digestName ?? "SHA1"} Fingerprint=${colonHex(digest(cert.der))}\n`;
    } else if (name === "ext") {
      const ext = extensions(cert, value);
      stdout += ext.stdout;
      stderr += ext.stderr;
    }
  }
  const checkend = valueOf(options, "checkend");
  if (checkend !== undefined) {
    if (!/^\d+$/.test(checkend)) return result(stdout, `${stderr}x509: Invalid number "${checkend}" for option -checkend\nx509: Use -help for summary.\n`, 1);
    const expires = cert.notAfter < ctx.clock.now() + Number(checkend) * 1000;
    return result(`${stdout}Certificate will ${expires ? "" : "not "}expire\n`, stderr, expires ? 1 : 0);
  }
  if (!has(options, "noout")) stdout += cert.pem;
  const out = valueOf(options, "out");
  if (out !== undefined) {
    ctx.fs.writeFile(ctx.resolve(out), stdout);
    return result("", stderr, 0);
  }
  return result(stdout, stderr, 0);
}
