import { expect } from "vitest";
import { Cluster } from "@/lib/engine/cluster/cluster";
import { ClusterClock } from "@/lib/engine/cluster/clock";
import type { PodRuntimeService } from "@/lib/engine/cluster/services";
import { kubectlCommand, kubectlVerbs } from "@/lib/engine/kubectl";
import type { KubectlVerb } from "@/lib/engine/kubectl/types";
import { loadScenario } from "@/lib/engine/scenarios";
import { createCoreRegistry, installCommands, ShellSession, type RunResult } from "@/lib/engine/shell";

/** kubeadm's admin.conf, as the node agents write it on the control plane. */
export const ADMIN_KUBECONFIG = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
    server: https://172.30.1.2:6443
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: kubernetes-admin
  name: kubernetes-admin@kubernetes
current-context: kubernetes-admin@kubernetes
kind: Config
preferences: {}
users:
- name: kubernetes-admin
  user:
    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo=
`;

/** A runtime whose containers never run (no node agents in these tests). */
const runtime: PodRuntimeService = {
  logs: (_ns, pod, container) => ({ ok: false, message: `container "${container}" in pod "${pod}" is waiting to start: ContainerCreating` }),
  execLocation: () => ({ ok: false, message: "unable to upgrade connection: container not found" }),
  attach: () => ({ ok: false, message: "unable to upgrade connection: container not found" }),
};

/**
 * A three-node flannel cluster (seed 7) with kubectl on every node, an admin kubeconfig on the
 * control plane only, and the `default` ServiceAccounts the controllers would create.
 */
export function kubectlCluster(options: { verbs?: readonly KubectlVerb[]; kubeconfig?: boolean } = {}) {
  const cluster = new Cluster(loadScenario("three-node-flannel"), 7);
  for (const ns of ["default", "kube-system", "kube-public", "kube-node-lease"]) {
    cluster.store.create({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace: ns } });
  }
  const kubectl = kubectlCommand({ cluster, runtime, verbs: options.verbs ?? kubectlVerbs });
  const clock = new ClusterClock(cluster);
  const shells = new Map<string, ShellSession>();
  for (const node of cluster.nodes.values()) {
    const commands = createCoreRegistry().register(kubectl);
    installCommands(node.fs, commands);
    if (node.role === "control-plane" && options.kubeconfig !== false) node.fs.writeFile("/root/.kube/config", ADMIN_KUBECONFIG, { parents: true });
    const host = { name: node.name, user: "root", uid: 0, gid: 0, home: "/root", addresses: () => [node.ip] };
    shells.set(node.name, new ShellSession({ clock, terminal: false, location: { host, fs: node.fs, commands, ps1: "\\h:\\w$ " } }));
  }
  const sh = shells.get("controlplane")!;
  return { cluster, store: cluster.store, sh, shells, fs: cluster.nodes.get("controlplane")!.fs };
}

export interface Expected {
  stdout?: string | RegExp;
  stderr?: string | RegExp;
  exitCode?: number;
}

/** A named case: the line typed and what must come out. */
export type Case = [name: string, input: string, expected: Expected];

/** Runs `input` and checks each field the case specifies. */
export async function expectRun(sh: ShellSession, input: string, expected: Expected): Promise<RunResult> {
  const result = await sh.run(input);
  const check = (actual: string, want: string | RegExp | undefined, what: string) => {
    if (want === undefined) return;
    if (typeof want === "string") expect(actual, `${what} of ${input}`).toBe(want);
    else expect(actual, `${what} of ${input}`).toMatch(want);
  };
  check(result.stdout, expected.stdout, "stdout");
  check(result.stderr, expected.stderr, "stderr");
  if (expected.exitCode !== undefined) expect(result.exitCode, `exit code of ${input}`).toBe(expected.exitCode);
  return result;
}
