// What the kube-proxy tests share: a three-node flannel cluster (seed 7) and a line run that
// must not complain.
import { expect } from "vitest";
import { createCluster, type ClusterHandle } from "@/lib/engine";

export type Sh = ReturnType<ClusterHandle["shell"]>;

/** Runs a line and returns its output, failing the test on anything written to stderr. */
export async function out(sh: Sh, line: string): Promise<string> {
  const r = await sh.run(line);
  expect(r.stderr, line).toBe("");
  return r.stdout;
}

/** three-node-flannel with `spec` on top (e.g. `{ kubeProxy: { mode: "ipvs" } }`), and a root shell. */
export function boot(spec: Record<string, unknown> = {}) {
  const cluster = createCluster({ spec: { base: "three-node-flannel", ...spec }, seed: 7 });
  return { cluster, sh: cluster.shell() };
}
