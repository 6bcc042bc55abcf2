/**
 * What a network tool needs to know about the machine it runs on: which implementation it is
 * (Ubuntu's iputils/iproute2 on nodes and the client, busybox's applets in busybox and Alpine
 * images — different output and errors), and how a host name resolves (`/etc/hosts`, then DNS
 * queries from the program's namespace, as glibc and musl do: net/dns/resolver.ts).
 *
 * @example
 * userland(ctx);                       // "ubuntu" | "busybox"
 * resolveHost(ctx, "node01");          // 172.30.1.3 (from /etc/hosts), or undefined
 * resolveHost(ctx, "web");             // in a pod: 10.96.112.4, asked of CoreDNS through the search list
 * hostNameOf(ctx, parseIP("127.0.0.1")!); // "localhost"
 */
import type { CommandContext } from "../../shell";
import type { NetStack } from "../kernel/stack";
import type { ClusterNetwork } from "../network";
import { resolveAddress, reverseLookup, type ResolverEnv } from "../dns/resolver";

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

/** Where a program resolves names: its files, and its network namespace when it has one. */
export type ResolverPlace = Pick<CommandContext, "fs"> & {
  host?: CommandContext["host"];
  clock?: CommandContext["clock"];
  network?: ClusterNetwork;
  stack?: NetStack;
  now?: number;
};

/** The resolver's view of a command context (or of a program's own environment, as curl's). */
export function resolverEnv(place: ResolverPlace): ResolverEnv {
  if (place.network && place.stack) return { fs: place.fs, network: place.network, stack: place.stack, now: place.now ?? place.clock?.now() ?? 0 };
  const where = place.host?.netns;
  const stack = where?.network.stackOf(where.host, where.inode);
  return { fs: place.fs, network: stack ? where!.network : undefined, stack, now: place.clock?.now() ?? place.now ?? 0 };
}

/** A dotted quad, or a name: `/etc/hosts`, then DNS through the search list (net/dns's resolver); undefined: it does not resolve. */
export function resolveHost(ctx: ResolverPlace, name: string): number | undefined {
  return resolveAddress(resolverEnv(ctx), name);
}

/** The name `/etc/hosts`, then a PTR query, gives an address (what a reverse lookup finds), if any. */
export function hostNameOf(ctx: ResolverPlace, ip: number): string | undefined {
  return reverseLookup(resolverEnv(ctx), ip);
}
