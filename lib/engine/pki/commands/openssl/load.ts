/**
 * Loading certificates as the openssl apps do: from a file (`-in`, `-CAfile`, operands) or
 * standard input, PEM only, with OpenSSL 3.0's messages when the file is missing or holds no
 * certificate.
 *
 * @example
 * const r = loadCertificate(ctx, "ca.crt", "certificate");
 * if (!r.ok) return { stdout: "", stderr: r.stderr + "Unable to load certificate\n", exitCode: 1 };
 */
import type { CommandContext } from "../../../shell";
import { parseDer, type Certificate } from "../../certificate";
import { pemBlocks } from "../../pem";
import { cannotOpen, cannotRead, unsupported } from "./format";

export type Loaded = { ok: true; certificates: Certificate[] } | { ok: false; stderr: string };

/** Every certificate in `path` (or stdin when undefined), or OpenSSL's error for `what` ("certificate", "certificate file"). */
export function loadCertificates(ctx: CommandContext, path: string | undefined, what: string): Loaded {
  let text: string;
  if (path === undefined || path === "-") text = ctx.stdin;
  else {
    const full = ctx.resolve(path);
    if (!ctx.fs.exists(full)) return { ok: false, stderr: cannotOpen(path, what) };
    text = ctx.fs.isDirectory(full) ? "" : ctx.fs.readFile(full);
  }
  const certificates: Certificate[] = [];
  for (const block of pemBlocks(text)) {
    if (block.label !== "CERTIFICATE") continue;
    try {
      certificates.push(parseDer(block.der));
    } catch {
      break;
    }
  }
  if (certificates.length) return { ok: true, certificates };
  const name = path === undefined || path === "-" ? "<stdin>" : path;
  return { ok: false, stderr: cannotRead(name, what) + (name === "<stdin>" ? "" : unsupported()) };
}
