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
import type { CommandContext } from "../../shell";
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
