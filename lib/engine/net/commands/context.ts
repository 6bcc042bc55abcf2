/**
 * What every network tool starts from: the namespace its shell location runs in (a node's
 * host namespace over `ssh`, a pod's inside `kubectl exec`, another after `nsenter -n` or
 * `ip netns exec`). Tools are module-level commands shared by every fork, so the location
 * carries the fork's network.
 *
 * @example
 * const here = currentStack(ctx);
 * if (!here) return fail("ip: cannot open netlink socket: Operation not permitted");
 */
import type { CommandContext, HostInfo, LocationInit } from "../../shell";
import { hostAddresses } from "../kernel/link-state";
import type { NetStack } from "../kernel/stack";
import type { ClusterNetwork } from "../network";

/** The location's namespace and the network it belongs to; undefined where the shell has none. */
export function currentNet(ctx: CommandContext): { network: ClusterNetwork; stack: NetStack } | undefined {
  const where = ctx.host.netns;
  if (!where) return undefined;
  const stack = where.network.stackOf(where.host, where.inode);
  return stack ? { network: where.network, stack } : undefined;
}

/** The location's namespace alone. */
export function currentStack(ctx: CommandContext): NetStack | undefined {
  return currentNet(ctx)?.stack;
}

/**
 * A location like the command's own (its file system, commands, directory, environment and
 * prompt) whose network tools work in `stack`: where `ip netns exec`, `nsenter -n` and
 * `unshare -n` run their program. `hostname -I` there lists the namespace's addresses.
 */
export function locationIn(ctx: CommandContext, network: ClusterNetwork, stack: NetStack, host: Partial<HostInfo> = {}): LocationInit {
  return locationAs(ctx, { ...ctx.host, addresses: () => hostAddresses(stack), ...host, netns: { network, host: stack.host, inode: stack.inode } });
}

/** A location like the command's own, on `host` (which says which namespace it is in). */
export function locationAs(ctx: CommandContext, host: HostInfo): LocationInit {
  return { host, fs: ctx.fs, commands: ctx.commands, cwd: ctx.cwd, env: Object.fromEntries(ctx.env.environment()), ps1: ctx.env.get("PS1"), exitMessage: "" };
}

/** Words joined into shell source that runs them as they are (quoted only where needed). */
export function shellSource(argv: readonly string[]): string {
  return argv.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, "'\\''")}'`)).join(" ");
}

/**
 * Whether the `name` a location's PATH finds is a BusyBox applet: a link to /bin/busybox (a
 * symlink in Alpine, a hard link in the busybox image), so the image's `ip` is BusyBox's own.
 */
export function isBusyboxApplet(ctx: CommandContext, name: string): boolean {
  const fs = ctx.fs;
  if (!fs.isFile("/bin/busybox")) return false;
  for (const dir of (ctx.env.get("PATH") ?? "").split(":")) {
    const path = `${dir}/${name}`;
    if (!dir || !fs.exists(path)) continue;
    if (fs.lstat(path).kind === "symlink") return fs.realpath(path) === "/bin/busybox";
    const nlink = fs.stat(path).nlink;
    return nlink > 1 && nlink === fs.stat("/bin/busybox").nlink;
  }
  return false;
}
