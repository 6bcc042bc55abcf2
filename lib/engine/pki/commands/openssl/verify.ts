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
import { OPENSSL_VERIFY_ERRORS, opensslChain } from "../../chain";
import type { Certificate } from "../../certificate";
import { formatName } from "./format";
import { loadCertificates } from "./load";
import { parseOptions, valueOf, type OptionKind } from "./options";

const OPTIONS: Record<string, OptionKind> = { CAfile: "value", attime: "value", untrusted: "value", verbose: "flag", show_chain: "flag", help: "flag" };

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
    const { errors } = opensslChain(loaded.certificates[0], trusted, untrusted, at);
    for (const { error, cert, depth } of errors) {
      const [code, text] = OPENSSL_VERIFY_ERRORS[error];
      stderr += `${formatName(cert.subject)}\nerror ${code} at ${depth} depth lookup: ${text}\n`;
    }
    if (errors.length) {
      stderr += `error ${name}: verification failed\n`;
      failed = true;
    } else stdout += `${name}: OK\n`;
  }
  return { stdout, stderr, exitCode: failed ? 2 : 0 };
}
