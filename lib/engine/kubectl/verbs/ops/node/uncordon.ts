/**
 * `kubectl uncordon`: makes nodes schedulable again, typically after a drain and maintenance.
 *
 * @example
 * kubectl uncordon node01   // node/node01 uncordoned
 * kubectl uncordon node01   // node/node01 already uncordoned
 */
import type { KubectlVerb } from "../../../types";
import { dryRunOf, withOutput } from "../common/output";
import { CORDON_FLAGS, cordonNodes, selectNodes } from "./nodes";

/** `kubectl uncordon`. */
export const uncordonVerb: KubectlVerb = {
  name: "uncordon",
  short: "Mark node as schedulable",
  long: "Mark node as schedulable.",
  examples: '  # Mark node "foo" as schedulable\n  kubectl uncordon foo',
  usage: "kubectl uncordon NODE [options]",
  flags: CORDON_FLAGS,
  run: (args, ctx) =>
    withOutput((out) => {
      const nodes = selectNodes(args, ctx, "kubectl uncordon", "uncordon NODE");
      cordonNodes(out, ctx, nodes, false, dryRunOf(args));
      return 0;
    }),
};
