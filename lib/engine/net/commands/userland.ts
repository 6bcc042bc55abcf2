/**
 * What a network tool needs to know about the machine it runs on: which implementation it is
 * (Ubuntu's iputils/iproute2 on nodes and the client, busybox's applets in busybox and Alpine
 * images — different output and errors), and how a host name resolves (`/etc/hosts`, as glibc
 * and musl read it; DNS arrives with CoreDNS, issue 7).
 *
 * @example
 * userland(ctx);                       // "ubuntu" | "busybox"
 * resolveHost(ctx, "node01");          // 172.30.1.3 (from /etc/hosts), or undefined
 * hostNameOf(ctx, parseIP("127.0.0.1")!); // "localhost"
 */
import type { CommandContext } from "../../shell";
import { parseIP } from "../../util/ipv4";

/** Ubuntu's tools, or busybox's applets (busybox and Alpine images: no iputils there). */
export function userland(ctx: Pick<CommandContext, "fs">): "ubuntu" | "busybox" {
  const release = readText(ctx, "/etc/os-release") ?? "";
  return /^ID=(ubuntu|debian)$/m.test(release) ? "ubuntu" : "busybox";
}

function readText(ctx: Pick<CommandContext, "fs">, path: string): string | undefined {
  try {
    return ctx.fs.isFile(path) ? ctx.fs.readFile(path) : undefined;
  } catch {
    return undefined;
  }
}

/** `/etc/hosts` entries: address, then names. */
function hostsEntries(ctx: Pick<CommandContext, "fs">): { ip: number; names: string[] }[] {
  const out: { ip: number; names: string[] }[] = [];
  for (const line of (readText(ctx, "/etc/hosts") ?? "").split("\n")) {
    const words = line.replace(/#.*/, "").trim().split(/\s+/);
    const ip = words.length > 1 ? parseIP(words[0]) : undefined;
    if (ip !== undefined) out.push({ ip, names: words.slice(1) });
  }
  return out;
}

/** A dotted quad, or a name from `/etc/hosts`; undefined: the name does not resolve. */
export function resolveHost(ctx: Pick<CommandContext, "fs">, name: string): number | undefined {
  const literal = parseIP(name);
  if (literal !== undefined) return literal;
  return hostsEntries(ctx).find((e) => e.names.includes(name))?.ip;
}

/** The first name `/etc/hosts` gives an address (what a reverse lookup finds), if any. */
export function hostNameOf(ctx: CommandContext, ip: number): string | undefined {
  return hostsEntries(ctx).find((e) => e.ip === ip)?.names[0];
}
