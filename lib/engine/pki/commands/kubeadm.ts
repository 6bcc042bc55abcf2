/**
 * `kubeadm certs check-expiration` and `kubeadm certs renew NAME|all` (kubeadm v1.32), over the
 * files `kubeadm init` left: the certificates under /etc/kubernetes/pki and the client
 * certificates embedded in the kubeconfigs. Expiry is measured on the virtual clock; renewal
 * keeps each key, reuses the old certificate's subject and SANs, signs with the CA's key from
 * disk and rewrites the file (a kubeconfig keeps everything but its client-certificate-data —
 * and `~/.kube/config`, a copy, is not touched, as with the real tool).
 *
 * @example
 * kubeadm certs check-expiration   # CERTIFICATE  EXPIRES  RESIDUAL TIME  CERTIFICATE AUTHORITY  EXTERNALLY MANAGED …
 * kubeadm certs renew all          # … Done renewing certificates. You must restart the kube-apiserver, …
 */
import type { Command, CommandContext, CommandResult, FileSystem } from "../../shell";
import { decodeBase64, encodeBase64 } from "../../util/base64";
import { parseCertificate, type Certificate } from "../certificate";
import { KUBEADM_CAS, KUBEADM_CERTIFICATES, renewCertificate, type KubeadmCertificateSpec } from "../kubeadm";
import { parsePrivateKeyPem, type KeyPair } from "../keys";
import { validityError } from "../verify";

const PKI = "/etc/kubernetes/pki";
const KUBECONFIG_DIR = "/etc/kubernetes";
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Go's `Jan 02, 2006 15:04 MST` in UTC. */
function expires(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())}, ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`;
}

/** apimachinery's duration.ShortHumanDuration. */
function shortHumanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`;
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** text/tabwriter(minwidth 10, tabwidth 4, padding 3, ' '): cells before the last are padded; the last is written as is. */
function tabwrite(rows: readonly string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.slice(0, -1).forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length + 3, 10)));
  return rows.map((row) => row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i]) : cell)).join("") + "\n").join("");
}

const read = (fs: FileSystem, path: string) => (fs.isFile(path) ? fs.readFile(path) : undefined);

const certificateOf = (pem: string | undefined): Certificate | undefined => {
  if (pem === undefined) return undefined;
  try {
    return parseCertificate(pem);
  } catch {
    return undefined;
  }
};

/** A kubeconfig's embedded client certificate and key (PEM), if it has them. */
function embedded(text: string | undefined): { certificate?: string; key?: string } {
  const field = (name: string) => {
    const value = text && new RegExp(`^\\s*${name}: (\\S+)`, "m").exec(text)?.[1];
    const decoded = value ? decodeBase64(value) : undefined;
    return decoded?.ok ? String.fromCharCode(...decoded.bytes) : undefined;
  };
  return { certificate: field("client-certificate-data"), key: field("client-key-data") };
}

/** Where a managed certificate lives and what is in it now. */
function current(fs: FileSystem, spec: KubeadmCertificateSpec): { certificate?: Certificate; key?: KeyPair } {
  if (spec.kubeconfig) {
    const pems = embedded(read(fs, `${KUBECONFIG_DIR}/${spec.file}`));
    return { certificate: certificateOf(pems.certificate), key: pems.key ? parsePrivateKeyPem(pems.key) : undefined };
  }
  const key = read(fs, `${PKI}/${spec.file}.key`);
  return { certificate: certificateOf(read(fs, `${PKI}/${spec.file}.crt`)), key: key ? parsePrivateKeyPem(key) : undefined };
}

function caOf(fs: FileSystem, name: string): { certificate?: Certificate; key?: KeyPair } {
  const file = KUBEADM_CAS.find((c) => c.name === name)!.file;
  const key = read(fs, `${PKI}/${file}.key`);
  return { certificate: certificateOf(read(fs, `${PKI}/${file}.crt`)), key: key ? parsePrivateKeyPem(key) : undefined };
}

/**
 * kubeadm's preamble: it reads its ClusterConfiguration from the kubeadm-config ConfigMap with
 * admin.conf; when the apiserver cannot be reached that way (no admin.conf, an expired
 * certificate on either side) it falls back to defaults.
 */
function preamble(fs: FileSystem, phase: string, now: number): string {
  let text = `[${phase}] Reading configuration from the cluster...\n[${phase}] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'\n`;
  const admin = certificateOf(embedded(read(fs, `${KUBECONFIG_DIR}/admin.conf`)).certificate);
  const serving = certificateOf(read(fs, `${PKI}/apiserver.crt`));
  if (!admin || !serving || validityError(admin, now) || validityError(serving, now)) text += `[${phase}] Error reading configuration from the Cluster. Falling back to default configuration\n`;
  return `${text}\n`;
}

function checkExpiration(ctx: CommandContext): CommandResult {
  const now = ctx.clock.now();
  const rows: string[][] = [["CERTIFICATE", "EXPIRES", "RESIDUAL TIME", "CERTIFICATE AUTHORITY", "EXTERNALLY MANAGED"]];
  for (const spec of KUBEADM_CERTIFICATES) {
    const { certificate } = current(ctx.fs, spec);
    if (!certificate) rows.push([`!MISSING! ${spec.name}`, "", "", "", ""]);
    else rows.push([spec.name, expires(certificate.notAfter), shortHumanDuration(certificate.notAfter - now), spec.ca, "no      "]);
  }
  const caRows: string[][] = [["CERTIFICATE AUTHORITY", "EXPIRES", "RESIDUAL TIME", "EXTERNALLY MANAGED"]];
  for (const ca of KUBEADM_CAS) {
    const { certificate, key } = caOf(ctx.fs, ca.name);
    if (!certificate) caRows.push([`!MISSING! ${ca.name}`, "", "", ""]);
    else caRows.push([ca.name, expires(certificate.notAfter), shortHumanDuration(certificate.notAfter - now), (key ? "no" : "yes").padEnd(8)]);
  }
  // One tabwriter for both tables: the blank line between them ends the first block of cells.
  return { stdout: preamble(ctx.fs, "check-expiration", now) + tabwrite(rows) + "\n" + tabwrite(caRows), stderr: "", exitCode: 0 };
}

function renew(ctx: CommandContext, names: readonly string[]): CommandResult {
  const which = names[0];
  if (which === undefined) return { stdout: "", stderr: `${RENEW_HELP}`, exitCode: 0 };
  const specs = which === "all" ? KUBEADM_CERTIFICATES : KUBEADM_CERTIFICATES.filter((s) => s.name === which);
  if (!specs.length) return { stdout: "", stderr: `error: unknown command "${which}" for "kubeadm certs renew"\nTo see the stack trace of this error execute with --v=5 or higher\n`, exitCode: 1 };
  const now = ctx.clock.now();
  let stdout = preamble(ctx.fs, "renew", now);
  for (const spec of specs) {
    const { certificate, key } = current(ctx.fs, spec);
    const where = spec.kubeconfig ? `${KUBECONFIG_DIR}/${spec.file}` : `${PKI}/${spec.file}.crt`;
    if (!certificate || !key) {
      return { stdout, stderr: `error: failed to renew certificate ${spec.name}: ${spec.kubeconfig ? `failed to load kubeconfig file ${where}` : `couldn't load the certificate file ${where}`}: open ${where}: no such file or directory\nTo see the stack trace of this error execute with --v=5 or higher\n`, exitCode: 1 };
    }
    const ca = caOf(ctx.fs, spec.ca);
    if (!ca.certificate || !ca.key) {
      stdout += `Detected external ${spec.ca} for ${spec.name}, certificate can't be renewed\n`;
      continue;
    }
    const renewed = renewCertificate(certificate, key, { certificate: ca.certificate, key: ca.key }, now);
    if (spec.kubeconfig) {
      const text = read(ctx.fs, where)!;
      ctx.fs.writeFile(where, text.replace(/^(\s*client-certificate-data: )\S+/m, `$1${encodeBase64(renewed.pem)}`));
    } else ctx.fs.writeFile(where, renewed.pem);
    stdout += `${spec.purpose} renewed\n`;
  }
  if (which === "all") stdout += "\nDone renewing certificates. You must restart the kube-apiserver, kube-controller-manager, kube-scheduler and etcd, so that they can use the new certificates.\n";
  return { stdout, stderr: "", exitCode: 0 };
}

const RENEW_HELP = `This command is not meant to be run on its own. See list of available subcommands.

Usage:
  kubeadm certs renew [flags]
  kubeadm certs renew [command]

Available Commands:
  admin.conf               Renew the certificate embedded in the kubeconfig file for the admin to use and for kubeadm itself
  all                      Renew all available certificates
  apiserver                Renew the certificate for serving the Kubernetes API
  apiserver-etcd-client    Renew the certificate the apiserver uses to access etcd
  apiserver-kubelet-client Renew the certificate for the API server to connect to kubelet
  controller-manager.conf  Renew the certificate embedded in the kubeconfig file for the controller manager to use
  etcd-healthcheck-client  Renew the certificate for liveness probes to healthcheck etcd
  etcd-peer                Renew the certificate for etcd nodes to communicate with each other
  etcd-server              Renew the certificate for serving etcd
  front-proxy-client       Renew the certificate for the front proxy client
  scheduler.conf           Renew the certificate embedded in the kubeconfig file for the scheduler manager to use
  super-admin.conf         Renew the certificate embedded in the kubeconfig file for the super-admin

Flags:
  -h, --help   help for renew

Global Flags:
      --add-dir-header           If true, adds the file directory to the header of the log messages
      --log-file string          If non-empty, use this log file (no effect when -logtostderr=true)
      --log-file-max-size uint   Defines the maximum size a log file can grow to (no effect when -logtostderr=true). Unit is megabytes. If the value is 0, the maximum file size is unlimited. (default 1800)
      --one-output               If true, only write logs to their native severity level (vs also writing to stderr)
      --rootfs string            The path to the 'real' root filesystem of the host.
      --skip-headers             If true, avoid header prefixes in the log messages
      --skip-log-headers         If true, avoid headers when opening log files (no effect when -logtostderr=true)
  -v, --v Level                  number for the log level verbosity

Use "kubeadm certs renew [command] --help" for more information about a command.
`;

const VERSION = 'kubeadm version: &version.Info{Major:"1", Minor:"32", GitVersion:"v1.32.4", GitCommit:"59526cd4867447956156ae3a602fcbac10a2c335", GitTreeState:"clean", BuildDate:"2025-04-22T16:02:27Z", GoVersion:"go1.23.8", Compiler:"gc", Platform:"linux/amd64"}\n';

export const kubeadmCommand: Command = {
  name: "kubeadm",
  summary: "kubeadm: easily bootstrap a secure Kubernetes cluster",
  usage: "kubeadm [command]",
  spec: { flags: [], raw: true },
  run(args, ctx) {
    const words = args.operands.filter((w) => !/^--?(v|rootfs)(=|$)/.test(w));
    const [command, sub, ...rest] = words;
    if (command === "version") return { stdout: VERSION, stderr: "", exitCode: 0 };
    if (command === "certs" && sub === "check-expiration") return checkExpiration(ctx);
    if (command === "certs" && sub === "renew") return renew(ctx, rest);
    if (command === undefined || command === "certs") {
      return { stdout: "", stderr: `kubeadm here offers \`kubeadm version\`, \`kubeadm certs check-expiration\` and \`kubeadm certs renew NAME|all\`\n`, exitCode: command === undefined ? 0 : 1 };
    }
    if (["init", "join", "reset", "token", "upgrade", "config", "kubeconfig"].includes(command)) {
      return { stdout: "", stderr: `kubeadm ${command}: not available in this lab (the cluster is already set up)\n`, exitCode: 1 };
    }
    return { stdout: "", stderr: `unknown command "${command}" for "kubeadm"\nTo see the stack trace of this error execute with --v=5 or higher\n`, exitCode: 1 };
  },
};
