/**
 * What `cordon`, `uncordon` and `drain` share (kubectl builds all three from `DrainCmdOptions`):
 * finding the nodes (`NODE...` or `-l`, with the same usage errors), and
 * `RunCordonOrUncordon`, which flips `spec.unschedulable` and prints `node/node01 cordoned`,
 * `node/node01 already cordoned`, or the dry-run forms.
 *
 * @example
 * const nodes = selectNodes(args, ctx, "kubectl cordon", "cordon NODE");
 * cordonNodes(out, ctx, nodes, true, "none");
 */
import type { Node, Stored } from "../../../../api";
import { resourceForKind } from "../../../../api";
import type { Output } from "../../../../shell";
import { clonePlain } from "../../../../util/plain";
import { usageError } from "../../../errors";
import { dryRunFlag, selectorFlag } from "../../../flags";
import type { KubectlArgs, KubectlContext, KubectlFlag } from "../../../types";
import { type DryRun, nameLine } from "../common/output";

export const NODE_INFO = resourceForKind("Node")!;

/** `cordon` and `uncordon` take exactly these flags. */
export const CORDON_FLAGS: readonly KubectlFlag[] = [dryRunFlag, selectorFlag];

/**
 * The nodes the command names. Usage errors as `DrainCmdOptions.Complete` words them; a missing
 * node fails the whole command before anything changes (the builder's visit stops there).
 */
export function selectNodes(args: KubectlArgs, ctx: KubectlContext, commandPath: string, use: string): Stored<Node>[] {
  const selector = args.string("selector") ?? "";
  if (args.operands.length === 0 && !args.has("selector")) throw usageError(commandPath, `USAGE: ${use} [flags]`);
  if (args.operands.length > 0 && selector !== "") throw usageError(commandPath, "error: cannot specify both a node name and a --selector option");
  if (args.operands.length === 0) return ctx.store.list<Node>("Node", { labelSelector: selector || undefined });
  return args.operands.map((name) => ctx.store.get<Node>("Node", undefined, name));
}

/** `RunCordonOrUncordon(desired)`: writes what changed and prints one line per node. */
export function cordonNodes(out: Output, ctx: KubectlContext, nodes: readonly Stored<Node>[], desired: boolean, dryRun: DryRun): void {
  const verb = desired ? "cordon" : "uncordon";
  for (const node of nodes) {
    const name = node.metadata.name;
    if ((node.spec?.unschedulable === true) === desired) {
      out.out(nameLine(NODE_INFO, name, `already ${verb}ed`, dryRun));
      continue;
    }
    if (dryRun !== "client") {
      const next = clonePlain(node) as Node;
      next.spec = { ...next.spec };
      // A strategic merge patch of `false` against an omitempty field removes it.
      if (desired) next.spec.unschedulable = true;
      else delete next.spec.unschedulable;
      try {
        ctx.store.update(next, { dryRun: dryRun === "server" });
      } catch (error) {
        out.err(`error: unable to ${verb} node "${name}": ${error instanceof Error ? error.message : String(error)}\n`);
        continue;
      }
    }
    out.out(nameLine(NODE_INFO, name, `${verb}ed`, dryRun));
  }
}
