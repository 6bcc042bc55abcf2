/**
 * `kubectl cordon`: marks nodes unschedulable, so the scheduler places no new pods there.
 *
 * @example
 * kubectl cordon node01   // node/node01 cordoned
 * kubectl cordon node01   // node/node01 already cordoned
 */
import type { KubectlVerb } from "../../../types";
import { dryRunOf, withOutput } from "../common/output";
import { CORDON_FLAGS, cordonNodes, selectNodes } from "./nodes";

/** `kubectl cordon`. */
export const cordonVerb: KubectlVerb = {
  name: "cordon",
  short: "Mark node as unschedulable",
  long: "Mark node as unschedulable.",
  examples: '  # Mark node "foo" as unschedulable\n  kubectl cordon foo',
  usage: "kubectl cordon NODE [options]",
  flags: CORDON_FLAGS,
  run: (args, ctx) =>
    withOutput((out) => {
      const nodes = selectNodes(args, ctx, "kubectl cordon", "cordon NODE");
      cordonNodes(out, ctx, nodes, true, dryRunOf(args));
      return 0;
    }),
};
