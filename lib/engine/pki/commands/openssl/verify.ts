/**
 * `openssl verify [-CAfile FILE] [-attime SECONDS] [CERT…]`: builds each certificate's chain
 * to a trusted root from `-CAfile` (the system store has no cluster CA) and checks it as
 * OpenSSL 3.0 does — the issuer by name and key identifier, then from the root down each
 * signature and validity period at the virtual clock's time (or `-attime`). Errors are printed
 * as the app's callback prints them: the certificate's subject, then
 * `error N at D depth lookup: TEXT`; expiry is reported and checking goes on, anything else
 * stops; a failed certificate ends with `error FILE: verification failed` (exit code 2).
 *
 * @example
 * openssl verify -CAfile /etc/kubernetes/pki/ca.crt /etc/kubernetes/pki/apiserver.crt
 * # /etc/kubernetes/pki/apiserver.crt: OK
 */
import type { CommandContext, CommandResult } from "../../../shell";
import { signedBy, type Certificate } from "../../certificate";
import { sameName } from "../../verify";
import { formatName } from "./format";
import { loadCertificates } from "./load";
import { parseOptions, valueOf, type OptionKind } from "./options";

const OPTIONS: Record<string, OptionKind> = { CAfile: "value", attime: "value", untrusted: "value", verbose: "flag", show_chain: "flag", help: "flag" };

export const ERRORS = {
  notYetValid: [9, "certificate is not yet valid"],
  expired: [10, "certificate has expired"],
  signature: [7, "certificate signature failure"],
  selfSigned: [18, "self-signed certificate"],
  noIssuer: [20, "unable to get local issuer certificate"],
} as const;

export type VerifyError = keyof typeof ERRORS;

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** X509_check_issued: the issuer's subject is the certificate's issuer, and the key identifiers agree when both are present. */
function issues(candidate: Certificate, cert: Certificate): boolean {
  if (!sameName(candidate.subject, cert.issuer)) return false;
  return !cert.authorityKeyId || !candidate.subjectKeyId || sameBytes(cert.authorityKeyId, candidate.subjectKeyId);
}

export interface ChainError {
  readonly error: VerifyError;
  readonly cert: Certificate;
  readonly depth: number;
}

/** The chain OpenSSL builds for `leaf` (leaf first) and the errors it reports, each with its certificate and depth; no errors: it verifies. */
export function verifyOne(leaf: Certificate, trusted: readonly Certificate[], untrusted: readonly Certificate[], at: number): { chain: Certificate[]; errors: ChainError[] } {
  const chain: Certificate[] = [leaf];
  for (;;) {
    const top = chain[chain.length - 1];
    if (trusted.some((t) => sameBytes(t.der, top.der))) break;
    const root = trusted.find((t) => issues(t, top));
    if (root) {
      chain.push(root);
      break;
    }
    if (issues(top, top)) return { chain, errors: [{ error: "selfSigned", cert: top, depth: chain.length - 1 }] };
    const next = untrusted.find((u) => issues(u, top) && !chain.includes(u));
    if (!next) return { chain, errors: [{ error: "noIssuer", cert: top, depth: chain.length - 1 }] };
    chain.push(next);
  }
  const errors: ChainError[] = [];
  for (let depth = chain.length - 1; depth >= 0; depth--) {
    const cert = chain[depth];
    const issuer = chain[depth + 1];
    if (issuer && !signedBy(cert, issuer)) return { chain, errors: [...errors, { error: "signature", cert, depth }] };
    if (at < cert.notBefore) return { chain, errors: [...errors, { error: "notYetValid", cert, depth }] };
    if (at > cert.notAfter) errors.push({ error: "expired", cert, depth });
  }
  return { chain, errors };
}

export function verify(args: readonly string[], ctx: CommandContext): CommandResult {
  const parsed = parseOptions("verify", args, OPTIONS);
  if (!parsed.ok) return { stdout: "", stderr: parsed.stderr, exitCode: 1 };
  const { options, rest } = parsed;
  const attime = valueOf(options, "attime");
  if (attime !== undefined && !/^\d+$/.test(attime)) return { stdout: "", stderr: `verify: Invalid number "${attime}" for option -attime\nverify: Use -help for summary.\n`, exitCode: 1 };
  const at = attime !== undefined ? Number(attime) * 1000 : ctx.clock.now();
  const store = (option: string): Certificate[] | string => {
    const path = valueOf(options, option);
    if (path === undefined) return [];
    const loaded = loadCertificates(ctx, path, "certificates");
    if (loaded.ok) return loaded.certificates;
    return `Error loading file ${path}\n`;
  };
  const trusted = store("CAfile");
  if (typeof trusted === "string") return { stdout: "", stderr: trusted, exitCode: 1 };
  const untrusted = store("untrusted");
  if (typeof untrusted === "string") return { stdout: "", stderr: untrusted, exitCode: 1 };
  let stdout = "";
  let stderr = "";
  let failed = false;
  for (const file of rest.length ? rest : [undefined]) {
    const name = file ?? "stdin";
    const loaded = loadCertificates(ctx, file, "certificate file");
    if (!loaded.ok) {
      stderr += `${loaded.stderr}Unable to load certificate file\n`;
      failed = true;
      continue;
    }
    const { errors } = verifyOne(loaded.certificates[0], trusted, untrusted, at);
    for (const { error, cert, depth } of errors) {
      const [code, text] = ERRORS[error];
      stderr += `${formatName(cert.subject)}\nerror ${code} at ${depth} depth lookup: ${text}\n`;
    }
    if (errors.length) {
      stderr += `error ${name}: verification failed\n`;
      failed = true;
    } else stdout += `${name}: OK\n`;
  }
  return { stdout, stderr, exitCode: failed ? 2 : 0 };
}
