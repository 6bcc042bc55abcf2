// A cluster and a login shell on its control-plane node, for the network tools' tests: run
// lines as a learner would and read the kernel state the tools print.
import { createCluster } from "@/lib/engine";
import { eui64LinkLocal } from "@/lib/engine/net/kernel/link-state";
import type { NetStack } from "@/lib/engine/net/kernel/stack";

export function lab(scenario = "single-node", seed = 7) {
  const cluster = createCluster({ scenario, seed });
  const sh = cluster.shell();
  const network = cluster.internals.network;
  /** What a line printed, stdout then stderr. */
  const run = async (line: string) => {
    const r = await sh.run(line);
    return r.stdout + r.stderr;
  };
  /** The namespace `ip netns add NAME` made on the control plane. */
  const netns = (name: string): NetStack => network.stacksOn("controlplane").find((s) => s.name === name)!;
  const host = () => network.host("controlplane")!;
  /** A link's MAC and the link-local address the kernel derives from it. */
  const macOf = (stack: NetStack, name: string) => stack.link(name)!.mac;
  const ll = (stack: NetStack, name: string) => eui64LinkLocal(macOf(stack, name));
  return { cluster, sh, network, run, netns, host, macOf, ll };
}
